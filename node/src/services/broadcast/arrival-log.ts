/**
 * The order in which this node stored its broadcasts: each envelope held gets the next
 * arrival number, written in the same batch as the envelope. A peer's catch-up pages
 * through this log from where its last one stopped, so it sees every envelope this node
 * took since, however old its creation time (a node back after days, an alert pulled
 * from a node that was cut off). The epoch names this log: a store rebuilt from nothing
 * starts a new one, and peers then start over from the beginning.
 */
import { Bucket, seqKey, type Store, type WriteOp } from '../../storage/index.js'
import { resumeFrom, type SyncMark } from './sync-marks.js'

const EPOCH_KEY = 'broadcast-log-epoch'

const newEpoch = (randomBytes: (n: number) => Uint8Array): string => Buffer.from(randomBytes(12)).toString('base64url')

/**
 * Gives the arrival log of a store restored from a backup a new epoch, before the node
 * starts on it. Peers' marks for this node were for its log as it went on after the
 * backup: with the same epoch, a peer whose mark is above the restored head would skip
 * what this node stores once its head grows back past the mark. A new epoch makes every
 * peer start over from the beginning of this node's log.
 */
export async function renewArrivalEpoch (store: Store, randomBytes: (n: number) => Uint8Array): Promise<string> {
  const epoch = newEpoch(randomBytes)
  await store.commit([{ type: 'put', bucket: Bucket.meta, key: EPOCH_KEY, value: epoch }])
  return epoch
}

export interface ArrivalPage {
  readonly epoch: string
  /** Where the page starts: the peer's mark, or 0 when its mark was for another log (see resumeFrom, and the mark's id). */
  readonly from: number
  /** Ids of the envelopes stored after `after`, in arrival order. */
  readonly ids: readonly string[]
  /** The arrival number of the last id listed (`after` when none). */
  readonly next: number
  /** The newest arrival number held: a peer whose mark is beyond it starts over. */
  readonly head: number
  readonly more: boolean
}

export class ArrivalLog {
  private loading: Promise<void> | undefined
  private epochId = ''
  private last = 0

  constructor (private readonly components: { readonly store: Store, readonly randomBytes: (n: number) => Uint8Array }) {}

  /** Reads the epoch and the last arrival number; numbers the envelopes of a store older than this log once. */
  async load (): Promise<void> {
    this.loading ??= this.loadNow().catch((err: unknown) => { this.loading = undefined; throw err })
    await this.loading
  }

  get epoch (): string { return this.epochId }

  /** The write that numbers a newly stored envelope; the caller commits it with the envelope (stores run one at a time). */
  async append (id: string): Promise<WriteOp> {
    await this.load()
    this.last++
    return { type: 'put', bucket: Bucket.broadcastLog, key: seqKey(this.last), value: id }
  }

  /** Up to `limit` ids stored after a peer's mark, in arrival order. */
  async page (mark: SyncMark | undefined, limit: number): Promise<ArrivalPage> {
    await this.load()
    let from = resumeFrom(mark, this.epochId, this.last)
    // The id the peer last took here is not at its mark: this log is not the one the mark was for.
    if (from > 0 && mark?.id !== undefined && await this.components.store.get<string>(Bucket.broadcastLog, seqKey(from)) !== mark.id) from = 0
    const ids: string[] = []
    let next = from
    let more = false
    for await (const [key, id] of this.components.store.entries<string>(Bucket.broadcastLog, { gte: seqKey(from + 1), limit: limit + 1 })) {
      if (ids.length === limit) { more = true; break }
      ids.push(id)
      next = parseInt(key, 16)
    }
    return { epoch: this.epochId, from, ids, next, head: this.last, more }
  }

  private async loadNow (): Promise<void> {
    const { store } = this.components
    let epoch = await store.get<string>(Bucket.meta, EPOCH_KEY)
    if (epoch === undefined) {
      epoch = newEpoch(this.components.randomBytes)
      await store.commit([{ type: 'put', bucket: Bucket.meta, key: EPOCH_KEY, value: epoch }])
    }
    this.epochId = epoch
    for await (const [key] of store.entries<string>(Bucket.broadcastLog, { reverse: true, limit: 1 })) this.last = parseInt(key, 16)
    if (this.last === 0) await this.backfill()
  }

  /** Envelopes stored before this log existed get numbers in creation order, in one batch (a crash leaves none). */
  private async backfill (): Promise<void> {
    const { store } = this.components
    const ops: WriteOp[] = []
    for await (const [, e] of store.entries<{ id: string }>(Bucket.broadcasts)) {
      ops.push({ type: 'put', bucket: Bucket.broadcastLog, key: seqKey(ops.length + 1), value: e.id })
    }
    if (ops.length > 0) await store.commit(ops)
    this.last = ops.length
  }
}
