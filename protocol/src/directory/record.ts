/**
 * Directory records in the DHT. Each member state publishes its directory under keys in
 * its own namespace, `/imi/<fed>/<CC>/<authorities|registers>/<shard>`, as a JWS signed
 * with the key the roster gives that state. The kad-dht validator calls
 * `validateDirectoryRecord`; the selector calls `selectDirectoryRecord`.
 */
import { FEDERATION_ID_PATTERN } from '../constants.js'
import type { CryptoSuite, Signer } from '../crypto/types.js'
import { fromUtf8, utf8 } from '../encoding.js'
import { parseCompact, parseJson, signCompact } from '../envelope/jws.js'
import {
  RecordExpiredError, RecordKeyError, RecordSchemaError, RecordSignatureError, RecordSignerError, RecordTooLargeError
} from '../errors.js'
import { isCountryCode } from '../member-states.js'
import type { Roster } from '../roster/roster.js'
import { decodeDirectoryRecord } from './decode.js'
import type { DirectoryName, DirectoryRecord } from './types.js'

export const JWS_TYPE_DIRECTORY = 'imi-directory+jws'
/** Large directories are sharded to stay under this: kad-dht messages are small by design. */
export const MAX_DIRECTORY_RECORD_BYTES = 256 * 1024
/** How long a record lives unless republished; publishers refresh at a fraction of it. */
export const DIRECTORY_RECORD_TTL_MS = 24 * 60 * 60 * 1000

export interface DirectoryKey {
  readonly fed: string
  readonly country: string
  readonly name: DirectoryName
  readonly shard: number
}

export function directoryKey (k: DirectoryKey): string {
  return `/imi/${k.fed}/${k.country}/${k.name}/${k.shard}`
}

export function parseDirectoryKey (key: string): DirectoryKey {
  const parts = key.split('/')
  const [empty, ns, fed, country, name, shard] = parts
  if (parts.length !== 6 || empty !== '' || ns !== 'imi' || fed === undefined || !FEDERATION_ID_PATTERN.test(fed) ||
    !isCountryCode(country) || (name !== 'authorities' && name !== 'registers') || shard === undefined || !/^(0|[1-9][0-9]{0,2})$/.test(shard)) {
    throw new RecordKeyError(`${key.slice(0, 80)} is not a directory record key`)
  }
  return { fed, country, name, shard: Number(shard) }
}

export function signDirectoryRecord (record: DirectoryRecord, signer: Signer): Uint8Array {
  const checked = decodeDirectoryRecord(JSON.parse(JSON.stringify(record)))
  const header = JSON.stringify({ alg: 'EdDSA', kid: signer.kid, typ: JWS_TYPE_DIRECTORY })
  const bytes = utf8(signCompact(header, utf8(JSON.stringify(checked)), signer))
  if (bytes.length > MAX_DIRECTORY_RECORD_BYTES) throw new RecordTooLargeError(`record is ${bytes.length} bytes; shard the directory further`)
  return bytes
}

export interface DirectoryValidationContext {
  readonly federationId: string
  readonly roster: Roster
  readonly crypto: CryptoSuite
  readonly now: number
}

/** Everything a remote node checks before it stores a record: throw to refuse it. */
export function validateDirectoryRecord (key: string, value: Uint8Array, ctx: DirectoryValidationContext): DirectoryRecord {
  if (value.length > MAX_DIRECTORY_RECORD_BYTES) throw new RecordTooLargeError(`record exceeds ${MAX_DIRECTORY_RECORD_BYTES} bytes`)
  const where = parseDirectoryKey(key)
  if (where.fed !== ctx.federationId) throw new RecordKeyError(`record belongs to federation ${where.fed}`)
  let jws: string
  try { jws = fromUtf8(value) } catch { throw new RecordSchemaError('record is not UTF-8') }
  let parts: ReturnType<typeof parseCompact>
  let header: Record<string, unknown>
  try {
    parts = parseCompact(jws)
    header = parts.header as Record<string, unknown>
  } catch (err) {
    throw new RecordSchemaError(`record is not a JWS: ${(err as Error).message}`)
  }
  if (typeof header !== 'object' || header === null || header.alg !== 'EdDSA' || header.typ !== JWS_TYPE_DIRECTORY || typeof header.kid !== 'string' || Object.keys(header).length !== 3) {
    throw new RecordSchemaError('record header must be {alg: EdDSA, kid, typ: imi-directory+jws}')
  }
  let record: DirectoryRecord
  try {
    record = decodeDirectoryRecord(parseJson(parts.payloadBytes, 'record payload'))
  } catch (err) {
    throw err instanceof RecordSchemaError ? err : new RecordSchemaError((err as Error).message)
  }
  if (record.fed !== where.fed || record.country !== where.country || record.name !== where.name || record.shard !== where.shard) {
    throw new RecordKeyError('record does not match the key it is stored under')
  }
  // Only the key the roster names for that country now may speak for its directory.
  const rosterKey = ctx.roster.currentKey(where.country, record.created)
  if (rosterKey === undefined || rosterKey.kid !== header.kid) throw new RecordSignerError(`record is not signed by ${where.country}'s roster key`)
  if (!ctx.crypto.verify(rosterKey.publicKey, parts.signingInput, parts.signature)) throw new RecordSignatureError('record signature does not verify')
  if (record.expires <= ctx.now) throw new RecordExpiredError('record has expired')
  return record
}

/** The record to keep among several for one key: highest sequence, then newest. */
export function selectDirectoryRecord (_key: string, values: readonly Uint8Array[]): number {
  let best = 0
  let bestRank: [number, number] = [-1, -1]
  values.forEach((value, i) => {
    const rank = rankOf(value)
    if (rank[0] > bestRank[0] || (rank[0] === bestRank[0] && rank[1] > bestRank[1])) { best = i; bestRank = rank }
  })
  return best
}

function rankOf (value: Uint8Array): [number, number] {
  try {
    const payload = JSON.parse(fromUtf8(parseCompact(fromUtf8(value)).payloadBytes)) as { seq?: unknown, created?: unknown }
    return [typeof payload.seq === 'number' ? payload.seq : -1, typeof payload.created === 'number' ? payload.created : -1]
  } catch {
    // The validator refused anything unreadable already; rank it last all the same.
    return [-1, -1]
  }
}
