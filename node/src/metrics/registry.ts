/**
 * A minimal Prometheus text-format registry: counters and histograms updated as things
 * happen, gauges read at scrape time. Label values are codes, kinds and country codes,
 * never personal data.
 */

type Labels = Readonly<Record<string, string>>

function labelText (labels: Labels): string {
  const entries = Object.entries(labels)
  if (entries.length === 0) return ''
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`
}

const keyOf = (labels: Labels): string => JSON.stringify(Object.entries(labels).sort())

interface Metric { render(): string[] }

export class Counter implements Metric {
  private readonly values = new Map<string, { labels: Labels, value: number }>()
  constructor (readonly name: string, readonly help: string) {}
  inc (labels: Labels = {}, by = 1): void {
    const k = keyOf(labels)
    const cur = this.values.get(k)
    if (cur === undefined) this.values.set(k, { labels, value: by })
    else cur.value += by
  }

  render (): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`, ...[...this.values.values()].map((v) => `${this.name}${labelText(v.labels)} ${v.value}`)]
  }
}

export class Histogram implements Metric {
  private readonly series = new Map<string, { labels: Labels, counts: number[], sum: number, count: number }>()
  constructor (readonly name: string, readonly help: string, readonly buckets: readonly number[]) {}
  observe (value: number, labels: Labels = {}): void {
    const k = keyOf(labels)
    let s = this.series.get(k)
    if (s === undefined) {
      s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 }
      this.series.set(k, s)
    }
    this.buckets.forEach((b, i) => { if (value <= b) s.counts[i]!++ })
    s.sum += value
    s.count++
  }

  render (): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`]
    for (const s of this.series.values()) {
      this.buckets.forEach((b, i) => out.push(`${this.name}_bucket${labelText({ ...s.labels, le: String(b) })} ${s.counts[i]}`))
      out.push(`${this.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}`)
      out.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`, `${this.name}_count${labelText(s.labels)} ${s.count}`)
    }
    return out
  }
}

/** Read when scraped: `collect` returns the current value of each labelled series. */
export class Gauge implements Metric {
  constructor (readonly name: string, readonly help: string, private readonly collect: () => Array<{ labels?: Labels, value: number }>) {}
  render (): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, ...this.collect().map((v) => `${this.name}${labelText(v.labels ?? {})} ${v.value}`)]
  }
}

export class Registry {
  private readonly metrics: Metric[] = []
  private readonly collectors: Array<() => Promise<void>> = []
  add<M extends Metric> (m: M): M { this.metrics.push(m); return m }
  /** Refreshes values that need I/O (store scans) before a scrape renders. */
  beforeScrape (fn: () => Promise<void>): void { this.collectors.push(fn) }
  async render (): Promise<string> {
    for (const c of this.collectors) await c()
    return this.metrics.flatMap((m) => m.render()).join('\n') + '\n'
  }
}
