/**
 * Publishes this member state's directory: shards it under the record size limit, signs
 * every shard with the node's roster key, checks each with the same validator remote
 * nodes run (a rotated key or an oversized entry fails here, not silently out there),
 * and puts it in the DHT. Each publication takes a sequence number above the last one,
 * so readers replace, never merge.
 */
import {
  DIRECTORY_RECORD_TTL_MS, directoryKey, shardDirectory, signDirectoryRecord, validateDirectoryRecord,
  type AuthorityEntry, type CryptoSuite, type DirectoryName, type RegisterEntry, type Roster, type Signer
} from '@imi/protocol'
import type { Clock } from '../../clock.js'
import { Bucket, type Store } from '../../storage/index.js'
import type { Logger } from '../logger.js'
import type { CachedDirectory } from './directory-cache.js'
import type { DirectoryRecordTransport } from './record-transport.js'

/** What this member state publishes: its active authorities and its registers. */
export interface DirectorySource {
  publishedAuthorities(): Promise<AuthorityEntry[]>
  publishedRegisters(): Promise<RegisterEntry[]>
}

export interface PublisherComponents {
  readonly store: Store
  readonly clock: Clock
  readonly crypto: CryptoSuite
  readonly signer: Signer
  readonly roster: () => Roster
  readonly transport: DirectoryRecordTransport
  readonly source: DirectorySource
  readonly logger: Logger
}

export interface PublisherInit {
  readonly federationId: string
  readonly country: string
  readonly recordTtlMs?: number
}

export interface Publication {
  readonly directory: CachedDirectory
  /** Signed records, shard by shard, as put in the DHT. */
  readonly records: ReadonlyArray<{ readonly key: string, readonly value: Uint8Array }>
}

interface PublishedState { readonly seq: number, readonly expires: number, readonly shards: number }

export class DirectoryPublisher {
  constructor (private readonly components: PublisherComponents, private readonly init: PublisherInit) {}

  /** Signs a new publication of `name` and remembers its sequence number; nothing is sent yet. */
  async prepare (name: DirectoryName): Promise<Publication> {
    const { clock, store, source, signer, crypto } = this.components
    const { federationId: fed, country } = this.init
    const entries = name === 'authorities' ? await source.publishedAuthorities() : await source.publishedRegisters()
    const now = clock.now()
    const last = await store.get<PublishedState>(Bucket.directoryPublished, name)
    // Time-based, so a node restored from an old backup still moves forward.
    const seq = Math.max(now, (last?.seq ?? 0) + 1)
    const expires = now + (this.init.recordTtlMs ?? DIRECTORY_RECORD_TTL_MS)
    const shards = shardDirectory(entries, { fed, country, name, seq, created: now, expires })
    const context = { federationId: fed, roster: this.components.roster(), crypto, now }
    const records = shards.map((record) => {
      const key = directoryKey(record)
      const value = signDirectoryRecord(record, signer)
      validateDirectoryRecord(key, value, context)
      return { key, value }
    })
    await store.commit([{ type: 'put', bucket: Bucket.directoryPublished, key: name, value: { seq, expires, shards: shards.length } satisfies PublishedState }])
    return { directory: { country, name, seq, created: now, fetchedAt: now, expires, entries }, records }
  }

  /**
   * Puts the records whose keys are not in `acked` yet and adds to it each one a peer
   * acknowledged, so a retry sends only what reached nobody. Resolves to the number of
   * records no peer has acknowledged yet: 0 means published.
   */
  async put (publication: Publication, signal: AbortSignal, acked = new Set<string>()): Promise<number> {
    const todo = publication.records.filter((r) => !acked.has(r.key))
    const settled = await Promise.allSettled(todo.map(async ({ key, value }) => await this.components.transport.put(key, value, { signal })))
    const acks = settled.map((s) => (s.status === 'fulfilled' ? s.value : 0))
    todo.forEach((r, i) => { if (acks[i]! > 0) acked.add(r.key) })
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')
    if (failed !== undefined) throw failed.reason
    const unacknowledged = publication.records.filter((r) => !acked.has(r.key)).length
    this.components.logger.info('directory published', {
      name: publication.directory.name, seq: publication.directory.seq, shards: publication.records.length, sent: todo.length, ...(acks.length > 0 && { acks: Math.min(...acks) }), unacknowledged
    })
    return unacknowledged
  }
}
