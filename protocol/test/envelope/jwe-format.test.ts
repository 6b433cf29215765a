import { expect } from 'chai'
import { ImiError, toBase64url, utf8 } from '../../src/index.js'
import {
  JweDecryptError, JweFormatError, MAX_JWE_AAD_BYTES, MAX_JWE_CIPHERTEXT_BYTES, MAX_JWE_RECIPIENTS,
  NotARecipientError, decodeGeneralJwe, decodeJweProtectedHeader, jweRecipientFor
} from '../../src/envelope/jwe-format.js'

// Structure only: the decoder never decrypts, so filler bytes of the right lengths do.
const bytes = (n: number, fill = 7): string => toBase64url(new Uint8Array(n).fill(fill))
const header = (h: Record<string, unknown>): string => toBase64url(utf8(JSON.stringify(h)))
const BASE = { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', typ: 'imi-alert+jwe' }
const epk = (i = 1) => ({ kty: 'OKP', crv: 'X25519', x: bytes(32, i) })
const COUNTRIES = ['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'GR', 'ES', 'FI', 'FR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK', 'IS', 'LI', 'NO']

type Jwe = Record<string, unknown> & { recipients: Array<Record<string, unknown> & { header: Record<string, unknown> }> }

function recipient (i: number, withEpk = true) {
  return { header: { kid: bytes(32, i), 'imi-country': COUNTRIES[i % COUNTRIES.length], ...(withEpk && { epk: epk(i) }) }, encrypted_key: bytes(40, i) }
}

/** A structurally valid General JWE with n recipients. */
function sample (n = 2): Jwe {
  const single = n === 1
  return {
    protected: header(single ? { ...BASE, epk: epk(99) } : BASE),
    recipients: Array.from({ length: n }, (_, i) => recipient(i, !single)),
    iv: bytes(12),
    ciphertext: bytes(100),
    tag: bytes(16),
    aad: bytes(32)
  }
}

function refuses (value: unknown, pattern?: RegExp, limits = {}): void {
  let caught: unknown
  try { decodeGeneralJwe(value, limits) } catch (err) { caught = err }
  expect(caught, 'should throw').to.be.instanceOf(JweFormatError)
  expect((caught as JweFormatError).code).to.equal('ERR_JWE_FORMAT')
  if (pattern !== undefined) expect((caught as Error).message).to.match(pattern)
}

describe('JWE format (issue 5)', () => {
  it('accepts several recipients with their ephemeral keys in their own headers', () => {
    const jwe = decodeGeneralJwe(sample(3))
    expect(jwe.recipients).to.have.length(3)
    expect(jwe.recipients[1]!.header).to.deep.equal({ kid: bytes(32, 1), 'imi-country': 'BE', epk: epk(1) })
    expect(jwe.aad).to.equal(bytes(32))
  })

  it('accepts one recipient with the ephemeral key in the protected header', () => {
    const jwe = decodeGeneralJwe(sample(1))
    expect(decodeJweProtectedHeader(jwe.protected)).to.deep.equal({ ...BASE, epk: epk(99) })
    expect(jwe.recipients[0]!.header.epk).to.equal(undefined)
  })

  it('accepts all thirty member states and no aad', () => {
    const value = sample(MAX_JWE_RECIPIENTS)
    delete value.aad
    const jwe = decodeGeneralJwe(value)
    expect(new Set(jwe.recipients.map((r) => r.header['imi-country'])).size).to.equal(30)
    expect('aad' in jwe).to.equal(false)
  })

  it('returns a fresh object, and finds an entry by kid', () => {
    const value = sample(2)
    const jwe = decodeGeneralJwe(value)
    expect(jwe).to.not.equal(value)
    expect(jweRecipientFor(jwe, bytes(32, 1))!.header['imi-country']).to.equal('BE')
    expect(jweRecipientFor(jwe, bytes(32, 5))).to.equal(undefined)
  })

  it('refuses what is not an object', () => {
    for (const v of [null, 'x', 1, [], [sample()]]) refuses(v, /jwe must be an object/)
  })

  it('refuses extra members at every level', () => {
    for (const extra of ['unprotected', 'header', 'encrypted_key', 'x']) refuses({ ...sample(), [extra]: {} }, new RegExp(`jwe.${extra} is not allowed`))
    const r = sample()
    r.recipients[0] = { ...r.recipients[0]!, extra: 1 }
    refuses(r, /recipients\[0\]\.extra is not allowed/)
    for (const extra of ['alg', 'enc', 'jku', 'x5u', 'apu']) {
      const h = sample()
      h.recipients[1]!.header[extra] = 'x'
      refuses(h, new RegExp(`recipients\\[1\\]\\.header\\.${extra} is not allowed`))
    }
    for (const extra of ['zip', 'crit', 'kid', 'apv', 'cty']) refuses({ ...sample(), protected: header({ ...BASE, [extra]: 'x' }) }, new RegExp(`protected\\.${extra} is not allowed`))
    const e = sample()
    e.recipients[0]!.header.epk = { ...epk(), d: bytes(32) }
    refuses(e, /epk\.d is not allowed/)
  })

  it('refuses any other algorithm, encryption or type', () => {
    refuses({ ...sample(), protected: header({ ...BASE, alg: 'ECDH-ES' }) }, /alg must be/)
    refuses({ ...sample(), protected: header({ ...BASE, alg: 'RSA-OAEP-256' }) }, /alg must be/)
    refuses({ ...sample(), protected: header({ ...BASE, enc: 'A128CBC-HS256' }) }, /enc must be/)
    refuses({ ...sample(), protected: header({ ...BASE, typ: 'JWE' }) }, /typ must be/)
    refuses({ ...sample(), protected: header({ enc: 'A256GCM', typ: 'imi-alert+jwe' }) }, /alg must be/)
    const p256 = sample()
    p256.recipients[0]!.header.epk = { kty: 'EC', crv: 'P-256', x: bytes(32) }
    refuses(p256, /epk\.kty must be OKP/)
  })

  it('refuses a protected header that is not base64url JSON', () => {
    refuses({ ...sample(), protected: 'not json!' })
    refuses({ ...sample(), protected: toBase64url(utf8('{"alg":')) }, /not UTF-8 JSON/)
    refuses({ ...sample(), protected: header({ ...BASE, pad: 'x'.repeat(600) }) }, /longer than/)
  })

  it('puts the ephemeral key in exactly one place', () => {
    const both = sample(1)
    both.recipients[0]!.header.epk = epk()
    refuses(both, /epk is not allowed/)
    refuses({ ...sample(1), protected: header(BASE) }, /protected\.epk is required/)
    refuses({ ...sample(2), protected: header({ ...BASE, epk: epk() }) }, /protected\.epk is not allowed/)
    const missing = sample(2)
    delete missing.recipients[1]!.header.epk
    refuses(missing, /recipients\[1\]\.header\.epk must be an object/)
  })

  it('refuses an ephemeral key X25519 would read as another (top bit set, or not below p)', () => {
    const key = (edit: (b: Uint8Array) => void): string => { const b = new Uint8Array(32).fill(7); edit(b); return toBase64url(b) }
    const highBit = sample(2)
    highBit.recipients[1]!.header.epk = { ...epk(), x: key((b) => { b[31] = 0x87 }) }
    refuses(highBit, /recipients\[1\]\.header\.epk\.x is not a canonical X25519 public key/)
    const p = key((b) => { b.fill(0xff); b[0] = 0xed; b[31] = 0x7f })
    refuses({ ...sample(1), protected: header({ ...BASE, epk: { ...epk(), x: p } }) }, /protected\.epk\.x is not a canonical/)
    const belowP = sample(2)
    belowP.recipients[0]!.header.epk = { ...epk(), x: key((b) => { b.fill(0xff); b[0] = 0xec; b[31] = 0x7f }) }
    expect(decodeGeneralJwe(belowP).recipients).to.have.length(2)
  })

  it('refuses no recipients and more than thirty', () => {
    refuses({ ...sample(), recipients: [] }, /1 to 30 items/)
    const many = sample(2)
    many.recipients = Array.from({ length: MAX_JWE_RECIPIENTS + 1 }, (_, i) => recipient(i))
    refuses(many, /1 to 30 items/)
    refuses(sample(5), /1 to 4 items/, { maxRecipients: 4 })
    refuses(many, /1 to 30 items/, { maxRecipients: 1000 })
  })

  it('refuses the same key or country twice', () => {
    const kid = sample(3)
    kid.recipients[2]!.header.kid = kid.recipients[0]!.header.kid
    refuses(kid, /recipients\[2\]\.header\.kid is listed twice/)
    const country = sample(3)
    country.recipients[2]!.header['imi-country'] = 'AT'
    refuses(country, /imi-country is listed twice/)
  })

  it('refuses unknown country codes and malformed key ids', () => {
    for (const c of ['XX', 'pl', 'EL', '', 1]) {
      const r = sample()
      r.recipients[0]!.header['imi-country'] = c
      refuses(r, /imi-country must be a member state code/)
    }
    for (const kid of ['short', bytes(33), 42]) {
      const r = sample()
      r.recipients[0]!.header.kid = kid
      refuses(r, /header\.kid/)
    }
  })

  it('refuses oversized ciphertext and aad, honouring tighter limits only', () => {
    expect(decodeGeneralJwe({ ...sample(), ciphertext: bytes(MAX_JWE_CIPHERTEXT_BYTES) }).ciphertext).to.have.length(Math.ceil(MAX_JWE_CIPHERTEXT_BYTES * 4 / 3))
    refuses({ ...sample(), ciphertext: bytes(MAX_JWE_CIPHERTEXT_BYTES + 1) }, /ciphertext/)
    refuses({ ...sample(), ciphertext: bytes(1001) }, /ciphertext/, { maxCiphertextBytes: 1000 })
    refuses({ ...sample(), ciphertext: bytes(MAX_JWE_CIPHERTEXT_BYTES + 1) }, /ciphertext/, { maxCiphertextBytes: 10 * MAX_JWE_CIPHERTEXT_BYTES })
    refuses({ ...sample(), aad: bytes(MAX_JWE_AAD_BYTES + 1) }, /aad/)
    refuses({ ...sample(), aad: '' }, /aad/)
  })

  it('refuses wrong lengths and non-canonical base64url', () => {
    refuses({ ...sample(), iv: bytes(16) }, /jwe\.iv/)
    refuses({ ...sample(), iv: bytes(11) }, /iv must be 12 bytes/)
    refuses({ ...sample(), tag: bytes(12) }, /tag must be 16 bytes/)
    const key = sample()
    key.recipients[0]!.encrypted_key = bytes(32)
    refuses(key, /encrypted_key must be 40 bytes/)
    const x = sample()
    x.recipients[0]!.header.epk = { ...epk(), x: bytes(31) }
    refuses(x, /epk\.x must be 32 bytes/)
    refuses({ ...sample(), iv: bytes(12) + '=' }, /iv/)
    refuses({ ...sample(), tag: bytes(16).slice(0, -1) + 'B' }, /not canonical/) // leftover bits set
    refuses({ ...sample(), ciphertext: 'a+b/' }, /ciphertext/)
    refuses({ ...sample(), ciphertext: 5 }, /ciphertext must be a string/)
  })

  it('has typed errors with stable codes and verdicts', () => {
    for (const [cls, code, verdict] of [[JweFormatError, 'ERR_JWE_FORMAT', 'reject'], [NotARecipientError, 'ERR_NOT_A_RECIPIENT', 'ignore'], [JweDecryptError, 'ERR_JWE_DECRYPT', 'reject']] as const) {
      const err = new cls('m')
      expect(err).to.be.instanceOf(ImiError)
      expect(err.code).to.equal(code)
      expect(cls.code).to.equal(code)
      expect(err.verdict).to.equal(verdict)
      expect(err.name).to.equal(cls.name)
    }
  })
})
