/**
 * How far this node's catch-up from each peer got: the peer's arrival log epoch and the
 * last arrival number whose envelopes this node took (or refused). The next catch-up
 * from that peer starts there, whatever this node received or issued meanwhile, so an
 * alert a peer got late (or issued while cut off) is pulled however old it is.
 */
import { Bucket, type Store } from '../../storage/index.js'

export interface SyncMark {
  readonly epoch: string
  readonly after: number
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

export class SyncMarks {
  constructor (private readonly components: { readonly store: Store }) {}

  async get (peer: string): Promise<SyncMark | undefined> {
    return await this.components.store.get<SyncMark>(Bucket.broadcastMarks, peer)
  }

  /**
   * Records progress of a catch-up that started at `from`. Within one epoch a mark never
   * moves back, unless the catch-up started over (`from` 0: the peer's log was rebuilt or restored).
   */
  async advance (peer: string, mark: SyncMark, from: number): Promise<void> {
    const held = await this.get(peer)
    if (from > 0 && held !== undefined && held.epoch === mark.epoch && held.after >= mark.after) return
    // Not fsynced: a mark lost to a power cut only means pulling a page again.
    await this.components.store.commit([{ type: 'put', bucket: Bucket.broadcastMarks, key: peer, value: mark }], undefined, { durable: false })
  }
}
