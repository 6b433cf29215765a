/**
 * A member that puts bad directory records into the DHT, against a real node: AT sends
 * kad-dht PUT_VALUE requests to PL over loopback TCP, and PL's validator (the one
 * node.ts wires into kad-dht, judging by PL's roster and clock) must refuse to store
 * forged, stale, misplaced, oversized and malformed records. What PL stored is read
 * straight from its libp2p datastore, where kad-dht keeps records under
 * `/dht/record/<base32 of the key>`.
 */
import { expect } from 'chai'
import { LevelDatastore } from 'datastore-level'
import { Key } from 'interface-datastore'
import { Libp2pRecord } from '@libp2p/record'
import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import {
  DIRECTORY_RECORD_TTL_MS, JWS_TYPE_DIRECTORY, MAX_DIRECTORY_RECORD_BYTES, RecordExpiredError, RecordKeyError, RecordSchemaError,
  RecordSignatureError, RecordSignerError, RecordTooLargeError, directoryKey, fromUtf8, parseCompact, selectDirectoryRecord, signCompact,
  signDirectoryRecord, toBase64url, utf8, validateDirectoryRecord, type AuthorityEntry, type DirectoryRecord, type DirectoryValidationContext, type Signer
} from '@imi/protocol'
import { generateIdentity, nodeCrypto, type ImiNode } from '../../src/index.js'
import { TEST_FED, eventually, makeFederation, type TestFederation } from '../fixtures/federation.js'

const DAY = 24 * 3600 * 1000
/** Shards that no node's own publisher uses (it publishes shard 0 of 1), so only this test writes them. */
const SHARDS = 64

const authority = (id: string, name = 'Bundeskammer der Ziviltechniker:innen'): AuthorityEntry =>
  ({ id, names: { de: name, en: 'Chamber of Civil Engineers' }, areas: ['professional-qualifications'], competences: ['architect'] })

type ErrorClass = new (message: string) => Error
interface BadRecord { readonly what: string, readonly key: string, readonly value: Uint8Array, readonly refusedWith: ErrorClass }

describe('the DHT validator refuses bad directory records from a real peer (kad-dht PUT over loopback TCP)', function () {
  this.timeout(30_000)
  let fed: TestFederation
  let at: ImiNode
  let pl: ImiNode
  let atSigner: Signer

  before(async () => {
    // A roster from 90 days ago, so that a record created two days ago is signed by a valid key and only expired.
    fed = await makeFederation(['AT', 'PL', 'CZ'], Date.now() - 90 * DAY)
    at = await fed.start('AT')
    pl = await fed.start('PL')
    atSigner = fed.member('AT').identity.signer
    // CZ is in the roster (a third country's namespace) but never started: PL is AT's only peer.
    await eventually(() => at.libp2p!.getPeers().some((p) => p.toString() === fed.member('PL').identity.peerId), 10_000, 'AT connected to PL')
  })
  after(async () => { await fed.close() })

  /** What PL's validator judges by, as node.ts builds it. */
  const plContext = (): DirectoryValidationContext => ({ federationId: TEST_FED, roster: pl.roster.current, crypto: nodeCrypto, now: Date.now() })

  const record = (country: string, shard: number, over: Partial<DirectoryRecord> = {}): DirectoryRecord => {
    const now = Date.now()
    return {
      fed: TEST_FED, country, name: 'authorities', shard, shards: SHARDS, seq: 1, created: now, expires: now + DIRECTORY_RECORD_TTL_MS,
      entries: [authority(`${country.toLowerCase()}-arch`)], ...over
    }
  }
  const keyOf = (r: Pick<DirectoryRecord, 'fed' | 'country' | 'name' | 'shard'>): string => directoryKey(r)
  /** A JWS over any payload, with any header: what a hostile member can produce with its own key. */
  const rawJws = (payload: Uint8Array, signer: Pick<Signer, 'sign' | 'kid'> = atSigner, typ = JWS_TYPE_DIRECTORY): Uint8Array =>
    utf8(signCompact(JSON.stringify({ alg: 'EdDSA', kid: signer.kid, typ }), payload, signer))

  /** PL's stored value for `key`, read from its kad-dht datastore exactly where kad-dht keeps it. */
  async function storedOnPl (key: string): Promise<Uint8Array | undefined> {
    const datastore = new LevelDatastore(pl.store.libp2pSublevel())
    const dsKey = new Key(`/dht/record/${uint8ArrayToString(utf8(key), 'base32')}`, false)
    if (!await datastore.has(dsKey)) return undefined
    const stored = Libp2pRecord.deserialize(await datastore.get(dsKey))
    expect(fromUtf8(stored.key)).to.equal(key)
    return stored.value
  }

  /** AT's DHT put (PL is its only peer): how many peers acknowledged the record, and how many failed. */
  async function put (key: string, value: Uint8Array): Promise<{ acks: number, errors: number }> {
    let acks = 0
    let errors = 0
    for await (const event of at.libp2p!.services.dht.put(utf8(key), value, { signal: AbortSignal.timeout(5_000) })) {
      if (event.name === 'PEER_RESPONSE' && event.record !== undefined && sameBytes(event.record.value, value)) acks++
      if (event.name === 'QUERY_ERROR') errors++
    }
    return { acks, errors }
  }

  it('stores a valid record signed by AT for AT, where this test looks for it (the positive control)', async () => {
    const r = record('AT', 1)
    const value = signDirectoryRecord(r, atSigner)
    expect(await storedOnPl(keyOf(r))).to.equal(undefined)
    // The first put may wait for AT's routing table to hold PL.
    await eventually(async () => (await put(keyOf(r), value)).acks === 1, 10_000, 'PL acknowledged the valid record')
    expect(await storedOnPl(keyOf(r))).to.deep.equal(value)
  })

  it('refuses forged, stale, misplaced, oversized and malformed records: no ack, nothing stored', async () => {
    const cz = fed.member('CZ').identity.signer
    const stranger = (await generateIdentity()).signer
    const now = Date.now()
    const valid = record('AT', 2)
    const validJws = fromUtf8(signDirectoryRecord(valid, atSigner))
    const [h, , s] = validJws.split('.')
    const tampered = `${h}.${toBase64url(utf8(JSON.stringify({ ...valid, entries: [authority('at-arch', 'Someone else entirely')] })))}.${s}`
    // Far more than 256 KiB once signed, every entry well-formed: only the size is wrong.
    const big = record('AT', 21, { entries: Array.from({ length: 1000 }, (_, i) => authority(`at-${i}`, 'Kammer '.repeat(40).trim())) })
    const oversized = rawJws(utf8(JSON.stringify(big)))
    expect(oversized.length).to.be.above(MAX_DIRECTORY_RECORD_BYTES)

    const bad: BadRecord[] = [
      // 1. Forged: AT's key speaking for another country, or another country's kid over AT's signature.
      { what: 'signed by AT for PL, under PL\'s own namespace', key: keyOf(record('PL', 3)), value: signDirectoryRecord(record('PL', 3), atSigner), refusedWith: RecordSignerError },
      { what: 'signed by AT for CZ, under CZ\'s namespace', key: keyOf(record('CZ', 4)), value: signDirectoryRecord(record('CZ', 4), atSigner), refusedWith: RecordSignerError },
      { what: 'AT\'s signature under CZ\'s kid, for CZ', key: keyOf(record('CZ', 5)), value: signDirectoryRecord(record('CZ', 5), { ...atSigner, kid: cz.kid, sign: (d) => atSigner.sign(d) }), refusedWith: RecordSignatureError },
      { what: 'signed by a key outside the roster', key: keyOf(record('AT', 6)), value: signDirectoryRecord(record('AT', 6), stranger), refusedWith: RecordSignerError },
      { what: 'AT\'s record with its entries changed after signing', key: keyOf(valid), value: utf8(tampered), refusedWith: RecordSignatureError },
      // 2. Stale.
      { what: 'expired a day ago', key: keyOf(record('AT', 7)), value: signDirectoryRecord(record('AT', 7, { created: now - 2 * DAY, expires: now - DAY }), atSigner), refusedWith: RecordExpiredError },
      { what: 'expired a second ago', key: keyOf(record('AT', 8)), value: signDirectoryRecord(record('AT', 8, { created: now - DAY, expires: now - 1000 }), atSigner), refusedWith: RecordExpiredError },
      // 3. Misplaced: a genuine AT record under a key it does not name.
      { what: 'AT\'s record under PL\'s key', key: keyOf(record('PL', 9)), value: signDirectoryRecord(record('AT', 9), atSigner), refusedWith: RecordKeyError },
      { what: 'AT\'s record under CZ\'s key', key: keyOf(record('CZ', 10)), value: signDirectoryRecord(record('AT', 10), atSigner), refusedWith: RecordKeyError },
      { what: 'AT\'s authorities under AT\'s registers key', key: keyOf({ ...record('AT', 11), name: 'registers' }), value: signDirectoryRecord(record('AT', 11), atSigner), refusedWith: RecordKeyError },
      { what: 'AT\'s shard 12 under shard 13', key: keyOf(record('AT', 13)), value: signDirectoryRecord(record('AT', 12), atSigner), refusedWith: RecordKeyError },
      { what: 'a record of another federation', key: keyOf({ ...record('AT', 14), fed: 'imi-training' }), value: signDirectoryRecord(record('AT', 14, { fed: 'imi-training' }), atSigner), refusedWith: RecordKeyError },
      { what: 'a key outside the directory layout', key: '/imi/imi-test/AT/authorities/7/extra', value: signDirectoryRecord(record('AT', 7), atSigner), refusedWith: RecordKeyError },
      // 4. Oversized.
      { what: 'a signed record over 256 KiB', key: keyOf(big), value: oversized, refusedWith: RecordTooLargeError },
      // 5. Malformed.
      { what: 'empty bytes', key: keyOf(record('AT', 15)), value: new Uint8Array(0), refusedWith: RecordSchemaError },
      { what: 'bytes that are not UTF-8', key: keyOf(record('AT', 16)), value: new Uint8Array([0xff, 0xfe, 0x00, 0x80]), refusedWith: RecordSchemaError },
      { what: 'plain JSON, not a JWS', key: keyOf(record('AT', 17)), value: utf8(JSON.stringify(record('AT', 17))), refusedWith: RecordSchemaError },
      { what: 'a JWS whose payload is not JSON', key: keyOf(record('AT', 18)), value: rawJws(utf8('{"fed":')), refusedWith: RecordSchemaError },
      { what: 'a JWS whose payload has an extra field', key: keyOf(record('AT', 19)), value: rawJws(utf8(JSON.stringify({ ...record('AT', 19), admin: true }))), refusedWith: RecordSchemaError },
      { what: 'a JWS of another type', key: keyOf(record('AT', 20)), value: rawJws(utf8(JSON.stringify(record('AT', 20))), atSigner, 'JWT'), refusedWith: RecordSchemaError }
    ]
    expect(new Set(bad.map((b) => b.key)).size).to.equal(bad.length)

    for (const b of bad) {
      // The refusal is for the reason this case is about, not an accident of how it was built.
      expect(() => validateDirectoryRecord(b.key, b.value, plContext()), b.what).to.throw(b.refusedWith)
      expect(await storedOnPl(b.key), `${b.what}: nothing there before`).to.equal(undefined)
    }
    const results = []
    for (const b of bad) results.push({ what: b.what, ...await put(b.key, b.value) })
    for (const [i, b] of bad.entries()) {
      expect(results[i], b.what).to.deep.include({ acks: 0 })
      expect(results[i]!.errors, `${b.what}: AT saw the refusal`).to.be.at.least(1)
      expect(await storedOnPl(b.key), `${b.what}: not stored on PL`).to.equal(undefined)
    }

    // PL is unharmed: still connected to AT, and it stores the next valid record at once.
    expect(at.libp2p!.getPeers().map(String)).to.include(fed.member('PL').identity.peerId)
    const after = record('AT', 22)
    const value = signDirectoryRecord(after, atSigner)
    expect(await put(keyOf(after), value)).to.deep.equal({ acks: 1, errors: 0 })
    expect(await storedOnPl(keyOf(after))).to.deep.equal(value)
  })

  it('a higher sequence number replaces the stored record', async () => {
    const key = keyOf(record('AT', 30))
    const low = signDirectoryRecord(record('AT', 30, { seq: 1 }), atSigner)
    const high = signDirectoryRecord(record('AT', 30, { seq: 2 }), atSigner)
    expect(await put(key, low)).to.deep.equal({ acks: 1, errors: 0 })
    expect(parseSeq(await storedOnPl(key))).to.equal(1)
    expect(await put(key, high)).to.deep.equal({ acks: 1, errors: 0 })
    expect(await storedOnPl(key)).to.deep.equal(high)
  })

  /*
   * kad-dht 16's PUT_VALUE handler runs the validator and then overwrites whatever it
   * held, without the selector; the validator cannot see the stored record. Our
   * datastore (p2p/newest-record-datastore.ts) keeps the stored record when the selector
   * prefers it, so an admitted peer cannot roll a DHT server back to an older, still
   * unexpired record of another state (re-listing a removed authority).
   */
  it('keeps the higher sequence number when a peer replays a lower one', async () => {
    const key = keyOf(record('AT', 31))
    const low = signDirectoryRecord(record('AT', 31, { seq: 1 }), atSigner)
    const high = signDirectoryRecord(record('AT', 31, { seq: 2 }), atSigner)
    expect((await put(key, high)).acks).to.equal(1)
    expect(parseSeq(await storedOnPl(key))).to.equal(2)
    // What a reader's selector would keep of the two: the higher one.
    expect(selectDirectoryRecord(key, [high, low])).to.equal(0)
    expect(selectDirectoryRecord(key, [low, high])).to.equal(1)
    // A replay of the older record, still validly signed by AT and unexpired.
    // kad-dht answers the PUT as it always does; what matters is what PL keeps.
    await put(key, low)
    expect(parseSeq(await storedOnPl(key)), 'PL keeps the higher sequence').to.equal(2)
  })
})

function sameBytes (a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

function parseSeq (value: Uint8Array | undefined): number | undefined {
  if (value === undefined) return undefined
  return (JSON.parse(fromUtf8(parseCompact(fromUtf8(value)).payloadBytes)) as { seq: number }).seq
}
