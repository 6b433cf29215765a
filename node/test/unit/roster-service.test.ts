import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cosignRoster, proposeRoster, type RosterDocument, type SignedRoster } from '@imi/protocol'
import { generateIdentity, nodeCrypto, rosterMemberOf, silentLogger, type NodeIdentity } from '../../src/index.js'
import { RosterService } from '../../src/services/roster-service.js'
import { Bucket, EvidenceLog, Store, type EvidenceEntry } from '../../src/storage/index.js'

describe('roster service', () => {
  let dir: string
  let store: Store
  let ids: NodeIdentity[]
  let genesis: SignedRoster
  let doc: RosterDocument

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imi-roster-'))
    store = new Store(dir, { sync: false })
    await store.open()
    ids = [await generateIdentity(), await generateIdentity(), await generateIdentity()]
    doc = { fed: 'imi-test', version: 1, created: 1000, bootstraps: [], members: ['CZ', 'PL', 'AT'].map((c, i) => rosterMemberOf(ids[i]!, c, [], 0)) }
    genesis = proposeRoster(doc)
    for (const id of ids) genesis = cosignRoster(genesis, id.signer)
  })
  afterEach(async () => { await store.close(); await rm(dir, { recursive: true, force: true }) })

  async function service (): Promise<RosterService> {
    const evidence = new EvidenceLog({ store, crypto: nodeCrypto, now: () => 5000 })
    await evidence.load()
    return new RosterService({ store, crypto: nodeCrypto, evidence, logger: silentLogger }, { federationId: 'imi-test' })
  }

  it('applies a version offered twice at once exactly once', async () => {
    const roster = await service()
    await roster.load([genesis])
    let v2: SignedRoster = proposeRoster({ ...doc, version: 2, created: 2000, previous: roster.current.digest, members: doc.members.slice(0, 2) })
    for (const id of ids.slice(0, 2)) v2 = cosignRoster(v2, id.signer)
    let changes = 0
    roster.addEventListener('change', () => { changes++ })
    const applied = await Promise.all([roster.offer([v2]), roster.offer([v2]), roster.offer([v2])])
    expect(applied.sort()).to.deep.equal([0, 0, 1])
    expect(changes).to.equal(1)
    expect(roster.after(0).length).to.equal(2)
    const logged: string[] = []
    for await (const [, e] of store.entries<EvidenceEntry>(Bucket.evidence)) logged.push(e.ref)
    expect(logged).to.deep.equal(['v1', 'v2'])
  })

  it('reloads the stored chain after a restart', async () => {
    const first = await service()
    await first.load([genesis])
    const again = await service()
    await again.load([genesis])
    expect(again.current.version).to.equal(1)
    expect(await store.count(Bucket.roster)).to.equal(1)
  })
})
