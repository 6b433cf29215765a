/**
 * Property tests of the envelope edge: the JWS compact parser, header, payload and
 * sidecar decoders, wire frames and replies, and the one validation pipeline
 * (verifyEnvelope) with envelopes signed by generated keys (issue 9, part 6).
 */
import { expect } from 'chai'
import fc from 'fast-check'
import {
  BROADCAST_KINDS, DIRECT_MESSAGE_KINDS, REPLY_KINDS, MAX_CLOCK_SKEW_MS, MAX_ENVELOPE_BYTES, MAX_MESSAGE_AGE_MS, MAX_PERSONAL_DATA_BYTES,
  MAX_WIRE_BYTES, canonicalJson, checkReceipt, checkSidecar, receiptBodyFor, decodeReply, decodeSidecar, decodeWire, decodeWireValue, encodeReply, encodeWire,
  fromBase64url, fromUtf8, jwsDigest, nobleCrypto, parseCompact, personalDataDigest, signCompact, signEnvelope, toBase64url, utf8,
  verifyEnvelope, type BodyValidator, type CryptoSuite, type Json, type KeyResolver, type PersonalDataSidecar, type Signer,
  type VerifyContext
} from '../../src/index.js'
import { decodeHeader, decodePayload, decodeProtectedHeader, decodeRecipients } from '../../src/envelope/decode.js'
import {
  alertEventBody, alertReceiptBody, anyValue, attachmentChunkBody, canonicalDigest, country, digest, erasureBody,
  erasureReceiptBody, federationId, hostileBytes, hostileJson, hostileJsonText, jsonTextMutation, shallowJson, kind, localId, looseMutation,
  messageId, noteBody, notificationEventBody, plainJsonObject, receiptBody, requestEventBody, schemaMutation, stringMutation,
  subjectCorrectionBody, subsetOf, timestamp, updateAt
} from './arbitraries.js'
import { decoderProperties } from './decoder-suite.js'
import { fastCrypto, fastSigner } from './fast-crypto.js'
import { accepted, properties, refused, total } from './harness.js'

const COUNTRIES = ['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO']

const ENCODING = ['ERR_ENVELOPE_ENCODING']
const SCHEMA = ['ERR_ENVELOPE_SCHEMA']
/** Every refusal the pipeline can give when no replay check is configured. */
const PIPELINE = [
  'ERR_ENVELOPE_TOO_LARGE', 'ERR_ENVELOPE_ENCODING', 'ERR_ENVELOPE_SCHEMA', 'ERR_WRONG_FEDERATION', 'ERR_UNKNOWN_KEY',
  'ERR_WRONG_COUNTRY_FOR_KEY', 'ERR_KEY_NOT_VALID_AT_TIME', 'ERR_STALE_MESSAGE', 'ERR_FUTURE_MESSAGE', 'ERR_INVALID_SIGNATURE',
  'ERR_WRONG_RECIPIENT', 'ERR_UNKNOWN_KIND', 'ERR_BODY_SCHEMA', 'ERR_PERSONAL_DATA_DIGEST', 'ERR_DUPLICATE_MESSAGE'
]

/** Deterministic "random" bytes from an arbitrary entropy pool, so a counterexample replays exactly. */
function bytesFrom (entropy: Uint8Array): (n: number) => Uint8Array {
  let at = 0
  return (n) => {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = entropy[(at++) % entropy.length]! ^ (at >> 8)
    return out
  }
}

type Channel = 'direct' | 'broadcast' | 'reply'
/** Every kind a node accepts, with valid bodies, and the channel (validator map) it arrives on. */
const KINDS: Array<[string, Channel, fc.Arbitrary<Record<string, unknown>>]> = [
  ['note', 'direct', noteBody], ['request', 'direct', requestEventBody], ['request-attachment', 'direct', attachmentChunkBody],
  ['alert-receipt', 'direct', alertReceiptBody], ['erasure', 'direct', erasureBody], ['erasure-receipt', 'direct', erasureReceiptBody],
  ['subject-correction', 'direct', subjectCorrectionBody], ['alert', 'broadcast', alertEventBody], ['notification', 'broadcast', notificationEventBody],
  ['receipt', 'reply', receiptBody]
]
const VALIDATORS: Readonly<Record<Channel, ReadonlyMap<string, BodyValidator>>> = { direct: DIRECT_MESSAGE_KINDS, broadcast: BROADCAST_KINDS, reply: REPLY_KINDS }

/** One envelope to sign: who, to whom, what, when, and how the receiver is set up. */
interface EnvCase {
  readonly seed: Uint8Array
  readonly entropy: Uint8Array
  readonly fed: string
  readonly from: string
  readonly kind: string
  readonly channel: Channel
  readonly body: Record<string, unknown>
  readonly to: string[]
  readonly fromAuthority: string | undefined
  readonly toAuthority: string | undefined
  readonly personalData: Record<string, Json> | undefined
  readonly created: number
  /** now - created at the receiver: from the clock-skew allowance to the replay window. */
  readonly age: number
  readonly pickRecipient: number
}

const kindAndBody = fc.oneof(...KINDS.map(([k, channel, arb]) => arb.map((body) => ({ kind: k, channel, body }))))

const envCase: fc.Arbitrary<EnvCase> = fc.record({
  seed: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  entropy: fc.uint8Array({ minLength: 64, maxLength: 64 }),
  fed: federationId,
  from: country,
  kb: kindAndBody,
  to: fc.oneof(fc.constant<string[]>(['*']), subsetOf(COUNTRIES, 1, 30)),
  fromAuthority: fc.option(localId, { nil: undefined }),
  toAuthority: fc.option(localId, { nil: undefined }),
  personalData: fc.option(plainJsonObject, { nil: undefined }),
  created: fc.oneof(fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }), timestamp),
  age: fc.integer({ min: -MAX_CLOCK_SKEW_MS, max: MAX_MESSAGE_AGE_MS }),
  pickRecipient: fc.nat()
}).map(({ kb, ...rest }) => ({ ...rest, ...kb }))

interface Signed {
  readonly c: EnvCase
  readonly signer: Signer
  readonly jws: string
  readonly pd: PersonalDataSidecar | undefined
  readonly hdr: Record<string, unknown>
  readonly ctx: VerifyContext
  readonly [fc.toStringMethod]?: () => string
}

function keysFor (signer: Signer, c: Pick<EnvCase, 'from' | 'created'>): KeyResolver {
  const info = { kid: signer.kid, country: c.from, publicKey: signer.publicKey, notBefore: Math.max(0, c.created - 1000) }
  return { key: (kid) => (kid === signer.kid ? info : undefined) }
}

function signCase (c: EnvCase, crypto: CryptoSuite = fastCrypto): Signed {
  const signer = fastSigner(c.seed)
  const env = signEnvelope({
    kind: c.kind, from: c.from, to: c.to, body: c.body as Json,
    ...(c.fromAuthority !== undefined && { fromAuthority: c.fromAuthority }),
    ...(c.toAuthority !== undefined && { toAuthority: c.toAuthority }),
    ...(c.personalData !== undefined && { personalData: c.personalData })
  }, { federationId: c.fed, signer, crypto, now: c.created, randomBytes: bytesFrom(c.entropy) })
  const recipient = c.to[0] === '*' ? COUNTRIES[c.pickRecipient % 30]! : c.to[c.pickRecipient % c.to.length]!
  const ctx: VerifyContext = { federationId: c.fed, keys: keysFor(signer, c), crypto, now: c.created + c.age, recipient, bodies: VALIDATORS[c.channel] }
  return {
    c, signer, jws: env.jws, pd: env.pd, hdr: env.hdr as unknown as Record<string, unknown>, ctx,
    // Counterexamples show the case (replayable), not the signer's closures.
    [fc.toStringMethod]: () => `signCase(${fc.stringify(c)})`
  }
}

const signedEnvelope = envCase.map((c) => signCase(c))

function payloadText (jws: string): string {
  return fromUtf8(fromBase64url(jws.split('.')[1]!)!)
}

function withPayload (jws: string, payload: string): string {
  const [h, , s] = jws.split('.')
  return `${h!}.${toBase64url(utf8(payload))}.${s!}`
}

const validHeader = fc.record({
  v: fc.constant(1),
  fed: federationId,
  id: messageId,
  kind,
  from: country,
  fromAuthority: fc.option(localId, { nil: undefined }),
  to: fc.oneof(fc.constant(['*']), subsetOf(COUNTRIES, 1, 30)),
  toAuthority: fc.option(localId, { nil: undefined }),
  created: fc.maxSafeNat(),
  pd: fc.option(digest, { nil: undefined })
}).map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)))

const validSidecar = fc.record({ salt: canonicalDigest, data: plainJsonObject })

/** Frames (bytes) for the byte-level decoders: hostile bytes, and valid values near-missed. */
function frames (valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(hostileBytes, valid.chain((v) => looseMutation(v)).map(toFrame))
}

function toFrame (v: unknown): Uint8Array {
  try {
    const text = JSON.stringify(v)
    return utf8(text ?? String(v))
  } catch {
    return utf8(String(typeof v === 'bigint' ? v : 'x'))
  }
}

/** A byte decoder fed a value: its JSON text, as a frame would carry it. */
function asFrame (decode: (b: Uint8Array) => unknown): (v: unknown) => unknown {
  return (v) => decode(v instanceof Uint8Array ? v : toFrame(v))
}

describe('property: envelope decoders and the validation pipeline', function () {
  const p = properties('envelope')

  // --- The JWS compact parser --------------------------------------------------------

  const jwsShaped = fc.tuple(hostileJsonText, hostileJsonText, fc.oneof(fc.uint8Array({ minLength: 60, maxLength: 68 }), fc.uint8Array({ maxLength: 70 })))
    .map(([h, pl, sig]) => `${toBase64url(utf8(h))}.${toBase64url(utf8(pl))}.${toBase64url(sig)}`)
  const anyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.stringMatching(/^[A-Za-z0-9_.=+/-]{0,300}$/), jwsShaped)

  p.check('parseCompact: total over strings; only ERR_ENVELOPE_ENCODING', 3000, anyString, (s) => {
    const out = total(() => parseCompact(s), ENCODING)
    if (out.ok) {
      expect(out.value.signature).to.have.length(64)
      expect(s.split('.')).to.have.length(3)
    }
  })

  // --- Structural decoders -----------------------------------------------------------

  decoderProperties(p, {
    name: 'decodeProtectedHeader',
    decode: decodeProtectedHeader,
    codes: SCHEMA,
    valid: fc.record({ alg: fc.constant('EdDSA'), kid: digest, typ: fc.constant('imi-envelope+jws') }),
    expected: (h) => ({ kid: h.kid }),
    refeed: (d, h) => ({ ...h, ...(d as object) }),
    required: () => ['alg', 'kid', 'typ']
  })

  decoderProperties(p, {
    name: 'decodeHeader',
    decode: decodeHeader,
    codes: SCHEMA,
    valid: validHeader,
    required: () => ['v', 'fed', 'id', 'kind', 'from', 'to', 'created'],
    limits: [
      { what: 'recipients', base: validHeader, at: (h: object, n: number) => ({ ...h, to: COUNTRIES.slice(0, Math.min(n, 30)).concat(n > 30 ? ['AT'] : []) }), min: 1, max: 30 },
      { what: 'fromAuthority length', base: validHeader, at: (h: object, n: number) => ({ ...h, fromAuthority: 'a'.repeat(n) }), min: 1, max: 64 },
      { what: 'kind length', base: validHeader, at: (h: object, n: number) => ({ ...h, kind: 'k'.repeat(n) }), min: 1, max: 64 },
      { what: 'federation id length', base: validHeader, at: (h: object, n: number) => ({ ...h, fed: 'f'.repeat(n) }), min: 2, max: 32 }
    ]
  })

  p.check('decodeRecipients: a list is accepted iff it is ["*"] or 1 to 30 distinct member states', 2000,
    fc.oneof(fc.array(fc.oneof(country, fc.constantFrom('*', 'XX', 'pl', 'EL', 'UK')), { maxLength: 33 }), hostileJson),
    (to) => {
      const out = total(() => decodeRecipients(to, 'to'), SCHEMA)
      const ok = Array.isArray(to) && ((to.length === 1 && to[0] === '*') ||
        (to.length >= 1 && to.length <= 30 && new Set(to).size === to.length && to.every((c) => COUNTRIES.includes(c as string))))
      expect(out.ok).to.equal(ok)
      if (out.ok) expect(out.value).to.deep.equal(to)
    })

  decoderProperties(p, {
    name: 'decodePayload',
    decode: decodePayload,
    codes: SCHEMA,
    valid: fc.record({ hdr: validHeader, body: plainJsonObject }),
    skip: (path) => path[0] === 'body' && path.length > 1,
    open: (path) => path[0] === 'body',
    required: () => ['hdr', 'body']
  })

  decoderProperties(p, {
    name: 'decodeSidecar',
    decode: decodeSidecar,
    codes: SCHEMA,
    valid: validSidecar,
    skip: (path) => path[0] === 'data' && path.length > 1,
    open: (path) => path[0] === 'data',
    required: () => ['salt', 'data']
  })

  const validWire = fc.record({ jws: fc.string({ maxLength: 100 }), pd: fc.option(validSidecar, { nil: undefined }) })
    .map((w) => (w.pd === undefined ? { jws: w.jws } : w))
  decoderProperties(p, {
    name: 'decodeWireValue',
    decode: decodeWireValue,
    codes: SCHEMA,
    valid: validWire,
    skip: (path) => path[0] === 'pd' && path[1] === 'data' && path.length > 2,
    open: (path) => path[0] === 'pd' && path[1] === 'data',
    required: () => ['jws']
  })

  decoderProperties(p, {
    name: 'decodeWire',
    decode: asFrame((b) => decodeWire(b)),
    codes: ['ERR_ENVELOPE_ENCODING', 'ERR_ENVELOPE_SCHEMA', 'ERR_ENVELOPE_TOO_LARGE'],
    valid: validWire,
    hostile: frames(validWire),
    skip: (path) => path[0] === 'pd' && path[1] === 'data' && path.length > 2,
    open: (path) => path[0] === 'pd' && path[1] === 'data',
    required: () => ['jws']
  })

  const validReply = fc.oneof(
    fc.record({ receipt: fc.string({ maxLength: 200 }) }),
    fc.record({ error: fc.record({ code: fc.stringMatching(/^ERR_[A-Z_]{1,60}$/), message: fc.string({ unit: 'binary', maxLength: 100 }).filter((m) => m.length <= 500) }) })
  )
  decoderProperties(p, {
    name: 'decodeReply',
    decode: asFrame((b) => decodeReply(b)),
    codes: ['ERR_ENVELOPE_ENCODING', 'ERR_ENVELOPE_SCHEMA', 'ERR_ENVELOPE_TOO_LARGE'],
    valid: validReply,
    hostile: frames(validReply),
    // reply.error admits unknown fields today: see the known-bug property below.
    open: (path) => path.length === 1 && path[0] === 'error',
    required: (r) => Object.keys(r),
    limits: [
      { what: 'error message length', base: fc.constant(null), at: (_: null, n: number) => ({ error: { code: 'ERR_X', message: 'm'.repeat(n) } }), max: 500 },
      { what: 'error code length', base: fc.constant(null), at: (_: null, n: number) => ({ error: { code: 'ERR_' + 'X'.repeat(Math.max(0, n - 4)), message: '' } }), min: 5, max: 64 }
    ]
  })

  p.check('decodeReply: refuses unknown fields in reply.error',
    1000, fc.tuple(validReply.filter((r) => 'error' in r), fc.string({ minLength: 1, maxLength: 6 }), shallowJson),
    ([r, k, x]) => {
      const value = { error: { ...(r as { error: object }).error, [`!${k}`]: x ?? null } }
      refused(() => decodeReply(toFrame(value)), SCHEMA)
    })

  p.check('encodeWire/decodeWire and encodeReply/decodeReply round-trip', 2000,
    fc.tuple(validWire, validReply), ([w, r]) => {
      expect(decodeWire(encodeWire(w as never))).to.deep.equal(w)
      expect(decodeReply(encodeReply(r as never))).to.deep.equal(r)
    })

  // --- The pipeline: valid envelopes ------------------------------------------------------

  p.check('verifyEnvelope: accepts envelopes of every kind signed with generated keys; wire round trip', 1500, envCase, (c) => {
    const s = signCase(c)
    if (overLimit(s)) return
    const v = accepted(() => verifyEnvelope(s.jws, s.ctx, s.pd))
    expect(v.hdr).to.deep.equal(s.hdr)
    expect(v.body).to.deep.equal(c.body)
    expect(v.kid).to.equal(s.signer.kid)
    expect(v.digest).to.equal(jwsDigest(s.jws, fastCrypto))
    expect(v.pd).to.deep.equal(s.pd)
    // The signed bytes are the canonical form of what the receiver decoded.
    expect(canonicalJson(JSON.parse(payloadText(s.jws)))).to.equal(canonicalJson({ hdr: v.hdr, body: v.body }))
    const wire = decodeWire(encodeWire(s.pd === undefined ? { jws: s.jws } : { jws: s.jws, pd: s.pd }))
    expect(verifyEnvelope(wire.jws, s.ctx, wire.pd).digest).to.equal(v.digest)
    // Erasure: without the sidecar the signed evidence still verifies.
    expect(verifyEnvelope(s.jws, s.ctx).hdr.pd).to.equal(s.hdr.pd)
  })

  p.check('verifyEnvelope: ctx.maxBytes = the length accepts, one less refuses with ERR_ENVELOPE_TOO_LARGE', 1000, signedEnvelope, (s) => {
    if (overLimit(s)) return
    accepted(() => verifyEnvelope(s.jws, { ...s.ctx, maxBytes: s.jws.length }))
    refused(() => verifyEnvelope(s.jws, { ...s.ctx, maxBytes: s.jws.length - 1 }), ['ERR_ENVELOPE_TOO_LARGE'])
  })

  // --- The pipeline: mutations ---------------------------------------------------------

  const mutatedJws = signedEnvelope.chain((s) => stringMutation(s.jws).map((m) => ({ s, m })))
  p.check('verifyEnvelope: refuses every character-level mutation of a signed envelope (OpenSSL verifier)', 3000, mutatedJws, ({ s, m }) => {
    refused(() => verifyEnvelope(m.value, s.ctx), PIPELINE)
  })

  p.check('verifyEnvelope: refuses every character-level mutation of a signed envelope (noble verifier)', 400,
    envCase.chain((c) => {
      const s = signCase(c)
      return stringMutation(s.jws).map((m) => ({ s, m }))
    }), ({ s, m }) => {
      refused(() => verifyEnvelope(m.value, { ...s.ctx, crypto: nobleCrypto }), PIPELINE)
    })

  p.check('verifyEnvelope: a mutated signature is refused with ERR_ENVELOPE_ENCODING or ERR_INVALID_SIGNATURE (both verifiers)', 1500,
    signedEnvelope.chain((s) => {
      const [h, pl, sig] = s.jws.split('.') as [string, string, string]
      return stringMutation(sig).map((m) => ({ s, jws: `${h}.${pl}.${m.value}`, what: m.what }))
    }), ({ s, jws }) => {
      // An envelope generated at the size limit grows past it when the mutation adds a character.
      const codes = jws.length > MAX_ENVELOPE_BYTES ? ['ERR_ENVELOPE_TOO_LARGE'] : ['ERR_ENVELOPE_ENCODING', 'ERR_INVALID_SIGNATURE']
      refused(() => verifyEnvelope(jws, s.ctx), codes)
      // The pure-JS verifier is slow: one input in four goes through it too.
      if (s.c.pickRecipient % 4 === 0) refused(() => verifyEnvelope(jws, { ...s.ctx, crypto: nobleCrypto }), codes)
    })

  p.check('verifyEnvelope: refuses the signed payload re-encoded in any other way (duplicate field, key order, whitespace, types, swaps)', 2500,
    signedEnvelope.chain((s) => jsonTextMutation(payloadText(s.jws)).map((m) => ({ s, m }))), ({ s, m }) => {
      refused(() => verifyEnvelope(withPayload(s.jws, m.value), s.ctx), PIPELINE)
    })

  p.check('verifyEnvelope: a schema-breaking payload, even correctly signed, is refused with ERR_ENVELOPE_SCHEMA or ERR_BODY_SCHEMA', 2000,
    signedEnvelope.chain((s) => {
      const payload = JSON.parse(payloadText(s.jws)) as Record<string, unknown>
      const required = ['hdr', 'body', 'hdr.v', 'hdr.fed', 'hdr.id', 'hdr.kind', 'hdr.from', 'hdr.to', 'hdr.created']
      return fc.oneof(
        schemaMutation(payload),
        fc.constantFrom(...required).map((k) => ({ what: `${k} removed`, value: updateAt(payload, k.split('.'), () => undefined) }))
      ).map((m) => ({ s, m }))
    }), ({ s, m }) => {
      const header = JSON.stringify({ alg: 'EdDSA', kid: s.signer.kid, typ: 'imi-envelope+jws' })
      const jws = signCompact(header, utf8(JSON.stringify(m.value)), s.signer)
      refused(() => verifyEnvelope(jws, s.ctx), jws.length > MAX_ENVELOPE_BYTES ? ['ERR_ENVELOPE_TOO_LARGE'] : ['ERR_ENVELOPE_SCHEMA', 'ERR_BODY_SCHEMA'])
    })

  p.check('verifyEnvelope: a schema-breaking protected header, even correctly signed, is refused with ERR_ENVELOPE_SCHEMA', 2000,
    signedEnvelope.chain((s) => {
      const header = { alg: 'EdDSA', kid: s.signer.kid, typ: 'imi-envelope+jws' }
      return fc.oneof(
        schemaMutation(header),
        fc.constantFrom('alg', 'kid', 'typ').map((k) => ({ what: `${k} removed`, value: updateAt(header, [k], () => undefined) })),
        fc.constantFrom('none', 'HS256', 'ES256', 'eddsa', 'EdDSA ').map((alg) => ({ what: `alg ${alg}`, value: { ...header, alg } }))
      ).map((m) => ({ s, m }))
    }), ({ s, m }) => {
      const jws = signCompact(JSON.stringify(m.value), utf8(payloadText(s.jws)), s.signer)
      refused(() => verifyEnvelope(jws, s.ctx), jws.length > MAX_ENVELOPE_BYTES ? ['ERR_ENVELOPE_TOO_LARGE'] : SCHEMA)
    })

  // --- The pipeline: totality ----------------------------------------------------------

  // A JWS built from hostile JSON (header and payload), signed by a roster key or not, with
  // a receiver configured for direct messages, broadcasts or anything. The keys have no
  // end of validity here: the known bug below is reached only through one.
  const pool = COUNTRIES.slice(0, 6).map((c, i) => ({ country: c, signer: fastSigner(new Uint8Array(32).fill(i + 1)) }))
  const poolKeys: KeyResolver = {
    key: (kid) => {
      const k = pool.find((e) => e.signer.kid === kid)
      return k === undefined ? undefined : { kid, country: k.country, publicKey: k.signer.publicKey, notBefore: 0 }
    }
  }
  const hostileEnvelope = fc.record({
    signer: fc.nat({ max: pool.length - 1 }),
    header: fc.oneof(hostileJson, fc.constant('canonical')),
    payload: fc.oneof(hostileJson, validHeader.chain((hdr) => fc.tuple(fc.constant(hdr), fc.oneof(shallowJson, requestEventBody, alertEventBody, notificationEventBody)).chain(([h, body]) => looseMutation({ hdr: h, body })))),
    signed: fc.boolean(),
    fed: fc.constantFrom('imi', 'imi-test', 'x'),
    now: fc.oneof(timestamp, fc.constant(1_800_000_000_000)),
    bodies: fc.constantFrom('direct', 'broadcast', 'reply', 'none'),
    recipient: fc.option(country, { nil: undefined }),
    duplicate: fc.boolean()
  })
  p.check('verifyEnvelope: total over JWS built from hostile headers and payloads', 3000, hostileEnvelope, (e) => {
    const { signer } = pool[e.signer]!
    const header = e.header === 'canonical' ? JSON.stringify({ alg: 'EdDSA', kid: signer.kid, typ: 'imi-envelope+jws' }) : safeStringify(e.header)
    const payload = utf8(safeStringify(e.payload))
    const jws = e.signed ? signCompact(header, payload, signer) : `${toBase64url(utf8(header))}.${toBase64url(payload)}.${toBase64url(new Uint8Array(64))}`
    const ctx: VerifyContext = {
      federationId: e.fed, keys: poolKeys, crypto: fastCrypto, now: e.now,
      ...(e.bodies !== 'none' && { bodies: VALIDATORS[e.bodies] }),
      ...(e.recipient !== undefined && { recipient: e.recipient }),
      isDuplicate: () => e.duplicate
    }
    total(() => verifyEnvelope(jws, ctx), PIPELINE)
  })

  p.check('verifyEnvelope: total over arbitrary strings', 3000, fc.oneof(anyString, fc.string({ unit: 'binary', maxLength: 2000 })), (s) => {
    total(() => verifyEnvelope(s, { federationId: 'imi', keys: poolKeys, crypto: fastCrypto, now: 0 }), PIPELINE)
  })

  // Keys with an end of validity, envelopes dated anywhere a JavaScript Date can represent.
  const windowedCase = fc.tuple(envCase, fc.integer({ min: 0, max: 8_640_000_000_000_000 }), fc.integer({ min: 0, max: 8_640_000_000_000_000 }))
  const windowedCheck = ([c, notBefore, notAfter]: [EnvCase, number, number]): void => {
    const s = signCase(c)
    const window = { kid: s.signer.kid, country: c.from, publicKey: s.signer.publicKey, notBefore: Math.min(notBefore, notAfter), notAfter: Math.max(notBefore, notAfter) + 1 }
    const ctx = { ...s.ctx, keys: { key: (kid: string) => (kid === s.signer.kid ? window : undefined) } }
    if (overLimit(s)) return
    const out = total(() => verifyEnvelope(s.jws, ctx, s.pd), PIPELINE)
    const inside = c.created >= window.notBefore && c.created < window.notAfter
    if (!inside) expect(out.ok ? 'accepted' : out.error.code).to.equal('ERR_KEY_NOT_VALID_AT_TIME')
    else expect(out.ok).to.equal(true)
  }
  p.check('verifyEnvelope: a key is used exactly inside [notBefore, notAfter) (dates within the Date range)', 2000,
    windowedCase, windowedCheck)

  p.check('verifyEnvelope: total for envelopes dated after the Date range (created > 8.64e15) and a key with notAfter',
    1000, fc.tuple(envCase.map((c) => ({ ...c, created: 8_640_000_000_000_001 + (c.created % 360_000_000_000_000) })), fc.constant(0), fc.integer({ min: 0, max: 8_640_000_000_000_000 })),
    windowedCheck)

  // --- Personal-data sidecars ----------------------------------------------------------

  const withSidecar = envCase.filter((c) => c.personalData !== undefined).map((c) => signCase(c))
  p.check('verifyEnvelope: a changed sidecar is accepted iff its canonical JSON and salt are unchanged', 1500,
    withSidecar.chain((s) => fc.tuple(fc.constant(s), fc.oneof(
      looseMutation(s.pd!.data).filter((d) => isPlain(d)).map((data) => ({ salt: s.pd!.salt, data })),
      fc.constant({ salt: s.pd!.salt, data: Object.fromEntries(Object.entries(s.pd!.data as object).reverse()) }),
      canonicalDigest.map((salt) => ({ salt, data: s.pd!.data })),
      digest.map((salt) => ({ salt, data: s.pd!.data }))
    ))), ([s, pd]) => {
      if (overLimit(s)) return
      const same = pd.salt === s.pd!.salt && isObjectValue(pd.data) && canonicalJson(pd.data) === canonicalJson(s.pd!.data)
      const out = total(() => verifyEnvelope(s.jws, s.ctx, pd as PersonalDataSidecar), PIPELINE)
      if (same) expect(out.ok, out.ok ? '' : out.error.message).to.equal(true)
      else expect(out.ok ? 'accepted' : out.error.code).to.equal('ERR_PERSONAL_DATA_DIGEST')
    })

  const hostileSidecarFrame = (hostile: fc.Arbitrary<string>): fc.Arbitrary<{ s: Signed, frame: Uint8Array }> =>
    withSidecar.chain((s) => hostile.map((value) => ({
      s, frame: utf8(`{"jws":${JSON.stringify(s.jws)},"pd":{"salt":${JSON.stringify(s.pd!.salt)},"data":{"x":${value}}}}`)
    })))
  const sidecarTotal = ({ s, frame }: { s: Signed, frame: Uint8Array }): void => {
    const wire = total(() => decodeWire(frame), ['ERR_ENVELOPE_ENCODING', 'ERR_ENVELOPE_SCHEMA', 'ERR_ENVELOPE_TOO_LARGE'])
    if (wire.ok) total(() => verifyEnvelope(wire.value.jws, s.ctx, wire.value.pd), PIPELINE)
  }
  p.check('verifyEnvelope: total over sidecars from the wire holding finite, shallow JSON', 1500,
    hostileSidecarFrame(hostileJsonText.filter((t) => isPlain(JSON.parse(t)))), sidecarTotal)

  p.check('verifyEnvelope: total over sidecars from the wire holding a number beyond double range',
    500, hostileSidecarFrame(fc.constantFrom('1e400', '-1e400', '[1e999]', '{"a":1e309}')), sidecarTotal)

  p.check('verifyEnvelope: total over sidecars from the wire holding deeply nested JSON',
    50, hostileSidecarFrame(fc.integer({ min: 10_000, max: 60_000 }).map((n) => '['.repeat(n) + ']'.repeat(n))), sidecarTotal)

  // --- Receipts -------------------------------------------------------------------------

  p.check('checkReceipt: a verified receipt is taken iff it names this message, its digest, its addressee and its sender', 1000,
    fc.record({
      c: envCase.filter((c) => c.channel === 'direct' && c.to[0] !== '*'),
      receiptSeed: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      flaw: fc.constantFrom('none', 'kind', 'for', 'digest', 'pd', 'from', 'to'),
      other: fc.tuple(messageId, canonicalDigest, fc.constantFrom(...COUNTRIES))
    }), ({ c, receiptSeed, flaw, other: [id, dig, who] }) => {
      const s = signCase(c)
      if (overLimit(s)) return
      const message = verifyEnvelope(s.jws, s.ctx, s.pd)
      const receiver = message.hdr.to[c.pickRecipient % message.hdr.to.length]!
      const honest = receiptBodyFor(message)
      const body = flaw === 'for' ? { ...honest, for: id } : flaw === 'digest' ? { ...honest, digest: dig } : flaw === 'pd' && message.pd !== undefined ? { for: honest.for, digest: honest.digest } : honest
      const from = flaw === 'from' ? (who === receiver || message.hdr.to.includes(who) ? COUNTRIES.find((x) => !message.hdr.to.includes(x))! : who) : receiver
      const to = flaw === 'to' ? [who === message.hdr.from ? COUNTRIES.find((x) => x !== message.hdr.from)! : who] : [message.hdr.from]
      const receiptCase: EnvCase = { ...c, seed: receiptSeed, from, to, kind: flaw === 'kind' ? 'note' : 'receipt', channel: 'reply', body: flaw === 'kind' ? { text: 'x' } : body, personalData: undefined, fromAuthority: undefined, toAuthority: undefined }
      const r = signCase(receiptCase)
      const receipt = verifyEnvelope(r.jws, { ...r.ctx, bodies: undefined } as unknown as VerifyContext)
      const flawed = flaw !== 'none' && !(flaw === 'pd' && message.pd === undefined)
      const out = total(() => checkReceipt(receipt, message, message.pd !== undefined), ['ERR_RECEIPT_MISMATCH'])
      expect(out.ok, flaw).to.equal(!flawed)
    })

  // --- Size limits ---------------------------------------------------------------------

  const envelopeNear = new Map<number, Signed>()
  /** A signed envelope as long as possible without exceeding `target` characters. */
  function envelopeOfLength (target: number): Signed {
    let s = envelopeNear.get(target)
    if (s !== undefined) return s
    const base: EnvCase = {
      seed: new Uint8Array(32).fill(9), entropy: new Uint8Array(64).fill(3), fed: 'imi', from: 'PL', kind: 'note', channel: 'direct',
      body: { text: '' }, to: ['CZ'], fromAuthority: undefined, toAuthority: undefined, personalData: undefined, created: 1_800_000_000_000, age: 0, pickRecipient: 0
    }
    const lengthOf = (n: number): number => signCase({ ...base, body: { text: 'x'.repeat(n) } }).jws.length
    let lo = 0
    let hi = target
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2)
      if (lengthOf(mid) <= target) lo = mid
      else hi = mid - 1
    }
    s = signCase({ ...base, body: { text: 'x'.repeat(lo) } })
    // No body validators: MAX_NOTE_CHARS would refuse the body long before the envelope limit.
    s = { ...s, ctx: { ...s.ctx, bodies: undefined } as unknown as VerifyContext }
    envelopeNear.set(target, s)
    return s
  }
  p.check('verifyEnvelope: an envelope is refused with ERR_ENVELOPE_TOO_LARGE iff it exceeds MAX_ENVELOPE_BYTES', 60,
    fc.integer({ min: -4, max: 4 }), (k) => {
      const s = envelopeOfLength(MAX_ENVELOPE_BYTES + k)
      const out = total(() => verifyEnvelope(s.jws, { ...s.ctx, bodies: undefined } as unknown as VerifyContext), PIPELINE)
      if (s.jws.length > MAX_ENVELOPE_BYTES) expect(out.ok ? 'accepted' : out.error.code).to.equal('ERR_ENVELOPE_TOO_LARGE')
      else expect(out.ok).to.equal(true)
    }, { budgetMs: 5000 })

  p.check('decodeWire, decodeReply: frames are refused with ERR_ENVELOPE_TOO_LARGE iff over MAX_WIRE_BYTES (valid frames padded)', 100,
    fc.tuple(fc.integer({ min: -3, max: 3 }), fc.constantFrom('wire', 'reply'), fc.constantFrom(' ', '\n', '\t')), ([k, which, pad]) => {
      const json = which === 'wire' ? '{"jws":"a.b.c"}' : '{"receipt":"a.b.c"}'
      const frame = utf8(json + pad.repeat(MAX_WIRE_BYTES + k - json.length))
      const out = total(() => (which === 'wire' ? decodeWire(frame) : decodeReply(frame)), ['ERR_ENVELOPE_TOO_LARGE'])
      expect(out.ok).to.equal(k <= 0)
      refused(() => (which === 'wire' ? decodeWire(frame, frame.length - 1) : decodeReply(frame, frame.length - 1)), ['ERR_ENVELOPE_TOO_LARGE'])
      accepted(() => (which === 'wire' ? decodeWire(frame, frame.length) : decodeReply(frame, frame.length)))
    }, { budgetMs: 5000 })

  p.check('checkSidecar: personal data is refused with ERR_ENVELOPE_TOO_LARGE iff its canonical JSON exceeds MAX_PERSONAL_DATA_BYTES', 300,
    fc.tuple(fc.integer({ min: -3, max: 3 }), fc.constantFrom('x', 'é', '\u20ac'), canonicalDigest), ([k, unit, salt]) => {
      // {"x":"…"}: 8 bytes of punctuation; the filler unit is 1, 2 or 3 UTF-8 bytes.
      const bytes = MAX_PERSONAL_DATA_BYTES + k - 8
      const unitBytes = utf8(unit).length
      const text = unit.repeat(Math.floor(bytes / unitBytes)) + 'x'.repeat(bytes % unitBytes)
      const sidecar = { salt, data: { x: text } }
      const size = utf8(canonicalJson(sidecar.data)).length
      expect(size).to.equal(MAX_PERSONAL_DATA_BYTES + k)
      if (size <= MAX_PERSONAL_DATA_BYTES) {
        accepted(() => checkSidecar(personalDataDigest(sidecar, fastCrypto), sidecar, fastCrypto))
      } else {
        refused(() => checkSidecar('A'.repeat(43), sidecar, fastCrypto), ['ERR_ENVELOPE_TOO_LARGE'])
        refused(() => personalDataDigest(sidecar, fastCrypto), ['ERR_ENVELOPE_TOO_LARGE'])
      }
    }, { budgetMs: 3000 })

  p.check('checkSidecar: a salt that is not 32 bytes of canonical base64url is refused with ERR_PERSONAL_DATA_DIGEST', 2000,
    fc.tuple(fc.oneof(digest, fc.string({ maxLength: 50 }), fc.uint8Array({ maxLength: 40 }).map(toBase64url)), plainJsonObject), ([salt, data]) => {
      const bytes = fromBase64url(salt)
      const out = total(() => personalDataDigest({ salt, data }, fastCrypto), ['ERR_PERSONAL_DATA_DIGEST'])
      expect(out.ok).to.equal(bytes?.length === 32)
    })

  p.check('decodeWire, decodeReply, decodeSidecar: total over arbitrary values and bytes', 3000, fc.oneof(hostileBytes, anyValue), (v) => {
    const codes = ['ERR_ENVELOPE_ENCODING', 'ERR_ENVELOPE_SCHEMA', 'ERR_ENVELOPE_TOO_LARGE']
    if (v instanceof Uint8Array) {
      total(() => decodeWire(v), codes)
      total(() => decodeReply(v), codes)
    }
    total(() => decodeSidecar(v), codes)
    total(() => decodeWireValue(v), codes)
  })
})

/**
 * A valid body can make an envelope longer than MAX_ENVELOPE_BYTES (60,000 characters of
 * draft that JSON escapes six-fold, or base64url grows by a third): such an envelope is
 * refused with ERR_ENVELOPE_TOO_LARGE, checked here, and the property moves on.
 */
function overLimit (s: Signed): boolean {
  if (s.jws.length <= MAX_ENVELOPE_BYTES) return false
  refused(() => verifyEnvelope(s.jws, s.ctx, s.pd), ['ERR_ENVELOPE_TOO_LARGE'])
  return true
}

function isObjectValue (v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Finite numbers, ordinary values, at most 50 deep: what canonicalJson handles. */
function isPlain (v: unknown, depth = 0): boolean {
  if (depth > 50) return false
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return true
  if (typeof v === 'number') return Number.isFinite(v)
  if (Array.isArray(v)) return v.every((x) => isPlain(x, depth + 1))
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.values(v).every((x) => isPlain(x, depth + 1))
  return false
}

/** JSON text of a hostile value; values JSON cannot write (too deep for JSON.stringify) become a string. */
function safeStringify (v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'null'
  } catch {
    return '"unwritable"'
  }
}
