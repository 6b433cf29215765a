import { ENVELOPE_VERSION, JWS_TYPE_ENVELOPE, MESSAGE_ID_BYTES } from '../constants.js'
import type { CryptoSuite, Signer } from '../crypto/types.js'
import { toBase64url, utf8, type Json } from '../encoding.js'
import { signCompact } from './jws.js'
import { makeSidecar, personalDataDigest } from './personal-data.js'
import type { EnvelopeHeader, VerifiedEnvelope, WireEnvelope } from './types.js'

export interface EnvelopeDraft<B extends Json = Json> {
  readonly kind: string
  readonly from: string
  readonly fromAuthority?: string
  readonly to: readonly string[]
  readonly toAuthority?: string
  readonly body: B
  /** Personal data of the subject: travels beside the signature, bound by a digest. */
  readonly personalData?: Json
  /** Fixed id, for deterministic tests and simulations; random otherwise. */
  readonly id?: string
}

export interface SignContext {
  readonly federationId: string
  readonly signer: Signer
  readonly crypto: Pick<CryptoSuite, 'sha256'>
  readonly now: number
  readonly randomBytes: (n: number) => Uint8Array
}

export function newMessageId (randomBytes: (n: number) => Uint8Array): string {
  return toBase64url(randomBytes(MESSAGE_ID_BYTES))
}

export function jwsDigest (jws: string, crypto: Pick<CryptoSuite, 'sha256'>): string {
  return toBase64url(crypto.sha256(utf8(jws)))
}

export function signEnvelope<B extends Json> (draft: EnvelopeDraft<B>, ctx: SignContext): VerifiedEnvelope<B> & { wire: WireEnvelope } {
  const pd = draft.personalData === undefined ? undefined : makeSidecar(draft.personalData, ctx.randomBytes)
  const hdr: EnvelopeHeader = {
    v: ENVELOPE_VERSION,
    fed: ctx.federationId,
    id: draft.id ?? newMessageId(ctx.randomBytes),
    kind: draft.kind,
    from: draft.from,
    ...(draft.fromAuthority !== undefined && { fromAuthority: draft.fromAuthority }),
    to: [...draft.to],
    ...(draft.toAuthority !== undefined && { toAuthority: draft.toAuthority }),
    created: ctx.now,
    ...(pd !== undefined && { pd: personalDataDigest(pd, ctx.crypto) })
  }
  const header = JSON.stringify({ alg: 'EdDSA', kid: ctx.signer.kid, typ: JWS_TYPE_ENVELOPE })
  const jws = signCompact(header, utf8(JSON.stringify({ hdr, body: draft.body })), ctx.signer)
  const wire: WireEnvelope = pd === undefined ? { jws } : { jws, pd }
  return { hdr, body: draft.body, jws, kid: ctx.signer.kid, digest: jwsDigest(jws, ctx.crypto), ...(pd !== undefined && { pd }), wire }
}
