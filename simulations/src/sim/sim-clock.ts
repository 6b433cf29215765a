/**
 * One virtual clock shared by every node of a simulation. `now()` is virtual time and
 * only moves when the harness advances it; `setTimeout` schedules on virtual time and
 * fires while the clock is advanced, in time order (ties in scheduling order). libp2p,
 * LevelDB and the loopback network keep running on real time: a message takes real
 * milliseconds, while the virtual clock stands still between two steps.
 *
 * Timers that throw do not stop the simulation: their errors are counted and the first
 * few kept, so a run reports them instead of dying halfway through a simulated year.
 */
import type { Clock } from '../../../node/src/clock.js'

interface Timer {
  readonly at: number
  readonly seq: number
  readonly fn: () => void
  cancelled: boolean
}

export class SimClock implements Clock {
  private current: number
  private seq = 0
  /** A binary min-heap on (at, seq); cancelled timers are dropped when they surface. */
  private readonly heap: Timer[] = []
  private live = 0
  /** Timers fired since the start. */
  fired = 0
  /** Timers whose callback threw. */
  readonly errors: Error[] = []
  errorCount = 0
  /** Called after each advance with the new time (the separate-processes mode mirrors the clock in each node's process). */
  private readonly advanced: Array<(now: number) => void> = []

  constructor (start: number) { this.current = start }

  now (): number { return this.current }

  setTimeout (fn: () => void, ms: number): () => void {
    const delay = Number.isFinite(ms) ? Math.max(0, ms) : 0
    const timer: Timer = { at: this.current + delay, seq: this.seq++, fn, cancelled: false }
    this.push(timer)
    this.live++
    return () => {
      if (timer.cancelled) return
      timer.cancelled = true
      this.live--
    }
  }

  /** Timers still pending. */
  get pending (): number { return this.live }

  /** Virtual time of the next pending timer, if any. */
  nextAt (): number | undefined {
    this.dropCancelled()
    return this.heap[0]?.at
  }

  /**
   * Moves the clock to `target`, firing every timer due on the way; each runs with
   * `now()` at its own due time. A timer set by a firing timer for a time up to `target`
   * fires in the same call. Returns how many fired. Never moves backwards.
   */
  advanceTo (target: number): number {
    let n = 0
    for (;;) {
      this.dropCancelled()
      const next = this.heap[0]
      if (next === undefined || next.at > target) break
      this.pop()
      next.cancelled = true
      this.live--
      if (next.at > this.current) this.current = next.at
      n++
      try {
        next.fn()
      } catch (err) {
        this.errorCount++
        if (this.errors.length < 10) this.errors.push(err as Error)
      }
    }
    if (target > this.current) this.current = target
    this.fired += n
    for (const fn of this.advanced) fn(this.current)
    return n
  }

  /** `fn` runs after every advance, with the clock's new time. */
  onAdvance (fn: (now: number) => void): void { this.advanced.push(fn) }

  advance (ms: number): number { return this.advanceTo(this.current + ms) }

  private dropCancelled (): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop()
  }

  private less (a: Timer, b: Timer): boolean { return a.at < b.at || (a.at === b.at && a.seq < b.seq) }

  private push (t: Timer): void {
    const h = this.heap
    h.push(t)
    let i = h.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.less(h[i]!, h[parent]!)) break
      ;[h[i], h[parent]] = [h[parent]!, h[i]!]
      i = parent
    }
  }

  private pop (): Timer | undefined {
    const h = this.heap
    const top = h[0]
    const last = h.pop()
    if (h.length > 0 && last !== undefined) {
      h[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r
        if (m === i) break
        ;[h[i], h[m]] = [h[m]!, h[i]!]
        i = m
      }
    }
    return top
  }
}
