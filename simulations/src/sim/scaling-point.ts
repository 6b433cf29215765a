/**
 * One point of the scaling study, in a process of its own (forked by scaling.ts), so
 * that its peak memory is its own: the kernel's high-water mark of the process's RSS
 * (`process.resourceUsage().maxRSS`) covers this run alone, and the heap is sampled
 * every 200 ms. Runs the scenario it is given exactly as `npm run sim` does, writes the
 * run's metrics.json and report.html into its folder, and sends the parent its progress
 * and, at the end, a `PointMeasure`.
 *
 * Usage (by scaling.ts): fork(scaling-point.ts, [scenario.json, outDir]) with an IPC channel.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { loadavg } from 'node:os'
import { checkAssertions } from './assertions.js'
import { buildMetrics } from './metrics.js'
import { renderReport } from './report.js'
import { runScenario, type Progress } from './run.js'
import { parseScenario } from './scenario.js'

/** What a point measured, in the units the study reports. */
export interface PointMeasure {
  /** Kernel high-water mark of the process's resident memory, MB (1e6 bytes). */
  readonly peakRssMb: number
  /** Highest V8 heap in use seen (sampled every 200 ms), MB. */
  readonly peakHeapUsedMb: number
  /** Highest V8 heap reserved (total) seen, MB. */
  readonly peakHeapTotalMb: number
  /** Highest memory outside the V8 heap (ArrayBuffers: LevelDB and network buffers) seen, MB. */
  readonly peakExternalMb: number
  readonly realMs: { readonly start: number, readonly warmUp: number, readonly simulate: number, readonly settle: number, readonly total: number }
  readonly cpuMs: { readonly user: number, readonly system: number }
  readonly requestsPlanned: number
  readonly requestsSent: number
  readonly requestsClosed: number
  /** Request events (send, accept, answer, close) seen applied on the other node. */
  readonly requestEvents: number
  readonly alertsIssued: number
  /** (alert, addressed node) deliveries seen. */
  readonly alertDeliveries: number
  readonly steps: number
  readonly stepsNotQuiet: number
  /** Median real ms of a request event's delivery. */
  readonly requestDeliveryP50Ms: number | null
  readonly assertionsHeld: number
  readonly assertionsFailed: readonly string[]
  /** The machine's 1-, 5- and 15-minute load averages at the start and the end of the point. */
  readonly loadBefore: readonly number[]
  readonly loadAfter: readonly number[]
}

export type PointMessage =
  | { readonly type: 'progress', readonly progress: Progress }
  | { readonly type: 'done', readonly measure: PointMeasure }
  | { readonly type: 'error', readonly message: string }

const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10
const load = (): number[] => loadavg().map((x) => Math.round(x * 100) / 100)

async function main (): Promise<void> {
  const [scenarioFile, out] = process.argv.slice(2)
  if (scenarioFile === undefined || out === undefined) throw new Error('usage: scaling-point.ts <scenario.json> <out dir>')
  const send = async (m: PointMessage): Promise<void> => {
    await new Promise<void>((resolve) => { if (process.send === undefined) resolve(); else process.send(m, undefined, {}, () => { resolve() }) })
  }
  const scenario = parseScenario(JSON.parse(await readFile(scenarioFile, 'utf8')))
  const loadBefore = load()
  const peak = { heapUsed: 0, heapTotal: 0, external: 0 }
  const sampleHeap = (): void => {
    const m = process.memoryUsage()
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed)
    peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal)
    peak.external = Math.max(peak.external, m.external)
  }
  const sampler = setInterval(sampleHeap, 200)
  let lastSent = 0
  const startedAt = new Date()
  const record = await runScenario({
    scenario,
    onProgress: (progress) => {
      const now = Date.now()
      if (now - lastSent < 250 && progress.phase !== 'done') return
      lastSent = now
      void send({ type: 'progress', progress })
    }
  })
  clearInterval(sampler)
  sampleHeap()
  const assertions = checkAssertions(scenario.assertions, record)
  const metrics = buildMetrics(record, assertions, startedAt)
  await writeFile(join(out, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n')
  await writeFile(join(out, 'report.html'), renderReport(metrics))
  const usage = process.resourceUsage()
  await send({
    type: 'done',
    measure: {
      // maxRSS is in kibibytes.
      peakRssMb: mb(usage.maxRSS * 1024),
      peakHeapUsedMb: mb(peak.heapUsed),
      peakHeapTotalMb: mb(peak.heapTotal),
      peakExternalMb: mb(peak.external),
      realMs: metrics.run.realMs,
      cpuMs: { user: metrics.run.cpu.userMs, system: metrics.run.cpu.systemMs },
      requestsPlanned: metrics.requests.planned,
      requestsSent: metrics.requests.sent,
      requestsClosed: metrics.requests.closed,
      requestEvents: metrics.delivery.requestEvents.n,
      alertsIssued: metrics.alerts.issued,
      alertDeliveries: metrics.delivery.alertEvents.n,
      steps: metrics.run.steps,
      stepsNotQuiet: metrics.run.stepsNotQuiet,
      requestDeliveryP50Ms: metrics.delivery.requestEvents.p50,
      assertionsHeld: assertions.filter((a) => a.ok).length,
      assertionsFailed: assertions.filter((a) => !a.ok).map((a) => `${a.id}: ${a.detail}`),
      loadBefore,
      loadAfter: load()
    }
  })
}

main().then(() => { process.exit(0) }, (err: unknown) => {
  process.send?.({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies PointMessage, () => { process.exit(1) })
  if (process.send === undefined) {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exit(1)
  }
})
