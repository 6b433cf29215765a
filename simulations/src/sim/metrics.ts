/**
 * The metrics of one run, as the JSON file a researcher keeps: what was planned and
 * done, answer times per state beside the model, delivery latencies (real ms), alert
 * coverage over the simulated days, the Commission's indicators per state (the node's
 * own `indicatorsFor`), faults, refusals, memory and run time, and the assertions.
 *
 * Deterministic from the seed: the workload, and every virtual-time figure as long as no
 * action had to wait a step for a delivery (a fault, or a delivery slower than the
 * step). Timing-dependent: everything in real milliseconds, memory, CPU, waits, steps
 * not quiet, aborted connections, log counts. `timingDependent` lists them.
 */
import { cpus, loadavg } from 'node:os'
import type { RequestState } from '@imi/protocol'
import { indicatorsFor, type Performance } from '../../../node/src/services/requests/indicators.js'
import type { AssertionResult } from './assertions.js'
import { RECEIVERS_2010, RECEIVER_WEIGHTS, REQUESTS_2010, SENDERS_2010, SENDER_WEIGHTS, MODEL_AREAS, lognormalCdf, type ModelArea } from './model.js'
import type { RunRecord } from './run.js'
import { DAY_MS, type Scenario } from './scenario.js'
import { histogram, logBounds, summarize, type Histogram, type Summary } from './stats.js'

export const TIMING_DEPENDENT = [
  'run.*', 'delivery.*', 'alerts.reachAllMs', 'alerts.coverage[].held (a delivery slower than a step)',
  'requests.waits', 'requests.errors', 'faults.counters.abortedConnections', 'faults.counters.closedConnections', 'faults.partitionLeaks',
  'faults.counters.delayedWrites', 'faults.counters.lostWrites', 'faults.outcomes (counts of replies, floods, notices and open requests at a leave)',
  'faults.log[].realMs', 'logs', 'rejections.directory',
  'answerTimes, indicators, requests.byState (only where an action had to wait a step: after faults)'
] as const

export interface StateRow {
  readonly sent: number
  readonly received: number
  /** Percent of all requests sent in this run. */
  readonly sentPct: number
  readonly receivedPct: number
  /** What the model's weights give among the scenario's states. */
  readonly modelSentPct: number
  readonly modelReceivedPct: number
  /** The 2010 figure where the text names the state, with its percent of 2,017. */
  readonly sent2010?: number
  readonly received2010?: number
}

export interface SimMetrics {
  readonly format: 'imi-sim-metrics/1'
  readonly scenario: Scenario
  readonly run: {
    readonly startedAt: string
    readonly realMs: { readonly start: number, readonly warmUp: number, readonly simulate: number, readonly settle: number, readonly total: number }
    /** Where the simulated steps' real time went. */
    readonly stepsMs: RunRecord['timing']['breakdown']
    readonly actions: RunRecord['timing']['actions']
    readonly simulatedDays: number
    readonly simulatedDaysPerRealMinute: number
    readonly steps: number
    readonly stepsNotQuiet: number
    readonly nodes: number
    readonly federations: number
    readonly rss: { readonly peakMb: number, readonly endMb: number, readonly perNodeMb: number, readonly samples: ReadonlyArray<{ day: number, mb: number }> }
    readonly cpu: { readonly userMs: number, readonly systemMs: number, readonly coresBusy: number }
    readonly timers: { readonly fired: number, readonly errors: number, readonly firstErrors: readonly string[] }
    /** The machine's 1-minute load average at the end: above the core count, other work competed for the CPU. */
    readonly platform: { readonly node: string, readonly os: string, readonly cpus: number, readonly cpuModel: string, readonly loadAverage1m: number }
  }
  readonly workload: {
    readonly requestsPerMonth: number
    readonly alertsPerMonth: number
    readonly perFederation: ReadonlyArray<{ readonly requests: number, readonly alerts: number }>
    readonly answerModels: Readonly<Record<string, { readonly group: string, readonly medianDays: number }>>
  }
  readonly requests: {
    readonly planned: number
    readonly sent: number
    readonly accepted: number
    readonly answered: number
    readonly closed: number
    readonly failed: number
    readonly notSent: number
    readonly waits: number
    readonly errors: Readonly<Record<string, number>>
    readonly byArea: Readonly<Record<ModelArea, { readonly planned: number, readonly sent: number, readonly sentAs: string }>>
    readonly byState: Readonly<Record<string, StateRow>>
    readonly uk2010: { readonly sent: number, readonly note: string }
  }
  readonly answerTimes: {
    /** Days from sending to the final answer (virtual), all requests answered. */
    readonly all: Summary
    readonly within3DaysPct: number | null
    readonly within14DaysPct: number | null
    readonly histogramDays: Histogram
    readonly byState: Readonly<Record<string, { readonly group: string, readonly modelMedianDays: number, readonly modelWithin7DaysPct: number, readonly days: Summary }>>
  }
  readonly delivery: {
    /** Real ms from an official's action to the other node having applied it. */
    readonly requestEvents: Summary
    readonly byAction: Readonly<Record<string, Summary>>
    readonly alertEvents: Summary
    readonly histogramMs: { readonly requests: Histogram, readonly alerts: Histogram }
    /** Deliveries that took virtual time (held up by a fault across steps). */
    readonly delayedByFaults: number
    readonly delayedVirtualHours: Summary
  }
  readonly alerts: {
    readonly issued: number
    readonly withdrawn: number
    readonly toAll: number
    readonly toSelected: number
    readonly failed: number
    /** Real ms until every addressed state that could be reached held it. */
    readonly reachAllMs: Summary
    readonly coverage: ReadonlyArray<{ readonly day: number, readonly expected: number, readonly held: number, readonly pct: number | null }>
  }
  readonly indicators: Readonly<Record<string, { readonly sent: number, readonly received: number, readonly responding: Performance, readonly requesting: Performance }>>
  readonly faults: {
    readonly log: RunRecord['faults']
    readonly counters: RunRecord['faultCounters']
    readonly partitionLeaks: number
    /** Replays, floods, withheld answers, members leaving, the bootstrap node away: what each did (faults.ts). */
    readonly outcomes: RunRecord['faultOutcomes']
  }
  readonly rejections: RunRecord['rejections']
  readonly logs: Readonly<Record<string, number>>
  readonly assertions: readonly AssertionResult[]
  readonly timingDependent: readonly string[]
}

const pct = (n: number, d: number): number => d === 0 ? 0 : Math.round(n / d * 1000) / 10
const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0)

export function buildMetrics (run: RunRecord, assertions: readonly AssertionResult[], startedAt: Date): SimMetrics {
  const s = run.scenario
  const countries = s.countries
  const sent = run.requests.filter((r) => r.sentAt !== undefined)

  // Per state, beside the model and 2010.
  const wS = sum(countries.map((c) => SENDER_WEIGHTS[c] ?? 0))
  const byState: Record<string, StateRow> = {}
  for (const c of countries) {
    const out = sent.filter((r) => r.plan.from === c).length
    const inn = sent.filter((r) => r.plan.to === c).length
    // Receivers are drawn among the states other than the sender: the model's share is that mixture.
    let modelIn = 0
    for (const from of countries) {
      if (from === c) continue
      const others = countries.filter((x) => x !== from)
      modelIn += (SENDER_WEIGHTS[from] ?? 0) / wS * (RECEIVER_WEIGHTS[c] ?? 0) / sum(others.map((x) => RECEIVER_WEIGHTS[x] ?? 0))
    }
    byState[c] = {
      sent: out, received: inn, sentPct: pct(out, sent.length), receivedPct: pct(inn, sent.length),
      modelSentPct: s.workload.senders === undefined ? pct(SENDER_WEIGHTS[c] ?? 0, wS) : Number.NaN,
      modelReceivedPct: s.workload.receivers === undefined ? Math.round(modelIn * 1000) / 10 : Number.NaN,
      ...(SENDERS_2010[c] !== undefined && { sent2010: SENDERS_2010[c] }),
      ...(RECEIVERS_2010[c] !== undefined && { received2010: RECEIVERS_2010[c] })
    }
  }

  // Answer times, virtual days.
  const answerDays = (r: typeof run.requests[number]): number | undefined => r.answeredAt === undefined || r.sentAt === undefined ? undefined : (r.answeredAt - r.sentAt) / DAY_MS
  const all = run.requests.map(answerDays).filter((d): d is number => d !== undefined)
  const models = run.plans[0]!.answerModels
  const answerByState: SimMetrics['answerTimes']['byState'] = Object.fromEntries(countries.map((c) => [c, {
    group: models[c]!.group,
    modelMedianDays: models[c]!.medianDays,
    modelWithin7DaysPct: Math.round(lognormalCdf(7, models[c]!.lognormal) * 1000) / 10,
    days: summarize(run.requests.filter((r) => r.plan.to === c).map(answerDays).filter((d): d is number => d !== undefined))
  }]))

  // Deliveries.
  const reqDeliveries = run.deliveries.filter((d) => d.kind === 'request')
  const alertDeliveries = run.deliveries.filter((d) => d.kind === 'alert')
  const byAction: Record<string, Summary> = {}
  for (const a of ['send', 'accept', 'answer', 'close']) byAction[a] = summarize(reqDeliveries.filter((d) => d.action === a).map((d) => d.realMs))
  const msBounds = logBounds(1, 100_000)
  const delayed = run.deliveries.filter((d) => d.virtualMs > 0)

  // The Commission's indicators, per state, over every copy of each request (both nodes hold the same state).
  const union: RequestState[] = []
  for (const perState of run.final.requestStates) {
    const seen = new Map<string, RequestState>()
    for (const m of Object.values(perState)) for (const [id, st] of m) if (!seen.has(id)) seen.set(id, st)
    union.push(...seen.values())
  }
  const indicators: SimMetrics['indicators'] = Object.fromEntries(countries.map((c) => {
    const r = indicatorsFor(union, { country: c, now: run.final.endVirtual })
    return [c, { sent: r.sent, received: r.received, responding: r.responding, requesting: r.requesting }]
  }))

  const issued = run.alerts.filter((a) => a.issuedAt !== undefined)
  const simulatedDays = s.durationDays + s.drainDays
  const nodes = s.federations * countries.length
  const endMb = run.rss.at(-1)?.mb ?? 0
  const cpuMs = run.timing.cpuUserMs + run.timing.cpuSystemMs
  const logs = Object.fromEntries([...run.logs.entries()].sort((a, b) => b[1] - a[1]))

  return {
    format: 'imi-sim-metrics/1',
    scenario: s,
    run: {
      startedAt: startedAt.toISOString(),
      realMs: { start: run.timing.startRealMs, warmUp: run.timing.warmupRealMs, simulate: run.timing.simRealMs, settle: run.timing.settleRealMs, total: run.timing.totalRealMs },
      stepsMs: run.timing.breakdown,
      actions: run.timing.actions,
      simulatedDays,
      simulatedDaysPerRealMinute: Math.round(simulatedDays / Math.max(1, run.timing.simRealMs) * 60_000 * 10) / 10,
      steps: run.timing.steps,
      stepsNotQuiet: run.timing.stepsNotQuiet,
      nodes,
      federations: s.federations,
      rss: { peakMb: run.timing.peakRssMb, endMb, perNodeMb: Math.round(run.timing.peakRssMb / nodes * 10) / 10, samples: run.rss },
      cpu: { userMs: run.timing.cpuUserMs, systemMs: run.timing.cpuSystemMs, coresBusy: Math.round(cpuMs / Math.max(1, run.timing.totalRealMs) * 100) / 100 },
      timers: { fired: run.clock.timersFired, errors: run.clock.timerErrors, firstErrors: run.clock.firstTimerErrors },
      platform: { node: process.version, os: `${process.platform} ${process.arch}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', loadAverage1m: Math.round(loadavg()[0]! * 100) / 100 }
    },
    workload: {
      requestsPerMonth: s.workload.requestsPerMonth,
      alertsPerMonth: s.workload.alertsPerMonth,
      perFederation: run.plans.map((p) => ({ requests: p.requests.length, alerts: p.alerts.length })),
      answerModels: Object.fromEntries(countries.map((c) => [c, { group: models[c]!.group, medianDays: models[c]!.medianDays }]))
    },
    requests: {
      planned: run.requests.length,
      sent: sent.length,
      accepted: run.requests.filter((r) => r.acceptedAt !== undefined).length,
      answered: run.requests.filter((r) => r.answeredAt !== undefined).length,
      closed: run.requests.filter((r) => r.closedAt !== undefined).length,
      failed: run.requests.filter((r) => r.failed !== undefined).length,
      notSent: run.requests.filter((r) => r.sentAt === undefined && r.failed === undefined).length,
      waits: sum(run.requests.map((r) => r.waits)),
      errors: mergeCounts(run.requests.map((r) => r.errors)),
      byArea: Object.fromEntries(MODEL_AREAS.map((a) => [a, {
        planned: run.requests.filter((r) => r.plan.area === a).length,
        sent: sent.filter((r) => r.plan.area === a).length,
        sentAs: s.workload.areaOnWire[a]
      }])) as SimMetrics['requests']['byArea'],
      byState,
      uk2010: { sent: SENDERS_2010.UK ?? 0, note: `the UK sent ${SENDERS_2010.UK} of ${REQUESTS_2010} requests in 2010 (${pct(SENDERS_2010.UK ?? 0, REQUESTS_2010)} %); it left after 2020 and is not simulated: its share is dropped and the others' renormalised` }
    },
    answerTimes: {
      all: summarize(all),
      within3DaysPct: all.length === 0 ? null : pct(all.filter((d) => d <= 3).length, all.length),
      within14DaysPct: all.length === 0 ? null : pct(all.filter((d) => d <= 14).length, all.length),
      histogramDays: histogram(all, [1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60, 90, 120]),
      byState: answerByState
    },
    delivery: {
      requestEvents: summarize(reqDeliveries.map((d) => d.realMs)),
      byAction,
      alertEvents: summarize(alertDeliveries.map((d) => d.realMs)),
      histogramMs: { requests: histogram(reqDeliveries.map((d) => d.realMs), msBounds), alerts: histogram(alertDeliveries.map((d) => d.realMs), msBounds) },
      delayedByFaults: delayed.length,
      delayedVirtualHours: summarize(delayed.map((d) => d.virtualMs / 3_600_000))
    },
    alerts: {
      issued: issued.length,
      withdrawn: run.alerts.filter((a) => a.withdrawnAt !== undefined).length,
      toAll: issued.filter((a) => a.plan.to === 'all').length,
      toSelected: issued.filter((a) => a.plan.to !== 'all').length,
      failed: run.alerts.filter((a) => a.failed !== undefined).length,
      reachAllMs: summarize(issued.map((a) => a.allMs).filter((x): x is number => x !== undefined)),
      coverage: run.coverage.map((c) => ({ ...c, pct: c.expected === 0 ? null : pct(c.held, c.expected) }))
    },
    indicators,
    faults: { log: run.faults, counters: run.faultCounters, partitionLeaks: run.partitionLeaks, outcomes: run.faultOutcomes },
    rejections: run.rejections,
    logs,
    assertions,
    timingDependent: TIMING_DEPENDENT
  }
}

function mergeCounts (list: ReadonlyArray<Readonly<Record<string, number>>>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const m of list) for (const [k, n] of Object.entries(m)) out[k] = (out[k] ?? 0) + n
  return out
}
