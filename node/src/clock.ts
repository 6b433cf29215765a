/**
 * Time is injected so that simulations run many nodes on one virtual clock and tests
 * can jump months ahead. Nothing in node/ calls Date.now() or setTimeout directly.
 */
export interface Clock {
  now(): number
  /** Runs `fn` after `ms` of this clock's time; returns a cancel function. */
  setTimeout(fn: () => void, ms: number): () => void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    t.unref?.()
    return () => { clearTimeout(t) }
  }
}

/** A clock that only moves when told to: for tests and simulations. */
export class ManualClock implements Clock {
  private current: number
  private timers: Array<{ at: number, fn: () => void, seq: number }> = []
  private seq = 0

  constructor (start: number) { this.current = start }

  now (): number { return this.current }

  setTimeout (fn: () => void, ms: number): () => void {
    const timer = { at: this.current + Math.max(0, ms), fn, seq: this.seq++ }
    this.timers.push(timer)
    return () => { this.timers = this.timers.filter((t) => t !== timer) }
  }

  /** Moves time forward, firing due timers in order. */
  advance (ms: number): void {
    const target = this.current + ms
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq)
      const next = this.timers[0]
      if (next === undefined || next.at > target) break
      this.timers.shift()
      this.current = next.at
      next.fn()
    }
    this.current = target
  }
}
