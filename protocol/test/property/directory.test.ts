/**
 * Property tests of the directory edge: record keys, entries and records, signed DHT
 * records (validateDirectoryRecord and its selector), sharding, and the "my directory
 * changed" announcement (issue 9, part 6).
 */
import { expect } from 'chai'
import fc from 'fast-check'
import {
  LEGISLATIVE_AREAS, MAX_ANNOUNCEMENT_BYTES, MAX_DIRECTORY_RECORD_BYTES, assembleDirectory, decodeAuthorityEntry,
  decodeDirectoryAnnouncement, decodeDirectoryRecord, decodeRegisterEntry, directoryKey, encodeDirectoryAnnouncement, fromUtf8,
  parseDirectoryKey, selectDirectoryRecord, shardDirectory, signCompact, signDirectoryRecord, utf8, validateDirectoryRecord,
  type AuthorityEntry, type DirectoryRecord, type RegisterEntry, type Signer
} from '../../src/index.js'
import {
  anyValue, country, federationId, hostileBytes, hostileJson, jsonTextMutation, language, legislativeArea, localId,
  looseMutation, multilingual, schemaMutation, stringMutation, text, updateAt
} from './arbitraries.js'
import { decoderProperties, fillUnit, textOf } from './decoder-suite.js'
import { fastCrypto } from './fast-crypto.js'
import { FAST_FED, ROTATION_AT, fastFederation } from './fast-federation.js'
import { accepted, properties, refused, total } from './harness.js'

const SCHEMA = ['ERR_RECORD_SCHEMA']
const RECORD = ['ERR_RECORD_TOO_LARGE', 'ERR_RECORD_KEY', 'ERR_RECORD_SCHEMA', 'ERR_RECORD_SIGNATURE', 'ERR_RECORD_SIGNER', 'ERR_RECORD_EXPIRED']
const MEMBERS = ['DE', 'PL', 'CZ', 'AT']
const fed = fastFederation(MEMBERS)

// --- Valid values ----------------------------------------------------------------------

const KEYWORD_FIRST = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 'é', 'ß', 'Ω', 'ж', '中', '٣']
const KEYWORD_REST = [...KEYWORD_FIRST, ' ', '.', '\'', '/', '&', '-']
const keyword = fc.tuple(fc.constantFrom(...KEYWORD_FIRST), fc.string({ unit: fc.constantFrom(...KEYWORD_REST), maxLength: 63 }))
  .map(([a, b]) => a + b)
const noSpaceNoAt = (max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.oneof(fc.constantFrom(...'abcxyz019.-_+é'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), minLength: 1, maxLength: Math.min(max, 20) })
    .filter((s) => s.length <= max && /^[^\s@]+$/.test(s))
const email = fc.tuple(noSpaceNoAt(64), noSpaceNoAt(190)).map(([a, b]) => `${a}@${b}`)
const phone = fc.stringMatching(/^\+?[0-9 ()-]{4,32}$/)
const url = fc.tuple(fc.constantFrom('http://', 'https://'), fc.string({ unit: fc.constantFrom(...'abcdefghij0123456789./?=&%-_~:#é'), minLength: 1, maxLength: 60 }))
  .map(([s, rest]) => s + rest)

const authorityEntry: fc.Arbitrary<AuthorityEntry> = fc.record({
  id: localId,
  names: multilingual(300),
  areas: fc.array(legislativeArea, { minLength: 1, maxLength: 6 }),
  competences: fc.array(keyword, { maxLength: 5 }),
  contact: fc.option(fc.record({
    email: fc.option(email, { nil: undefined }), phone: fc.option(phone, { nil: undefined }),
    website: fc.option(url, { nil: undefined }), address: fc.option(text(300), { nil: undefined })
  }).map(clean), { nil: undefined })
}).map((e) => clean(e) as AuthorityEntry)

const registerEntry: fc.Arbitrary<RegisterEntry> = fc.record({
  id: localId,
  names: multilingual(300),
  descriptions: multilingual(2000),
  legalBasis: text(300),
  registerAuthority: text(300),
  url,
  languages: fc.array(language, { minLength: 1, maxLength: 5 })
}) as fc.Arbitrary<RegisterEntry>

function clean<T extends object> (o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}

const recordArb = (countries: fc.Arbitrary<string>, fedId: fc.Arbitrary<string>): fc.Arbitrary<DirectoryRecord> =>
  fc.record({
    fed: fedId,
    country: countries,
    name: fc.constantFrom('authorities' as const, 'registers' as const),
    shards: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 1000 })),
    seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    created: fc.oneof(fc.integer({ min: ROTATION_AT - 100_000, max: ROTATION_AT + 100_000 }), fc.integer({ min: 0, max: 4_000_000_000_000 })),
    lifetime: fc.integer({ min: 1, max: 10 * 86_400_000 }),
    pickShard: fc.nat(),
    count: fc.nat({ max: 4 })
  }).chain(({ lifetime, pickShard, count, ...r }) =>
    (r.name === 'authorities' ? fc.uniqueArray(authorityEntry, { maxLength: count, selector: (e) => e.id }) : fc.uniqueArray(registerEntry, { maxLength: count, selector: (e) => e.id }))
      .map((entries) => ({ ...r, shard: pickShard % r.shards, expires: r.created + lifetime, entries } as DirectoryRecord)))

const anyRecord = recordArb(country, federationId)
const memberRecord = recordArb(fc.constantFrom(...MEMBERS), fc.constant(FAST_FED))

/** The key the roster says speaks for `country` at `created`. */
function signerAt (country: string, created: number): Signer {
  return country === fed.rotating && created < ROTATION_AT ? fed.oldSigner : fed.signers.get(country)!
}

interface SignedRecord {
  readonly record: DirectoryRecord
  readonly key: string
  readonly bytes: Uint8Array
  readonly now: number
}

const signedRecord: fc.Arbitrary<SignedRecord> = fc.tuple(memberRecord, fc.double({ min: 0, max: 1, noNaN: true })).map(([record, f]) => ({
  record,
  key: directoryKey(record),
  bytes: signDirectoryRecord(record, signerAt(record.country, record.created)),
  now: Math.floor(record.created + f * (record.expires - record.created - 1)),
  [fc.toStringMethod]: () => `signed(${fc.stringify(record)})`
}))

const ctxAt = (now: number): Parameters<typeof validateDirectoryRecord>[2] => ({ federationId: FAST_FED, roster: fed.roster, crypto: fastCrypto, now })

// --- Properties ------------------------------------------------------------------------

describe('property: directory records, keys and announcements', function () {
  const p = properties('directory')

  const validKey = fc.record({ fed: federationId, country, name: fc.constantFrom('authorities' as const, 'registers' as const), shard: fc.integer({ min: 0, max: 999 }) })
  p.check('parseDirectoryKey: total over strings; accepted keys are canonical (directoryKey(parse(k)) === k)', 3000,
    fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), validKey.map(directoryKey), validKey.chain((k) => stringMutation(directoryKey(k)).map((m) => m.value))),
    (k) => {
      const out = total(() => parseDirectoryKey(k), ['ERR_RECORD_KEY'])
      if (out.ok) expect(directoryKey(out.value)).to.equal(k)
    })

  p.check('parseDirectoryKey: round trip of every valid key', 2000, validKey, (k) => {
    expect(parseDirectoryKey(directoryKey(k))).to.deep.equal(k)
  })

  decoderProperties(p, {
    name: 'decodeAuthorityEntry',
    decode: (v) => decodeAuthorityEntry(v),
    codes: SCHEMA,
    valid: authorityEntry,
    required: () => ['id', 'names', 'areas', 'competences'],
    limits: [
      { what: 'name length', base: fc.tuple(authorityEntry, fillUnit), at: ([e, u]: [AuthorityEntry, string], n: number) => ({ ...e, names: { fr: textOf(n, u) } }), min: 1, max: 300 },
      { what: 'areas count', base: authorityEntry, at: (e: AuthorityEntry, n: number) => ({ ...e, areas: Array.from({ length: n }, (_, i) => LEGISLATIVE_AREAS[i % LEGISLATIVE_AREAS.length]) }), min: 1, max: 32 },
      { what: 'competences count', base: authorityEntry, at: (e: AuthorityEntry, n: number) => ({ ...e, competences: Array.from({ length: n }, () => 'architect') }), max: 64 },
      { what: 'competence length', base: authorityEntry, at: (e: AuthorityEntry, n: number) => ({ ...e, competences: ['k'.repeat(n)] }), min: 1, max: 64 },
      { what: 'id length', base: authorityEntry, at: (e: AuthorityEntry, n: number) => ({ ...e, id: 'i'.repeat(n) }), min: 1, max: 64 },
      { what: 'email local part length', base: authorityEntry, at: (e: AuthorityEntry, n: number) => ({ ...e, contact: { email: `${'l'.repeat(n)}@example.eu` } }), min: 1, max: 64 },
      { what: 'email domain length', base: authorityEntry, at: (e: AuthorityEntry, n: number) => ({ ...e, contact: { email: `a@${'d'.repeat(n)}` } }), min: 1, max: 190 },
      { what: 'phone length', base: authorityEntry, at: (e: AuthorityEntry, n: number) => ({ ...e, contact: { phone: '1'.repeat(n) } }), min: 4, max: 32 },
      { what: 'website length', base: authorityEntry, at: (e: AuthorityEntry, n: number) => ({ ...e, contact: { website: 'https://' + 'w'.repeat(n) } }), min: 1, max: 500 },
      { what: 'address length', base: fc.tuple(authorityEntry, fillUnit), at: ([e, u]: [AuthorityEntry, string], n: number) => ({ ...e, contact: { address: textOf(n, u) } }), min: 1, max: 300 }
    ]
  })

  decoderProperties(p, {
    name: 'decodeRegisterEntry',
    decode: (v) => decodeRegisterEntry(v),
    codes: SCHEMA,
    valid: registerEntry,
    required: () => ['id', 'names', 'descriptions', 'legalBasis', 'registerAuthority', 'url', 'languages'],
    limits: [
      { what: 'description length', base: fc.tuple(registerEntry, fillUnit), at: ([e, u]: [RegisterEntry, string], n: number) => ({ ...e, descriptions: { de: textOf(n, u) } }), min: 1, max: 2000 },
      { what: 'legal basis length', base: fc.tuple(registerEntry, fillUnit), at: ([e, u]: [RegisterEntry, string], n: number) => ({ ...e, legalBasis: textOf(n, u) }), min: 1, max: 300 },
      { what: 'register authority length', base: fc.tuple(registerEntry, fillUnit), at: ([e, u]: [RegisterEntry, string], n: number) => ({ ...e, registerAuthority: textOf(n, u) }), min: 1, max: 300 },
      { what: 'languages count', base: registerEntry, at: (e: RegisterEntry, n: number) => ({ ...e, languages: Array.from({ length: n }, () => 'de') }), min: 1, max: 26 }
    ]
  })

  decoderProperties(p, {
    name: 'decodeDirectoryRecord',
    decode: decodeDirectoryRecord,
    codes: SCHEMA,
    valid: anyRecord,
    required: () => ['fed', 'country', 'name', 'shard', 'shards', 'seq', 'created', 'expires', 'entries'],
    limits: [
      { what: 'shards', base: anyRecord, at: (r: DirectoryRecord, n: number) => ({ ...r, shards: n, shard: 0 }), min: 1, max: 1000 },
      { what: 'shard below shards', base: anyRecord, at: (r: DirectoryRecord, n: number) => ({ ...r, shards: 10, shard: n }), max: 9 },
      { what: 'expires after created', base: anyRecord, at: (r: DirectoryRecord, n: number) => ({ ...r, created: 1000, expires: n }), min: 1001 },
      { what: 'seq', base: anyRecord, at: (r: DirectoryRecord, n: number) => ({ ...r, seq: n }), min: 1 },
      {
        what: 'entries count',
        base: anyRecord,
        at: (r: DirectoryRecord, n: number) => ({ ...r, name: 'authorities', entries: Array.from({ length: n }, (_, i) => ({ id: `a${i}`, names: { en: 'A' }, areas: ['services'], competences: [] })) }),
        max: 2000
      }
    ],
    runs: { limits: 200 }
  })

  p.check('decodeDirectoryRecord: entries of the other directory are refused', 1000, anyRecord.filter((r) => r.entries.length > 0), (r) => {
    refused(() => decodeDirectoryRecord({ ...r, name: r.name === 'authorities' ? 'registers' : 'authorities' }), SCHEMA)
  })

  p.check('decodeDirectoryRecord: an id repeated among the entries is refused', 1000, anyRecord.filter((r) => r.entries.length > 0), (r) => {
    refused(() => decodeDirectoryRecord({ ...r, entries: [...r.entries, r.entries[0]!] }), SCHEMA)
  })

  // --- Signed records in the DHT --------------------------------------------------------

  p.check('validateDirectoryRecord: accepts every record signed with its country\'s current roster key', 2000, signedRecord, (s) => {
    const record = accepted(() => validateDirectoryRecord(s.key, s.bytes, ctxAt(s.now)))
    expect(record).to.deep.equal(decodeDirectoryRecord(JSON.parse(JSON.stringify(s.record))))
    // The signed payload is exactly the decoder's output, re-encoded.
    const payload = fromUtf8(Buffer.from(fromUtf8(s.bytes).split('.')[1]!, 'base64url'))
    expect(payload).to.equal(JSON.stringify(record))
  })

  p.check('validateDirectoryRecord: refuses a record signed by a key that does not speak for the country then', 1000,
    fc.tuple(memberRecord, fc.constantFrom(...MEMBERS, 'old')), ([record, by]) => {
      const signer = by === 'old' ? fed.oldSigner : fed.signers.get(by)!
      const right = signerAt(record.country, record.created)
      const bytes = signDirectoryRecord(record, signer)
      const out = total(() => validateDirectoryRecord(directoryKey(record), bytes, ctxAt(record.created)), RECORD)
      if (signer.kid === right.kid) expect(out.ok).to.equal(true)
      else expect(out.ok ? 'accepted' : out.error.code).to.equal('ERR_RECORD_SIGNER')
    })

  const bytesMutation = (bytes: Uint8Array): fc.Arbitrary<Uint8Array> => fc.oneof(
    stringMutation(fromUtf8(bytes)).map((m) => utf8(m.value)),
    fc.tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 0, max: 7 })).map(([i, bit]) => {
      const out = bytes.slice()
      out[i] = out[i]! ^ (1 << bit)
      return out
    })
  )
  p.check('validateDirectoryRecord: refuses every byte- or character-level mutation of a signed record', 3000,
    signedRecord.chain((s) => bytesMutation(s.bytes).map((bytes) => ({ s, bytes }))), ({ s, bytes }) => {
      refused(() => validateDirectoryRecord(s.key, bytes, ctxAt(s.now)), RECORD)
    })

  p.check('validateDirectoryRecord: refuses the signed payload re-encoded in any other way', 2500,
    signedRecord.chain((s) => {
      const [, payload] = fromUtf8(s.bytes).split('.')
      return jsonTextMutation(fromUtf8(Buffer.from(payload!, 'base64url'))).map((m) => ({ s, m }))
    }), ({ s, m }) => {
      const [h, , sig] = fromUtf8(s.bytes).split('.')
      const bytes = utf8(`${h!}.${Buffer.from(m.value).toString('base64url')}.${sig!}`)
      refused(() => validateDirectoryRecord(s.key, bytes, ctxAt(s.now)), RECORD)
    })

  p.check('validateDirectoryRecord: refuses a signed record stored under any other key', 2000,
    signedRecord.chain((s) => fc.oneof(stringMutation(s.key).map((m) => m.value), fc.record({
      fed: fc.constantFrom(FAST_FED, 'imi'), country: fc.constantFrom(...MEMBERS), name: fc.constantFrom('authorities' as const, 'registers' as const), shard: fc.nat({ max: 3 })
    }).map(directoryKey)).filter((k) => k !== s.key).map((key) => ({ s, key }))), ({ s, key }) => {
      refused(() => validateDirectoryRecord(key, s.bytes, ctxAt(s.now)), ['ERR_RECORD_KEY'])
    })

  const REQUIRED = ['fed', 'country', 'name', 'shard', 'shards', 'seq', 'created', 'expires', 'entries']
  p.check('validateDirectoryRecord: a schema-breaking record, even correctly signed, is refused with ERR_RECORD_SCHEMA', 2000,
    memberRecord.chain((record) => {
      const checked = decodeDirectoryRecord(JSON.parse(JSON.stringify(record)))
      return fc.oneof(
        schemaMutation(checked),
        fc.constantFrom(...REQUIRED).map((k) => ({ what: `${k} removed`, value: updateAt(checked, [k], () => undefined) }))
      ).map((m) => ({ record, m }))
    }), ({ record, m }) => {
      const signer = signerAt(record.country, record.created)
      const bytes = utf8(signCompact(JSON.stringify({ alg: 'EdDSA', kid: signer.kid, typ: 'imi-directory+jws' }), utf8(JSON.stringify(m.value)), signer))
      refused(() => validateDirectoryRecord(directoryKey(record), bytes, ctxAt(record.created)), SCHEMA)
    })

  p.check('validateDirectoryRecord: a record header other than {alg: EdDSA, kid, typ: imi-directory+jws} is refused', 1000,
    fc.tuple(memberRecord, fc.nat()).chain(([record, i]) => {
      const signer = signerAt(record.country, record.created)
      const header = { alg: 'EdDSA', kid: signer.kid, typ: 'imi-directory+jws' }
      return fc.oneof(
        schemaMutation(header),
        fc.constantFrom('alg', 'kid', 'typ').map((k) => ({ what: `${k} removed`, value: updateAt(header, [k], () => undefined) })),
        fc.constantFrom('imi-envelope+jws', 'JWT', 'imi-roster+jws').map((typ) => ({ what: `typ ${typ}`, value: { ...header, typ } }))
      ).map((m) => ({ record, m, i }))
    }), ({ record, m }) => {
      const signer = signerAt(record.country, record.created)
      const bytes = utf8(signCompact(JSON.stringify(m.value), utf8(JSON.stringify(decodeDirectoryRecord(JSON.parse(JSON.stringify(record))))), signer))
      refused(() => validateDirectoryRecord(directoryKey(record), bytes, ctxAt(record.created)), ['ERR_RECORD_SCHEMA', 'ERR_RECORD_SIGNER'])
    })

  p.check('validateDirectoryRecord: a record is refused with ERR_RECORD_EXPIRED from its expiry on', 1000,
    fc.tuple(signedRecord, fc.integer({ min: -3, max: 3 })), ([s, k]) => {
      const out = total(() => validateDirectoryRecord(s.key, s.bytes, ctxAt(s.record.expires + k)), RECORD)
      if (k >= 0) expect(out.ok ? 'accepted' : out.error.code).to.equal('ERR_RECORD_EXPIRED')
      else expect(out.ok).to.equal(true)
    })

  const signers = MEMBERS.map((c) => fed.signers.get(c)!)
  p.check('validateDirectoryRecord: total over hostile keys, bytes and signed hostile payloads', 3000,
    fc.record({
      key: fc.oneof(fc.string({ maxLength: 40 }), memberRecord.map(directoryKey)),
      value: fc.oneof(
        hostileBytes,
        fc.tuple(fc.oneof(hostileJson, fc.constant('canonical')), fc.oneof(hostileJson, memberRecord.chain((r) => looseMutation(r))), fc.nat({ max: signers.length - 1 }))
          .map(([h, pl, i]) => {
            const s = signers[i]!
            const header = h === 'canonical' ? JSON.stringify({ alg: 'EdDSA', kid: s.kid, typ: 'imi-directory+jws' }) : safeStringify(h)
            return utf8(signCompact(header, utf8(safeStringify(pl)), s))
          })
      ),
      now: fc.integer({ min: 0, max: 4_000_000_000_000 })
    }), ({ key, value, now }) => {
      total(() => validateDirectoryRecord(key, value, ctxAt(now)), RECORD)
    })

  // --- Size -----------------------------------------------------------------------------

  const nearLimit = new Map<number, { record: DirectoryRecord, length: number }>()
  /** A record whose JWS is as long as possible without exceeding `target` bytes. */
  function recordOfLength (target: number): { record: DirectoryRecord, length: number } {
    let found = nearLimit.get(target)
    if (found !== undefined) return found
    const signer = fed.signers.get('PL')!
    const header = JSON.stringify({ alg: 'EdDSA', kid: signer.kid, typ: 'imi-directory+jws' })
    const base: DirectoryRecord = { fed: FAST_FED, country: 'PL', name: 'registers', shard: 0, shards: 1, seq: 1, created: 10_000, expires: 20_000, entries: [] }
    const entry = (i: number, n: number): RegisterEntry => ({ id: `r${i}`, names: { pl: 'Rejestr' }, descriptions: { pl: 'x'.repeat(n) }, legalBasis: 'Ustawa', registerAuthority: 'Urząd', url: 'https://example.pl', languages: ['pl'] })
    const recordWith = (total: number): DirectoryRecord => {
      const full = Math.floor(total / 2000)
      return { ...base, entries: [...Array.from({ length: full }, (_, i) => entry(i, 2000)), ...(total % 2000 > 0 ? [entry(full, total % 2000)] : [])] }
    }
    const lengthOf = (n: number): number => utf8(signCompact(header, utf8(JSON.stringify(decodeDirectoryRecord(JSON.parse(JSON.stringify(recordWith(n)))))), signer)).length
    let lo = 0
    let hi = target
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2)
      if (lengthOf(mid) <= target) lo = mid
      else hi = mid - 1
    }
    found = { record: recordWith(lo), length: lengthOf(lo) }
    nearLimit.set(target, found)
    return found
  }
  p.check('signDirectoryRecord/validateDirectoryRecord: refused with ERR_RECORD_TOO_LARGE iff over MAX_DIRECTORY_RECORD_BYTES', 60,
    fc.integer({ min: -4, max: 4 }), (k) => {
      const { record, length } = recordOfLength(MAX_DIRECTORY_RECORD_BYTES + k)
      const signer = fed.signers.get('PL')!
      if (length > MAX_DIRECTORY_RECORD_BYTES) {
        refused(() => signDirectoryRecord(record, signer), ['ERR_RECORD_TOO_LARGE'])
        const bytes = new Uint8Array(length)
        refused(() => validateDirectoryRecord(directoryKey(record), bytes, ctxAt(15_000)), ['ERR_RECORD_TOO_LARGE'])
      } else {
        const bytes = signDirectoryRecord(record, signer)
        expect(bytes.length).to.equal(length)
        accepted(() => validateDirectoryRecord(directoryKey(record), bytes, ctxAt(15_000)))
      }
    }, { budgetMs: 5000 })

  p.check('shardDirectory: every shard signs under the limit, validates, and the shards assemble to the entries', 200,
    fc.tuple(fc.constantFrom('authorities' as const, 'registers' as const), fc.integer({ min: 700, max: 6000 }), fc.integer({ min: 1, max: 1e9 }), fc.nat({ max: 40 })).chain(([name, budget, seq, count]) =>
      (name === 'authorities' ? fc.uniqueArray(authorityEntry, { minLength: count, maxLength: count, selector: (e) => e.id }) : fc.uniqueArray(registerEntry, { minLength: count, maxLength: count, selector: (e) => e.id }))
        .map((entries) => ({ name, budget, seq, entries: entries as Array<AuthorityEntry | RegisterEntry> }))),
    ({ name, budget, seq, entries }) => {
      const publication = { fed: FAST_FED, country: 'PL', name, seq, created: 10_000, expires: 20_000 }
      let shards: DirectoryRecord[]
      try {
        shards = shardDirectory(entries, publication, budget)
      } catch (err) {
        // One entry alone larger than the budget: refused with the size code, nothing else.
        refused(() => { throw err }, ['ERR_RECORD_TOO_LARGE'])
        return
      }
      const verified = shards.map((r) => validateDirectoryRecord(directoryKey(r), signDirectoryRecord(r, fed.signers.get('PL')!), ctxAt(15_000)))
      const assembled = assembleDirectory(verified)
      expect(assembled?.entries).to.deep.equal(entries.map((e) => decodeDirectoryRecord({ ...publication, shard: 0, shards: 1, entries: [e] }).entries[0]))
      // Any shard missing: the publication is incomplete and nothing is served from it.
      if (verified.length > 1) expect(assembleDirectory(verified.slice(1))).to.equal(undefined)
    }, { budgetMs: 5000 })

  // --- The selector ---------------------------------------------------------------------

  p.check('selectDirectoryRecord: total over any values; picks the first record of highest (seq, created)', 2000,
    fc.array(fc.oneof(signedRecord.map((s) => ({ s })), hostileBytes.map((b) => ({ b }))), { maxLength: 6 }), (items) => {
      const values = items.map((i) => ('s' in i ? i.s.bytes : i.b))
      const chosen = selectDirectoryRecord('/imi/x/PL/authorities/0', values)
      expect(chosen).to.be.a('number')
      if (values.length === 0) return
      expect(chosen).to.be.within(0, values.length - 1)
      let best: [number, number] | undefined
      for (const i of items) {
        if (!('s' in i)) continue
        const r: [number, number] = [i.s.record.seq, i.s.record.created]
        if (best === undefined || r[0] > best[0] || (r[0] === best[0] && r[1] > best[1])) best = r
      }
      if (best !== undefined) {
        const pick = items[chosen]!
        if ('s' in pick) expect([pick.s.record.seq, pick.s.record.created]).to.deep.equal(best)
      }
    })

  // --- Announcements ------------------------------------------------------------------

  const announcement = fc.record({ country, name: fc.constantFrom('authorities' as const, 'registers' as const), seq: fc.maxSafeNat() })
  decoderProperties(p, {
    name: 'decodeDirectoryAnnouncement',
    decode: (v) => decodeDirectoryAnnouncement(v instanceof Uint8Array ? v : toBytes(v)),
    codes: SCHEMA,
    valid: announcement,
    hostile: fc.oneof(hostileBytes, anyValue.map(toBytes), announcement.chain((a) => looseMutation(a)).map(toBytes)),
    required: () => ['country', 'name', 'seq']
  })

  p.check('encodeDirectoryAnnouncement/decodeDirectoryAnnouncement round-trip; padded, refused iff over MAX_ANNOUNCEMENT_BYTES', 2000,
    fc.tuple(announcement, fc.integer({ min: 0, max: 300 }), fc.constantFrom(' ', '\n', '\t', '\r')), ([a, pad, ws]) => {
      const bytes = encodeDirectoryAnnouncement(a)
      expect(decodeDirectoryAnnouncement(bytes)).to.deep.equal(a)
      const padded = utf8(ws.repeat(pad) + fromUtf8(bytes))
      const out = total(() => decodeDirectoryAnnouncement(padded), SCHEMA)
      expect(out.ok).to.equal(padded.length <= MAX_ANNOUNCEMENT_BYTES)
    })
})

function toBytes (v: unknown): Uint8Array {
  return utf8(safeStringify(v))
}

function safeStringify (v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'null'
  } catch {
    return '"unwritable"'
  }
}
