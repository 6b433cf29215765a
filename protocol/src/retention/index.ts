export * from './policy.js'
export * from './erasure.js'
