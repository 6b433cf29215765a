import { MAX_PERSONAL_DATA_BYTES, PERSONAL_DATA_SALT_BYTES } from '../constants.js'
import type { CryptoSuite } from '../crypto/types.js'
import { canonicalJson, concatBytes, fromBase64url, toBase64url, utf8, type Json } from '../encoding.js'
import { EnvelopeTooLargeError, PersonalDataDigestError } from '../errors.js'
import type { PersonalDataSidecar } from './types.js'

/** digest = SHA-256(salt || canonical JSON of the data), base64url. */
export function personalDataDigest (sidecar: PersonalDataSidecar, crypto: Pick<CryptoSuite, 'sha256'>): string {
  const salt = fromBase64url(sidecar.salt)
  if (salt?.length !== PERSONAL_DATA_SALT_BYTES) throw new PersonalDataDigestError('personal data salt must be 32 bytes of base64url')
  let text: string
  try {
    text = canonicalJson(sidecar.data)
  } catch {
    // Numbers beyond double range, or nesting deep enough to exhaust the stack: not data anyone signed.
    throw new PersonalDataDigestError('personal data is not canonical JSON')
  }
  const data = utf8(text)
  if (data.length > MAX_PERSONAL_DATA_BYTES) throw new EnvelopeTooLargeError(`personal data exceeds ${MAX_PERSONAL_DATA_BYTES} bytes`)
  return toBase64url(crypto.sha256(concatBytes(salt, data)))
}

export function makeSidecar (data: Json, randomBytes: (n: number) => Uint8Array): PersonalDataSidecar {
  return { salt: toBase64url(randomBytes(PERSONAL_DATA_SALT_BYTES)), data }
}

/** Checks that a sidecar is the one the signed header committed to. */
export function checkSidecar (expected: string | undefined, sidecar: PersonalDataSidecar, crypto: Pick<CryptoSuite, 'sha256'>): void {
  if (expected === undefined) throw new PersonalDataDigestError('personal data sent with an envelope that commits to none')
  if (personalDataDigest(sidecar, crypto) !== expected) throw new PersonalDataDigestError('personal data does not match the signed digest')
}
