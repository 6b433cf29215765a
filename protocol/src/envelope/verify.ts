/**
 * The one validation pipeline. Gossip, DHT, direct messages and HTTP all call it, so a
 * message is judged the same way wherever it enters. Cheap checks run first; the
 * signature is checked before anything that would reveal stored state (duplicates).
 */
import { MAX_CLOCK_SKEW_MS, MAX_ENVELOPE_BYTES, MAX_MESSAGE_AGE_MS } from '../constants.js'
import type { CryptoSuite } from '../crypto/types.js'
import { instantText, type Json } from '../encoding.js'
import {
  DuplicateMessageError, EnvelopeTooLargeError, FutureMessageError, InvalidSignatureError,
  KeyNotValidAtTimeError, StaleMessageError, UnknownKeyError, UnknownKindError, WrongCountryForKeyError,
  WrongFederationError, WrongRecipientError
} from '../errors.js'
import { decodePayload, decodeProtectedHeader } from './decode.js'
import { parseCompact, parseJson } from './jws.js'
import type { KeyResolver } from './keys.js'
import { checkSidecar } from './personal-data.js'
import { jwsDigest } from './sign.js'
import type { PersonalDataSidecar, VerifiedEnvelope } from './types.js'

/** Validates a body of one kind; throws BodySchemaError. */
export type BodyValidator = (body: Json) => void

export interface VerifyContext {
  readonly federationId: string
  readonly keys: KeyResolver
  readonly crypto: CryptoSuite
  readonly now: number
  readonly maxBytes?: number
  readonly maxAgeMs?: number
  readonly maxSkewMs?: number
  /** When set, the envelope must be addressed to this country (or to all). */
  readonly recipient?: string
  /** When set, only these kinds are accepted and each body is checked. */
  readonly bodies?: ReadonlyMap<string, BodyValidator>
  /** Synchronous replay check for callers that keep seen ids in memory. */
  readonly isDuplicate?: (id: string) => boolean
}

export function verifyEnvelope (jws: string, ctx: VerifyContext, pd?: PersonalDataSidecar): VerifiedEnvelope {
  const maxBytes = ctx.maxBytes ?? MAX_ENVELOPE_BYTES
  // String length bounds the UTF-8 size from below; base64url text is ASCII anyway.
  if (jws.length > maxBytes) throw new EnvelopeTooLargeError(`envelope exceeds ${maxBytes} bytes`)

  const parts = parseCompact(jws)
  const { kid } = decodeProtectedHeader(parts.header)
  const { hdr, body } = decodePayload(parseJson(parts.payloadBytes, 'JWS payload'))

  if (hdr.fed !== ctx.federationId) throw new WrongFederationError(`envelope belongs to federation ${hdr.fed}`)
  const key = ctx.keys.key(kid)
  if (key === undefined) throw new UnknownKeyError(`key ${kid} is not in the roster`)
  if (key.country !== hdr.from) throw new WrongCountryForKeyError(`key ${kid} belongs to ${key.country}, not ${hdr.from}`)
  if (hdr.created < key.notBefore || (key.notAfter !== undefined && hdr.created >= key.notAfter)) {
    throw new KeyNotValidAtTimeError(`key ${kid} was not valid at ${instantText(hdr.created)}`)
  }
  if (hdr.created > ctx.now + (ctx.maxSkewMs ?? MAX_CLOCK_SKEW_MS)) throw new FutureMessageError('envelope is dated in the future')
  if (hdr.created < ctx.now - (ctx.maxAgeMs ?? MAX_MESSAGE_AGE_MS)) throw new StaleMessageError('envelope is older than the replay window')
  if (!ctx.crypto.verify(key.publicKey, parts.signingInput, parts.signature)) {
    throw new InvalidSignatureError('signature does not verify')
  }
  if (ctx.isDuplicate?.(hdr.id) === true) throw new DuplicateMessageError(`envelope ${hdr.id} was already seen`)
  if (ctx.recipient !== undefined && hdr.to[0] !== '*' && !hdr.to.includes(ctx.recipient)) {
    throw new WrongRecipientError(`envelope is not addressed to ${ctx.recipient}`)
  }
  if (ctx.bodies !== undefined) {
    const validate = ctx.bodies.get(hdr.kind)
    if (validate === undefined) throw new UnknownKindError(`kind ${hdr.kind} is not accepted here`)
    validate(body)
  }
  if (pd !== undefined) checkSidecar(hdr.pd, pd, ctx.crypto)
  return { hdr, body, jws, kid, digest: jwsDigest(jws, ctx.crypto), ...(pd !== undefined && { pd }) }
}
