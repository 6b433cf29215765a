/**
 * The scaling study: how memory and run time grow with the number of nodes and with the
 * traffic. `npm run sim -- --scaling [--nodes 5,10,20,30,60,100] [--rates 0.5,1,2,4]
 * [--rate-nodes 10] [--days 30]` runs one scenario per point, each in a fresh process
 * (scaling-point.ts) so that its peak memory is its own, and writes scaling.json and a
 * self-contained scaling.html (lines with points, fits) beside each point's own
 * metrics.json and report.html.
 *
 * - The node sweep runs each node count at the 2019 rate (1x). Up to 30 nodes it is one
 *   federation of the busiest states; above, equal independent federations of at most 30
 *   (60 = 2 x 30, 100 = 4 x 25: see README, How many nodes), each with its own traffic.
 *   The traffic therefore grows with the nodes, as it would: more states, more requests.
 * - The traffic sweep runs one node count at multiples of the 2019 request rate and of
 *   the 2016-2017 alert rate (0.5x to 4x), both scaled together.
 * - No faults: each point measures the cost of the federation doing its work. The
 *   assertions are checked all the same, and a point whose assertion failed says so.
 *
 * The fits (least squares): peak RSS against nodes (MB a node), formation time against
 * nodes, simulation time per simulated day against nodes and requests a day, and the
 * exponent k of time ~ nodes^k (log-log). Every figure is timing-dependent and depends on
 * the machine and what else ran on it: the load average before and after each point is
 * kept beside it.
 */
import { fork } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg, totalmem } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PointMeasure, PointMessage } from './scaling-point.js'
import type { Progress } from './run.js'
import { parseScenario, ScenarioError } from './scenario.js'
import { ALL_STATES } from './model.js'

export interface ScalingOptions {
  /** Node counts of the node sweep (at 1x traffic). */
  readonly nodes: readonly number[]
  /** Traffic multiples of the traffic sweep. */
  readonly rates: readonly number[]
  /** The node count of the traffic sweep. */
  readonly rateNodes: number
  /** Simulated days per point. */
  readonly days: number
  readonly seed: number
  readonly stepHours: number
  /** Heap limit of each point's process, MB (V8's default is about 4 GB; 100 nodes come close). */
  readonly heapLimitMb: number
  readonly out: string
  readonly onProgress?: (p: ScalingProgress) => void
  /** After each point, the study so far (`complete` false until the last): the CLI writes it, so a sweep cut short leaves its JSON and page. */
  readonly onPoint?: (soFar: ScalingResult) => Promise<void>
}

export const SCALING_DEFAULTS = { nodes: [5, 10, 20, 30, 60, 100], rates: [0.5, 1, 2, 4], rateNodes: 10, days: 30, seed: 1, stepHours: 1, heapLimitMb: 8192 } as const

export interface ScalingProgress {
  /** 0-based index of the point running, and how many there are. */
  readonly point: number
  readonly points: number
  readonly label: string
  /** The point's own progress, once it reports. */
  readonly run?: Progress
  readonly sweepMs: number
  readonly done: boolean
}

export interface ScalingPoint {
  readonly id: string
  /** Which sweeps the point belongs to (the 1x point at the traffic sweep's node count is in both). */
  readonly sweeps: ReadonlyArray<'nodes' | 'traffic'>
  readonly nodes: number
  readonly federations: number
  readonly statesPerFederation: number
  readonly rate: number
  readonly requestsPerMonth: number
  readonly alertsPerMonth: number
  /** Folder of the point's metrics.json and report.html, relative to scaling.json. */
  readonly dir: string
  readonly measure?: PointMeasure
  readonly error?: string
  /** Derived: simulation ms per simulated day, MB a node, ms per request sent. */
  readonly derived?: { readonly simMsPerDay: number, readonly rssPerNodeMb: number, readonly simMsPerRequest: number | null, readonly requestsPerDay: number }
}

export interface LinearFit {
  readonly slope: number
  readonly intercept: number
  readonly r2: number
  readonly n: number
}

export interface ScalingResult {
  readonly format: 'imi-sim-scaling/1'
  /** False while the sweep is still running (written after each point). */
  readonly complete: boolean
  readonly startedAt: string
  readonly realMs: number
  readonly options: Omit<ScalingOptions, 'out' | 'onProgress' | 'onPoint'>
  readonly platform: { readonly node: string, readonly os: string, readonly cpus: number, readonly cpuModel: string, readonly memoryMb: number }
  /** Load averages (1, 5, 15 min) at the start and the end of the sweep, and the highest 1-minute figure seen before or after a point. */
  readonly load: { readonly before: readonly number[], readonly after: readonly number[], readonly max1m: number }
  readonly points: readonly ScalingPoint[]
  readonly fits: {
    /** Node sweep: peak RSS (MB) against nodes. */
    readonly rssByNodes: LinearFit | null
    readonly heapByNodes: LinearFit | null
    /** Node sweep: start and warm-up (s) against nodes. */
    readonly formationByNodes: LinearFit | null
    /** Node sweep: simulation ms per simulated day against nodes. */
    readonly simPerDayByNodes: LinearFit | null
    /** Node sweep: exponents k of y ~ nodes^k (log-log slopes). */
    readonly exponents: { readonly rss: number | null, readonly totalTime: number | null, readonly simPerDay: number | null, readonly cpu: number | null }
    /** Traffic sweep: simulation ms against requests sent (slope: ms a request, alerts included at their ratio). */
    readonly simByRequests: LinearFit | null
    /** Traffic sweep: peak RSS against requests sent (MB a request). */
    readonly rssByRequests: LinearFit | null
    /** Every point: simulation ms per simulated day = base + perNode x nodes + perRequest x requests a day. */
    readonly model: { readonly base: number, readonly perNode: number, readonly perRequestPerDay: number, readonly r2: number, readonly n: number } | null
  }
}

/** How a node count is laid out: one federation up to 30, else equal federations of at most 30. */
export function layoutFor (nodes: number): { statesPerFederation: number, federations: number } {
  if (!Number.isInteger(nodes) || nodes < 2) throw new ScenarioError('--nodes', `${nodes} is not a whole number of at least 2`)
  if (nodes <= ALL_STATES.length) return { statesPerFederation: nodes, federations: 1 }
  for (let k = 2; k <= 20; k++) {
    if (nodes % k === 0 && nodes / k <= ALL_STATES.length && nodes / k >= 2) return { statesPerFederation: nodes / k, federations: k }
  }
  throw new ScenarioError('--nodes', `${nodes} cannot be split into at most 20 equal federations of at most ${ALL_STATES.length} states (e.g. 90 = 3 x 30, 100 = 4 x 25, 120 = 4 x 30)`)
}

/** The scenario of one point, as a raw object (what `npm run sim -- --scenario file.json` takes). */
export function pointScenario (o: Pick<ScalingOptions, 'days' | 'seed' | 'stepHours'>, nodes: number, rate: number): Record<string, unknown> {
  const { statesPerFederation, federations } = layoutFor(nodes)
  const base = parseScenario({ nodes: statesPerFederation }).workload
  const round = (x: number): number => Math.round(x * 10) / 10
  return {
    name: `scaling-${nodes}n-${rate}x`,
    description: `Scaling study: ${nodes} nodes (${federations} federation${federations > 1 ? 's' : ''} of ${statesPerFederation}), ${rate} x the 2019 request rate and the 2016-2017 alert rate, ${o.days} simulated days, no faults.`,
    seed: o.seed,
    nodes: statesPerFederation,
    federations,
    durationDays: o.days,
    stepHours: o.stepHours,
    workload: { requestsPerMonth: round(base.requestsPerMonth * rate), alertsPerMonth: round(base.alertsPerMonth * rate) }
  }
}

const POINT_SCRIPT = fileURLToPath(new URL('./scaling-point.ts', import.meta.url))
const load = (): number[] => loadavg().map((x) => Math.round(x * 100) / 100)

/** Runs one point in a fresh process; resolves with its measure, or its error. */
async function runPoint (scenarioFile: string, dir: string, heapLimitMb: number, onProgress: (p: Progress) => void): Promise<{ measure?: PointMeasure, error?: string }> {
  const log = createWriteStream(join(dir, 'point.log'))
  const child = fork(POINT_SCRIPT, [scenarioFile, dir], {
    execArgv: ['--import', 'tsx', `--max-old-space-size=${heapLimitMb}`],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc']
  })
  child.stdout?.pipe(log, { end: false })
  child.stderr?.pipe(log, { end: false })
  let measure: PointMeasure | undefined
  let error: string | undefined
  child.on('message', (m: PointMessage) => {
    if (m.type === 'progress') onProgress(m.progress)
    else if (m.type === 'done') measure = m.measure
    else error = m.message
  })
  const code = await new Promise<number | null>((resolve) => { child.on('exit', (c, signal) => { resolve(c ?? (signal === null ? null : -1)) }) })
  await new Promise<void>((resolve) => { log.end(resolve) })
  if (measure !== undefined) return { measure }
  return { error: error ?? `the point's process exited with ${code === -1 ? 'a signal' : `code ${code}`} (see ${join(dir, 'point.log')})` }
}

export function linearFit (xs: readonly number[], ys: readonly number[]): LinearFit | null {
  const n = xs.length
  if (n < 2) return null
  const mx = xs.reduce((s, x) => s + x, 0) / n
  const my = ys.reduce((s, y) => s + y, 0) / n
  let sxx = 0
  let sxy = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2
    sxy += (xs[i]! - mx) * (ys[i]! - my)
    syy += (ys[i]! - my) ** 2
  }
  if (sxx === 0) return null
  const slope = sxy / sxx
  const intercept = my - slope * mx
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy)
  return { slope: round3(slope), intercept: round3(intercept), r2: round3(r2), n }
}

/** The exponent k of y ~ x^k: the slope of log y against log x. */
function exponent (xs: readonly number[], ys: readonly number[]): number | null {
  const keep = xs.map((x, i) => [x, ys[i]!] as const).filter(([x, y]) => x > 0 && y > 0)
  const f = linearFit(keep.map(([x]) => Math.log(x)), keep.map(([, y]) => Math.log(y)))
  return f === null ? null : round3(f.slope)
}

/** Least squares y = b0 + b1 x1 + b2 x2 (normal equations, Cramer's rule). */
function fit2 (x1: readonly number[], x2: readonly number[], y: readonly number[]): { b: [number, number, number], r2: number } | null {
  const n = y.length
  if (n < 4) return null
  const cols = [new Array<number>(n).fill(1), x1, x2]
  const a = cols.map((ci) => cols.map((cj) => ci.reduce((s, v, k) => s + v * cj[k]!, 0)))
  const rhs = cols.map((ci) => ci.reduce((s, v, k) => s + v * y[k]!, 0))
  const det = (m: number[][]): number => m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) - m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) + m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!)
  const d = det(a)
  if (Math.abs(d) < 1e-9) return null
  const b = [0, 1, 2].map((j) => det(a.map((row, i) => row.map((v, k) => k === j ? rhs[i]! : v))) / d) as [number, number, number]
  const my = y.reduce((s, v) => s + v, 0) / n
  let ssRes = 0
  let ssTot = 0
  for (let k = 0; k < n; k++) {
    ssRes += (y[k]! - (b[0] + b[1] * x1[k]! + b[2] * x2[k]!)) ** 2
    ssTot += (y[k]! - my) ** 2
  }
  return { b, r2: ssTot === 0 ? 1 : 1 - ssRes / ssTot }
}

function round3 (x: number): number { return Math.round(x * 1000) / 1000 }

export function computeFits (points: readonly ScalingPoint[]): ScalingResult['fits'] {
  const ok = points.filter((p): p is ScalingPoint & { measure: PointMeasure, derived: NonNullable<ScalingPoint['derived']> } => p.measure !== undefined && p.derived !== undefined)
  const bySweep = (s: 'nodes' | 'traffic'): typeof ok => ok.filter((p) => p.sweeps.includes(s)).sort((a, b) => a.nodes - b.nodes || a.rate - b.rate)
  const ns = bySweep('nodes')
  const ts = bySweep('traffic')
  const nx = ns.map((p) => p.nodes)
  const model = fit2(ok.map((p) => p.nodes), ok.map((p) => p.derived.requestsPerDay), ok.map((p) => p.derived.simMsPerDay))
  return {
    rssByNodes: linearFit(nx, ns.map((p) => p.measure.peakRssMb)),
    heapByNodes: linearFit(nx, ns.map((p) => p.measure.peakHeapUsedMb)),
    formationByNodes: linearFit(nx, ns.map((p) => (p.measure.realMs.start + p.measure.realMs.warmUp) / 1000)),
    simPerDayByNodes: linearFit(nx, ns.map((p) => p.derived.simMsPerDay)),
    exponents: {
      rss: exponent(nx, ns.map((p) => p.measure.peakRssMb)),
      totalTime: exponent(nx, ns.map((p) => p.measure.realMs.total)),
      simPerDay: exponent(nx, ns.map((p) => p.derived.simMsPerDay)),
      // CPU time is what a shared machine disturbs least.
      cpu: exponent(nx, ns.map((p) => p.measure.cpuMs.user + p.measure.cpuMs.system))
    },
    simByRequests: linearFit(ts.map((p) => p.measure.requestsSent), ts.map((p) => p.measure.realMs.simulate)),
    rssByRequests: linearFit(ts.map((p) => p.measure.requestsSent), ts.map((p) => p.measure.peakRssMb)),
    model: model === null ? null : { base: round3(model.b[0]), perNode: round3(model.b[1]), perRequestPerDay: round3(model.b[2]), r2: round3(model.r2), n: ok.length }
  }
}

/** The points of a sweep, smallest first; the traffic sweep's 1x point is shared with the node sweep. */
export function planPoints (o: Pick<ScalingOptions, 'nodes' | 'rates' | 'rateNodes'>): Array<{ nodes: number, rate: number, sweeps: Array<'nodes' | 'traffic'> }> {
  const out = new Map<string, { nodes: number, rate: number, sweeps: Array<'nodes' | 'traffic'> }>()
  const add = (nodes: number, rate: number, sweep: 'nodes' | 'traffic'): void => {
    layoutFor(nodes)
    if (!(rate > 0) || !Number.isFinite(rate)) throw new ScenarioError('--rates', `${rate} is not a positive multiple of the 2019 rate`)
    const key = `${nodes}/${rate}`
    const p = out.get(key) ?? { nodes, rate, sweeps: [] }
    if (!p.sweeps.includes(sweep)) p.sweeps.push(sweep)
    out.set(key, p)
  }
  for (const n of o.nodes) add(n, 1, 'nodes')
  if (o.rates.length > 0) for (const r of o.rates) add(o.rateNodes, r, 'traffic')
  return [...out.values()].sort((a, b) => a.nodes * a.rate - b.nodes * b.rate || a.nodes - b.nodes)
}

export async function runScaling (o: ScalingOptions): Promise<ScalingResult> {
  const plan = planPoints(o)
  const t0 = Date.now()
  const startedAt = new Date().toISOString()
  const loadBefore = load()
  let max1m = loadBefore[0]!
  await mkdir(join(o.out, 'points'), { recursive: true })
  const points: ScalingPoint[] = []
  for (const [i, p] of plan.entries()) {
    const raw = pointScenario(o, p.nodes, p.rate)
    const scenario = parseScenario(raw)
    const id = raw.name as string
    const dir = join(o.out, 'points', id)
    await mkdir(dir, { recursive: true })
    const file = join(dir, 'scenario.json')
    await writeFile(file, JSON.stringify(raw, null, 2) + '\n')
    const label = `${p.nodes} nodes${scenario.federations > 1 ? ` (${scenario.federations} x ${scenario.countries.length})` : ''}, ${p.rate}x`
    o.onProgress?.({ point: i, points: plan.length, label, sweepMs: Date.now() - t0, done: false })
    const r = await runPoint(file, dir, o.heapLimitMb, (run) => { o.onProgress?.({ point: i, points: plan.length, label, run, sweepMs: Date.now() - t0, done: false }) })
    const m = r.measure
    if (m !== undefined) max1m = Math.max(max1m, m.loadBefore[0]!, m.loadAfter[0]!)
    points.push({
      id,
      sweeps: p.sweeps,
      nodes: p.nodes,
      federations: scenario.federations,
      statesPerFederation: scenario.countries.length,
      rate: p.rate,
      requestsPerMonth: scenario.workload.requestsPerMonth,
      alertsPerMonth: scenario.workload.alertsPerMonth,
      dir: relative(o.out, dir),
      ...(m !== undefined && {
        measure: m,
        derived: {
          simMsPerDay: Math.round(m.realMs.simulate / o.days),
          rssPerNodeMb: Math.round(m.peakRssMb / p.nodes * 10) / 10,
          simMsPerRequest: m.requestsSent === 0 ? null : Math.round(m.realMs.simulate / m.requestsSent),
          requestsPerDay: Math.round(m.requestsSent / o.days * 10) / 10
        }
      }),
      ...(r.error !== undefined && { error: r.error })
    })
    if (i < plan.length - 1) await o.onPoint?.(study(false))
  }
  const result = study(true)
  o.onProgress?.({ point: plan.length, points: plan.length, label: 'done', sweepMs: result.realMs, done: true })
  return result

  function study (complete: boolean): ScalingResult {
    return {
      format: 'imi-sim-scaling/1',
      complete,
      startedAt,
      realMs: Date.now() - t0,
      options: { nodes: o.nodes, rates: o.rates, rateNodes: o.rateNodes, days: o.days, seed: o.seed, stepHours: o.stepHours, heapLimitMb: o.heapLimitMb },
      platform: { node: process.version, os: `${process.platform} ${process.arch}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryMb: Math.round(totalmem() / 1e6) },
      load: { before: loadBefore, after: load(), max1m: Math.max(max1m, loadavg()[0]!) },
      points: [...points],
      fits: computeFits(points)
    }
  }
}

/** The sweep's progress: one line, rewritten in place on a terminal; on a pipe, a line per point phase or every 30 s. */
export function scalingProgressPrinter (stream: NodeJS.WriteStream = process.stderr): (p: ScalingProgress) => void {
  const tty = stream.isTTY
  let last = 0
  let lastKey = ''
  return (p) => {
    const r = p.run
    const pointFrac = r === undefined || r.totalDays === 0 ? 0 : Math.min(1, r.day / r.totalDays)
    const frac = p.done ? 1 : (p.point + pointFrac) / p.points
    const width = 24
    const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.')
    const what = p.done
      ? `done     ${p.points} points`
      : `point ${p.point + 1}/${p.points} ${p.label}${r === undefined ? '' : `: ${r.phase} day ${r.day.toFixed(1)}/${r.totalDays}, ${r.requestsSent} requests, RSS ${r.rssMb.toFixed(0)} MB${r.detail === '' ? '' : ` (${r.detail})`}`}`
    const line = `[${bar}] ${what}  ${(p.sweepMs / 60_000).toFixed(1)} min`
    const now = Date.now()
    const key = `${p.point}/${r?.phase ?? ''}/${p.done}`
    if (tty) {
      if (now - last < 100 && key === lastKey) return
      last = now
      lastKey = key
      stream.write(`\r${line.slice(0, (stream.columns ?? 160) - 1)}\x1b[K${p.done ? '\n' : ''}`)
      return
    }
    if (key === lastKey && now - last < 30_000) return
    last = now
    lastKey = key
    stream.write(`${line}\n`)
  }
}
