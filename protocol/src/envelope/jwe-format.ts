/**
 * The one JWE shape the federation accepts (issue 5, "confidential when addressed"): an
 * alert addressed to selected member states carries its content encrypted to those
 * states' node keys, RFC 7516 General JSON serialisation, one entry per recipient, so
 * that nodes relaying the alert over gossip cannot read it.
 *
 *   alg  ECDH-ES+A256KW over X25519 (RFC 7518 §4.6, RFC 8037 §3.2): a fresh ephemeral key
 *        per recipient wraps one content key;
 *   enc  A256GCM;
 *   typ  imi-alert+jwe.
 *
 * `alg`, `enc` and `typ` are in the integrity-protected header. Each recipient entry names
 * the roster key id (`kid`, the RFC 7638 thumbprint of the country's Ed25519 key) and the
 * country (`imi-country`); per-recipient headers are not integrity-protected by JWE, so a
 * receiver finds its entry by `kid` and nothing else depends on them. Where the ephemeral
 * key (`epk`) sits follows what JOSE libraries produce: in the recipient's header when
 * there are several recipients, in the protected header when there is exactly one.
 *
 * Pure: structural checks only, no cryptography, no I/O.
 */
import { fromBase64url, fromUtf8 } from '../encoding.js'
import { ImiError } from '../errors.js'
import { isCountryCode } from '../member-states.js'
import {
  B64U_PATTERN, DIGEST_PATTERN, expectArray, expectObject, expectString, onlyKeys, type SchemaFail
} from '../schema.js'

export const JWE_TYPE_ALERT = 'imi-alert+jwe'
export const JWE_ALG = 'ECDH-ES+A256KW'
export const JWE_ENC = 'A256GCM'
/** The name of the per-recipient header parameter that carries the country code. */
export const JWE_COUNTRY_PARAM = 'imi-country'

/** At most every member state. */
export const MAX_JWE_RECIPIENTS = 30
/**
 * Largest ciphertext (= plaintext, A256GCM adds no padding). A JWE carried inside a signed
 * envelope's payload is base64url-encoded twice (16/9 of the bytes): 128 KiB of content
 * plus 30 recipient entries still fits MAX_ENVELOPE_BYTES (256 KiB).
 */
export const MAX_JWE_CIPHERTEXT_BYTES = 128 * 1024
/** The additional authenticated data binds the JWE to its alert (a digest); kept small. */
export const MAX_JWE_AAD_BYTES = 1024
const MAX_PROTECTED_CHARS = 512

const IV_BYTES = 12
const TAG_BYTES = 16
/** A256KW of a 32-byte content key: 32 + 8 bytes. */
const ENCRYPTED_KEY_BYTES = 40
const X25519_BYTES = 32

export class JweFormatError extends ImiError {
  static readonly code = 'ERR_JWE_FORMAT'
  override name = 'JweFormatError'
  constructor (message: string) { super('ERR_JWE_FORMAT', message) }
}

/** This node's key is not among the JWE's recipients: normal for a relay, so 'ignore'. */
export class NotARecipientError extends ImiError {
  static readonly code = 'ERR_NOT_A_RECIPIENT'
  override name = 'NotARecipientError'
  constructor (message: string) { super('ERR_NOT_A_RECIPIENT', message, 'ignore') }
}

/** The recipient's entry did not decrypt: tampered, lifted into another alert, or wrong key. */
export class JweDecryptError extends ImiError {
  static readonly code = 'ERR_JWE_DECRYPT'
  override name = 'JweDecryptError'
  constructor (message: string) { super('ERR_JWE_DECRYPT', message) }
}

export interface JweEphemeralKey {
  readonly kty: 'OKP'
  readonly crv: 'X25519'
  /** base64url of the 32-byte X25519 public key. */
  readonly x: string
}

/** The decoded protected header (`protected` is its base64url JSON). */
export interface JweProtectedHeader {
  readonly alg: typeof JWE_ALG
  readonly enc: typeof JWE_ENC
  readonly typ: typeof JWE_TYPE_ALERT
  /** Only when there is exactly one recipient. */
  readonly epk?: JweEphemeralKey
}

export interface JweRecipientHeader {
  /** The roster key id of the recipient country's key. */
  readonly kid: string
  readonly 'imi-country': string
  /** Present unless there is exactly one recipient (then it is in the protected header). */
  readonly epk?: JweEphemeralKey
}

export interface JweRecipient {
  readonly header: JweRecipientHeader
  /** base64url of the content key wrapped with A256KW (40 bytes). */
  readonly encrypted_key: string
}

/** RFC 7516 §7.2.1 General JWE JSON Serialization, restricted to what the federation uses. */
export interface GeneralJwe {
  readonly protected: string
  readonly recipients: readonly JweRecipient[]
  readonly iv: string
  readonly ciphertext: string
  readonly tag: string
  /** base64url of the additional authenticated data, when the sender bound one. */
  readonly aad?: string
}

/** Limits a node may tighten (never loosen). */
export interface JweLimits {
  readonly maxRecipients?: number
  readonly maxCiphertextBytes?: number
}

const fail: SchemaFail = (message) => { throw new JweFormatError(message) }

/** A canonical base64url string of exactly (or at most) so many decoded bytes. */
function expectB64u (v: unknown, path: string, bytes: { exactly?: number, max?: number, min?: number }): string {
  const max = bytes.exactly ?? bytes.max ?? 0
  const s = expectString(v, path, fail, B64U_PATTERN, Math.ceil(max * 4 / 3))
  const decoded = fromBase64url(s)
  if (decoded === undefined) fail(`${path} is not canonical base64url`)
  const n = decoded!.length
  if (bytes.exactly !== undefined && n !== bytes.exactly) fail(`${path} must be ${bytes.exactly} bytes`)
  if (n < (bytes.min ?? 0) || n > max) fail(`${path} must be ${bytes.min ?? 0} to ${max} bytes`)
  return s
}

function decodeEpk (value: unknown, path: string): JweEphemeralKey {
  const e = expectObject(value, path, fail)
  onlyKeys(e, ['kty', 'crv', 'x'], path, fail)
  if (e.kty !== 'OKP') fail(`${path}.kty must be OKP`)
  if (e.crv !== 'X25519') fail(`${path}.crv must be X25519`)
  const x = expectB64u(e.x, `${path}.x`, { exactly: X25519_BYTES })
  if (!isCanonicalX25519(fromBase64url(x)!)) fail(`${path}.x is not a canonical X25519 public key`)
  return { kty: 'OKP', crv: 'X25519', x }
}

/**
 * X25519 masks the top bit of a public key and reduces it modulo p = 2^255 - 19, so two
 * encodings can name one key: a changed epk that still opened would be a change nobody
 * notices. A real key is below p; anything else is refused here, at the edge.
 */
function isCanonicalX25519 (u: Uint8Array): boolean {
  if ((u[31]! & 0x80) !== 0) return false
  // u >= p: 0x7f, then thirty 0xff, then a low byte of at least 0xed (little-endian).
  if (u[31] !== 0x7f || u[0]! < 0xed) return true
  for (let i = 1; i < 31; i++) if (u[i] !== 0xff) return true
  return false
}

/** Decodes and checks the base64url protected header. */
export function decodeJweProtectedHeader (encoded: unknown): JweProtectedHeader {
  const s = expectString(encoded, 'jwe.protected', fail, B64U_PATTERN, MAX_PROTECTED_CHARS)
  const bytes = fromBase64url(s)
  if (bytes === undefined) fail('jwe.protected is not canonical base64url')
  let value: unknown
  try {
    value = JSON.parse(fromUtf8(bytes!))
  } catch {
    fail('jwe.protected is not UTF-8 JSON')
  }
  const h = expectObject(value, 'jwe.protected', fail)
  onlyKeys(h, ['alg', 'enc', 'typ', 'epk'], 'jwe.protected', fail)
  if (h.alg !== JWE_ALG) fail(`jwe.protected.alg must be ${JWE_ALG}`)
  if (h.enc !== JWE_ENC) fail(`jwe.protected.enc must be ${JWE_ENC}`)
  if (h.typ !== JWE_TYPE_ALERT) fail(`jwe.protected.typ must be ${JWE_TYPE_ALERT}`)
  const header: JweProtectedHeader = { alg: JWE_ALG, enc: JWE_ENC, typ: JWE_TYPE_ALERT }
  return h.epk === undefined ? header : { ...header, epk: decodeEpk(h.epk, 'jwe.protected.epk') }
}

function decodeRecipient (value: unknown, path: string, epkHere: boolean): JweRecipient {
  const r = expectObject(value, path, fail)
  onlyKeys(r, ['header', 'encrypted_key'], path, fail)
  const h = expectObject(r.header, `${path}.header`, fail)
  onlyKeys(h, epkHere ? ['kid', JWE_COUNTRY_PARAM, 'epk'] : ['kid', JWE_COUNTRY_PARAM], `${path}.header`, fail)
  const country = h[JWE_COUNTRY_PARAM]
  if (!isCountryCode(country)) fail(`${path}.header.${JWE_COUNTRY_PARAM} must be a member state code`)
  const header: JweRecipientHeader = {
    kid: expectString(h.kid, `${path}.header.kid`, fail, DIGEST_PATTERN),
    [JWE_COUNTRY_PARAM]: country as string,
    ...(epkHere && { epk: decodeEpk(h.epk, `${path}.header.epk`) })
  }
  return { header, encrypted_key: expectB64u(r.encrypted_key, `${path}.encrypted_key`, { exactly: ENCRYPTED_KEY_BYTES }) }
}

/**
 * Strict structural decoding of a General JSON JWE (already parsed from JSON): every
 * member checked, nothing extra allowed, sizes bounded before anything is decrypted.
 * Returns a fresh object holding only the known members.
 */
export function decodeGeneralJwe (value: unknown, limits: JweLimits = {}): GeneralJwe {
  const maxRecipients = Math.min(limits.maxRecipients ?? MAX_JWE_RECIPIENTS, MAX_JWE_RECIPIENTS)
  const maxCiphertext = Math.min(limits.maxCiphertextBytes ?? MAX_JWE_CIPHERTEXT_BYTES, MAX_JWE_CIPHERTEXT_BYTES)
  const o = expectObject(value, 'jwe', fail)
  onlyKeys(o, ['protected', 'recipients', 'iv', 'ciphertext', 'tag', 'aad'], 'jwe', fail)
  const protectedHeader = decodeJweProtectedHeader(o.protected)
  const list = expectArray(o.recipients, 'jwe.recipients', fail, maxRecipients, 1)
  const single = list.length === 1
  if (single && protectedHeader.epk === undefined) fail('jwe.protected.epk is required with one recipient')
  if (!single && protectedHeader.epk !== undefined) fail('jwe.protected.epk is not allowed with several recipients')
  const recipients = list.map((r, i) => decodeRecipient(r, `jwe.recipients[${i}]`, !single))
  const kids = new Set<string>()
  const countries = new Set<string>()
  recipients.forEach(({ header }, i) => {
    if (kids.has(header.kid)) fail(`jwe.recipients[${i}].header.kid is listed twice`)
    if (countries.has(header['imi-country'])) fail(`jwe.recipients[${i}].header.${JWE_COUNTRY_PARAM} is listed twice`)
    kids.add(header.kid)
    countries.add(header['imi-country'])
  })
  const jwe: GeneralJwe = {
    protected: o.protected as string,
    recipients,
    iv: expectB64u(o.iv, 'jwe.iv', { exactly: IV_BYTES }),
    ciphertext: expectB64u(o.ciphertext, 'jwe.ciphertext', { max: maxCiphertext }),
    tag: expectB64u(o.tag, 'jwe.tag', { exactly: TAG_BYTES })
  }
  return o.aad === undefined ? jwe : { ...jwe, aad: expectB64u(o.aad, 'jwe.aad', { min: 1, max: MAX_JWE_AAD_BYTES }) }
}

/** The recipient entry for a key id, if any. */
export function jweRecipientFor (jwe: GeneralJwe, kid: string): JweRecipient | undefined {
  return jwe.recipients.find((r) => r.header.kid === kid)
}
