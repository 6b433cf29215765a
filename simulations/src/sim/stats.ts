/** Small statistics for the run's metrics: summaries, percentiles, histograms, a priority queue. */

export interface Summary {
  readonly n: number
  readonly min: number | null
  readonly p50: number | null
  readonly p90: number | null
  readonly p99: number | null
  readonly max: number | null
  readonly mean: number | null
}

const r2 = (x: number): number => Math.round(x * 100) / 100

/** Nearest-rank percentile of sorted values. */
export function percentile (sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))
  return sorted[i]!
}

export function summarize (values: readonly number[]): Summary {
  if (values.length === 0) return { n: 0, min: null, p50: null, p90: null, p99: null, max: null, mean: null }
  const s = [...values].sort((a, b) => a - b)
  let sum = 0
  for (const v of s) sum += v
  return { n: s.length, min: r2(s[0]!), p50: r2(percentile(s, 50)), p90: r2(percentile(s, 90)), p99: r2(percentile(s, 99)), max: r2(s[s.length - 1]!), mean: r2(sum / s.length) }
}

export interface Histogram {
  /** Upper bounds of the bins (the last is +Infinity, written as null in JSON). */
  readonly bounds: ReadonlyArray<number | null>
  readonly counts: readonly number[]
}

/** Counts per bin; `bounds` ascending, values above the last bound go in a final open bin. */
export function histogram (values: readonly number[], bounds: readonly number[]): Histogram {
  const counts = new Array<number>(bounds.length + 1).fill(0)
  for (const v of values) {
    let i = 0
    while (i < bounds.length && v > bounds[i]!) i++
    counts[i]!++
  }
  return { bounds: [...bounds, null], counts }
}

/** Ascending bounds on a log scale, for latencies and delays. */
export function logBounds (from: number, to: number, perDecade = 4): number[] {
  const out: number[] = []
  for (let e = Math.log10(from); e <= Math.log10(to) + 1e-9; e += 1 / perDecade) out.push(r2(10 ** e))
  return out
}

/** A binary min-heap by (at, seq). */
export class TimeQueue<T> {
  private readonly heap: Array<{ at: number, seq: number, item: T }> = []
  private seq = 0

  get size (): number { return this.heap.length }

  push (at: number, item: T): void {
    const h = this.heap
    h.push({ at, seq: this.seq++, item })
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!this.less(i, p)) break
      ;[h[i], h[p]] = [h[p]!, h[i]!]
      i = p
    }
  }

  peekAt (): number | undefined { return this.heap[0]?.at }

  /** Removes and returns every item due at or before `at`, in order. */
  popDue (at: number): T[] {
    const out: T[] = []
    while (this.heap.length > 0 && this.heap[0]!.at <= at) out.push(this.pop()!)
    return out
  }

  private less (a: number, b: number): boolean {
    const x = this.heap[a]!
    const y = this.heap[b]!
    return x.at < y.at || (x.at === y.at && x.seq < y.seq)
  }

  private pop (): T | undefined {
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
        if (l < h.length && this.less(l, m)) m = l
        if (r < h.length && this.less(r, m)) m = r
        if (m === i) break
        ;[h[i], h[m]] = [h[m]!, h[i]!]
        i = m
      }
    }
    return top?.item
  }
}
