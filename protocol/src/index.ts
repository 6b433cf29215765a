/** The IMI federation protocol: pure functions and data, no I/O. */
export * from './constants.js'
export * from './errors.js'
export * from './encoding.js'
export * from './member-states.js'
export * from './crypto/index.js'
export * from './envelope/index.js'
export * from './roster/index.js'
export * from './messages/index.js'
