/**
 * The last complete, verified directory of every member state, kept in LevelDB so a
 * node that restarts, or whose peers are offline, still searches the whole federation.
 * Entries were verified when fetched; the store is this node's own, so they are not
 * verified again on load, and an expired copy is still served, with its age.
 */
import type { AuthorityEntry, DirectoryName, RegisterEntry } from '@imi/protocol'
import { Bucket, type Store, type WriteOp } from '../../storage/index.js'

export interface CachedDirectory {
  readonly country: string
  readonly name: DirectoryName
  readonly seq: number
  /** When the publishing node signed it. */
  readonly created: number
  /** When this node last confirmed it is the newest (fetched or found unchanged). */
  readonly fetchedAt: number
  /** The earliest expiry among its records: past it, the publisher has not refreshed it. */
  readonly expires: number
  readonly entries: ReadonlyArray<AuthorityEntry | RegisterEntry>
}

export const cacheKey = (country: string, name: DirectoryName): string => `${country}/${name}`

export class DirectoryCache {
  constructor (private readonly store: Store) {}

  async load (): Promise<CachedDirectory[]> {
    const all: CachedDirectory[] = []
    for await (const [, value] of this.store.entries<CachedDirectory>(Bucket.directoryCache)) all.push(value)
    return all
  }

  async save (directories: readonly CachedDirectory[]): Promise<void> {
    if (directories.length === 0) return
    await this.store.commit(directories.map((d): WriteOp => ({ type: 'put', bucket: Bucket.directoryCache, key: cacheKey(d.country, d.name), value: d })), undefined, { durable: false })
  }

  /** A state that left the federation: its directory goes with it. */
  async drop (country: string): Promise<void> {
    await this.store.commit((['authorities', 'registers'] as const).map((name): WriteOp => ({ type: 'del', bucket: Bucket.directoryCache, key: cacheKey(country, name) })))
  }
}
