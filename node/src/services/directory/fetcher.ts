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

/**
 * Valid copies of a directory's first record enough to take the newest among them. The
 * publisher puts each publication to the peers closest to its key, the same peers a
 * lookup asks first (and DHT servers never replace a newer copy with an older one), so
 * the first answers carry it; waiting for all twenty only adds the slowest one's delay.
 * Without an announced sequence number to wait for, a stale answer among the first can
 * hide a publication until the next refresh: the price of not asking every peer.
 */
export const QUORUM = 3

export type FetchResult =
  | { readonly outcome: 'updated', readonly directory: CachedDirectory }
  | { readonly outcome: 'unchanged' | 'not-found' | 'incomplete' }

export class DirectoryFetcher {
  constructor (private readonly components: FetcherComponents, private readonly federationId: string) {}

  /**
   * `knownSeq`: the publication this node holds (unchanged if nothing newer is found);
   * `announcedSeq`: one the publisher announced, so the lookup may stop at the first
   * copy that has it instead of asking for a quorum.
   */
  async fetch (country: string, name: DirectoryName, knownSeq: number | undefined, signal: AbortSignal, announcedSeq?: number): Promise<FetchResult> {
    const first = await this.newest(country, name, 0, signal, { atLeast: announcedSeq })
    if (first === undefined) return { outcome: 'not-found' }
    if (knownSeq !== undefined && first.seq <= knownSeq) return { outcome: 'unchanged' }
    const rest = await Promise.all(Array.from({ length: first.shards - 1 }, async (_, i) => await this.newest(country, name, i + 1, signal, { exactly: first.seq })))
    const records = [first, ...rest.filter((r): r is DirectoryRecord => r !== undefined)]
    const assembled = assembleDirectory(records)
    if (assembled === undefined || assembled.seq !== first.seq) return { outcome: 'incomplete' }
    const now = this.components.clock.now()
    return {
      outcome: 'updated',
      directory: { country, name, seq: assembled.seq, created: assembled.created, fetchedAt: now, expires: Math.min(...records.map((r) => r.expires)), entries: assembled.entries }
    }
  }

  /**
   * The valid record with the highest sequence number for one key (or exactly `exactly`).
   * The lookup ends at the first copy of `exactly`, at the first of `atLeast` or later,
   * or, with neither, once QUORUM peers have answered with valid copies.
   */
  private async newest (country: string, name: DirectoryName, shard: number, signal: AbortSignal, want: { exactly?: number, atLeast?: number | undefined } = {}): Promise<DirectoryRecord | undefined> {
    const key = directoryKey({ fed: this.federationId, country, name, shard })
    const context = { federationId: this.federationId, roster: this.components.roster(), crypto: this.components.crypto, now: this.components.clock.now() }
    // Peers mostly answer with the same bytes: each distinct value is verified once.
    const verdicts = new Map<Uint8Array, DirectoryRecord | undefined>()
    const judge = (value: Uint8Array): DirectoryRecord | undefined => {
      if (verdicts.has(value)) return verdicts.get(value)
      let record: DirectoryRecord | undefined
      try {
        record = validateDirectoryRecord(key, value, context)
      } catch (err) {
        this.components.rejected?.(err instanceof ImiError ? err.code : 'ERR_INTERNAL')
      }
      verdicts.set(value, record)
      return record
    }
    let valid = 0
    const until = (value: Uint8Array): boolean => {
      const record = judge(value)
      if (record === undefined) return false
      if (want.exactly !== undefined) return record.seq === want.exactly
      if (want.atLeast !== undefined) return record.seq >= want.atLeast
      return ++valid >= QUORUM
    }
    const values = await this.components.transport.get(key, { signal, until })
    let best: DirectoryRecord | undefined
    for (const value of values) {
      const record = judge(value)
      if (record === undefined || (want.exactly !== undefined && record.seq !== want.exactly)) continue
      if (best === undefined || record.seq > best.seq) best = record
    }
    return best
  }
}
