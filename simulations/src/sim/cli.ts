/**
 * `npm run sim -- --scenario <file|name> [--seed N] [--days N] [--out dir] [--keep-data] [--quiet]`
 * `npm run sim -- --scaling [--nodes 5,10,20,30,60,100] [--rates 0.5,1,2,4] [--rate-nodes 10] [--days N] [--out dir]`
 *
 * Runs a scenario (a built-in name, or a JSON file), shows progress on stderr, and
 * writes metrics.json and report.html into the output folder. Exits 0 when every
 * assertion holds, 1 when one fails, 2 when the scenario or the arguments are wrong.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { checkAssertions } from './assertions.js'
import { buildMetrics, type SimMetrics } from './metrics.js'
import { renderReport } from './report.js'
import { runScenario, type Progress } from './run.js'
import { renderScaling } from './scaling-report.js'
import { SCALING_DEFAULTS, runScaling, scalingProgressPrinter, type ScalingResult } from './scaling.js'
import { parseScenario, ScenarioError } from './scenario.js'
import { BUILT_IN_SCENARIOS } from './scenarios.js'
import { processModeProblem, processSummary, type ProcessMode } from './processes/federation.js'
import { netnsProblem } from './processes/netns.js'

const USAGE = `usage: npm run sim -- --scenario <name|file.json> [--seed N] [--days N] [--out dir] [--keep-data] [--quiet] [--processes [--netns [--netem]]]
       npm run sim -- --scaling [--nodes ${SCALING_DEFAULTS.nodes.join(',')}] [--rates ${SCALING_DEFAULTS.rates.join(',')}] [--rate-nodes ${SCALING_DEFAULTS.rateNodes}] [--days ${SCALING_DEFAULTS.days}] [--out dir]
       npm run sim -- --render <metrics.json|scaling.json>    (writes report.html or scaling.html beside it again)

  --scenario   a built-in scenario (${Object.keys(BUILT_IN_SCENARIOS).join(', ')}) or a JSON scenario file
  --seed       overrides the scenario's seed
  --days       overrides the simulated days (faults after the new end are left out)
  --out        output folder (default: sim-results/<name>-seed<seed>)
  --keep-data  keep the nodes' data folders (printed at the end)
  --quiet      no progress line
  --render     re-renders the HTML report of an earlier run from its metrics.json (or a scaling study's page)
  --processes  each node (and the bootstrap node) in a process of its own, over TCP on loopback
  --netns      with --processes: each node's process in a network namespace of its own, on a bridge (needs root)
  --netem      with --netns: latency and loss faults by tc netem on the namespaces' interfaces (needs sch_netem)

  --scaling    the scaling study: one run per point, each in its own process, no faults
               (default out: sim-results/scaling); scaling.json and scaling.html
  --nodes      node counts at the 2019 rate (above 30: equal federations of at most 30)
  --rates      multiples of the 2019 request and alert rates, at --rate-nodes nodes
  --rate-nodes the node count of the traffic sweep
  --days       simulated days per point (default ${SCALING_DEFAULTS.days})
  --seed       the points' seed (default ${SCALING_DEFAULTS.seed})`

async function loadScenario (arg: string): Promise<Record<string, unknown>> {
  const builtIn = BUILT_IN_SCENARIOS[arg]
  if (builtIn !== undefined) return { ...builtIn }
  let text: string
  try {
    text = await readFile(arg, 'utf8')
  } catch {
    throw new ScenarioError('--scenario', `"${arg}" is neither a built-in scenario (${Object.keys(BUILT_IN_SCENARIOS).join(', ')}) nor a readable file`)
  }
  try {
    return JSON.parse(text) as Record<string, unknown>
  } catch (err) {
    throw new ScenarioError(arg, `is not JSON: ${(err as Error).message}`)
  }
}

/** One line, rewritten in place on a terminal; on a pipe, a line every 10 % or 30 s. */
function progressPrinter (): (p: Progress) => void {
  const tty = process.stderr.isTTY
  let lastLine = 0
  let lastTenth = -1
  let lastPhase = ''
  return (p) => {
    const frac = p.totalDays === 0 ? 1 : Math.min(1, p.day / p.totalDays)
    const now = Date.now()
    const width = 24
    const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.')
    const line = `[${bar}] ${p.phase.padEnd(8)} day ${p.day.toFixed(1)}/${p.totalDays}  nodes ${p.live}/${p.nodes}  requests ${p.requestsSent} sent, ${p.requestsClosed} closed  alerts ${p.alertsIssued}  ${(p.realMs / 1000).toFixed(0)} s  RSS ${p.rssMb.toFixed(0)} MB${p.detail === '' ? '' : `  (${p.detail})`}`
    if (tty) {
      if (now - lastLine < 100 && p.phase === lastPhase) return
      lastLine = now
      lastPhase = p.phase
      process.stderr.write(`\r${line.slice(0, (process.stderr.columns ?? 160) - 1)}\x1b[K${p.phase === 'done' ? '\n' : ''}`)
      return
    }
    const tenth = Math.floor(frac * 10)
    if (tenth === lastTenth && now - lastLine < 30_000 && p.phase === lastPhase) return
    lastTenth = tenth
    lastLine = now
    lastPhase = p.phase
    process.stderr.write(`${line}\n`)
  }
}

async function main (): Promise<number> {
  let args
  try {
    args = parseArgs({
      options: {
        scenario: { type: 'string' }, seed: { type: 'string' }, days: { type: 'string' }, out: { type: 'string' },
        'keep-data': { type: 'boolean' }, quiet: { type: 'boolean' }, render: { type: 'string' }, help: { type: 'boolean', short: 'h' },
        scaling: { type: 'boolean' }, nodes: { type: 'string' }, rates: { type: 'string' }, 'rate-nodes': { type: 'string' },
        processes: { type: 'boolean' }, netns: { type: 'boolean' }, netem: { type: 'boolean' }
      },
      strict: true
    }).values
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`)
    return 2
  }
  if (args.help === true) { console.log(USAGE); return 0 }
  if (args.render !== undefined) {
    const metrics = JSON.parse(await readFile(args.render, 'utf8')) as SimMetrics | ScalingResult
    if (metrics.format === 'imi-sim-scaling/1') {
      const target = join(dirname(resolve(args.render)), 'scaling.html')
      await writeFile(target, renderScaling(metrics))
      console.log(`report: ${relative(process.cwd(), target) || target}`)
      return 0
    }
    if (metrics.format !== 'imi-sim-metrics/1') { console.error(`${args.render} is not a simulation's metrics.json`); return 2 }
    const target = join(dirname(resolve(args.render)), 'report.html')
    await writeFile(target, renderReport(metrics))
    console.log(`report: ${relative(process.cwd(), target) || target}`)
    return 0
  }
  if (args.scaling === true) return await scaling(args)
  if (args.scenario === undefined) { console.error(USAGE); return 2 }

  let scenario
  try {
    const raw = await loadScenario(args.scenario)
    if (args.seed !== undefined) raw.seed = Number(args.seed)
    if (args.days !== undefined) {
      const days = Number(args.days)
      raw.durationDays = days
      // A shorter run keeps the faults that still fall in it.
      if (Array.isArray(raw.faults)) {
        const kept = (raw.faults as Array<{ at?: unknown }>).filter((f) => typeof f.at !== 'number' || f.at <= days)
        if (kept.length < raw.faults.length) console.error(`--days ${days}: ${raw.faults.length - kept.length} fault(s) after day ${days} left out`)
        raw.faults = kept
      }
    }
    scenario = parseScenario(raw)
  } catch (err) {
    if (err instanceof ScenarioError) { console.error(`scenario error: ${err.message}`); return 2 }
    throw err
  }
  const processes: ProcessMode | undefined = args.processes === true ? { netns: args.netns === true, netem: args.netem === true, started: [] } : undefined
  if ((args.netns === true || args.netem === true) && processes === undefined) { console.error('--netns and --netem go with --processes'); return 2 }
  const modeProblem = processes === undefined ? undefined : processModeProblem(scenario, processes) ?? (processes.netns ? netnsProblem() : undefined)
  if (modeProblem !== undefined) { console.error(`mode error: ${modeProblem}`); return 2 }
  const out = resolve(args.out ?? join('sim-results', `${scenario.name}-seed${scenario.seed}`))
  const dataDir = args['keep-data'] === true ? join(out, 'data') : undefined
  await mkdir(out, { recursive: true })

  const startedAt = new Date()
  const record = await runScenario({
    scenario,
    keepData: args['keep-data'] === true,
    ...(dataDir !== undefined && { dir: dataDir }),
    ...(args.quiet !== true && { onProgress: progressPrinter() }),
    ...(processes !== undefined && { processes })
  })
  const assertions = checkAssertions(scenario.assertions, record)
  const metrics = buildMetrics(record, assertions, startedAt)
  await writeFile(join(out, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n')
  await writeFile(join(out, 'report.html'), renderReport(metrics))

  const show = (p: string): string => relative(process.cwd(), p) || p
  const r = metrics.run
  console.log(`${scenario.name}, seed ${scenario.seed}: ${r.nodes} nodes, ${r.simulatedDays} simulated days in ${(r.realMs.total / 1000).toFixed(1)} s real (simulation ${(r.realMs.simulate / 1000).toFixed(1)} s), peak RSS ${r.rss.peakMb} MB`)
  console.log(`requests: ${metrics.requests.sent} sent, ${metrics.requests.closed} closed; alerts: ${metrics.alerts.issued} issued; request delivery p50 ${metrics.delivery.requestEvents.p50 ?? '-'} ms, p99 ${metrics.delivery.requestEvents.p99 ?? '-'} ms`)
  if (processes?.started !== undefined) console.log(processSummary(processes.started))
  for (const a of assertions) console.log(`${a.ok ? 'PASS' : 'FAIL'}  ${a.id} (${a.kind}): ${a.detail}${a.examples.length > 0 ? `\n        ${a.examples.slice(0, 3).join('\n        ')}` : ''}`)
  console.log(`metrics: ${show(join(out, 'metrics.json'))}\nreport:  ${show(join(out, 'report.html'))}${dataDir !== undefined ? `\ndata:    ${show(dataDir)}` : ''}`)
  return assertions.every((a) => a.ok) ? 0 : 1
}

/** `--scaling`: the sweep, its JSON and its page. */
async function scaling (args: { nodes?: string | undefined, rates?: string | undefined, 'rate-nodes'?: string | undefined, days?: string | undefined, seed?: string | undefined, out?: string | undefined, quiet?: boolean | undefined }): Promise<number> {
  const list = (v: string | undefined, name: string, fallback: readonly number[]): number[] => {
    if (v === undefined) return [...fallback]
    if (v.trim() === '') return []
    const xs = v.split(',').map((x) => Number(x.trim()))
    if (xs.some((x) => !Number.isFinite(x) || x <= 0)) throw new ScenarioError(`--${name}`, `"${v}" is not a comma-separated list of positive numbers`)
    return xs
  }
  let result: ScalingResult
  const out = resolve(args.out ?? join('sim-results', 'scaling'))
  try {
    const days = args.days === undefined ? SCALING_DEFAULTS.days : Number(args.days)
    if (!(days > 0 && days <= 3650)) throw new ScenarioError('--days', `must be from 0.01 to 3650, not ${args.days}`)
    const seed = args.seed === undefined ? SCALING_DEFAULTS.seed : Number(args.seed)
    if (!Number.isInteger(seed) || seed < 0) throw new ScenarioError('--seed', `must be a whole number, not ${args.seed}`)
    const rateNodes = args['rate-nodes'] === undefined ? SCALING_DEFAULTS.rateNodes : Number(args['rate-nodes'])
    result = await runScaling({
      nodes: list(args.nodes, 'nodes', SCALING_DEFAULTS.nodes), rates: list(args.rates, 'rates', SCALING_DEFAULTS.rates), rateNodes, days, seed,
      stepHours: SCALING_DEFAULTS.stepHours, heapLimitMb: SCALING_DEFAULTS.heapLimitMb, out,
      ...(args.quiet !== true && { onProgress: scalingProgressPrinter() }),
      onPoint: async (soFar) => {
        await writeFile(join(out, 'scaling.json'), JSON.stringify(soFar, null, 2) + '\n')
        await writeFile(join(out, 'scaling.html'), renderScaling(soFar))
      }
    })
  } catch (err) {
    if (err instanceof ScenarioError) { console.error(`scaling error: ${err.message}`); return 2 }
    throw err
  }
  await writeFile(join(out, 'scaling.json'), JSON.stringify(result, null, 2) + '\n')
  await writeFile(join(out, 'scaling.html'), renderScaling(result))
  const f = result.fits
  const show = (p: string): string => relative(process.cwd(), p) || p
  for (const p of result.points) {
    const m = p.measure
    console.log(m === undefined
      ? `${p.id}: FAILED ${(p.error ?? '').split('\n')[0]}`
      : `${p.id}: ${p.nodes} nodes, ${p.rate}x: ${m.requestsSent} requests, peak RSS ${m.peakRssMb} MB, heap ${m.peakHeapUsedMb} MB, start+warm-up ${((m.realMs.start + m.realMs.warmUp) / 1000).toFixed(1)} s, simulate ${(m.realMs.simulate / 1000).toFixed(1)} s, total ${(m.realMs.total / 1000).toFixed(1)} s${m.assertionsFailed.length > 0 ? `, ${m.assertionsFailed.length} assertion(s) failed` : ''}`)
  }
  if (f.rssByNodes !== null) console.log(`memory: ${f.rssByNodes.slope} MB a node + ${f.rssByNodes.intercept} MB (R² ${f.rssByNodes.r2})`)
  if (f.simByRequests !== null) console.log(`traffic: ${f.simByRequests.slope} ms of simulation a request sent + ${f.simByRequests.intercept} ms (R² ${f.simByRequests.r2})`)
  console.log(`load average: ${result.load.before.join(', ')} before, ${result.load.after.join(', ')} after (up to ${result.load.max1m.toFixed(2)}) on ${result.platform.cpus} cores`)
  console.log(`scaling: ${show(join(out, 'scaling.json'))}\nreport:  ${show(join(out, 'scaling.html'))}`)
  return result.points.every((p) => p.measure !== undefined) ? 0 : 1
}

main().then((code) => { process.exit(code) }, (err: unknown) => {
  console.error(err)
  process.exit(2)
})
