/**
 * Property tests of the roster (trust list) edge: documents, signed rosters and chains as
 * parsed from files and the network, and the quorum rule that verifies them (issue 9,
 * part 6). Signatures are made with generated keys.
 */
import { expect } from 'chai'
import fc from 'fast-check'
import {
  MAX_ROSTER_BYTES, cosignRoster, decodeRosterDocument, describeChange, decodeSignedRoster, encodeRosterPayload, fromBase64url, fromUtf8,
  parseRosterChain, parseRosterProposal, parseSignedRoster, payloadDocument, proposeRoster, quorumFor, toBase64url, updateAddresses,
  utf8, verifyGenesis, verifyRosterChain, verifyRosterUpdate, type RosterDocument, type SignedRoster, type Signer
} from '../../src/index.js'
import {
  anyValue, canonicalDigest, digest, federationId, hostileBytes, hostileJson, hostileJsonText, jsonTextMutation, looseMutation,
  stringMutation, subsetOf
} from './arbitraries.js'
import { decoderProperties } from './decoder-suite.js'
import { fastCrypto, fastSigner } from './fast-crypto.js'
import { ROTATION_AT, fastFederation } from './fast-federation.js'
import { accepted, properties, refused, total } from './harness.js'

const SCHEMA = ['ERR_ROSTER_SCHEMA']
const ROSTER = ['ERR_ROSTER_SCHEMA', 'ERR_ROSTER_VERSION', 'ERR_ROSTER_CHAIN', 'ERR_ROSTER_QUORUM', 'ERR_ROSTER_SIGNATURE']
/** 40-character peer ids and 43-character key ids, told apart by their last character. */
const PEER_TAIL = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ123456789'
const peerNo = (prefix: string, i: number): string => prefix.repeat(40) + PEER_TAIL[i % PEER_TAIL.length]!
const kidNo = (i: number): string => 'k'.repeat(40) + String(i).padStart(3, '0')
const COUNTRIES = ['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO']

// --- Valid values ----------------------------------------------------------------------

const peerId = fc.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{40,64}$/)
const multiaddr = fc.stringMatching(/^\/[\w.:/-]{1,60}$/)
const rosterKey = fc.record({
  kid: digest,
  publicKey: digest,
  notBefore: fc.maxSafeNat(),
  lifetime: fc.option(fc.integer({ min: 1, max: 1e12 }), { nil: undefined })
}).map(({ lifetime, ...k }) => (lifetime === undefined || k.notBefore + lifetime > Number.MAX_SAFE_INTEGER ? k : { ...k, notAfter: k.notBefore + lifetime }))

const rosterDoc: fc.Arbitrary<RosterDocument> = fc.uniqueArray(fc.constantFrom(...COUNTRIES), { minLength: 1, maxLength: 4 }).chain((countries) =>
  fc.record({
    fed: federationId,
    version: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    created: fc.maxSafeNat(),
    previous: fc.option(digest, { nil: undefined }),
    members: fc.tuple(...countries.map((country) => fc.record({
      country: fc.constant(country),
      name: fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => s.length <= 200),
      peerId,
      addresses: fc.array(multiaddr, { maxLength: 3 }),
      keys: fc.array(rosterKey, { minLength: 1, maxLength: 3 })
    }))),
    bootstraps: fc.array(fc.record({ peerId, addresses: fc.array(multiaddr, { maxLength: 2 }) }), { maxLength: 2 })
  }).map((d) => (d.previous === undefined ? { fed: d.fed, version: d.version, created: d.created, members: d.members, bootstraps: d.bootstraps } : d) as RosterDocument)
).filter((d) => {
  // Peers and key ids are unique across the roster (random ones nearly always are).
  const peers = d.members.map((m) => m.peerId)
  const kids = d.members.flatMap((m) => m.keys.map((k) => k.kid))
  return new Set(peers).size === peers.length && new Set(kids).size === kids.length
})

const signedShape: fc.Arbitrary<SignedRoster> = fc.record({
  payload: fc.stringMatching(/^[A-Za-z0-9_-]{0,200}$/),
  signatures: fc.array(fc.record({ protected: fc.stringMatching(/^[A-Za-z0-9_-]{0,120}$/), signature: fc.stringMatching(/^[A-Za-z0-9_-]{0,128}$/) }), { minLength: 1, maxLength: 5 })
})

/** A genesis roster of generated members, each signing with a key made from an arbitrary seed. */
interface Genesis {
  readonly doc: RosterDocument
  readonly signers: Signer[]
  readonly signed: SignedRoster
}

const genesis: fc.Arbitrary<Genesis> = fc.tuple(
  fc.uniqueArray(fc.constantFrom(...COUNTRIES), { minLength: 1, maxLength: 5 }),
  fc.uint8Array({ minLength: 32, maxLength: 32 }),
  federationId,
  fc.integer({ min: 0, max: 4_000_000_000_000 }),
  fc.array(fc.record({ peerId, addresses: fc.array(multiaddr, { maxLength: 2 }) }), { maxLength: 2 })
).map(([countries, seed, fed, created, bootstraps]) => {
  const signers = countries.map((_, i) => fastSigner(seed.map((b, j) => (j === 0 ? b ^ i : b))))
  const doc: RosterDocument = {
    fed, version: 1, created,
    members: countries.map((country, i) => ({
      country, name: `${country} node`, peerId: '12D3KooW' + toBase64url(signers[i]!.publicKey).replace(/[^1-9A-HJ-NP-Za-km-z]/g, 'x').slice(0, 44),
      addresses: [`/ip4/10.0.0.${i}/tcp/4001`], keys: [{ kid: signers[i]!.kid, publicKey: toBase64url(signers[i]!.publicKey), notBefore: Math.max(0, created - i) }]
    })),
    bootstraps: bootstraps.filter((b) => !b.peerId.startsWith('12D3KooW'))
  }
  let signed: SignedRoster = proposeRoster(doc)
  for (const s of signers) signed = cosignRoster(signed, s)
  return { doc, signers, signed, [fc.toStringMethod]: () => `genesis(${fc.stringify(doc)})` }
})

/** Mutations of a signed roster's JSON: of its payload, of one signature, or of the list of signatures. */
function signedMutation (signed: SignedRoster): fc.Arbitrary<{ what: string, value: SignedRoster }> {
  const n = signed.signatures.length
  const sig = fc.nat({ max: n - 1 })
  const withSig = (i: number, s: { protected: string, signature: string }): SignedRoster =>
    ({ payload: signed.payload, signatures: signed.signatures.map((x, j) => (j === i ? s : x)) })
  return fc.oneof(
    stringMutation(signed.payload).map((m) => ({ what: `payload ${m.what}`, value: { ...signed, payload: m.value } })),
    jsonTextMutation(fromUtf8(fromBase64url(signed.payload)!)).map((m) => ({ what: `payload JSON ${m.what}`, value: { ...signed, payload: toBase64url(utf8(m.value)) } })),
    sig.chain((i) => stringMutation(signed.signatures[i]!.protected).map((m) => ({ what: `signatures[${i}].protected ${m.what}`, value: withSig(i, { ...signed.signatures[i]!, protected: m.value }) }))),
    sig.chain((i) => stringMutation(signed.signatures[i]!.signature).map((m) => ({ what: `signatures[${i}].signature ${m.what}`, value: withSig(i, { ...signed.signatures[i]!, signature: m.value }) }))),
    sig.chain((i) => jsonTextMutation(fromUtf8(fromBase64url(signed.signatures[i]!.protected)!)).map((m) => ({
      what: `signatures[${i}].protected JSON ${m.what}`, value: withSig(i, { ...signed.signatures[i]!, protected: toBase64url(utf8(m.value)) })
    }))),
    sig.map((i) => ({ what: `signatures[${i}] dropped`, value: { payload: signed.payload, signatures: signed.signatures.filter((_, j) => j !== i) } })),
    sig.map((i) => ({ what: `signatures[${i}] duplicated`, value: { payload: signed.payload, signatures: [...signed.signatures, signed.signatures[i]!] } })),
    fc.constant({ what: 'signatures reversed', value: { payload: signed.payload, signatures: [...signed.signatures].reverse() } })
  )
}

// --- Properties ------------------------------------------------------------------------

describe('property: roster documents, signed rosters and chains', function () {
  const p = properties('roster')

  decoderProperties(p, {
    name: 'decodeRosterDocument',
    decode: decodeRosterDocument,
    codes: SCHEMA,
    valid: rosterDoc,
    required: () => ['fed', 'version', 'created', 'members', 'bootstraps'],
    limits: [
      {
        what: 'members count',
        base: rosterDoc,
        at: (d: RosterDocument, n: number) => ({
          ...d, members: Array.from({ length: n }, (_, i) => ({ ...d.members[0]!, country: COUNTRIES[i % 30]!, peerId: peerNo('1', i), keys: [{ kid: kidNo(i), publicKey: 'A'.repeat(43), notBefore: 0 }] }))
        }),
        min: 1,
        max: 30
      },
      { what: 'keys count', base: rosterDoc, at: (d: RosterDocument, n: number) => ({ ...d, members: [{ ...d.members[0]!, keys: Array.from({ length: n }, (_, i) => ({ kid: kidNo(i), publicKey: 'A'.repeat(43), notBefore: 0 })) }] }), min: 1, max: 8 },
      { what: 'addresses count', base: rosterDoc, at: (d: RosterDocument, n: number) => ({ ...d, members: [{ ...d.members[0]!, addresses: Array.from({ length: n }, (_, i) => `/ip4/10.0.0.${i}/tcp/1`) }] }), max: 16 },
      { what: 'bootstraps count', base: rosterDoc, at: (d: RosterDocument, n: number) => ({ ...d, bootstraps: Array.from({ length: n }, (_, i) => ({ peerId: peerNo('B', i), addresses: [] })) }), max: 16 },
      { what: 'member name length', base: rosterDoc, at: (d: RosterDocument, n: number) => ({ ...d, members: [{ ...d.members[0]!, name: 'n'.repeat(n) }] }), max: 200 },
      { what: 'address length', base: rosterDoc, at: (d: RosterDocument, n: number) => ({ ...d, members: [{ ...d.members[0]!, addresses: [n === 0 ? '' : '/' + 'a'.repeat(n - 1)] }] }), min: 2, max: 251 },
      { what: 'peer id length', base: rosterDoc, at: (d: RosterDocument, n: number) => ({ ...d, members: [{ ...d.members[0]!, peerId: 'P'.repeat(n) }] }), min: 40, max: 64 },
      { what: 'version', base: rosterDoc, at: (d: RosterDocument, n: number) => ({ ...d, version: n }), min: 1 }
    ]
  })

  p.check('decodeRosterDocument: a country, peer or key id listed twice is refused', 2000,
    rosterDoc.chain((d) => fc.constantFrom('country', 'peer', 'kid').map((what) => ({ d, what }))), ({ d, what }) => {
      const m = d.members[0]!
      const twin = {
        ...m,
        country: what === 'country' ? m.country : COUNTRIES.find((c) => !d.members.some((x) => x.country === c))!,
        peerId: what === 'peer' ? m.peerId : `${'9'.repeat(50)}`,
        keys: what === 'kid' ? [m.keys[0]!] : [{ kid: 'Z'.repeat(43), publicKey: 'A'.repeat(43), notBefore: 0 }]
      }
      refused(() => decodeRosterDocument({ ...d, members: [...d.members, twin] }), SCHEMA)
    })

  p.check('encodeRosterPayload/payloadDocument round-trip: the payload is the canonical JSON of the decoded document', 1500, rosterDoc, (d) => {
    const payload = encodeRosterPayload(d)
    const back = payloadDocument({ payload, signatures: [] })
    expect(back).to.deep.equal(d)
    expect(encodeRosterPayload(back)).to.equal(payload)
  })

  decoderProperties(p, {
    name: 'decodeSignedRoster',
    decode: decodeSignedRoster,
    codes: SCHEMA,
    valid: signedShape,
    required: () => ['payload', 'signatures'],
    limits: [
      { what: 'payload length', base: fc.constant(null), at: (_: null, n: number) => ({ payload: 'A'.repeat(n), signatures: [{ protected: '', signature: '' }] }), max: MAX_ROSTER_BYTES },
      { what: 'signatures count', base: fc.constant(null), at: (_: null, n: number) => ({ payload: '', signatures: Array.from({ length: n }, () => ({ protected: '', signature: '' })) }), min: 1, max: 64 },
      { what: 'protected length', base: fc.constant(null), at: (_: null, n: number) => ({ payload: '', signatures: [{ protected: 'p'.repeat(n), signature: '' }] }), max: 512 },
      { what: 'signature length', base: fc.constant(null), at: (_: null, n: number) => ({ payload: '', signatures: [{ protected: '', signature: 's'.repeat(n) }] }), max: 128 }
    ],
    runs: { limits: 300 }
  })

  const rosterText = fc.oneof(
    hostileJsonText,
    fc.string({ unit: 'binary', maxLength: 200 }),
    signedShape.map((s) => JSON.stringify(s)),
    signedShape.chain((s) => looseMutation(s)).map((v) => safeStringify(v)),
    fc.array(signedShape, { maxLength: 3 }).map((a) => JSON.stringify(a))
  )
  p.check('parseSignedRoster, parseRosterChain, parseRosterProposal: total over text', 3000, rosterText, (t) => {
    total(() => parseSignedRoster(t), SCHEMA)
    const chain = total(() => parseRosterChain(t), SCHEMA)
    if (chain.ok) expect(chain.value.length).to.be.at.least(1)
    total(() => parseRosterProposal(t), SCHEMA)
  })

  p.check('parseSignedRoster ≡ JSON.parse then decodeSignedRoster, for text within the limit', 2000, rosterText, (t) => {
    let value: unknown
    try { value = JSON.parse(t) } catch { refused(() => parseSignedRoster(t), SCHEMA); return }
    const direct = total(() => decodeSignedRoster(value), SCHEMA)
    const parsed = total(() => parseSignedRoster(t), SCHEMA)
    expect(parsed.ok).to.equal(direct.ok)
    if (parsed.ok && direct.ok) expect(parsed.value).to.deep.equal(direct.value)
  })

  p.check('parseSignedRoster, parseRosterChain: text is refused with ERR_ROSTER_SCHEMA iff longer than the limit', 12,
    fc.tuple(fc.constantFrom('signed', 'chain'), fc.integer({ min: -2, max: 2 })), ([which, k]) => {
      const limit = which === 'signed' ? MAX_ROSTER_BYTES * 2 : MAX_ROSTER_BYTES * 64
      const json = JSON.stringify({ payload: '', signatures: [{ protected: '', signature: '' }] })
      const text = json + ' '.repeat(limit + k - json.length)
      const out = total(() => (which === 'signed' ? parseSignedRoster(text) : parseRosterChain(text)), SCHEMA)
      expect(out.ok).to.equal(k <= 0)
    }, { budgetMs: 10_000 })

  p.check('payloadDocument: total over hostile payloads', 2000,
    fc.oneof(hostileJsonText.map((t) => toBase64url(utf8(t))), hostileBytes.map(toBase64url), fc.string({ maxLength: 80 }), rosterDoc.chain((d) => looseMutation(d)).map((v) => toBase64url(utf8(safeStringify(v))))),
    (payload) => {
      total(() => payloadDocument({ payload, signatures: [] }), SCHEMA)
    })

  // --- Verification -------------------------------------------------------------------

  p.check('verifyGenesis: accepts a genesis signed by every founding member (generated keys)', 700, genesis, (g) => {
    const roster = accepted(() => verifyGenesis(g.signed, fastCrypto, g.doc.fed))
    expect(roster.doc).to.deep.equal(decodeRosterDocument(JSON.parse(JSON.stringify(g.doc))))
    expect(roster.digest).to.equal(toBase64url(fastCrypto.sha256(fromBase64url(g.signed.payload)!)))
    // Through its file form too.
    expect(verifyRosterChain(parseRosterChain(JSON.stringify([g.signed])), fastCrypto, g.doc.fed).digest).to.equal(roster.digest)
  })

  p.check('verifyGenesis: one founding signature missing is refused with ERR_ROSTER_QUORUM', 500,
    genesis.chain((g) => fc.nat({ max: g.signers.length - 1 }).map((i) => ({ g, i }))), ({ g, i }) => {
      let signed: SignedRoster = proposeRoster(g.doc)
      g.signers.forEach((s, j) => { if (j !== i) signed = cosignRoster(signed, s) })
      refused(() => verifyGenesis(signed, fastCrypto), ['ERR_ROSTER_QUORUM'])
    })

  p.check('verifyGenesis: never accepts a mutation that changes the signed payload; every other outcome is a roster code', 2000,
    genesis.chain((g) => signedMutation(g.signed).map((m) => ({ g, m }))), ({ g, m }) => {
      const out = total(() => verifyGenesis(m.value, fastCrypto, g.doc.fed), ROSTER)
      if (out.ok) {
        expect(m.value.payload, `accepted ${m.what}`).to.equal(g.signed.payload)
        // Only the list of signatures changed, never a signature's bytes: each founder still signs.
        expect(out.value.digest).to.equal(verifyGenesis(g.signed, fastCrypto).digest)
      }
    })

  // A federation of four whose first member rotated its key; updates need three signatures.
  const fed = fastFederation(['CZ', 'PL', 'AT', 'RO'], 'imi-roster-prop')
  const update = fc.tuple(subsetOf(['CZ', 'PL', 'AT', 'RO'], 0, 4), fc.array(multiaddr, { maxLength: 3 }), fc.integer({ min: 2000, max: 4_000_000_000_000 }), fc.constantFrom('CZ', 'PL', 'AT', 'RO'))
    .map(([signers, addresses, created, who]) => {
      const doc = updateAddresses(fed.roster, who, addresses, created)
      let signed: SignedRoster = proposeRoster(doc)
      for (const c of signers) signed = cosignRoster(signed, c === fed.rotating && created < ROTATION_AT ? fed.oldSigner : fed.signers.get(c)!)
      return { signers, doc, signed, [fc.toStringMethod]: () => `update(${fc.stringify({ signers, who, addresses, created })})` }
    })

  p.check('verifyRosterUpdate: accepted iff at least two thirds of the current members sign with their current keys', 1500, update, (u) => {
    const out = total(() => verifyRosterUpdate(fed.roster, u.signed, fastCrypto), ROSTER)
    const enough = u.signers.length >= quorumFor(fed.roster.size)
    expect(out.ok ? 'accepted' : out.error.code).to.equal(enough ? 'accepted' : 'ERR_ROSTER_QUORUM')
  })

  p.check('verifyRosterUpdate: never accepts a mutation that changes the signed payload', 2000,
    update.filter((u) => u.signers.length > 0).chain((u) => signedMutation(u.signed).map((m) => ({ u, m }))), ({ u, m }) => {
      const out = total(() => verifyRosterUpdate(fed.roster, m.value, fastCrypto), ROSTER)
      if (out.ok) expect(m.value.payload, `accepted ${m.what}`).to.equal(u.signed.payload)
    })

  p.check('verifyRosterChain: total over hostile chains', 1200,
    fc.oneof(
      fc.array(signedShape, { minLength: 0, maxLength: 3 }),
      fc.array(genesis.map((g) => g.signed), { minLength: 1, maxLength: 2 }),
      genesis.chain((g) => fc.array(signedMutation(g.signed).map((m) => m.value), { maxLength: 2 }).map((rest) => [g.signed, ...rest]))
    ), (chain) => {
      total(() => verifyRosterChain(chain, fastCrypto), ROSTER)
    })

  // What a member is shown before it co-signs (imi roster show-proposal, imi-bootstrap status):
  // every line of it, for any proposal the decoder accepts.
  const DATE_MAX = 8_640_000_000_000_000
  const inDateRange = (d: RosterDocument): boolean =>
    d.created <= DATE_MAX && d.members.every((m) => m.keys.every((k) => k.notBefore <= DATE_MAX && (k.notAfter ?? 0) <= DATE_MAX))
  const describable = rosterDoc.map((d) => ({ ...d, fed: fed.roster.federationId }))
  p.check('describeChange: total over every proposal the decoder accepts (times within the Date range)', 2000,
    describable.filter(inDateRange), (d) => {
      const lines = total(() => describeChange(fed.roster, decodeRosterDocument(d)), [])
      if (lines.ok) expect(lines.value.some((l) => l.startsWith('version '))).to.equal(true)
    })

  p.check('describeChange: total over every proposal the decoder accepts (times after the Date range)',
    500, describable.map((d) => ({ ...d, created: DATE_MAX + 1 + (d.created % 1e12) })), (d) => {
      total(() => describeChange(fed.roster, decodeRosterDocument(d)), ROSTER)
    })

  p.check('decodeSignedRoster, decodeRosterDocument: total over arbitrary values', 3000, fc.oneof(anyValue, hostileJson), (v) => {
    total(() => decodeSignedRoster(v), SCHEMA)
    total(() => decodeRosterDocument(v), SCHEMA)
  })

  p.check('verifyRosterUpdate: a payload naming another previous version, federation or version is refused', 1500,
    update.filter((u) => u.signers.length >= 3).chain((u) => fc.constantFrom('previous', 'fed', 'version', 'created').chain((field) =>
      (field === 'previous' ? canonicalDigest : field === 'fed' ? federationId : fc.integer({ min: 0, max: 5 })).map((value) => ({ u, field, value })))),
    ({ u, field, value }) => {
      const doc = { ...u.doc, [field]: field === 'created' ? (value as number) * 200 : value } as RosterDocument
      if (JSON.stringify(doc) === JSON.stringify(u.doc)) return
      let signed: SignedRoster
      try {
        signed = proposeRoster(doc)
      } catch (err) {
        refused(() => { throw err }, SCHEMA)
        return
      }
      for (const c of u.signers) signed = cosignRoster(signed, c === fed.rotating && doc.created < ROTATION_AT ? fed.oldSigner : fed.signers.get(c)!)
      refused(() => verifyRosterUpdate(fed.roster, signed, fastCrypto), ROSTER)
    })
})

function safeStringify (v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'null'
  } catch {
    return '"unwritable"'
  }
}
