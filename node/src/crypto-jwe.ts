/**
 * Confidential when addressed (issue 5): an alert addressed to selected member states
 * carries its content as a JWE (General JSON serialisation) with one recipient entry per
 * addressed state, so the nodes that relay it over gossip cannot read it.
 *
 * Algorithms: ECDH-ES+A256KW (RFC 7518 §4.6) over X25519 (RFC 8037 §3.2), one fresh
 * ephemeral key per recipient wrapping a single A256GCM content key. Encryption and
 * decryption are jose's (GeneralEncrypt, flattenedDecrypt), so the output is standard JWE
 * that any JOSE library holding the recipient's X25519 key can open.
 *
 * Recipient keys: each node has ONE Ed25519 key (its libp2p identity, its signing key, the
 * key the roster lists for its country). Its X25519 key is derived from it by the standard
 * birational map from the Edwards to the Montgomery form of Curve25519 (RFC 7748 §4.1):
 * public u = (1 + y) / (1 - y); secret = the clamped first half of SHA-512(seed), i.e. the
 * very scalar Ed25519 signs with. This is libsodium's crypto_sign_ed25519_pk_to_curve25519
 * / crypto_sign_ed25519_sk_to_curve25519, here @noble/curves'
 * ed25519.utils.toMontgomery / toMontgomerySecret. Why reusing the key is acceptable:
 * - one key per node is the federation's design: the roster, rotation and revocation
 *   already manage exactly that key, so encryption follows rotation with no second trust
 *   list to keep in step;
 * - the joint use of one key pair for Ed25519 signatures and X25519-based encryption has
 *   been analysed and found sound (Thormarker, "On using the same key pair for Ed25519 and
 *   an X25519 based KEM", IACR ePrint 2021/509); here every X25519 shared secret goes
 *   through the Concat KDF and AES key wrap, never out of this module;
 * - the conversion is routine practice: libsodium ships it, age encrypts to ssh-ed25519
 *   keys with it.
 * The price is that a stolen node key reads past confidential alerts as well as forging
 * new ones (no forward secrecy against the recipient key, as for any JWE to a static key).
 *
 * Binding: the caller passes `aad` (the alert's signed header digest). It becomes the
 * JWE's `aad` member, which A256GCM authenticates; decryption demands exactly the `aad`
 * the caller expects, so the ciphertext cannot be lifted into another alert.
 */
import type { PrivateKey } from '@libp2p/interface'
import { ed25519 } from '@noble/curves/ed25519.js'
import { GeneralEncrypt, flattenedDecrypt, importJWK, type CryptoKey, type FlattenedJWE } from 'jose'
import { isCountryCode, keyIdFor, toBase64url } from '@imi/protocol'
import {
  JWE_ALG, JWE_COUNTRY_PARAM, JWE_ENC, JWE_TYPE_ALERT, JweDecryptError, JweFormatError,
  MAX_JWE_AAD_BYTES, MAX_JWE_CIPHERTEXT_BYTES, MAX_JWE_RECIPIENTS, NotARecipientError,
  decodeGeneralJwe, jweRecipientFor, type GeneralJwe
} from '@imi/protocol'
import { nodeCrypto } from './crypto.js'

export type { GeneralJwe } from '@imi/protocol'

/** One addressed member state: its country code and its roster key (Ed25519, 32 bytes). */
export interface JweRecipientKey {
  readonly country: string
  /** The roster key id: the RFC 7638 thumbprint of `publicKey` (keyIdFor). */
  readonly kid: string
  readonly publicKey: Uint8Array
}

/** This node as a recipient: its roster key id and its libp2p Ed25519 private key. */
export interface JweDecryptionKey {
  readonly kid: string
  /** NodeIdentity.privateKey: `raw` is the 32-byte seed followed by the public key. */
  readonly privateKey: PrivateKey
}

export interface JweBinding {
  /** Additional authenticated data, e.g. the alert's signed header digest. Empty = none. */
  readonly aad?: Uint8Array
}

const DECRYPT_OPTIONS = { keyManagementAlgorithms: [JWE_ALG], contentEncryptionAlgorithms: [JWE_ENC] }

/** X25519 public keys by Ed25519 public key (base64url); the cap only guards against abuse. */
const publicKeys = new Map<string, Promise<CryptoKey>>()
/** X25519 private keys by the libp2p key object they were derived from. */
const privateKeys = new WeakMap<PrivateKey, Promise<CryptoKey>>()

/** The X25519 public key (u coordinate) of an Ed25519 public key; refuses invalid and small-order points. */
export function x25519PublicFromEd25519 (publicKey: Uint8Array): Uint8Array {
  if (publicKey.length !== 32) throw new TypeError('an Ed25519 public key is 32 bytes')
  let point
  try {
    point = ed25519.Point.fromBytes(publicKey)
  } catch {
    throw new TypeError('not an Ed25519 public key')
  }
  if (point.isSmallOrder()) throw new TypeError('an Ed25519 public key of small order cannot receive')
  return ed25519.utils.toMontgomery(publicKey)
}

/** The X25519 secret of an Ed25519 seed: clamp(SHA-512(seed)[0..32]), as libsodium. */
export function x25519SecretFromEd25519 (seed: Uint8Array): Uint8Array {
  if (seed.length !== 32) throw new TypeError('an Ed25519 seed is 32 bytes')
  return ed25519.utils.toMontgomerySecret(seed)
}

function recipientKey (publicKey: Uint8Array): Promise<CryptoKey> {
  const id = toBase64url(publicKey)
  let key = publicKeys.get(id)
  if (key === undefined) {
    const x = toBase64url(x25519PublicFromEd25519(publicKey))
    key = importJWK({ kty: 'OKP', crv: 'X25519', x }, JWE_ALG) as Promise<CryptoKey>
    if (publicKeys.size > 4096) publicKeys.clear()
    publicKeys.set(id, key)
  }
  return key
}

function decryptionKey (privateKey: PrivateKey): Promise<CryptoKey> {
  let key = privateKeys.get(privateKey)
  if (key === undefined) {
    if (privateKey.type !== 'Ed25519' || privateKey.raw.length !== 64) throw new TypeError('the node key must be Ed25519')
    const seed = privateKey.raw.subarray(0, 32)
    const jwk = {
      kty: 'OKP',
      crv: 'X25519',
      x: toBase64url(x25519PublicFromEd25519(privateKey.publicKey.raw)),
      d: toBase64url(x25519SecretFromEd25519(seed))
    }
    key = importJWK(jwk, JWE_ALG) as Promise<CryptoKey>
    privateKeys.set(privateKey, key)
  }
  return key
}

function aadOf (opts: JweBinding): string | undefined {
  const aad = opts.aad
  if (aad === undefined || aad.length === 0) return undefined
  if (aad.length > MAX_JWE_AAD_BYTES) throw new JweFormatError(`aad exceeds ${MAX_JWE_AAD_BYTES} bytes`)
  return toBase64url(aad)
}

/**
 * Encrypts `plaintext` to each recipient's roster key. Every recipient entry carries
 * `{ kid, 'imi-country' }`; the protected header is `{ alg, enc, typ }` (plus `epk` when
 * there is one recipient only, where JOSE puts it).
 */
export async function encryptForCountries (
  plaintext: Uint8Array,
  recipients: ReadonlyArray<JweRecipientKey>,
  opts: JweBinding = {}
): Promise<GeneralJwe> {
  if (recipients.length < 1 || recipients.length > MAX_JWE_RECIPIENTS) {
    throw new JweFormatError(`a JWE has 1 to ${MAX_JWE_RECIPIENTS} recipients, not ${recipients.length}`)
  }
  if (plaintext.length > MAX_JWE_CIPHERTEXT_BYTES) throw new JweFormatError(`plaintext exceeds ${MAX_JWE_CIPHERTEXT_BYTES} bytes`)
  const countries = new Set<string>()
  const kids = new Set<string>()
  for (const r of recipients) {
    if (!isCountryCode(r.country)) throw new JweFormatError(`${String(r.country)} is not a member state code`)
    if (countries.has(r.country)) throw new JweFormatError(`${r.country} is addressed twice`)
    if (kids.has(r.kid)) throw new JweFormatError(`key ${r.kid} is addressed twice`)
    if (r.publicKey.length !== 32 || keyIdFor(r.publicKey, nodeCrypto) !== r.kid) {
      throw new TypeError(`the key given for ${r.country} does not have key id ${r.kid}`)
    }
    countries.add(r.country)
    kids.add(r.kid)
  }
  const aad = aadOf(opts)
  const keys = await Promise.all(recipients.map((r) => recipientKey(r.publicKey)))
  const enc = new GeneralEncrypt(plaintext).setProtectedHeader({ alg: JWE_ALG, enc: JWE_ENC, typ: JWE_TYPE_ALERT })
  if (aad !== undefined) enc.setAdditionalAuthenticatedData(opts.aad!)
  recipients.forEach((r, i) => {
    enc.addRecipient(keys[i]!).setUnprotectedHeader({ kid: r.kid, [JWE_COUNTRY_PARAM]: r.country })
  })
  // Checked on the way out too: we only ever send what we would accept.
  return decodeGeneralJwe(await enc.encrypt())
}

/**
 * Decrypts the entry addressed to `me.kid`. Throws JweFormatError for a malformed JWE,
 * NotARecipientError when no entry names this key (a relay), and JweDecryptError when the
 * entry does not open: tampered ciphertext, header or key, or a JWE bound to another `aad`.
 */
export async function decryptAsCountry (jwe: GeneralJwe, me: JweDecryptionKey, opts: JweBinding = {}): Promise<Uint8Array> {
  const checked = decodeGeneralJwe(jwe)
  if (keyIdFor(me.privateKey.publicKey.raw, nodeCrypto) !== me.kid) throw new TypeError(`this node's key does not have key id ${me.kid}`)
  const entry = jweRecipientFor(checked, me.kid)
  if (entry === undefined) throw new NotARecipientError(`key ${me.kid} is not among the ${checked.recipients.length} recipients`)
  const aad = aadOf(opts)
  if (checked.aad !== aad) throw new JweDecryptError('the JWE is bound to other data (aad)')
  const key = await decryptionKey(me.privateKey)
  const flattened: FlattenedJWE = {
    protected: checked.protected,
    header: { ...entry.header, ...(entry.header.epk !== undefined && { epk: { ...entry.header.epk } }) },
    encrypted_key: entry.encrypted_key,
    iv: checked.iv,
    ciphertext: checked.ciphertext,
    tag: checked.tag,
    ...(aad !== undefined && { aad })
  }
  try {
    const { plaintext } = await flattenedDecrypt(flattened, key, DECRYPT_OPTIONS)
    return plaintext
  } catch {
    throw new JweDecryptError(`the entry for key ${me.kid} does not decrypt`)
  }
}
