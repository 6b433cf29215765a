import { expect } from 'chai'
import {
  MAX_DIRECTORY_RECORD_BYTES, assembleDirectory, directoryKey, nobleCrypto, shardDirectory, signDirectoryRecord, validateDirectoryRecord, type AuthorityEntry
} from '../../src/index.js'
import { FED, T0, testFederation } from '../fixtures.js'

const fed = testFederation(['DE', 'PL'])
const authorities: AuthorityEntry[] = Array.from({ length: 1500 }, (_, i) => ({
  id: `de-a-${i}`,
  names: { de: `Gewerbeamt Musterstadt ${i}`, en: `Trade Licensing Office Musterstadt ${i}` },
  areas: ['services'],
  competences: ['trade licensing', 'business authorisation'],
  contact: { email: `info-${i}@gewerbeamt.example.de`, website: `https://gewerbeamt-${i}.example.de` }
}))
const publication = { fed: FED, country: 'DE', name: 'authorities' as const, seq: 3, created: T0, expires: T0 + 86_400_000 }

describe('sharding a directory into DHT records', () => {
  it('keeps every entry, in order, in shards that each sign and validate under the size limit', () => {
    const records = shardDirectory(authorities, publication)
    expect(records.length).to.be.greaterThan(1)
    expect(records.flatMap((r) => r.entries.map((e) => e.id))).to.deep.equal(authorities.map((a) => a.id))
    for (const r of records) {
      expect(r).to.include({ seq: 3, shards: records.length })
      const bytes = signDirectoryRecord(r, fed.signers.get('DE')!)
      expect(bytes.length).to.be.at.most(MAX_DIRECTORY_RECORD_BYTES)
      validateDirectoryRecord(directoryKey(r), bytes, { federationId: FED, roster: fed.roster, crypto: nobleCrypto, now: T0 + 1 })
    }
  })

  it('publishes an empty directory as one empty shard, so readers see it is empty', () => {
    expect(shardDirectory([], publication)).to.deep.equal([{ ...publication, shard: 0, shards: 1, entries: [] }])
  })

  it('refuses an entry too large for any record', () => {
    const huge = { ...authorities[0]!, names: { de: 'x'.repeat(300) } }
    expect(() => shardDirectory([huge], publication, 400)).to.throw().with.property('code', 'ERR_RECORD_TOO_LARGE')
  })
})

describe('assembling a directory from fetched records', () => {
  const v3 = shardDirectory(authorities, publication)
  const v4 = shardDirectory(authorities.slice(0, 1200), { ...publication, seq: 4, created: T0 + 10 })

  it('returns the newest publication once all its shards are there', () => {
    const assembled = assembleDirectory([...v3, ...v4])
    expect(assembled?.seq).to.equal(4)
    expect(assembled?.entries.length).to.equal(1200)
  })

  it('serves the last complete publication while a newer one is partly fetched, never a mix', () => {
    const assembled = assembleDirectory([...v3, v4[0]!])
    expect(assembled?.seq).to.equal(3)
    expect(assembled?.entries.map((e) => e.id)).to.deep.equal(authorities.map((a) => a.id))
  })

  it('has nothing to serve when no publication is complete', () => {
    expect(assembleDirectory([v3[0]!])).to.equal(undefined)
    expect(assembleDirectory([])).to.equal(undefined)
  })
})
