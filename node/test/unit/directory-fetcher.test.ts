import { expect } from 'chai'
import {
  cosignRoster, directoryKey, proposeRoster, signDirectoryRecord, verifyGenesis,
  type AuthorityEntry, type DirectoryRecord, type Roster
} from '@imi/protocol'
import { ManualClock, generateIdentity, nodeCrypto, rosterMemberOf, type NodeIdentity } from '../../src/index.js'
import { DirectoryFetcher, QUORUM } from '../../src/services/directory/fetcher.js'
import { MemoryRecords } from '../fixtures/memory-records.js'

const FED = 'imi-test'
const T0 = Date.UTC(2026, 0, 5)
const entry = (id: string): AuthorityEntry => ({ id, names: { en: `Authority ${id}` }, areas: ['professional-qualifications'], competences: ['architect'] })

describe('directory fetcher: how long a lookup runs', function () {
  this.timeout(20_000)
  let roster: Roster
  let at: NodeIdentity
  let cz: NodeIdentity

  before(async () => {
    at = await generateIdentity()
    cz = await generateIdentity()
    let genesis = proposeRoster({ fed: FED, version: 1, created: T0 - 1000, bootstraps: [], members: [rosterMemberOf(at, 'AT', [], T0 - 2000), rosterMemberOf(cz, 'CZ', [], T0 - 2000)] }) as Parameters<typeof cosignRoster>[0]
    for (const id of [at, cz]) genesis = cosignRoster(genesis, id.signer)
    roster = verifyGenesis(genesis, nodeCrypto)
  })

  const record = (seq: number, shard = 0, shards = 1, signer = at.signer): { key: string, value: Uint8Array } => {
    const r: DirectoryRecord = { fed: FED, country: 'AT', name: 'authorities', shard, shards, seq, created: T0 + seq, expires: T0 + 86_400_000, entries: [entry(`at-${seq}-${shard}`)] }
    return { key: directoryKey(r), value: signDirectoryRecord(r, signer) }
  }
  const fetcher = (records: MemoryRecords): DirectoryFetcher =>
    new DirectoryFetcher({ clock: new ManualClock(T0 + 1000), crypto: nodeCrypto, roster: () => roster, transport: records.transport() }, FED)
  const signal = (): AbortSignal => AbortSignal.timeout(10_000)

  it('takes the newest of the first valid copies of shard 0 and stops there, not at the last peer', async () => {
    const records = new MemoryRecords()
    const old = record(1)
    const fresh = record(2)
    // A forged copy does not count towards the quorum; a stale one does, but loses.
    records.inject(old.key, record(3, 0, 1, cz.signer).value)
    records.inject(old.key, old.value)
    for (let i = 0; i < 10; i++) records.inject(fresh.key, fresh.value)
    const result = await fetcher(records).fetch('AT', 'authorities', undefined, signal())
    expect(result.outcome).to.equal('updated')
    expect(result.outcome === 'updated' && result.directory.seq).to.equal(2)
    expect(records.answers.get(old.key)).to.equal(QUORUM + 1)
  })

  it('stops at the first copy of an announced publication, and at the first copy of each further shard', async () => {
    const records = new MemoryRecords()
    const first = record(5, 0, 3)
    for (let i = 0; i < 8; i++) records.inject(first.key, first.value)
    for (const shard of [1, 2]) {
      const r = record(5, shard, 3)
      records.inject(r.key, record(4, shard, 3).value)
      for (let i = 0; i < 8; i++) records.inject(r.key, r.value)
    }
    const result = await fetcher(records).fetch('AT', 'authorities', undefined, signal(), 5)
    expect(result.outcome === 'updated' && result.directory.entries.map((e) => e.id)).to.deep.equal(['at-5-0', 'at-5-1', 'at-5-2'])
    expect(records.answers.get(first.key)).to.equal(1)
    expect(records.answers.get(record(5, 1, 3).key)).to.equal(2)
    expect(records.answers.get(record(5, 2, 3).key)).to.equal(2)
  })

  it('asks every peer when fewer than a quorum hold a valid copy', async () => {
    const records = new MemoryRecords()
    const r = record(7)
    records.inject(r.key, r.value)
    records.inject(r.key, new TextEncoder().encode('not a record'))
    const result = await fetcher(records).fetch('AT', 'authorities', 6, signal())
    expect(result.outcome === 'updated' && result.directory.seq).to.equal(7)
    expect(records.answers.get(r.key)).to.equal(2)
  })
})
