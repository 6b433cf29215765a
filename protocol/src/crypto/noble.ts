import * as ed from '@noble/ed25519'
import { sha256, sha512 } from '@noble/hashes/sha2.js'
import { keyIdFor } from './key-id.js'
import type { CryptoSuite, Signer } from './types.js'

ed.hashes.sha512 = sha512

/** Pure-JS suite: slow (about 1,000 verifies a second) but runs anywhere. */
export const nobleCrypto: CryptoSuite = {
  sha256: (data) => sha256(data),
  verify: (publicKey, data, signature) => {
    try {
      return ed.verify(signature, data, publicKey)
    } catch {
      return false
    }
  }
}

/** A signer over a 32-byte Ed25519 seed, for tests and tools. */
export function nobleSigner (seed: Uint8Array): Signer {
  const publicKey = ed.getPublicKey(seed)
  return {
    kid: keyIdFor(publicKey, nobleCrypto),
    publicKey,
    sign: (data) => ed.sign(data, seed)
  }
}
