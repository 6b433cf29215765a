/**
 * The node's one LevelDB. Writes that belong together go through `commit`, which
 * groups concurrent callers into one atomic (and, by default, synced) batch: under load
 * many messages share one fsync, and no caller is told "stored" before it is.
 */
import { Level } from 'level'
import type { AbstractSublevel } from 'abstract-level'
import { ConfigError, DatabaseLockedError } from '../errors.js'
import { Bucket, type BucketName } from './buckets.js'

type Sub = AbstractSublevel<Level<string, unknown>, string | Uint8Array | Buffer, string, unknown>

export interface PutOp { type: 'put', bucket: BucketName, key: string, value: unknown }
export interface DelOp { type: 'del', bucket: BucketName, key: string }
export type WriteOp = PutOp | DelOp

/**
 * Ops that depend on commit order (the evidence chain): built inside the flush, in
 * order, and told whether their batch reached the disk.
 */
export interface Sequencer {
  build(): WriteOp[]
  settle(committed: boolean): void
}

export interface StoreInit {
  /** fsync every batch: survives power loss, not just a killed process. Default true. */
  readonly sync?: boolean
}

interface Pending {
  ops: WriteOp[]
  sequencer: Sequencer | undefined
  durable: boolean
  resolve: () => void
  reject: (err: unknown) => void
}

export class Store {
  readonly db: Level<string, unknown>
  private readonly subs = new Map<BucketName, Sub>()
  private readonly sync: boolean
  private queue: Pending[] = []
  private flushing: Promise<void> | undefined

  constructor (readonly location: string, init: StoreInit = {}) {
    this.db = new Level<string, unknown>(location, { valueEncoding: 'json' })
    this.sync = init.sync ?? true
    for (const name of Object.values(Bucket)) {
      if (name === Bucket.libp2p) continue
      this.subs.set(name, this.db.sublevel<string, unknown>(name, { valueEncoding: 'json' }) as unknown as Sub)
    }
  }

  async open (): Promise<void> {
    try {
      await this.db.open()
    } catch (err) {
      // LevelDB holds a lock file: a second process on the same folder fails here.
      const cause = (err as { cause?: { code?: string } }).cause
      if (cause?.code === 'LEVEL_LOCKED') throw new DatabaseLockedError(this.location)
      throw new ConfigError('dataDir', `cannot open the database in ${this.location}: ${(cause as Error | undefined)?.message ?? (err as Error).message}`)
    }
  }

  async close (): Promise<void> {
    await this.flushing
    await this.db.close()
  }

  /** libp2p's datastore lives in its own sibling sublevel with binary values. */
  libp2pSublevel (): Level<string, Uint8Array> {
    return this.db.sublevel<string, Uint8Array>(Bucket.libp2p, { valueEncoding: 'view' }) as unknown as Level<string, Uint8Array>
  }

  private sub (bucket: BucketName): Sub {
    const s = this.subs.get(bucket)
    if (s === undefined) throw new Error(`no bucket ${bucket}`)
    return s
  }

  async get<T> (bucket: BucketName, key: string): Promise<T | undefined> {
    return await this.sub(bucket).get(key) as T | undefined
  }

  async * entries<T> (bucket: BucketName, opts: { gte?: string, lt?: string, reverse?: boolean, limit?: number } = {}): AsyncGenerator<[string, T]> {
    for await (const [k, v] of this.sub(bucket).iterator(opts)) yield [k, v as T]
  }

  async count (bucket: BucketName): Promise<number> {
    let n = 0
    for await (const key of this.sub(bucket).keys()) if (key !== '') n++
    return n
  }

  /**
   * Atomically writes `ops` plus whatever `sequencer` adds at its turn in the order.
   * `durable: false` is for writes that can be recovered after a power loss (a receipt
   * the peer will send again): they skip the fsync unless they share a batch with one.
   */
  async commit (ops: WriteOp[], sequencer?: Sequencer, opts: { durable?: boolean } = {}): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.queue.push({ ops, sequencer, durable: opts.durable ?? true, resolve, reject })
      this.flushing ??= this.flush()
    })
  }

  private async flush (): Promise<void> {
    // Callers of this tick join the batch; under load, callers that arrive while a
    // batch is being written form the next one, so waiting longer buys nothing.
    await Promise.resolve()
    while (this.queue.length > 0) {
      const batch = this.queue
      this.queue = []
      const ops: WriteOp[] = []
      try {
        for (const p of batch) {
          ops.push(...p.ops)
          if (p.sequencer !== undefined) ops.push(...p.sequencer.build())
        }
        await this.db.batch(ops.map((op) => op.type === 'put'
          ? { type: 'put' as const, key: op.key, value: op.value, sublevel: this.sub(op.bucket) }
          : { type: 'del' as const, key: op.key, sublevel: this.sub(op.bucket) }), { sync: this.sync && batch.some((p) => p.durable) } as object)
        for (const p of batch) { p.sequencer?.settle(true); p.resolve() }
      } catch (err) {
        for (const p of batch) { p.sequencer?.settle(false); p.reject(err) }
      }
    }
    this.flushing = undefined
  }
}
