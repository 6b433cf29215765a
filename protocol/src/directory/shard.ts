/**
 * Splits one member state's directory into records small enough for the DHT. Every
 * shard carries the same sequence number and the shard count, so a reader can tell a
 * complete, consistent set from a mix of two publications.
 */
import { RecordTooLargeError } from '../errors.js'
import { utf8 } from '../encoding.js'
import { MAX_DIRECTORY_RECORD_BYTES } from './record.js'
import type { AuthorityEntry, DirectoryName, DirectoryRecord, RegisterEntry } from './types.js'

export interface Publication {
  readonly fed: string
  readonly country: string
  readonly name: DirectoryName
  readonly seq: number
  readonly created: number
  readonly expires: number
}

/** Room left for the JWS header, signature and base64url growth (4/3) of the payload. */
const PAYLOAD_BUDGET = Math.floor((MAX_DIRECTORY_RECORD_BYTES - 512) * 3 / 4)

export function shardDirectory (entries: ReadonlyArray<AuthorityEntry | RegisterEntry>, p: Publication, budget = PAYLOAD_BUDGET): DirectoryRecord[] {
  const overhead = utf8(JSON.stringify({ ...p, shard: 999, shards: 999, entries: [] })).length
  const groups: Array<Array<AuthorityEntry | RegisterEntry>> = [[]]
  let used = overhead
  for (const entry of entries) {
    const size = utf8(JSON.stringify(entry)).length + 1
    if (overhead + size > budget) throw new RecordTooLargeError(`entry ${entry.id} alone exceeds a directory record`)
    if (used + size > budget) {
      groups.push([])
      used = overhead
    }
    groups[groups.length - 1]!.push(entry)
    used += size
  }
  return groups.map((group, shard) => ({ ...p, shard, shards: groups.length, entries: group }))
}

export interface AssembledDirectory {
  readonly seq: number
  readonly created: number
  readonly entries: ReadonlyArray<AuthorityEntry | RegisterEntry>
}

/**
 * The newest complete publication among verified records of one directory: every shard
 * of one sequence number. While a newer publication is only partly fetched, the last
 * complete one is served, never a mix of the two.
 */
export function assembleDirectory (records: readonly DirectoryRecord[]): AssembledDirectory | undefined {
  const bySeq = new Map<number, Map<number, DirectoryRecord>>()
  for (const r of records) {
    let shards = bySeq.get(r.seq)
    if (shards === undefined) { shards = new Map(); bySeq.set(r.seq, shards) }
    shards.set(r.shard, r)
  }
  for (const seq of [...bySeq.keys()].sort((a, b) => b - a)) {
    const shards = bySeq.get(seq)!
    const first = shards.values().next().value!
    const expected = first.shards
    if (shards.size !== expected || [...shards.values()].some((r) => r.shards !== expected)) continue
    const ordered = [...shards.values()].sort((a, b) => a.shard - b.shard)
    return { seq, created: Math.max(...ordered.map((r) => r.created)), entries: ordered.flatMap((r) => r.entries) }
  }
  return undefined
}
