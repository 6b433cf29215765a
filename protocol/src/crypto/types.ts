/**
 * The protocol never touches a key store or a crypto runtime itself: callers pass
 * these in. Node uses node:crypto (fast); tests and browsers can use the pure-JS one.
 */
export interface CryptoSuite {
  /** SHA-256 of the bytes. */
  sha256(data: Uint8Array): Uint8Array
  /** Ed25519 signature verification against a raw 32-byte public key. */
  verify(publicKey: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean
}

/** A private key that can sign, without exposing its bytes. */
export interface Signer {
  /** Key id as published in the roster (the RFC 7638 thumbprint of the public JWK). */
  readonly kid: string
  readonly publicKey: Uint8Array
  sign(data: Uint8Array): Uint8Array
}
