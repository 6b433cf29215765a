/** What the validation pipeline needs to know about a signing key: the roster answers it. */
export interface KeyInfo {
  readonly kid: string
  readonly country: string
  readonly publicKey: Uint8Array
  readonly notBefore: number
  readonly notAfter?: number
}

export interface KeyResolver {
  key(kid: string): KeyInfo | undefined
}
