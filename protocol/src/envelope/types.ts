import type { Json } from '../encoding.js'

/** `'*'` addresses every member state (broadcasts); otherwise a list of country codes. */
export type Recipients = readonly string[]

/** Who, to whom, what kind, which id, when: signed together with the body. */
export interface EnvelopeHeader {
  readonly v: 1
  /** Federation id: a training federation's messages never verify in production. */
  readonly fed: string
  readonly id: string
  readonly kind: string
  /** Country code of the sending node. */
  readonly from: string
  readonly fromAuthority?: string
  readonly to: Recipients
  readonly toAuthority?: string
  /** Milliseconds since the epoch, by the sender's clock. */
  readonly created: number
  /** Salted SHA-256 of the personal-data sidecar, when the message has one. */
  readonly pd?: string
}

export interface EnvelopePayload<B extends Json = Json> {
  readonly hdr: EnvelopeHeader
  readonly body: B
}

/**
 * Personal data travels beside the signed envelope. Deleting it (and its salt) leaves
 * the signature valid and the digest unlinkable to the person.
 */
export interface PersonalDataSidecar {
  readonly salt: string
  readonly data: Json
}

/** What goes over the wire and into storage. */
export interface WireEnvelope {
  readonly jws: string
  readonly pd?: PersonalDataSidecar
}

/** An envelope that passed every check of the pipeline. */
export interface VerifiedEnvelope<B extends Json = Json> extends EnvelopePayload<B> {
  readonly jws: string
  readonly kid: string
  /** SHA-256 of the JWS string, base64url: what receipts name. */
  readonly digest: string
  readonly pd?: PersonalDataSidecar
}
