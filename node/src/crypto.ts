/** node:crypto implementations of the protocol's crypto interfaces (about 10x pure JS). */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'
import { keyIdFor, toBase64url, type CryptoSuite, type Signer } from '@imi/protocol'

const publicKeys = new Map<string, KeyObject>()

function publicKeyObject (raw: Uint8Array): KeyObject {
  const x = toBase64url(raw)
  let key = publicKeys.get(x)
  if (key === undefined) {
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' })
    // Rosters hold at most a few hundred keys; the cap only guards against abuse.
    if (publicKeys.size > 4096) publicKeys.clear()
    publicKeys.set(x, key)
  }
  return key
}

export const nodeCrypto: CryptoSuite = {
  sha256: (data) => createHash('sha256').update(data).digest(),
  verify: (publicKey, data, signature) => {
    if (publicKey.length !== 32 || signature.length !== 64) return false
    try {
      return verify(null, data, publicKeyObject(publicKey), signature)
    } catch {
      return false
    }
  }
}

/** A signer over a 32-byte Ed25519 seed; the seed stays inside a KeyObject. */
export function nodeSigner (seed: Uint8Array, publicKey: Uint8Array): Signer {
  const key = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: toBase64url(publicKey), d: toBase64url(seed) }, format: 'jwk' })
  return {
    kid: keyIdFor(publicKey, nodeCrypto),
    publicKey,
    sign: (data) => sign(null, data, key)
  }
}
