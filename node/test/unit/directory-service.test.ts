import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  cosignRoster, directoryKey, proposeRoster, signDirectoryRecord, verifyGenesis,
  type AuthorityEntry, type RegisterEntry, type Roster
} from '@imi/protocol'
import { ManualClock, generateIdentity, nodeCrypto, rosterMemberOf, type NodeIdentity } from '../../src/index.js'
import { silentLogger } from '../../src/services/logger.js'
import { DirectoryService } from '../../src/services/directory/directory-service.js'
import { Store } from '../../src/storage/index.js'
import { MemoryRecords } from '../fixtures/memory-records.js'

const FED = 'imi-test'

async function eventually (check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
const T0 = Date.UTC(2026, 0, 5)

class FakeRegistry extends EventTarget {
  authorities: AuthorityEntry[] = []
  registers: RegisterEntry[] = []
  async publishedAuthorities (): Promise<AuthorityEntry[]> { return [...this.authorities] }
  async publishedRegisters (): Promise<RegisterEntry[]> { return [...this.registers] }
  async isActiveAuthority (id: string): Promise<boolean> { return this.authorities.some((a) => a.id === id) }
  change (): void { this.dispatchEvent(new Event('change')) }
}

const authority = (id: string, de: string, en: string): AuthorityEntry => ({ id, names: { de, en }, areas: ['professional-qualifications'], competences: ['architect'] })

describe('directory service', function () {
  this.timeout(20_000)
  let dir: string
  let clock: ManualClock
  let roster: Roster
  let ids: Record<string, NodeIdentity>
  const stores: Store[] = []
  const services: DirectoryService[] = []

  before(async () => {
    ids = { AT: await generateIdentity(), PL: await generateIdentity(), CZ: await generateIdentity() }
    let genesis = proposeRoster({ fed: FED, version: 1, created: T0 - 1000, bootstraps: [], members: Object.entries(ids).map(([c, id]) => rosterMemberOf(id, c, [], T0 - 2000)) }) as Parameters<typeof cosignRoster>[0]
    for (const id of Object.values(ids)) genesis = cosignRoster(genesis, id.signer)
    roster = verifyGenesis(genesis, nodeCrypto)
  })

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imi-dir-'))
    clock = new ManualClock(T0)
  })

  afterEach(async () => {
    for (const s of services.splice(0)) s.stop()
    for (const s of stores.splice(0)) await s.close().catch(() => {})
    await rm(dir, { recursive: true, force: true })
  })

  async function service (country: string, records: MemoryRecords, source = new FakeRegistry(), offline?: () => boolean, acks?: (key: string) => number): Promise<DirectoryService> {
    const store = new Store(join(dir, country), { sync: false })
    await store.open()
    stores.push(store)
    const s = new DirectoryService({
      store, clock, crypto: nodeCrypto, signer: ids[country]!.signer, roster: () => roster,
      transport: records.transport({ offline, ...(acks !== undefined && { acks }) }), source, logger: silentLogger
    }, { federationId: FED, country, refreshMs: 60_000, republishMs: 3_600_000 })
    services.push(s)
    return s
  }

  it('finds another state\'s authorities once published and fetched, and drops a removed one on the next refresh', async () => {
    const records = new MemoryRecords()
    const at = new FakeRegistry()
    at.authorities = [authority('at-arch', 'Kammer der Ziviltechniker', 'Chamber of Civil Engineers'), authority('at-med', 'Österreichische Ärztekammer', 'Austrian Medical Chamber')]
    const atService = await service('AT', records, at)
    const pl = await service('PL', records)
    await atService.publish()
    await pl.refresh()
    expect(pl.search({ text: 'ärztekammer' }).map((h) => h.entry.id)).to.deep.equal(['at-med'])
    expect(await pl.isCurrentAuthority('AT', 'at-med')).to.equal(true)

    at.authorities = at.authorities.filter((a) => a.id !== 'at-med')
    clock.advance(1000)
    await atService.publish()
    await pl.refresh()
    expect(pl.search({ text: 'ärztekammer' })).to.deep.equal([])
    expect(await pl.isCurrentAuthority('AT', 'at-med')).to.equal(false)
    expect(pl.status().find((s) => s.country === 'AT' && s.name === 'authorities')).to.include({ entries: 1, expired: false })
  })

  it('fetches an authority it does not know yet before saying it is not listed', async () => {
    const records = new MemoryRecords()
    const at = new FakeRegistry()
    const atService = await service('AT', records, at)
    const pl = await service('PL', records)
    await pl.refresh()
    at.authorities = [authority('at-new', 'Neue Behörde', 'New authority')]
    await atService.publish()
    expect(await pl.isCurrentAuthority('AT', 'at-new')).to.equal(true)
    expect(await pl.isCurrentAuthority('AT', 'at-none')).to.equal(false)
  })

  it('after a restart, lists from its cached copy at once and cannot tell an unknown authority until it has confirmed that state\'s directory', async () => {
    const records = new MemoryRecords()
    const at = new FakeRegistry()
    at.authorities = [authority('at-arch', 'Kammer der Ziviltechniker', 'Chamber of Civil Engineers')]
    const atService = await service('AT', records, at)
    await atService.publish()
    const before = await service('PL', records)
    await before.refresh()
    before.stop()
    await stores[services.indexOf(before)]!.close()

    // Restarted while the network has nothing to offer (records expired, peers away).
    let offline = true
    const pl = await service('PL', records, new FakeRegistry(), () => offline)
    expect(await pl.authorityStatus('AT', 'at-arch')).to.equal('unverified')
    await pl.load()
    expect(await pl.authorityStatus('AT', 'at-arch')).to.equal('listed')
    expect(await pl.authorityStatus('AT', 'at-new')).to.equal('unverified')
    // A copy that lists it stays 'listed' when a fresh look fails.
    expect(await pl.authorityStatus('AT', 'at-arch', true)).to.equal('listed')

    offline = false
    expect(await pl.authorityStatus('AT', 'at-new')).to.equal('not-listed')
    at.authorities = [...at.authorities, authority('at-new', 'Neue Behörde', 'New authority')]
    clock.advance(1000)
    await atService.publish()
    expect(await pl.authorityStatus('AT', 'at-new')).to.equal('listed')
  })

  it('answers a sender double-checking a refusal (fresh) from no copy past its expires; a receiver still reads the cached copy', async () => {
    const records = new MemoryRecords()
    const at = new FakeRegistry()
    at.authorities = [authority('at-arch', 'Architektenkammer', 'Chamber of Architects')]
    await (await service('AT', records, at)).publish()
    const pl = await service('PL', records)
    await pl.refresh()
    expect(await pl.authorityStatus('AT', 'at-arch', true)).to.equal('listed')
    // AT publishes nothing for two days: every copy of its directory has expired.
    clock.advance(2 * 86_400_000)
    expect(await pl.authorityStatus('AT', 'at-arch')).to.equal('listed')
    expect(await pl.authorityStatus('AT', 'at-arch', true)).not.to.equal('listed')
  })

  it('refuses forged, wrong-country and stale values and keeps the verified copy', async () => {
    const records = new MemoryRecords()
    const at = new FakeRegistry()
    at.authorities = [authority('at-arch', 'Architektenkammer', 'Chamber of Architects')]
    const atService = await service('AT', records, at)
    const pl = await service('PL', records)
    await atService.publish()
    await pl.refresh()
    const seq = pl.status().find((s) => s.country === 'AT' && s.name === 'authorities')!.seq
    const forged = { fed: FED, country: 'AT', name: 'authorities' as const, shard: 0, shards: 1, seq: seq + 10, created: clock.now(), expires: clock.now() + 60_000, entries: [authority('at-fake', 'Falsche Kammer', 'Fake chamber')] }
    const key = directoryKey(forged)
    records.inject(key, signDirectoryRecord(forged, ids.CZ!.signer))
    records.inject(key, signDirectoryRecord({ ...forged, created: clock.now() - 1000, expires: clock.now() - 1 }, ids.AT!.signer))
    records.inject(key, new TextEncoder().encode('not a record'))
    clock.advance(1000)
    await pl.refresh()
    expect(pl.search({ text: 'kammer' }).map((h) => h.entry.id)).to.deep.equal(['at-arch'])
    expect(Object.fromEntries(pl.rejections)).to.deep.equal({ ERR_RECORD_SIGNER: 1, ERR_RECORD_EXPIRED: 1, ERR_RECORD_SCHEMA: 1 })
  })

  it('searches the last verified copy after a restart with every other node offline, and shows its age', async () => {
    const records = new MemoryRecords()
    const at = new FakeRegistry()
    at.authorities = [authority('at-arch', 'Architektenkammer', 'Chamber of Architects')]
    await (await service('AT', records, at)).publish()
    const pl = await service('PL', records)
    await pl.refresh()
    pl.stop()
    await stores.pop()!.close()
    services.pop()

    let offline = true
    const again = await service('PL', records, new FakeRegistry(), () => offline)
    await again.start()
    clock.advance(2 * 86_400_000)
    await again.refresh()
    expect(again.search({ text: 'architektenkammer' }).map((h) => h.country)).to.deep.equal(['AT'])
    const status = again.status().find((s) => s.country === 'AT' && s.name === 'authorities')!
    expect(status.ageMs).to.be.at.least(2 * 86_400_000)
    expect(status.expired).to.equal(true)
    offline = false
  })

  it('puts a publication that reached no peer again as it was, only its unacknowledged records, and announces it once', async () => {
    const records = new MemoryRecords()
    const at = new FakeRegistry()
    at.authorities = [authority('at-arch', 'Architektenkammer', 'Chamber of Architects')]
    let reachable = false
    const atService = await service('AT', records, at, undefined, (key) => (reachable || key.includes('/registers/') ? 1 : 0))
    const announced: unknown[] = []
    atService.addEventListener('published', (e) => { announced.push((e as CustomEvent).detail) })
    await atService.start()
    clock.advance(0)
    await eventually(() => records.puts.size === 2)
    expect(atService.published).to.equal(false)
    const seq = atService.status().find((s) => s.country === 'AT' && s.name === 'authorities')!.seq

    reachable = true
    clock.advance(5_000)
    await eventually(() => atService.published)
    const authoritiesKey = [...records.puts.keys()].find((k) => k.includes('/authorities/'))!
    const registersKey = [...records.puts.keys()].find((k) => k.includes('/registers/'))!
    expect(records.puts.get(authoritiesKey)).to.equal(2)
    expect(records.puts.get(registersKey)).to.equal(1)
    expect(announced).to.have.length(1)
    expect(announced[0]).to.deep.include({ name: 'authorities', seq })
    const pl = await service('PL', records)
    await pl.refresh()
    expect(pl.status().find((s) => s.country === 'AT' && s.name === 'authorities')!.seq).to.equal(seq)
  })

  /** PL started and refreshed before AT published: AT's directory is missing on PL. */
  async function plMissingAustria (): Promise<{ atService: DirectoryService, pl: DirectoryService }> {
    const records = new MemoryRecords()
    const at = new FakeRegistry()
    at.authorities = [authority('at-arch', 'Architektenkammer', 'Chamber of Architects')]
    const atService = await service('AT', records, at)
    const pl = await service('PL', records)
    const refreshed = new Promise((resolve) => { pl.addEventListener('refreshed', resolve, { once: true }) })
    await pl.start()
    clock.advance(0)
    await refreshed
    return { atService, pl }
  }

  it('tries a directory it could not find again a few seconds later, not at the next refresh', async () => {
    const { atService, pl } = await plMissingAustria()
    expect(pl.search({ text: 'architektenkammer' })).to.deep.equal([])
    await atService.publish()
    clock.advance(5_000)
    await eventually(() => pl.search({ text: 'architektenkammer' }).length === 1)
  })

  it('keeps retrying within seconds however many announcements arrive meanwhile (the wait doubles only when a retry gets nothing)', async () => {
    const { atService, pl } = await plMissingAustria()
    // A federation forming: announcements of other states' publications, each running a fetch while AT's is still missing.
    for (let i = 0; i < 15; i++) await pl.refreshCountry('AT')
    expect(pl.search({ text: 'architektenkammer' })).to.deep.equal([])
    await atService.publish()
    clock.advance(5_000)
    await eventually(() => pl.search({ text: 'architektenkammer' }).length === 1)
  })

  it('fetches nothing on an announcement of a publication it holds, and only the announced directory on a newer one', async () => {
    const records = new MemoryRecords()
    const at = new FakeRegistry()
    at.authorities = [authority('at-arch', 'Architektenkammer', 'Chamber of Architects')]
    const atService = await service('AT', records, at)
    const pl = await service('PL', records)
    await atService.publish()
    await pl.refresh()
    const seq = pl.status().find((s) => s.country === 'AT' && s.name === 'authorities')!.seq
    records.gets.clear()
    await pl.refreshCountry('AT', { name: 'authorities', seq })
    expect(records.gets.size).to.equal(0)

    at.authorities = [...at.authorities, authority('at-med', 'Ärztekammer', 'Medical Chamber')]
    clock.advance(1000)
    await atService.publish()
    const newer = atService.status().find((s) => s.country === 'AT' && s.name === 'authorities')!.seq
    await pl.refreshCountry('AT', { name: 'authorities', seq: newer })
    expect([...records.gets.keys()]).to.deep.equal([`/imi/${FED}/AT/authorities/0`])
    expect(pl.search({ text: 'ärztekammer' }).map((h) => h.entry.id)).to.deep.equal(['at-med'])
  })

  it('assembles a directory sharded over several records, and serves its own entries at once', async () => {
    const records = new MemoryRecords()
    const at = new FakeRegistry()
    at.authorities = Array.from({ length: 1500 }, (_, i) => authority(`at-${i}`, `Gewerbebehörde Bezirk ${i} ${'x'.repeat(100)}`, `Trade licensing office district ${i}`))
    const atService = await service('AT', records, at)
    await atService.publish()
    expect(atService.search({ country: 'AT', limit: 5000 })).to.have.length(1500)
    expect([...records.values.keys()].filter((k) => k.includes('/AT/authorities/')).length).to.be.greaterThan(1)
    const pl = await service('PL', records)
    await pl.refresh()
    expect(pl.search({ country: 'AT', limit: 5000 })).to.have.length(1500)
  })
})
