export type { CryptoSuite, Signer } from './types.js'
export { keyIdFor } from './key-id.js'
export { nobleCrypto, nobleSigner } from './noble.js'
