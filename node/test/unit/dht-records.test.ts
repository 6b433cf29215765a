import { expect } from 'chai'
import { cosignRoster, directoryKey, proposeRoster, signDirectoryRecord, utf8, verifyGenesis, type DirectoryRecord } from '@imi/protocol'
import { generateIdentity, nodeCrypto, rosterMemberOf } from '../../src/index.js'
import { dhtRecordRules } from '../../src/p2p/dht-records.js'

describe('kad-dht record rules', () => {
  it('runs the directory validator and selector on the bytes kad-dht hands over', async () => {
    const de = await generateIdentity()
    const pl = await generateIdentity()
    const now = Date.now()
    let genesis = proposeRoster({ fed: 'imi-test', version: 1, created: now - 1000, bootstraps: [], members: [rosterMemberOf(de, 'DE', [], now - 2000), rosterMemberOf(pl, 'PL', [], now - 2000)] }) as Parameters<typeof cosignRoster>[0]
    for (const id of [de, pl]) genesis = cosignRoster(genesis, id.signer)
    const roster = verifyGenesis(genesis, nodeCrypto)
    const rules = dhtRecordRules(() => ({ federationId: 'imi-test', roster, crypto: nodeCrypto, now: Date.now() }))
    const record: DirectoryRecord = { fed: 'imi-test', country: 'DE', name: 'authorities', shard: 0, shards: 1, seq: 1, created: now, expires: now + 60_000, entries: [] }
    const key = utf8(directoryKey(record))

    await rules.validators.imi!(key, signDirectoryRecord(record, de.signer))
    let refused = ''
    try { await rules.validators.imi!(key, signDirectoryRecord(record, pl.signer)) } catch (err) { refused = (err as { code: string }).code }
    expect(refused).to.equal('ERR_RECORD_SIGNER')
    expect(await rules.selectors.imi!(key, [signDirectoryRecord(record, de.signer), signDirectoryRecord({ ...record, seq: 2 }, de.signer)])).to.equal(1)

    let noRoster = ''
    try { await dhtRecordRules().validators.imi!(key, signDirectoryRecord(record, de.signer)) } catch (err) { noRoster = (err as { code: string }).code }
    expect(noRoster).to.equal('ERR_RECORD_SIGNER')
  })
})
