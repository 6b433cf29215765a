export { LEGISLATIVE_AREAS, isLegislativeArea, type LegislativeArea } from './areas.js'
export type { AuthorityEntry, DirectoryName, DirectoryRecord, Multilingual, RegisterEntry } from './types.js'
export { decodeAuthorityEntry, decodeDirectoryRecord, decodeRegisterEntry } from './decode.js'
export {
  DIRECTORY_RECORD_TTL_MS, JWS_TYPE_DIRECTORY, MAX_DIRECTORY_RECORD_BYTES, directoryKey, parseDirectoryKey,
  selectDirectoryRecord, signDirectoryRecord, validateDirectoryRecord, type DirectoryKey, type DirectoryValidationContext
} from './record.js'
export { assembleDirectory, shardDirectory, type AssembledDirectory, type Publication } from './shard.js'
export { MAX_ANNOUNCEMENT_BYTES, decodeDirectoryAnnouncement, encodeDirectoryAnnouncement, type DirectoryAnnouncement } from './announcement.js'
