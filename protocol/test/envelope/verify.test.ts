import { expect } from 'chai'
import {
  DIRECT_MESSAGE_KINDS, MAX_MESSAGE_AGE_MS, decodeWire, encodeWire, nobleCrypto, nobleSigner,
  signCompact, signEnvelope, toBase64url, utf8, verifyEnvelope,
  type EnvelopeDraft, type KeyResolver, type VerifyContext
} from '../../src/index.js'
import { FED, T0, seedFor, testFederation, testRandom } from '../fixtures.js'

const fed = testFederation(['CZ', 'PL', 'AT'])
const cz = fed.signers.get('CZ')!
const note: EnvelopeDraft = { kind: 'note', from: 'CZ', to: ['PL'], body: { text: 'Is authorisation 123 valid?' } }

function sign (draft: EnvelopeDraft = note, over: { now?: number, signer?: typeof cz, federationId?: string } = {}) {
  return signEnvelope(draft, {
    federationId: over.federationId ?? FED, signer: over.signer ?? cz, crypto: nobleCrypto, now: over.now ?? T0, randomBytes: testRandom
  })
}

function ctx (over: Partial<VerifyContext> = {}): VerifyContext {
  return { federationId: FED, keys: fed.roster, crypto: nobleCrypto, now: T0 + 1000, recipient: 'PL', bodies: DIRECT_MESSAGE_KINDS, ...over }
}

function codeOf (fn: () => unknown): string {
  try { fn() } catch (err) { return (err as { code: string }).code }
  return 'accepted'
}

/** Re-signs an arbitrary payload with CZ's key, to reach checks behind the signature. */
function signRaw (payload: unknown, header: object = { alg: 'EdDSA', kid: cz.kid, typ: 'imi-envelope+jws' }): string {
  return signCompact(JSON.stringify(header), utf8(JSON.stringify(payload)), cz)
}

describe('envelope validation pipeline', () => {
  it('accepts a well-formed envelope and reports its header, body and digest', () => {
    const env = sign()
    const ok = verifyEnvelope(env.jws, ctx())
    expect(ok.hdr).to.deep.equal(env.hdr)
    expect(ok.body).to.deep.equal({ text: 'Is authorisation 123 valid?' })
    expect(ok.digest).to.equal(env.digest).and.match(/^[\w-]{43}$/)
  })

  it('binds personal data by a salted digest and still verifies once it is deleted', () => {
    const env = sign({ ...note, personalData: { name: 'Jan Kowalski', born: '1980-02-03' } })
    expect(env.hdr.pd).to.match(/^[\w-]{43}$/)
    expect(env.jws).to.not.include('Kowalski')
    const wire = decodeWire(encodeWire(env.wire))
    expect(verifyEnvelope(wire.jws, ctx(), wire.pd).pd?.data).to.deep.equal({ name: 'Jan Kowalski', born: '1980-02-03' })
    // Erasure: sidecar and salt gone, the signed evidence still verifies.
    expect(verifyEnvelope(wire.jws, ctx()).hdr.pd).to.equal(env.hdr.pd)
  })

  it('salts the digest: the same personal data gives different digests', () => {
    const a = sign({ ...note, personalData: { name: 'A' } })
    const b = sign({ ...note, personalData: { name: 'A' } })
    expect(a.hdr.pd).to.not.equal(b.hdr.pd)
  })

  const rejections: Array<[string, string, () => unknown]> = [
    ['ERR_ENVELOPE_TOO_LARGE', 'an envelope over the size limit', () => verifyEnvelope(sign({ ...note, body: { text: 'x'.repeat(3000) } }).jws, ctx({ maxBytes: 2048 }))],
    ['ERR_ENVELOPE_ENCODING', 'text that is not a JWS', () => verifyEnvelope('not-a-jws', ctx())],
    ['ERR_ENVELOPE_ENCODING', 'a JWS with a non-base64url character', () => verifyEnvelope('a.b.c*', ctx())],
    ['ERR_ENVELOPE_ENCODING', 'a header that is not JSON', () => verifyEnvelope(signRaw('x').replace(/^[^.]+/, toBase64url(utf8('{nope'))), ctx())],
    ['ERR_ENVELOPE_SCHEMA', 'an unknown header field', () => verifyEnvelope(signRaw({ hdr: { ...sign().hdr, extra: 1 }, body: {} }), ctx())],
    ['ERR_ENVELOPE_SCHEMA', 'an unknown sender country', () => verifyEnvelope(signRaw({ hdr: { ...sign().hdr, from: 'XX' }, body: {} }), ctx())],
    ['ERR_ENVELOPE_SCHEMA', 'alg none', () => verifyEnvelope(signRaw({ hdr: sign().hdr, body: {} }, { alg: 'none', kid: cz.kid, typ: 'imi-envelope+jws' }), ctx())],
    ['ERR_WRONG_FEDERATION', 'a training-federation envelope', () => verifyEnvelope(sign(note, { federationId: 'imi-training' }).jws, ctx())],
    ['ERR_UNKNOWN_KEY', 'a key the roster does not know', () => verifyEnvelope(sign(note, { signer: nobleSigner(seedFor('intruder')) }).jws, ctx())],
    ['ERR_WRONG_COUNTRY_FOR_KEY', 'a key of another country', () => verifyEnvelope(sign({ ...note, from: 'AT' }).jws, ctx())],
    ['ERR_STALE_MESSAGE', 'a replay older than the window', () => verifyEnvelope(sign().jws, ctx({ now: T0 + MAX_MESSAGE_AGE_MS + 1 }))],
    ['ERR_FUTURE_MESSAGE', 'an envelope from the future', () => verifyEnvelope(sign(note, { now: T0 + 3_600_000 }).jws, ctx())],
    ['ERR_INVALID_SIGNATURE', 'a forged signature', () => {
      const jws = sign().jws
      const [h, p] = jws.split('.')
      const forged = signRaw(JSON.parse(Buffer.from(p!, 'base64url').toString()))
      return verifyEnvelope(`${h}.${p}.${forged.split('.')[2]!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`, ctx())
    }],
    ['ERR_INVALID_SIGNATURE', 'a body changed after signing', () => {
      // A body changed after signing.
      const [h, , s] = sign().jws.split('.')
      const p = toBase64url(utf8(JSON.stringify({ hdr: sign().hdr, body: { text: 'changed' } })))
      return verifyEnvelope(`${h}.${p}.${s}`, ctx())
    }],
    ['ERR_DUPLICATE_MESSAGE', 'a duplicate id', () => verifyEnvelope(sign().jws, ctx({ isDuplicate: () => true }))],
    ['ERR_WRONG_RECIPIENT', 'an envelope addressed to another state', () => verifyEnvelope(sign().jws, ctx({ recipient: 'AT' }))],
    ['ERR_UNKNOWN_KIND', 'an unknown message kind', () => verifyEnvelope(sign({ ...note, kind: 'teleport' }).jws, ctx())],
    ['ERR_BODY_SCHEMA', 'a body of the wrong shape', () => verifyEnvelope(sign({ ...note, body: { text: 42 } }).jws, ctx())],
    ['ERR_PERSONAL_DATA_DIGEST', 'personal data that does not match the digest', () => {
      const env = sign({ ...note, personalData: { name: 'A' } })
      return verifyEnvelope(env.jws, ctx(), { ...env.pd!, data: { name: 'B' } })
    }],
    ['ERR_PERSONAL_DATA_DIGEST', 'personal data for an envelope that committed to none', () => {
      const env = sign()
      return verifyEnvelope(env.jws, ctx(), { salt: toBase64url(new Uint8Array(32)), data: { name: 'B' } })
    }]
  ]
  for (const [code, what, attempt] of rejections) {
    it(`rejects ${what} with ${code}`, () => {
      expect(codeOf(attempt)).to.equal(code)
    })
  }

  it('rejects with ERR_KEY_NOT_VALID_AT_TIME outside the key window', () => {
    const windowed: KeyResolver = { key: (kid) => { const k = fed.roster.key(kid); return k && { ...k, notBefore: T0 - 10, notAfter: T0 } } }
    expect(codeOf(() => verifyEnvelope(sign().jws, ctx({ keys: windowed })))).to.equal('ERR_KEY_NOT_VALID_AT_TIME')
    expect(codeOf(() => verifyEnvelope(sign(note, { now: T0 - 11 }).jws, ctx({ keys: windowed })))).to.equal('ERR_KEY_NOT_VALID_AT_TIME')
    expect(codeOf(() => verifyEnvelope(sign(note, { now: T0 - 1 }).jws, ctx({ keys: windowed })))).to.equal('accepted')
  })

  it('gives duplicates the ignore verdict and everything else reject', () => {
    const verdictOf = (fn: () => unknown): string => {
      try { fn() } catch (err) { return (err as { verdict: string }).verdict }
      return 'accepted'
    }
    expect(verdictOf(() => verifyEnvelope(sign().jws, ctx({ isDuplicate: () => true })))).to.equal('ignore')
    expect(verdictOf(() => verifyEnvelope('x', ctx()))).to.equal('reject')
  })

  it('accepts broadcasts addressed to all', () => {
    expect(verifyEnvelope(sign({ ...note, to: ['*'] }).jws, ctx({ recipient: 'AT' })).hdr.to).to.deep.equal(['*'])
  })
})
