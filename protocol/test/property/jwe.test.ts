/**
 * Property tests of the JWE format checks (General JSON serialisation, the one shape
 * sealed alert content takes): structure, canonical base64url, and size limits, before
 * anything is decrypted (issue 9, part 6). Decryption of mutated JWEs is tested on the
 * node side (node/test/unit/property-crypto.test.ts), where the crypto lives.
 */
import { expect } from 'chai'
import fc from 'fast-check'
import {
  JWE_ALG, JWE_ENC, JWE_TYPE_ALERT, MAX_JWE_AAD_BYTES, MAX_JWE_CIPHERTEXT_BYTES, MAX_JWE_RECIPIENTS, decodeGeneralJwe,
  decodeJweProtectedHeader, fromBase64url, fromUtf8, toBase64url, utf8
} from '../../src/index.js'
import {
  anyValue, country, digest, hostileBytes, hostileJsonText, schemaMutation, shallowJson, stringMutation, updateAt, type Path
} from './arbitraries.js'
import { decoderProperties } from './decoder-suite.js'
import { properties, refused, total } from './harness.js'

const FORMAT = ['ERR_JWE_FORMAT']
const COUNTRIES = ['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO']

const b64 = (min: number, max = min): fc.Arbitrary<string> => fc.uint8Array({ minLength: min, maxLength: max }).map(toBase64url)
/** A canonical X25519 public key: below 2^254, so below p = 2^255 - 19 (what a real key is). */
const x25519 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => { b[31]! &= 0x3f; return toBase64url(b) })
const epk = fc.record({ kty: fc.constant('OKP'), crv: fc.constant('X25519'), x: x25519 })

function protectedOf (header: object): string {
  return toBase64url(utf8(JSON.stringify(header)))
}

type Jwe = Record<string, unknown> & { recipients: Array<Record<string, unknown>> }

/** A well-formed JWE: one recipient (epk protected) or several (epk per recipient). */
const validJwe: fc.Arbitrary<Jwe> = fc.uniqueArray(country, { minLength: 1, maxLength: 6 }).chain((countries) =>
  fc.record({
    epk,
    kids: fc.uniqueArray(digest, { minLength: countries.length, maxLength: countries.length }),
    keys: fc.array(fc.tuple(b64(40), epk), { minLength: countries.length, maxLength: countries.length }),
    iv: b64(12),
    ciphertext: fc.oneof(b64(0, 200), b64(1000, 5000)),
    tag: b64(16),
    aad: fc.option(b64(1, 64), { nil: undefined })
  }).map(({ epk: single, kids, keys, iv, ciphertext, tag, aad }) => {
    const one = countries.length === 1
    const jwe: Jwe = {
      protected: protectedOf({ alg: JWE_ALG, enc: JWE_ENC, typ: JWE_TYPE_ALERT, ...(one && { epk: single }) }),
      recipients: countries.map((c, i) => ({
        header: { kid: kids[i]!, 'imi-country': c, ...(!one && { epk: keys[i]![1] }) },
        encrypted_key: keys[i]![0]
      })),
      iv, ciphertext, tag
    }
    return aad === undefined ? jwe : { ...jwe, aad }
  }))

/** The canonical base64url check, done independently of the protocol's decoder. */
function isCanonicalB64u (s: string): boolean {
  return /^[A-Za-z0-9_-]*$/.test(s) && Buffer.from(s, 'base64url').toString('base64url') === s
}

function requiredOf (j: Jwe): string[] {
  return ['protected', 'recipients', 'iv', 'ciphertext', 'tag']
    .concat(j.recipients.flatMap((_, i) => [`recipients.${i}.header`, `recipients.${i}.encrypted_key`, `recipients.${i}.header.kid`, `recipients.${i}.header.imi-country`]))
    .concat(j.recipients.length > 1 ? j.recipients.map((_, i) => `recipients.${i}.header.epk`) : [])
}

describe('property: JWE format (decodeGeneralJwe, decodeJweProtectedHeader)', function () {
  const p = properties('JWE format')

  decoderProperties(p, {
    name: 'decodeGeneralJwe',
    decode: (v) => decodeGeneralJwe(v),
    codes: FORMAT,
    valid: validJwe,
    required: () => ['protected', 'recipients', 'iv', 'ciphertext', 'tag'],
    limits: [
      { what: 'recipients count', base: validJwe, at: (j: Jwe, n: number) => withRecipients(j, n), min: 1, max: MAX_JWE_RECIPIENTS },
      { what: 'ciphertext bytes', base: validJwe, at: (j: Jwe, n: number) => ({ ...j, ciphertext: toBase64url(new Uint8Array(n)) }), max: MAX_JWE_CIPHERTEXT_BYTES },
      { what: 'aad bytes', base: validJwe, at: (j: Jwe, n: number) => ({ ...j, aad: toBase64url(new Uint8Array(n).fill(7)) }), min: 1, max: MAX_JWE_AAD_BYTES },
      { what: 'iv bytes', base: validJwe, at: (j: Jwe, n: number) => ({ ...j, iv: toBase64url(new Uint8Array(n)) }), min: 12, max: 12 },
      { what: 'tag bytes', base: validJwe, at: (j: Jwe, n: number) => ({ ...j, tag: toBase64url(new Uint8Array(n)) }), min: 16, max: 16 },
      { what: 'encrypted key bytes', base: validJwe, at: (j: Jwe, n: number) => updateAt(j, ['recipients', 0, 'encrypted_key'], () => toBase64url(new Uint8Array(n))), min: 40, max: 40 },
      {
        what: 'protected header characters',
        base: validJwe.filter((j) => j.recipients.length > 1),
        // The header's JSON padded with spaces after the object (still the same header) to exactly
        // n base64url characters; no canonical base64url is 4k+1 long, so those n move one away.
        at: (j: Jwe, n: number) => {
          const json = JSON.stringify({ alg: JWE_ALG, enc: JWE_ENC, typ: JWE_TYPE_ALERT })
          const target = n % 4 === 1 ? (n <= 512 ? n - 1 : n + 1) : n
          const encoded = toBase64url(utf8(json.padEnd(Math.floor(target * 3 / 4), ' ')))
          expect(encoded).to.have.length(target)
          return { ...j, protected: encoded }
        },
        max: 512
      }
    ],
    runs: { limits: 400 }
  })

  p.check('decodeGeneralJwe: refuses every required member removed and every schema mutation of the protected header', 2000,
    validJwe.chain((j) => {
      const header = JSON.parse(fromUtf8(fromBase64url(j.protected as string)!)) as Record<string, unknown>
      return fc.oneof(
        fc.constantFrom(...requiredOf(j)).map((path) => ({ what: `${path} removed`, value: updateAt(j, toPath(path), () => undefined) })),
        schemaMutation(header).map((m) => ({ what: `protected ${m.what}`, value: { ...j, protected: protectedOf(m.value as object) } })),
        fc.constantFrom('alg', 'enc', 'typ').chain((k) => fc.constantFrom('dir', 'RSA-OAEP', 'A128GCM', 'ECDH-ES', 'none', 'imi-alert+jws', '').map((v) => ({ what: `protected.${k} = ${v}`, value: { ...j, protected: protectedOf({ ...header, [k]: v }) } }))),
        // epk in the wrong place: protected with several recipients, per recipient with one.
        fc.constant({ what: 'epk moved', value: j.recipients.length === 1 ? { ...j, protected: protectedOf({ alg: JWE_ALG, enc: JWE_ENC, typ: JWE_TYPE_ALERT }) } : { ...j, protected: protectedOf({ ...header, epk: (j.recipients[0]!.header as { epk: unknown }).epk }) } })
      )
    }), (m) => {
      refused(() => decodeGeneralJwe(m.value), FORMAT)
    })

  p.check('decodeGeneralJwe: a kid or a country listed twice is refused', 1000, validJwe.filter((j) => j.recipients.length > 1).chain((j) => fc.constantFrom('kid', 'imi-country').map((f) => ({ j, f }))), ({ j, f }) => {
    const first = j.recipients[0]!.header as Record<string, unknown>
    const mutated = updateAt(j, ['recipients', 1, 'header', f], () => first[f])
    refused(() => decodeGeneralJwe(mutated), FORMAT)
  })

  p.check('decodeGeneralJwe: a base64url member is accepted iff canonical and of the right length', 3000,
    validJwe.chain((j) => {
      const fields: Path[] = [['iv'], ['tag'], ['ciphertext'], ['recipients', 0, 'encrypted_key'], ...(j.aad !== undefined ? [['aad']] : [])]
      return fc.constantFrom(...fields).chain((path) => stringMutation(getString(j, path)).map((m) => ({ j, path, value: m.value })))
    }), ({ j, path, value }) => {
      const mutated = updateAt(j, path, () => value)
      const expectedBytes: Record<string, [number, number]> = { iv: [12, 12], tag: [16, 16], ciphertext: [0, MAX_JWE_CIPHERTEXT_BYTES], encrypted_key: [40, 40], aad: [1, MAX_JWE_AAD_BYTES] }
      const [min, max] = expectedBytes[String(path[path.length - 1])]!
      const n = Buffer.from(value, 'base64url').length
      const ok = isCanonicalB64u(value) && n >= min && n <= max
      const out = total(() => decodeGeneralJwe(mutated), FORMAT)
      expect(out.ok).to.equal(ok)
    })

  p.check('decodeGeneralJwe: an ephemeral key with its top bit set (X25519 would read it as another key) is refused', 1000,
    validJwe.chain((j) => fc.nat({ max: j.recipients.length - 1 }).map((i) => ({ j, i }))), ({ j, i }) => {
      const flip = (x: string): string => { const b = Buffer.from(x, 'base64url'); b[31]! |= 0x80; return toBase64url(b) }
      const header = JSON.parse(Buffer.from(j.protected as string, 'base64url').toString()) as { epk?: { x: string } }
      // One recipient: the key is in the protected header; several: in each recipient's.
      const mutated = header.epk !== undefined
        ? { ...j, protected: protectedOf({ ...header, epk: { ...header.epk, x: flip(header.epk.x) } }) }
        : updateAt(j, ['recipients', i, 'header', 'epk', 'x'], (x) => flip(x as string))
      refused(() => decodeGeneralJwe(mutated), FORMAT)
    })

  p.check('decodeGeneralJwe: limits a node sets are applied, and never loosen the protocol\'s', 1500,
    fc.tuple(validJwe, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: MAX_JWE_CIPHERTEXT_BYTES * 2 })), ([j, maxRecipients, maxCiphertextBytes]) => {
      const out = total(() => decodeGeneralJwe(j, { maxRecipients, maxCiphertextBytes }), FORMAT)
      const bytes = Buffer.from(j.ciphertext as string, 'base64url').length
      const ok = j.recipients.length <= Math.min(maxRecipients, MAX_JWE_RECIPIENTS) && bytes <= Math.min(maxCiphertextBytes, MAX_JWE_CIPHERTEXT_BYTES)
      expect(out.ok).to.equal(ok)
    })

  p.check('decodeJweProtectedHeader: total over strings and encoded hostile JSON; accepted iff the exact header', 3000,
    fc.oneof(
      fc.string({ maxLength: 100 }),
      hostileJsonText.map((t) => toBase64url(utf8(t))),
      hostileBytes.map(toBase64url),
      fc.record({ alg: fc.constantFrom(JWE_ALG, 'dir'), enc: fc.constantFrom(JWE_ENC, 'A128GCM'), typ: fc.constantFrom(JWE_TYPE_ALERT, 'JWE'), epk: fc.option(fc.oneof(epk, shallowJson), { nil: undefined }) })
        .map((h) => protectedOf(h)),
      anyValue
    ), (s) => {
      const out = total(() => decodeJweProtectedHeader(s), FORMAT)
      if (out.ok) {
        expect(out.value).to.include({ alg: JWE_ALG, enc: JWE_ENC, typ: JWE_TYPE_ALERT })
        expect(typeof s === 'string' && s.length <= 512 && isCanonicalB64u(s)).to.equal(true)
      }
    })
})

function toPath (dotted: string): Path {
  return dotted.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k))
}

function getString (v: unknown, path: Path): string {
  let cur = v
  for (const k of path) cur = (cur as Record<string | number, unknown>)[k]
  return cur as string
}

/** `j` with exactly `n` recipients (each distinct), epk placed as the count requires. */
function withRecipients (j: Jwe, n: number): Jwe {
  const x = toBase64url(new Uint8Array(32).fill(1))
  const recipients = Array.from({ length: n }, (_, i) => ({
    header: { kid: `${'K'.repeat(40)}${String(i).padStart(3, '0')}`, 'imi-country': COUNTRIES[i % COUNTRIES.length]!, ...(n !== 1 && { epk: { kty: 'OKP', crv: 'X25519', x } }) },
    encrypted_key: toBase64url(new Uint8Array(40))
  }))
  return { ...j, protected: protectedOf({ alg: JWE_ALG, enc: JWE_ENC, typ: JWE_TYPE_ALERT, ...(n === 1 && { epk: { kty: 'OKP', crv: 'X25519', x } }) }), recipients }
}
