import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cosignRoster, proposeRoster, signEnvelope, toBase64url, verifyGenesis, type Roster } from '@imi/protocol'
import { generateIdentity, nodeCrypto, rosterKeyOf, type NodeIdentity } from '../../src/index.js'
import { verifyEvidence } from '../../src/services/evidence-verifier.js'
import { Bucket, EvidenceLog, Store, seqKey, type EvidenceEntry } from '../../src/storage/index.js'

describe('evidence log', () => {
  let dir: string
  let store: Store
  let log: EvidenceLog
  let id: NodeIdentity
  let roster: Roster
  const now = Date.now()

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imi-evidence-'))
    store = new Store(dir, { sync: false })
    await store.open()
    log = new EvidenceLog({ store, crypto: nodeCrypto, now: () => now })
    await log.load()
    id = await generateIdentity()
    const doc = {
      fed: 'imi-test', version: 1, created: now - 1000, bootstraps: [],
      members: [{ country: 'PL', name: 'Poland', peerId: id.peerId, addresses: [], keys: [rosterKeyOf(id, now - 2000)] }]
    }
    roster = verifyGenesis(cosignRoster(proposeRoster(doc), id.signer), nodeCrypto)
    for (let i = 0; i < 6; i++) {
      const env = signEnvelope({ kind: 'note', from: 'PL', to: ['CZ'], body: { text: `n${i}` } },
        { federationId: 'imi-test', signer: id.signer, crypto: nodeCrypto, now, randomBytes: (n) => new Uint8Array(n).fill(i) })
      await store.commit([], log.append([{ type: 'sent', ref: env.hdr.id, jws: env.jws }]))
    }
  })
  afterEach(async () => { await store.close(); await rm(dir, { recursive: true, force: true }) })

  const check = async () => await verifyEvidence(log.entries(), { crypto: nodeCrypto, keys: roster, federationId: 'imi-test', head: log.head })

  it('verifies an intact chain end to end', async () => {
    expect(await check()).to.deep.equal({ ok: true, entries: 6 })
    expect(log.length).to.equal(6)
  })

  it('survives a reopen and keeps chaining from the stored head', async () => {
    const again = new EvidenceLog({ store, crypto: nodeCrypto, now: () => now })
    await again.load()
    expect(again.length).to.equal(6)
    await store.commit([], again.append([{ type: 'roster', ref: 'v1', jws: JSON.stringify(roster.signed) }]))
    log = again
    expect(await check()).to.deep.equal({ ok: true, entries: 7 })
  })

  it('names the first edited entry', async () => {
    const e = await store.get<EvidenceEntry>(Bucket.evidence, seqKey(3))
    await store.commit([{ type: 'put', bucket: Bucket.evidence, key: seqKey(3), value: { ...e!, at: e!.at + 1 } }])
    expect(await check()).to.deep.include({ ok: false, firstBroken: { seq: 3, reason: 'content does not match its hash' } })
  })

  it('names a removed entry', async () => {
    await store.commit([{ type: 'del', bucket: Bucket.evidence, key: seqKey(2) }])
    expect((await check()).firstBroken).to.deep.equal({ seq: 2, reason: 'entry 2 is missing' })
  })

  it('detects an entry rewritten with a recomputed hash, at the next link', async () => {
    const e = await store.get<EvidenceEntry>(Bucket.evidence, seqKey(4))
    const { hash: _old, ...rest } = { ...e!, ref: 'forged' }
    await store.commit([{ type: 'put', bucket: Bucket.evidence, key: seqKey(4), value: { ...rest, hash: EvidenceLog.hashOf(rest, nodeCrypto) } }])
    expect((await check()).firstBroken).to.deep.equal({ seq: 5, reason: 'does not link to the previous entry' })
  })

  it('detects a signature that no longer verifies', async () => {
    const e = await store.get<EvidenceEntry>(Bucket.evidence, seqKey(1))
    const [h, p, sig] = e!.jws.split('.')
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as { body: { text: string } }
    payload.body.text = 'rewritten after signing'
    const forgedJws = `${h}.${toBase64url(new TextEncoder().encode(JSON.stringify(payload)))}.${sig}`
    const { hash: _h, ...rest } = { ...e!, jws: forgedJws }
    await store.commit([{ type: 'put', bucket: Bucket.evidence, key: seqKey(1), value: { ...rest, hash: EvidenceLog.hashOf(rest, nodeCrypto) } }])
    const report = await check()
    // The rewritten entry fails its signature; its successor's link would fail next.
    expect(report.firstBroken).to.deep.equal({ seq: 1, reason: 'signature check failed: ERR_INVALID_SIGNATURE' })
  })

  it('detects the newest entries deleted from the end', async () => {
    await store.commit([{ type: 'del', bucket: Bucket.evidence, key: seqKey(5) }, { type: 'del', bucket: Bucket.evidence, key: seqKey(4) }])
    const report = await check()
    expect(report.ok).to.equal(false)
    expect(report.firstBroken?.reason).to.equal('the chain ends at entry 3, the recorded head is entry 5')
  })
})

describe('evidence log: roster versions', () => {
  it('names a logged roster version that does not verify', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'imi-evidence-roster-'))
    const store = new Store(dir, { sync: false })
    await store.open()
    try {
      const log = new EvidenceLog({ store, crypto: nodeCrypto, now: () => Date.now() })
      await log.load()
      const id = await generateIdentity()
      const doc = { fed: 'imi-test', version: 1, created: 1000, bootstraps: [], members: [{ country: 'PL', name: 'Poland', peerId: id.peerId, addresses: [], keys: [rosterKeyOf(id, 0)] }] }
      const unsigned = proposeRoster(doc)
      await store.commit([], log.append([{ type: 'roster', ref: 'v1', jws: JSON.stringify(unsigned) }]))
      const report = await verifyEvidence(log.entries(), { crypto: nodeCrypto, keys: { key: () => undefined }, federationId: 'imi-test' })
      expect(report.firstBroken?.seq).to.equal(0)
      expect(report.firstBroken?.reason).to.match(/roster version does not verify/)
    } finally {
      await store.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
