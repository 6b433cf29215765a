/** Bootstrap nodes and federation tooling (genesis, proposals, signature status, apply). */
export { createBootstrapNode, BootstrapNode, KEY_FILE, DB_DIR, type BootstrapNodeInit } from './bootstrap-node.js'
export { memberFromDescriptor, bootstrapsFromMultiaddrs, type MemberDescriptor } from './descriptor.js'
export { genesis, currentOf, propose, apply, status, type Applied, type SignStatus } from './federation.js'
export { readRosterChain, readProposal, writeJson } from './files.js'
export { FileInputError, UsageError } from './errors.js'
export { loadOrCreateIdentity } from './identity-file.js'
