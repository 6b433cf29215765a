/**
 * Added latency and message loss between chosen nodes, on the real connections between
 * them (the `latency`, `loss` and `clear` faults).
 *
 * Where: every libp2p connection a node opens or accepts is wrapped by the harness the
 * moment libp2p reports it open (the same hook the partition uses), on both ends; the
 * rules are read at each write, so a rule set or cleared later applies to connections
 * already open.
 *
 * - Latency: everything a node writes to the connection's stream muxer (every yamux
 *   frame of every stream: data, window updates, closes) is held back `ms` plus a
 *   uniform draw in [0, `jitter`) of real milliseconds, and released in the order it was
 *   written: a TCP connection delivers bytes in order, so jitter cannot reorder them, it
 *   only makes later writes wait for earlier ones. Each direction is delayed on its
 *   sending end, so a request and its reply each pay it once.
 * - Loss: libp2p streams are reliable (TCP retransmits), so a message is never lost
 *   silently from the middle of a stream: what a node sees of a lossy network is a
 *   stream that breaks. Each write an application makes on a negotiated stream across a
 *   lossy link is, with probability `rate`, discarded and its stream reset, as a
 *   connection failing mid-message; the sender learns it as an error or a missing reply
 *   and must try again. (Dropping the write and keeping the stream would break the
 *   stream's own guarantee, not model the network.) Protocol negotiation itself is not
 *   subject to loss.
 *
 * Time: latency is real time on the wire, as every message's cost is. The virtual clock
 * stands still while a step settles, so latency shows in the real-millisecond delivery
 * latency (the report's delivery chart), not in virtual times, unless it exceeds the
 * step's settle bound (`settleMs`) or the node's delivery attempt timeout (10 real
 * seconds): then deliveries land in later steps and the virtual answer times grow.
 *
 * Determinism: each directed link has its own random stream from the scenario's seed,
 * the federation and the two states, so the k-th write on a link always gets the same
 * delay and the same fate. How many writes there are is timing-dependent (retries), so
 * which messages are lost is not.
 */
import { createHash } from 'node:crypto'
import { performance } from 'node:perf_hooks'

export interface LinkRule {
  readonly latencyMs: number
  readonly jitterMs: number
  readonly loss: number
}

export interface LinkCounters {
  /** Connections wrapped (both ends counted). */
  shapedConnections: number
  /** Muxer writes held back by added latency. */
  delayedWrites: number
  /** Stream writes discarded by message loss (each reset its stream). */
  lostWrites: number
}

/** A small seeded generator (mulberry32): uniform in [0, 1). */
export function seededRandom (key: string): () => number {
  let a = createHash('sha256').update(key).digest().readUInt32LE(0)
  return () => {
    a = (a + 0x6D2B79F5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Sendable { send: (data: unknown) => boolean, protocol?: string, abort: (err: Error) => void }
interface Muxer extends Sendable {
  streams: Sendable[]
  createStream: (...args: unknown[]) => Promise<Sendable>
  onRemoteStream: (stream: Sendable) => void
}

export class LinkShaper {
  /** Directed: `${from}>${to}`. */
  private readonly rules = new Map<string, LinkRule>()
  private readonly random = new Map<string, () => number>()
  private readonly wrapped = new WeakSet<object>()

  constructor (private readonly seedKey: string, readonly counters: LinkCounters = { shapedConnections: 0, delayedWrites: 0, lostWrites: 0 }) {}

  /** Sets latency and/or loss on every link between `a` and `b` (both directions). */
  set (a: readonly string[], b: readonly string[], change: Partial<LinkRule>): void {
    for (const x of a) {
      for (const y of b) {
        if (x === y) continue
        for (const k of [`${x}>${y}`, `${y}>${x}`]) {
          const r = this.rules.get(k) ?? { latencyMs: 0, jitterMs: 0, loss: 0 }
          this.rules.set(k, { ...r, ...change })
        }
      }
    }
  }

  /** Removes every rule between `a` and `b`, or all rules without sets. */
  clear (a?: readonly string[], b?: readonly string[]): void {
    if (a === undefined) { this.rules.clear(); return }
    for (const x of a) for (const y of b ?? []) { this.rules.delete(`${x}>${y}`); this.rules.delete(`${y}>${x}`) }
  }

  rule (from: string, to: string): LinkRule | undefined { return this.rules.get(`${from}>${to}`) }

  /** Links with a rule now, as `A>B` keys. */
  get shaped (): string[] { return [...this.rules.keys()] }

  private draw (from: string, to: string, what: string): number {
    const k = `${from}>${to}/${what}`
    let r = this.random.get(k)
    if (r === undefined) { r = seededRandom(`${this.seedKey}/${k}`); this.random.set(k, r) }
    return r()
  }

  /**
   * Wraps one end of a connection: `local` writes to `remote` through it. Safe to call
   * twice (the second does nothing), and on a connection without a muxer (nothing to do).
   */
  attach (local: string, remote: string, connection: unknown): void {
    const muxer = (connection as { muxer?: Muxer }).muxer
    if (muxer === undefined || this.wrapped.has(muxer)) return
    this.wrapped.add(muxer)
    this.counters.shapedConnections++
    this.delayWrites(local, remote, muxer)
    const lossy = (s: Sendable): Sendable => { this.loseWrites(local, remote, s); return s }
    for (const s of muxer.streams) lossy(s)
    const create = muxer.createStream.bind(muxer)
    muxer.createStream = async (...args) => lossy(await create(...args))
    const remoteStream = muxer.onRemoteStream.bind(muxer)
    muxer.onRemoteStream = (s) => { remoteStream(lossy(s)) }
  }

  private delayWrites (local: string, remote: string, muxer: Muxer): void {
    const send = muxer.send.bind(muxer)
    const queue: Array<{ at: number, data: unknown }> = []
    let releaseAt = 0
    let timer: NodeJS.Timeout | undefined
    const flush = (): void => {
      timer = undefined
      const now = performance.now()
      while (queue.length > 0 && queue[0]!.at <= now) {
        const { data } = queue.shift()!
        try { send(data) } catch { /* the connection closed meanwhile: the write is lost with it */ }
      }
      if (queue.length > 0) timer = setTimeout(flush, Math.max(0, queue[0]!.at - now))
    }
    muxer.send = (data) => {
      const r = this.rule(local, remote)
      const extra = r === undefined ? 0 : r.latencyMs + (r.jitterMs > 0 ? this.draw(local, remote, 'jitter') * r.jitterMs : 0)
      // Behind writes still held back, a write waits its turn even once the rule is gone.
      if (extra <= 0 && queue.length === 0) return send(data)
      this.counters.delayedWrites++
      releaseAt = Math.max(performance.now() + extra, releaseAt)
      queue.push({ at: releaseAt, data })
      timer ??= setTimeout(flush, Math.max(0, queue[0]!.at - performance.now()))
      return true
    }
  }

  private loseWrites (local: string, remote: string, stream: Sendable): void {
    if (this.wrapped.has(stream)) return
    this.wrapped.add(stream)
    const send = stream.send.bind(stream)
    stream.send = (data) => {
      const r = this.rule(local, remote)
      if (r !== undefined && r.loss > 0 && stream.protocol !== undefined && stream.protocol !== '' && this.draw(local, remote, 'loss') < r.loss) {
        this.counters.lostWrites++
        stream.abort(new Error('simulated message loss'))
        return true
      }
      return send(data)
    }
  }
}
