/**
 * How far this node's catch-up from each peer got: the peer's arrival log epoch and the
 * last arrival number whose envelopes this node took (or refused). The next catch-up
 * from that peer starts there, whatever this node received or issued meanwhile, so an
 * alert a peer got late (or issued while cut off) is pulled however old it is.
 */
import { Bucket, type Store, type WriteOp } from '../../storage/index.js'

export interface SyncMark {
  readonly epoch: string
  readonly after: number
  /**
   * The id listed at `after`, when known: a server whose log holds another id there (a
   * store restored from a backup under its old epoch) serves from the start.
   */
  readonly id?: string
}

/**
 * Where to page from, given the mark held for a peer and what the peer says of its log:
 * from the start when there is no mark, when the peer's log is another one (a store
 * rebuilt from nothing) or when it ends before the mark (a store restored from a backup).
 */
export function resumeFrom (mark: SyncMark | undefined, epoch: string, head: number): number {
  if (mark === undefined || mark.epoch !== epoch || mark.after > head) return 0
  return mark.after
}

/**
 * An envelope a catch-up from a peer was refused for now (see refusals.ts): the mark moved
 * past it, so the next catch-ups from that peer ask for it by id until it is taken,
 * refused for good, no longer served, or `since` is RETRY_FOR_MS old.
 */
export interface SyncRetry {
  readonly id: string
  /** When it was first refused (node clock). */
  readonly since: number
}

/** How long an envelope refused for now is asked for again. */
export const RETRY_FOR_MS = 7 * 24 * 3_600_000
/** At most this many per peer: past it, a catch-up stops its mark instead (it pages them again later). */
export const MAX_RETRIES = 1000

const retryKey = (peer: string): string => `${peer}/retry`

export class SyncMarks {
  constructor (private readonly components: { readonly store: Store }) {}

  async get (peer: string): Promise<SyncMark | undefined> {
    return await this.components.store.get<SyncMark>(Bucket.broadcastMarks, peer)
  }

  /**
   * Records progress of a catch-up that started at `from`. Within one epoch a mark never
   * moves back, unless the catch-up started over (`from` 0: the peer's log was rebuilt or restored).
   */
  async advance (peer: string, mark: SyncMark, from: number, retries?: readonly SyncRetry[]): Promise<void> {
    const held = await this.get(peer)
    const ops: WriteOp[] = retries === undefined
      ? []
      : [retries.length === 0 ? { type: 'del', bucket: Bucket.broadcastMarks, key: retryKey(peer) } : { type: 'put', bucket: Bucket.broadcastMarks, key: retryKey(peer), value: retries }]
    if (!(from > 0 && held !== undefined && held.epoch === mark.epoch && held.after >= mark.after)) ops.push({ type: 'put', bucket: Bucket.broadcastMarks, key: peer, value: mark })
    // Not fsynced: a mark lost to a power cut only means pulling a page again. The retries
    // are written with the mark that moved past them, in one batch.
    if (ops.length > 0) await this.components.store.commit(ops, undefined, { durable: false })
  }

  /**
   * Deletes the marks (and envelopes to ask for again) of peers that no longer speak for a
   * member: a member that left the roster, or changed its peer. Returns the peers forgotten.
   */
  async forgetUnless (isMember: (peer: string) => boolean): Promise<string[]> {
    const ops: WriteOp[] = []
    const gone = new Set<string>()
    for await (const [key] of this.components.store.entries(Bucket.broadcastMarks)) {
      const peer = key.endsWith('/retry') ? key.slice(0, -'/retry'.length) : key
      if (isMember(peer)) continue
      ops.push({ type: 'del', bucket: Bucket.broadcastMarks, key })
      gone.add(peer)
    }
    if (ops.length > 0) await this.components.store.commit(ops, undefined, { durable: false })
    return [...gone]
  }

  /** The envelopes refused for now in catch-ups from `peer`, oldest first. */
  async retries (peer: string): Promise<SyncRetry[]> {
    return await this.components.store.get<SyncRetry[]>(Bucket.broadcastMarks, retryKey(peer)) ?? []
  }
}
