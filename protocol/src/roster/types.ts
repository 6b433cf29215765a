/** The federation roster (trust list). Every field is signed; nothing is implied. */
export interface RosterKey {
  readonly kid: string
  /** Raw Ed25519 public key, base64url. */
  readonly publicKey: string
  readonly notBefore: number
  /** Set when a key is rotated out: messages it signed before this instant still verify. */
  readonly notAfter?: number
}

export interface RosterMember {
  readonly country: string
  readonly name: string
  readonly peerId: string
  readonly addresses: readonly string[]
  readonly keys: readonly RosterKey[]
}

/** Bootstrap nodes relay and route but hold no member data and sign nothing. */
export interface RosterBootstrap {
  readonly peerId: string
  readonly addresses: readonly string[]
}

export interface RosterDocument {
  readonly fed: string
  readonly version: number
  readonly created: number
  /** Digest of the previous version's payload; absent only at genesis. */
  readonly previous?: string
  readonly members: readonly RosterMember[]
  readonly bootstraps: readonly RosterBootstrap[]
}

/** RFC 7515 general JWS JSON serialisation: one payload, several signatures. */
export interface SignedRoster {
  readonly payload: string
  readonly signatures: ReadonlyArray<{ readonly protected: string, readonly signature: string }>
}
