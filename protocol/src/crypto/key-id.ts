import { toBase64url, utf8 } from '../encoding.js'
import type { CryptoSuite } from './types.js'

/** RFC 7638 JWK thumbprint of an Ed25519 public key, used as the key id (kid). */
export function keyIdFor (publicKey: Uint8Array, crypto: Pick<CryptoSuite, 'sha256'>): string {
  const jwk = `{"crv":"Ed25519","kty":"OKP","x":"${toBase64url(publicKey)}"}`
  return toBase64url(crypto.sha256(utf8(jwk)))
}
