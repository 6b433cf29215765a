/**
 * Fetches one member state's directory from the DHT: shard 0 first (it names the shard
 * count and the newest sequence number), then the other shards of that publication.
 * Every value is validated here, whatever kad-dht already checked: this is the edge.
 */
import {
  ImiError, assembleDirectory, directoryKey, validateDirectoryRecord,
  type CryptoSuite, type DirectoryName, type DirectoryRecord, type Roster
} from '@imi/protocol'
import type { Clock } from '../../clock.js'
import type { CachedDirectory } from './directory-cache.js'
import type { DirectoryRecordTransport } from './record-transport.js'

export interface FetcherComponents {
  readonly clock: Clock
  readonly crypto: CryptoSuite
  readonly roster: () => Roster
  readonly transport: DirectoryRecordTransport
  /** Called with the code of every value refused, for metrics and the simulation's report. */
  readonly rejected?: (code: string) => void
}

export type FetchResult =
  | { readonly outcome: 'updated', readonly directory: CachedDirectory }
  | { readonly outcome: 'unchanged' | 'not-found' | 'incomplete' }

export class DirectoryFetcher {
  constructor (private readonly components: FetcherComponents, private readonly federationId: string) {}

  async fetch (country: string, name: DirectoryName, knownSeq: number | undefined, signal: AbortSignal): Promise<FetchResult> {
    const first = await this.newest(country, name, 0, signal)
    if (first === undefined) return { outcome: 'not-found' }
    if (knownSeq !== undefined && first.seq <= knownSeq) return { outcome: 'unchanged' }
    const rest = await Promise.all(Array.from({ length: first.shards - 1 }, async (_, i) => await this.newest(country, name, i + 1, signal, first.seq)))
    const records = [first, ...rest.filter((r): r is DirectoryRecord => r !== undefined)]
    const assembled = assembleDirectory(records)
    if (assembled === undefined || assembled.seq !== first.seq) return { outcome: 'incomplete' }
    const now = this.components.clock.now()
    return {
      outcome: 'updated',
      directory: { country, name, seq: assembled.seq, created: assembled.created, fetchedAt: now, expires: Math.min(...records.map((r) => r.expires)), entries: assembled.entries }
    }
  }

  /** The valid record with the highest sequence number for one key (or exactly `seq`). */
  private async newest (country: string, name: DirectoryName, shard: number, signal: AbortSignal, seq?: number): Promise<DirectoryRecord | undefined> {
    const key = directoryKey({ fed: this.federationId, country, name, shard })
    const values = await this.components.transport.get(key, { signal })
    const context = { federationId: this.federationId, roster: this.components.roster(), crypto: this.components.crypto, now: this.components.clock.now() }
    let best: DirectoryRecord | undefined
    for (const value of values) {
      let record: DirectoryRecord
      try {
        record = validateDirectoryRecord(key, value, context)
      } catch (err) {
        this.components.rejected?.(err instanceof ImiError ? err.code : 'ERR_INTERNAL')
        continue
      }
      if (seq !== undefined && record.seq !== seq) continue
      if (best === undefined || record.seq > best.seq) best = record
    }
    return best
  }
}
