/**
 * Periodic anti-entropy for broadcasts, on the node's injected clock: every interval
 * (with some jitter, so members do not all ask at once) this node catches up from a few
 * connected peers picked at random, not from all of them. Each catch-up starts where the
 * last one from that peer stopped, so a round with nothing new costs a short exchange
 * per peer asked. What gossip dropped (a partition, a graylisted member, a node that
 * missed the mesh) thus reaches every node within a few rounds, with no new connection;
 * what one node pulled, others pull from it in turn.
 *
 * The next round is set only once this one has finished: a virtual clock that jumps
 * days ahead runs one round, not one per interval skipped.
 */
import type { Clock } from '../../clock.js'
import type { Logger } from '../logger.js'

/** How often a node asks a few peers for what it may have missed. */
export const ANTI_ENTROPY_INTERVAL_MS = 10 * 60_000
/** How many peers a round asks. */
export const ANTI_ENTROPY_FANOUT = 3
/**
 * How long a round waits for its catch-ups (real time: network time, whatever clock the
 * node runs on). A slow peer's catch-up is told to stop then; the round does not wait for it.
 */
export const ANTI_ENTROPY_ROUND_DEADLINE_MS = 3 * 60_000

export interface AntiEntropyComponents {
  readonly clock: Clock
  readonly randomBytes: (n: number) => Uint8Array
  readonly logger: Logger
  /** Connected peers that serve catch-up. */
  readonly peers: () => Promise<readonly string[]>
  /** Housekeeping before each round (the marks of members that left the roster). */
  readonly tidy?: () => Promise<void>
  /** One catch-up from `peer`; resolves with how many envelopes were new. It stops when `signal` aborts. */
  readonly pull: (peer: string, signal: AbortSignal) => Promise<number>
}

export interface AntiEntropyInit {
  readonly intervalMs?: number
  readonly fanout?: number
  readonly roundDeadlineMs?: number
}

export class AntiEntropy {
  private readonly intervalMs: number
  private readonly fanout: number
  private readonly roundDeadlineMs: number
  private cancel: (() => void) | undefined
  /** Aborts the catch-ups of the rounds in flight (stop). */
  private inFlight = new AbortController()
  private running = false
  /** Rounds completed, and envelopes they brought: for tests and metrics. */
  rounds = 0
  pulled = 0

  constructor (private readonly components: AntiEntropyComponents, init: AntiEntropyInit = {}) {
    this.intervalMs = init.intervalMs ?? ANTI_ENTROPY_INTERVAL_MS
    this.fanout = init.fanout ?? ANTI_ENTROPY_FANOUT
    this.roundDeadlineMs = init.roundDeadlineMs ?? ANTI_ENTROPY_ROUND_DEADLINE_MS
  }

  start (): void {
    if (this.running) return
    this.running = true
    this.schedule()
  }

  stop (): void {
    this.running = false
    this.cancel?.()
    this.cancel = undefined
    this.inFlight.abort(new Error('anti-entropy stopped'))
    this.inFlight = new AbortController()
  }

  /**
   * One round now: a few peers at random. Returns how many envelopes were new, counting
   * the catch-ups done by the round's deadline; the others are told to stop.
   */
  async round (): Promise<number> {
    await this.components.tidy?.().catch((err: Error) => { this.components.logger.debug('anti-entropy housekeeping failed', { error: err.message }) })
    const chosen = this.pick([...await this.components.peers().catch(() => [])])
    const deadline = new AbortController()
    const signal = AbortSignal.any([deadline.signal, this.inFlight.signal])
    const counts: number[] = []
    const pulls = Promise.allSettled(chosen.map(async (peer) => { counts.push(await this.components.pull(peer, signal)) }))
    let timer: ReturnType<typeof setTimeout> | undefined
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.roundDeadlineMs)
      signal.addEventListener('abort', () => { resolve() }, { once: true })
    })
    try {
      await Promise.race([pulls, late])
    } finally {
      clearTimeout(timer)
      deadline.abort(new Error('anti-entropy round deadline'))
    }
    const pulled = counts.reduce((a, b) => a + b, 0)
    this.rounds++
    this.pulled += pulled
    if (pulled > 0) this.components.logger.info('anti-entropy brought broadcasts gossip had not', { pulled, peers: chosen.length })
    return pulled
  }

  private schedule (): void {
    if (!this.running) return
    // Jitter of up to a tenth of the interval either way.
    const r = this.components.randomBytes(2)
    const jitter = (((r[0]! << 8) | r[1]!) / 0xffff - 0.5) * 0.2 * this.intervalMs
    this.cancel = this.components.clock.setTimeout(() => {
      this.cancel = undefined
      void this.round().finally(() => { this.schedule() })
    }, this.intervalMs + jitter)
  }

  /** Up to `fanout` distinct peers, uniformly at random (partial Fisher-Yates). */
  private pick (peers: string[]): string[] {
    const n = Math.min(this.fanout, peers.length)
    for (let i = 0; i < n; i++) {
      const r = this.components.randomBytes(4)
      const j = i + (((r[0]! << 24) >>> 0) + (r[1]! << 16) + (r[2]! << 8) + r[3]!) % (peers.length - i)
      const t = peers[i]!
      peers[i] = peers[j]!
      peers[j] = t
    }
    return peers.slice(0, n)
  }
}
