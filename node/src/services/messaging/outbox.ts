/**
 * Delivers outbox entries, per peer, with capped exponential backoff and jitter.
 * Each peer has its own queue, so one offline member never delays the others; a peer
 * that reconnects is retried at once. Entries survive restarts: they live in the store.
 * A transport failure or timeout backs off the whole peer (it is unreachable); a
 * refusal (the peer answered, about one message) backs off that entry only, so one
 * message the receiver cannot take yet never holds back the rest of its traffic.
 */
import type { ImiError } from '@imi/protocol'
import type { Clock } from '../../clock.js'
import { Bucket, type Store } from '../../storage/index.js'
import type { Logger } from '../logger.js'
import type { OutboxEntry } from './records.js'
import { PermanentRefusalError, RefusalError } from './refusals.js'

export interface OutboxInit {
  /** First retry delay after a failure. Default 1 s. */
  readonly retryInitialMs?: number
  /** Longest wait between retries. Default 5 min. */
  readonly retryMaxMs?: number
  /** Deliveries in flight to one peer at once (pipelined on one stream). Default 256. */
  readonly maxInFlightPerPeer?: number
  /** Time allowed for one delivery attempt. Default 10 s. */
  readonly attemptTimeoutMs?: number
}

interface OutboxComponents {
  readonly store: Store
  readonly clock: Clock
  readonly logger: Logger
  readonly randomBytes: (n: number) => Uint8Array
  readonly deliver: (entry: OutboxEntry, signal: AbortSignal) => Promise<void>
  /** Called instead of a retry when `isPermanent` says no retry can succeed. */
  readonly giveUp?: (entry: OutboxEntry, err: ImiError) => Promise<void>
}

function isPermanent (err: unknown): err is PermanentRefusalError {
  return err instanceof PermanentRefusalError
}

/** One refused entry's own backoff. */
interface EntryBackoff {
  failures: number
  retryAt?: number
  cancelTimer?: () => void
}

interface PeerQueue {
  readonly pending: Map<string, OutboxEntry>
  /** Ids with an attempt under way. */
  readonly busy: Set<string>
  failures: number
  /** Why the last attempt failed (a refusal's code): operators see why a backlog waits. */
  lastError?: string
  cancelTimer?: () => void
  retryAt?: number
  /** Entries the peer refused, each waiting out its own backoff. */
  readonly held: Map<string, EntryBackoff>
}

export class OutboxScheduler {
  private readonly peers = new Map<string, PeerQueue>()
  private readonly initialMs: number
  private readonly maxMs: number
  private readonly window: number
  private readonly timeoutMs: number
  private controller = new AbortController()
  private running = false

  constructor (private readonly components: OutboxComponents, init: OutboxInit = {}) {
    this.initialMs = init.retryInitialMs ?? 1000
    this.maxMs = init.retryMaxMs ?? 5 * 60_000
    this.window = init.maxInFlightPerPeer ?? 256
    this.timeoutMs = init.attemptTimeoutMs ?? 10_000
  }

  async start (): Promise<void> {
    if (this.running) return
    this.running = true
    this.controller = new AbortController()
    for await (const [, entry] of this.components.store.entries<OutboxEntry>(Bucket.outbox)) this.add(entry)
    for (const country of this.peers.keys()) this.pump(country)
  }

  stop (): void {
    this.running = false
    this.controller.abort()
    for (const q of this.peers.values()) {
      q.cancelTimer?.()
      delete q.cancelTimer
      delete q.retryAt
      q.busy.clear()
      for (const h of q.held.values()) h.cancelTimer?.()
      q.held.clear()
    }
  }

  enqueue (entry: OutboxEntry): void {
    this.add(entry)
    this.pump(entry.to)
  }

  /** Called when a peer connects: forget the backoff and try now. */
  wake (country: string): void {
    const q = this.peers.get(country)
    if (q === undefined || q.pending.size === 0) return
    q.cancelTimer?.()
    delete q.cancelTimer
    delete q.retryAt
    q.failures = 0
    this.pump(country)
  }

  depth (): number {
    let n = 0
    for (const q of this.peers.values()) n += q.pending.size
    return n
  }

  summary (): Array<{ country: string, pending: number, failures: number, retryAt?: number, lastError?: string, oldestQueuedAt?: number }> {
    return [...this.peers.entries()].filter(([, q]) => q.pending.size > 0).map(([country, q]) => ({
      country, pending: q.pending.size, failures: q.failures,
      ...(q.retryAt !== undefined && { retryAt: q.retryAt }),
      ...(q.lastError !== undefined && { lastError: q.lastError }),
      // A loop, not Math.min(...): an outbox of 100,000+ entries would overflow the call stack.
      oldestQueuedAt: oldest(q.pending.values())
    }))
  }

  private add (entry: OutboxEntry): void {
    let q = this.peers.get(entry.to)
    if (q === undefined) {
      q = { pending: new Map(), busy: new Set(), failures: 0, held: new Map() }
      this.peers.set(entry.to, q)
    }
    q.pending.set(entry.id, entry)
  }

  private pump (country: string): void {
    const q = this.peers.get(country)
    if (!this.running || q === undefined || q.retryAt !== undefined) return
    for (const entry of q.pending.values()) {
      if (q.busy.size >= this.window) break
      if (!q.busy.has(entry.id) && q.held.get(entry.id)?.retryAt === undefined) this.attempt(country, q, entry)
    }
  }

  private attempt (country: string, q: PeerQueue, entry: OutboxEntry): void {
    q.busy.add(entry.id)
    const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(this.timeoutMs)])
    this.components.deliver(entry, signal).then(() => {
      q.pending.delete(entry.id)
      this.release(q, entry.id)
      q.failures = 0
      // A refused message still waiting keeps its reason on show.
      if (q.held.size === 0) delete q.lastError
    }, (err: unknown) => {
      if (!this.running) return
      if (isPermanent(err) && this.components.giveUp !== undefined) {
        q.pending.delete(entry.id)
        this.release(q, entry.id)
        this.components.giveUp(entry, err).catch((e: unknown) => {
          this.components.logger.error('could not record an abandoned delivery', { id: entry.id, code: (e as { code?: string }).code ?? 'error' })
        })
        return
      }
      if (err instanceof RefusalError) this.holdEntry(country, q, entry.id, err)
      else this.backoff(country, q, err)
    }).finally(() => {
      q.busy.delete(entry.id)
      this.pump(country)
    })
  }

  private release (q: PeerQueue, id: string): void {
    q.held.get(id)?.cancelTimer?.()
    q.held.delete(id)
  }

  /** The peer answered, refusing this entry: it alone waits; the peer's queue goes on. */
  private holdEntry (country: string, q: PeerQueue, id: string, err: RefusalError): void {
    q.lastError = err.code
    // The peer is reachable: a refusal is no transport failure.
    q.failures = 0
    if (!q.pending.has(id)) return
    let h = q.held.get(id)
    if (h === undefined) {
      h = { failures: 0 }
      q.held.set(id, h)
    }
    if (h.retryAt !== undefined) return
    h.failures++
    const delay = this.delayFor(h.failures)
    h.retryAt = this.components.clock.now() + delay
    this.components.logger.debug('message refused, backing off that message', { peer: country, id, code: err.code, failures: h.failures, delayMs: delay })
    const held = h
    held.cancelTimer = this.components.clock.setTimeout(() => {
      delete held.retryAt
      delete held.cancelTimer
      this.pump(country)
    }, delay)
  }

  private delayFor (failures: number): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(failures - 1, 30))
    // Jitter between half and all of the ceiling, so restarted peers are not hit in step.
    const jitter = (this.components.randomBytes(1)[0]! / 255) * 0.5 + 0.5
    return Math.round(ceiling * jitter)
  }

  private backoff (country: string, q: PeerQueue, err: unknown): void {
    q.lastError = (err as { code?: string }).code ?? (err as Error).name
    if (q.retryAt !== undefined) return
    q.failures++
    const delay = this.delayFor(q.failures)
    q.retryAt = this.components.clock.now() + delay
    this.components.logger.debug('delivery failed, backing off', { peer: country, code: q.lastError, failures: q.failures, delayMs: delay })
    q.cancelTimer = this.components.clock.setTimeout(() => {
      delete q.retryAt
      delete q.cancelTimer
      this.pump(country)
    }, delay)
  }
}

function oldest (entries: Iterable<OutboxEntry>): number {
  let min = Number.POSITIVE_INFINITY
  for (const e of entries) if (e.queuedAt < min) min = e.queuedAt
  return min
}
