/**
 * A scenario: what to simulate (which states, how long, what traffic), what goes wrong
 * (faults) and what must hold (assertions). Written as JSON or a TypeScript object;
 * `parseScenario` fills in the defaults and rejects anything it does not understand,
 * naming the setting (`scenario.faults[1].nodes[0]: ...`).
 *
 * How many nodes: a federation holds one node per EU/EEA member state (the roster admits
 * only the 30 country codes, and a country appears once), so `nodes` is at most 30.
 * Larger runs use `federations`: k independent federations of the same states in one
 * process, each with its own federation id, roster, keys and workload (seed + index), all
 * on the one virtual clock: 4 x 25 = 100 real member nodes. See README.
 */
import { isCountryCode, isLegislativeArea, type LegislativeArea } from '@imi/protocol'
import {
  ALERTS_PER_MONTH_2016_2017, ALL_STATES, ANSWER_2010, AREA_MIX_2019, AREA_ON_WIRE, MODEL_AREAS, REQUESTS_PER_MONTH_2019, STATES_BY_TRAFFIC, trafficShare,
  type ModelArea
} from './model.js'

export const FAULT_KINDS = ['crash', 'restart', 'partition', 'heal', 'forge', 'latency', 'loss', 'clear', 'replay', 'flood', 'withhold', 'leave', 'bootstrap-down', 'bootstrap-up'] as const
export type FaultKind = typeof FAULT_KINDS[number]

/** The four that hold whatever the faults; a scenario without assertions gets these and those of its faults. */
export const BASE_ASSERTION_KINDS = ['every-alert-reaches-every-live-node', 'no-forged-accepted', 'nothing-lost-across-crashes', 'all-requests-delivered'] as const
/** What each fault kind is checked by (see assertions.ts). */
export const FAULT_ASSERTIONS: Readonly<Partial<Record<FaultKind, AssertionKind>>> = {
  latency: 'delivered-across-shaped-links',
  loss: 'delivered-across-shaped-links',
  replay: 'no-replay-applied',
  flood: 'flood-contained',
  withhold: 'withheld-answers-chased',
  leave: 'removed-member-refused',
  'bootstrap-down': 'works-without-bootstrap'
}
export const ASSERTION_KINDS = [...BASE_ASSERTION_KINDS, 'delivered-across-shaped-links', 'no-replay-applied', 'flood-contained', 'withheld-answers-chased', 'removed-member-refused', 'works-without-bootstrap'] as const
export type AssertionKind = typeof ASSERTION_KINDS[number]

export interface Fault {
  /** Simulated day (fractions allowed: 2.5 is noon of day 2). */
  readonly at: number
  readonly kind: FaultKind
  /**
   * crash/restart: the nodes; partition: one side (the rest of the federation is the other);
   * forge, replay, flood, withhold: the misbehaving node; leave: the member removed;
   * latency, loss, clear: one end of the links (`to` the other); bootstrap-down/up: none.
   */
  readonly nodes: readonly string[]
  /** Which federation (0-based); all when absent. */
  readonly federation?: number
  /** latency, loss, clear: the other end of the links (default: every other state); flood: its targets (default: every other state). */
  readonly to?: readonly string[]
  /** latency: real milliseconds added to each direction, plus a uniform draw below `jitter`. */
  readonly ms?: number
  readonly jitter?: number
  /** loss: the share of writes lost (each resets its stream). */
  readonly rate?: number
  /** flood: frames sent to each target; replay: old envelopes re-sent (direct, and as many alerts on gossip). */
  readonly count?: number
}

export interface AssertionSpec {
  readonly id: string
  readonly kind: AssertionKind
}

export interface AnswerTimeModel {
  /** Share answered within 3 days and within 14 days (2010: 0.26, 0.58). */
  readonly within3Days: number
  readonly within14Days: number
  /** States that answer fast / slow; unnamed places are drawn from the seed. */
  readonly fast: { readonly states: readonly string[], readonly count: number, readonly within7Days: number }
  readonly slow: { readonly states: readonly string[], readonly count: number, readonly within7Days: number }
  /** Longer sampled times are cut to this (the lognormal's tail is long). */
  readonly maxDays: number
}

export interface DelayModel { readonly medianDays: number, readonly sigma: number }

export interface Workload {
  readonly requestsPerMonth: number
  /** Percent per modelled area; normalised. */
  readonly areas: Readonly<Record<ModelArea, number>>
  /** The protocol area each modelled one is sent as. */
  readonly areaOnWire: Readonly<Record<ModelArea, LegislativeArea>>
  /** Relative weights by state; states absent get 0. Defaults from the 2010 figures. */
  readonly senders?: Readonly<Record<string, number>>
  readonly receivers?: Readonly<Record<string, number>>
  readonly answerTime: AnswerTimeModel
  readonly acceptDelay: DelayModel
  readonly closeDelay: DelayModel
  readonly alertsPerMonth: number
  /** Share of alerts addressed to a few states rather than all. */
  readonly alertsToSelectedShare: number
  /** Share of alerts withdrawn later (found unfounded). */
  readonly alertsWithdrawnShare: number
  /** Authorities per state seeded on each node (from the dataset generator). */
  readonly authoritiesPerState: number
}

export interface NodeSettings {
  /** Whether the nodes refresh and republish their directories during the run (see harness.ts); off by default. */
  readonly directoryMaintenance: boolean
  readonly directoryRefreshHours: number
  readonly directoryRepublishHours: number
  readonly retryInitialMs: number
  readonly retryMaxMs: number
  /** The node's `requests.escalateAfterMs` in days: an open request with no activity for this long is escalated (60, the workflow's two months). */
  readonly escalateAfterDays: number
  /**
   * How often each node's retention and deadline safety scans run (the node's default: 1).
   * Each reads every request the node holds, once a simulated hour per node: a year of 30
   * nodes spends most of its time there. A day makes reminders and overdue marks land
   * within a day of their time instead of an hour.
   */
  readonly safetyScanHours: number
}

export interface Scenario {
  readonly name: string
  readonly description: string
  readonly seed: number
  /** Virtual day 0, UTC midnight (YYYY-MM-DD). */
  readonly start: string
  readonly countries: readonly string[]
  readonly federations: number
  readonly durationDays: number
  /** Days after the last new work during which open requests may still finish. */
  readonly drainDays: number
  /** Virtual time per step. */
  readonly stepHours: number
  /** Real-time bound of the wait for a quiet federation after each step. */
  readonly settleMs: number
  /** Real-time bound of the wait at the end for what is still in flight. */
  readonly finalSettleMs: number
  readonly workload: Workload
  readonly faults: readonly Fault[]
  readonly assertions: readonly AssertionSpec[]
  readonly node: NodeSettings
}

export class ScenarioError extends Error {
  constructor (readonly path: string, message: string) {
    super(`${path}: ${message}`)
    this.name = 'ScenarioError'
  }
}

type Raw = Record<string, unknown>

function obj (v: unknown, path: string): Raw {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ScenarioError(path, 'must be an object')
  return v as Raw
}

function only (o: Raw, path: string, known: readonly string[]): void {
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new ScenarioError(`${path}.${k}`, `is not a known setting (known: ${known.join(', ')})`)
}

function num (v: unknown, path: string, fallback: number, min: number, max: number, integer = false): number {
  if (v === undefined) return fallback
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ScenarioError(path, 'must be a number')
  if (integer && !Number.isInteger(v)) throw new ScenarioError(path, 'must be a whole number')
  if (v < min || v > max) throw new ScenarioError(path, `must be from ${min} to ${max}, not ${v}`)
  return v
}

function str (v: unknown, path: string, fallback: string): string {
  if (v === undefined) return fallback
  if (typeof v !== 'string' || v.length === 0) throw new ScenarioError(path, 'must be a non-empty string')
  return v
}

function states (v: unknown, path: string, within: readonly string[]): string[] {
  if (!Array.isArray(v)) throw new ScenarioError(path, 'must be a list of member state codes')
  const out = v.map((c, i) => {
    if (c === 'UK' || c === 'GB') throw new ScenarioError(`${path}[${i}]`, 'the United Kingdom left the federation (its 2010 figures are shown in the report, not simulated)')
    if (!isCountryCode(c)) throw new ScenarioError(`${path}[${i}]`, `"${String(c)}" is not an EU/EEA member state code (e.g. PL)`)
    if (!within.includes(c)) throw new ScenarioError(`${path}[${i}]`, `${c} is not one of this scenario's states (${within.join(', ')})`)
    return c
  })
  if (new Set(out).size !== out.length) throw new ScenarioError(path, 'names a state twice')
  return out
}

function weights (v: unknown, path: string): Record<string, number> | undefined {
  if (v === undefined) return undefined
  const o = obj(v, path)
  const out: Record<string, number> = {}
  for (const [k, w] of Object.entries(o)) {
    if (!isCountryCode(k)) throw new ScenarioError(`${path}.${k}`, 'is not an EU/EEA member state code')
    out[k] = num(w, `${path}.${k}`, 0, 0, 1e9)
  }
  return out
}

function delay (v: unknown, path: string, fallback: DelayModel): DelayModel {
  if (v === undefined) return fallback
  const o = obj(v, path)
  only(o, path, ['medianDays', 'sigma'])
  return { medianDays: num(o.medianDays, `${path}.medianDays`, fallback.medianDays, 0.01, 365), sigma: num(o.sigma, `${path}.sigma`, fallback.sigma, 0, 5) }
}

/** `nodes`: a count (the busiest states of 2010 first) or a list of member state codes. */
function countriesOf (v: unknown): string[] {
  if (v === undefined) throw new ScenarioError('scenario.nodes', 'is required: a number of member states (at most 30) or a list of codes')
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 2) throw new ScenarioError('scenario.nodes', 'must be a whole number of at least 2')
    if (v > ALL_STATES.length) {
      throw new ScenarioError('scenario.nodes', `${v} is more than the ${ALL_STATES.length} EU/EEA member states: a federation has one node per member state ` +
        `(the roster admits only their codes, each once). For more nodes in one process, run several independent federations: ` +
        `e.g. { "nodes": 25, "federations": 4 } runs 100 member nodes`)
    }
    return STATES_BY_TRAFFIC.slice(0, v)
  }
  const list = states(v, 'scenario.nodes', ALL_STATES)
  if (list.length < 2) throw new ScenarioError('scenario.nodes', 'needs at least 2 member states')
  return list
}

const DEFAULT_NODE: NodeSettings = { directoryMaintenance: false, directoryRefreshHours: 24, directoryRepublishHours: 12, retryInitialMs: 1000, retryMaxMs: 300_000, escalateAfterDays: 60, safetyScanHours: 1 }

/** Checks a scenario and fills in every default. */
export function parseScenario (raw: unknown): Scenario {
  const r = obj(raw, 'scenario')
  only(r, 'scenario', ['name', 'description', 'seed', 'start', 'nodes', 'federations', 'durationDays', 'drainDays', 'stepHours', 'settleMs', 'finalSettleMs', 'workload', 'faults', 'assertions', 'node'])
  const countries = countriesOf(r.nodes)
  const start = str(r.start, 'scenario.start', '2027-01-04')
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || Number.isNaN(Date.parse(`${start}T00:00:00Z`))) throw new ScenarioError('scenario.start', 'must be a date YYYY-MM-DD')
  const durationDays = num(r.durationDays, 'scenario.durationDays', 30, 0.01, 3650)
  const federations = num(r.federations, 'scenario.federations', 1, 1, 20, true)
  const workload = parseWorkload(r.workload, countries)
  const faults = parseFaults(r.faults, countries, federations, durationDays)
  const assertions = parseAssertions(r.assertions, faults)
  const n = obj(r.node ?? {}, 'scenario.node')
  only(n, 'scenario.node', Object.keys(DEFAULT_NODE))
  if (n.directoryMaintenance !== undefined && typeof n.directoryMaintenance !== 'boolean') throw new ScenarioError('scenario.node.directoryMaintenance', 'must be true or false')
  const node: NodeSettings = {
    directoryMaintenance: n.directoryMaintenance === true,
    // The node's own limits: refresh at most every 24 h, republish at most every 12 h (records live 24 h).
    directoryRefreshHours: num(n.directoryRefreshHours, 'scenario.node.directoryRefreshHours', DEFAULT_NODE.directoryRefreshHours, 0.01, 24),
    directoryRepublishHours: num(n.directoryRepublishHours, 'scenario.node.directoryRepublishHours', DEFAULT_NODE.directoryRepublishHours, 0.01, 12),
    retryInitialMs: num(n.retryInitialMs, 'scenario.node.retryInitialMs', DEFAULT_NODE.retryInitialMs, 10, 3_600_000, true),
    retryMaxMs: num(n.retryMaxMs, 'scenario.node.retryMaxMs', DEFAULT_NODE.retryMaxMs, 100, 86_400_000, true),
    escalateAfterDays: num(n.escalateAfterDays, 'scenario.node.escalateAfterDays', DEFAULT_NODE.escalateAfterDays, 0.01, 730),
    safetyScanHours: num(n.safetyScanHours, 'scenario.node.safetyScanHours', DEFAULT_NODE.safetyScanHours, 0.01, 24 * 30)
  }
  if (node.retryMaxMs < node.retryInitialMs) throw new ScenarioError('scenario.node.retryMaxMs', 'must not be smaller than retryInitialMs')
  return {
    name: str(r.name, 'scenario.name', 'unnamed'),
    description: r.description === undefined ? '' : str(r.description, 'scenario.description', ''),
    seed: num(r.seed, 'scenario.seed', 1, 0, 2 ** 32 - 1, true),
    start,
    countries,
    federations,
    durationDays,
    drainDays: num(r.drainDays, 'scenario.drainDays', 0, 0, 3650),
    stepHours: num(r.stepHours, 'scenario.stepHours', 1, 1 / 60, 24 * 7),
    settleMs: num(r.settleMs, 'scenario.settleMs', 3000, 0, 600_000, true),
    finalSettleMs: num(r.finalSettleMs, 'scenario.finalSettleMs', 30_000, 0, 3_600_000, true),
    workload,
    faults,
    assertions,
    node
  }
}

function parseWorkload (raw: unknown, countries: readonly string[]): Workload {
  const w = obj(raw ?? {}, 'scenario.workload')
  only(w, 'scenario.workload', ['requestsPerMonth', 'areas', 'areaOnWire', 'senders', 'receivers', 'answerTime', 'acceptDelay', 'closeDelay',
    'alertsPerMonth', 'alertsToSelectedShare', 'alertsWithdrawnShare', 'authoritiesPerState'])
  const areas = { ...AREA_MIX_2019 }
  if (w.areas !== undefined) {
    const a = obj(w.areas, 'scenario.workload.areas')
    only(a, 'scenario.workload.areas', MODEL_AREAS)
    for (const k of MODEL_AREAS) areas[k] = num(a[k], `scenario.workload.areas.${k}`, 0, 0, 100)
    if (MODEL_AREAS.every((k) => areas[k] === 0)) throw new ScenarioError('scenario.workload.areas', 'needs at least one area above 0')
  }
  const areaOnWire = { ...AREA_ON_WIRE }
  if (w.areaOnWire !== undefined) {
    const a = obj(w.areaOnWire, 'scenario.workload.areaOnWire')
    only(a, 'scenario.workload.areaOnWire', MODEL_AREAS)
    for (const [k, v] of Object.entries(a)) {
      if (!isLegislativeArea(v)) throw new ScenarioError(`scenario.workload.areaOnWire.${k}`, `"${String(v)}" is not a legislative area of the protocol`)
      areaOnWire[k as ModelArea] = v
    }
  }
  const t = obj(w.answerTime ?? {}, 'scenario.workload.answerTime')
  only(t, 'scenario.workload.answerTime', ['within3Days', 'within14Days', 'fast', 'slow', 'maxDays'])
  const group = (v: unknown, path: string, count: number, within7Days: number, named: readonly string[]): AnswerTimeModel['fast'] => {
    const g = obj(v ?? {}, path)
    only(g, path, ['states', 'count', 'within7Days'])
    const list = g.states === undefined ? named.filter((c) => countries.includes(c)) : states(g.states, `${path}.states`, countries)
    return { states: list, count: num(g.count, `${path}.count`, count, 0, 30, true), within7Days: num(g.within7Days, `${path}.within7Days`, within7Days, 0.001, 0.999) }
  }
  // The 2010 counts are out of 30 states; a smaller federation gets its share of each group.
  const share = (n: number): number => Math.round(n * countries.length / ALL_STATES.length)
  const answerTime: AnswerTimeModel = {
    within3Days: num(t.within3Days, 'scenario.workload.answerTime.within3Days', ANSWER_2010.within3Days, 0.001, 0.998),
    within14Days: num(t.within14Days, 'scenario.workload.answerTime.within14Days', ANSWER_2010.within14Days, 0.002, 0.999),
    fast: group(t.fast, 'scenario.workload.answerTime.fast', share(ANSWER_2010.fastStates), ANSWER_2010.fastWithin7Days, []),
    slow: group(t.slow, 'scenario.workload.answerTime.slow', Math.max(share(ANSWER_2010.slowStates), ANSWER_2010.namedSlow.filter((c) => countries.includes(c)).length), ANSWER_2010.slowWithin7Days, ANSWER_2010.namedSlow),
    maxDays: num(t.maxDays, 'scenario.workload.answerTime.maxDays', 120, 1, 3650)
  }
  if (answerTime.within14Days <= answerTime.within3Days) throw new ScenarioError('scenario.workload.answerTime.within14Days', 'must be more than within3Days')
  if (answerTime.fast.states.some((c) => answerTime.slow.states.includes(c))) throw new ScenarioError('scenario.workload.answerTime', 'a state cannot be both fast and slow')
  if (answerTime.fast.count + answerTime.slow.count > countries.length) throw new ScenarioError('scenario.workload.answerTime', `fast.count + slow.count is more than the ${countries.length} states`)
  for (const g of ['fast', 'slow'] as const) {
    if (answerTime[g].states.length > answerTime[g].count) throw new ScenarioError(`scenario.workload.answerTime.${g}.count`, `is smaller than the ${answerTime[g].states.length} states named`)
  }
  const senders = weights(w.senders, 'scenario.workload.senders')
  const receivers = weights(w.receivers, 'scenario.workload.receivers')
  const scaled = Math.round(REQUESTS_PER_MONTH_2019 * trafficShare(countries, senders, receivers) * 10) / 10
  return {
    requestsPerMonth: num(w.requestsPerMonth, 'scenario.workload.requestsPerMonth', scaled, 0, 1e6),
    areas,
    areaOnWire,
    ...(senders !== undefined && { senders }),
    ...(receivers !== undefined && { receivers }),
    answerTime,
    acceptDelay: delay(w.acceptDelay, 'scenario.workload.acceptDelay', { medianDays: 1.5, sigma: 1.2 }),
    closeDelay: delay(w.closeDelay, 'scenario.workload.closeDelay', { medianDays: 2, sigma: 1 }),
    alertsPerMonth: num(w.alertsPerMonth, 'scenario.workload.alertsPerMonth', Math.round(ALERTS_PER_MONTH_2016_2017 * countries.length / ALL_STATES.length * 10) / 10, 0, 1e6),
    alertsToSelectedShare: num(w.alertsToSelectedShare, 'scenario.workload.alertsToSelectedShare', 0.2, 0, 1),
    alertsWithdrawnShare: num(w.alertsWithdrawnShare, 'scenario.workload.alertsWithdrawnShare', 0.05, 0, 1),
    authoritiesPerState: num(w.authoritiesPerState, 'scenario.workload.authoritiesPerState', 6, 4, 500, true)
  }
}

/** Settings each fault kind takes beside at, kind, nodes and federation. */
const FAULT_SETTINGS: Readonly<Partial<Record<FaultKind, readonly string[]>>> = {
  latency: ['to', 'ms', 'jitter'], loss: ['to', 'rate'], clear: ['to'], flood: ['to', 'count'], replay: ['count']
}
/** Kinds that name no node (clear: none means every link). */
const NODELESS: readonly FaultKind[] = ['heal', 'bootstrap-down', 'bootstrap-up', 'clear']
/** Kinds done by exactly one node. */
const ONE_NODE: readonly FaultKind[] = ['forge', 'replay', 'flood', 'withhold', 'leave']

function parseFaults (raw: unknown, countries: readonly string[], federations: number, durationDays: number): Fault[] {
  if (raw === undefined) return []
  if (!Array.isArray(raw)) throw new ScenarioError('scenario.faults', 'must be a list')
  const faults = raw.map((v, i): Fault => {
    const path = `scenario.faults[${i}]`
    const f = obj(v, path)
    if (!(FAULT_KINDS as readonly unknown[]).includes(f.kind)) throw new ScenarioError(`${path}.kind`, `must be one of ${FAULT_KINDS.join(', ')}`)
    const kind = f.kind as FaultKind
    only(f, path, ['at', 'kind', 'nodes', 'federation', ...FAULT_SETTINGS[kind] ?? []])
    const at = num(f.at, `${path}.at`, Number.NaN, 0, durationDays)
    if (Number.isNaN(at)) throw new ScenarioError(`${path}.at`, 'is required: the simulated day')
    if ((kind === 'bootstrap-down' || kind === 'bootstrap-up') && f.nodes !== undefined) throw new ScenarioError(`${path}.nodes`, 'names no node: the federation\'s bootstrap node is meant')
    const nodes = NODELESS.includes(kind) && f.nodes === undefined ? [] : states(f.nodes, `${path}.nodes`, countries)
    if (!NODELESS.includes(kind) && nodes.length === 0) throw new ScenarioError(`${path}.nodes`, 'names no node')
    if (kind === 'partition' && nodes.length >= countries.length) throw new ScenarioError(`${path}.nodes`, 'one side of a partition must leave at least one node on the other')
    if (ONE_NODE.includes(kind) && nodes.length !== 1) throw new ScenarioError(`${path}.nodes`, `${kind} is done by exactly one node`)
    const federation = f.federation === undefined ? undefined : num(f.federation, `${path}.federation`, 0, 0, federations - 1, true)
    const extra: { -readonly [K in keyof Fault]?: Fault[K] } = {}
    if (f.to !== undefined) {
      extra.to = states(f.to, `${path}.to`, countries)
      const both = extra.to.filter((c) => nodes.includes(c))
      if (both.length > 0) throw new ScenarioError(`${path}.to`, `${both.join(', ')} is on both ends`)
      if (kind === 'clear' && nodes.length === 0) throw new ScenarioError(`${path}.to`, 'needs nodes: the other end of the links to clear')
    }
    if (kind === 'latency') {
      if (f.ms === undefined) throw new ScenarioError(`${path}.ms`, 'is required: real milliseconds added to each direction')
      extra.ms = num(f.ms, `${path}.ms`, 0, 0, 60_000)
      extra.jitter = num(f.jitter, `${path}.jitter`, 0, 0, 60_000)
    }
    if (kind === 'loss') {
      if (f.rate === undefined) throw new ScenarioError(`${path}.rate`, 'is required: the share of writes lost, from 0 to 1')
      extra.rate = num(f.rate, `${path}.rate`, 0, 0, 1)
    }
    if (kind === 'flood') extra.count = num(f.count, `${path}.count`, 50_000, 1, 1_000_000, true)
    if (kind === 'replay') extra.count = num(f.count, `${path}.count`, 20, 1, 10_000, true)
    return { at, kind, nodes, ...(federation !== undefined && { federation }), ...extra }
  })
  // Faults in time order; a restart needs a crash before it, a heal a partition.
  const sorted = faults.map((f, i) => ({ f, i })).sort((a, b) => a.f.at - b.f.at || a.i - b.i)
  const down = new Set<string>()
  const left = new Set<string>()
  let partitioned = false
  let bootstrapDown = false
  for (const { f, i } of sorted) {
    for (const c of f.nodes) {
      const key = `${f.federation ?? '*'}/${c}`
      if (left.has(key)) throw new ScenarioError(`scenario.faults[${i}].nodes`, `${c} left the roster before day ${f.at}`)
      if (f.kind === 'crash') {
        if (down.has(key)) throw new ScenarioError(`scenario.faults[${i}].nodes`, `${c} is already down on day ${f.at}`)
        down.add(key)
      }
      if (f.kind === 'restart') {
        if (!down.delete(key)) throw new ScenarioError(`scenario.faults[${i}].nodes`, `${c} is not down on day ${f.at}: restart follows a crash`)
      }
      if (f.kind === 'leave') left.add(key)
    }
    if (f.kind === 'leave' && countries.length - left.size < 2) {
      throw new ScenarioError(`scenario.faults[${i}].nodes`, 'a federation keeps at least two members')
    }
    if (f.kind === 'partition') {
      if (partitioned) throw new ScenarioError(`scenario.faults[${i}]`, 'a partition is already in place: heal it first')
      partitioned = true
    }
    if (f.kind === 'heal') {
      if (!partitioned) throw new ScenarioError(`scenario.faults[${i}]`, 'there is no partition to heal')
      partitioned = false
    }
    if (f.kind === 'bootstrap-down') {
      if (bootstrapDown) throw new ScenarioError(`scenario.faults[${i}]`, 'the bootstrap node is already down')
      bootstrapDown = true
    }
    if (f.kind === 'bootstrap-up') {
      if (!bootstrapDown) throw new ScenarioError(`scenario.faults[${i}]`, 'the bootstrap node is not down: bootstrap-up follows bootstrap-down')
      bootstrapDown = false
    }
  }
  return sorted.map((s) => s.f)
}

function parseAssertions (raw: unknown, faults: readonly Fault[]): AssertionSpec[] {
  if (raw === undefined) {
    const kinds = new Set<AssertionKind>([...BASE_ASSERTION_KINDS, ...faults.flatMap((f) => FAULT_ASSERTIONS[f.kind] ?? [])])
    return [...kinds].map((kind) => ({ id: kind, kind }))
  }
  if (!Array.isArray(raw)) throw new ScenarioError('scenario.assertions', 'must be a list')
  const ids = new Set<string>()
  return raw.map((v, i) => {
    const path = `scenario.assertions[${i}]`
    const a = obj(v, path)
    only(a, path, ['id', 'kind'])
    if (!(ASSERTION_KINDS as readonly unknown[]).includes(a.kind)) throw new ScenarioError(`${path}.kind`, `must be one of ${ASSERTION_KINDS.join(', ')}`)
    const id = str(a.id, `${path}.id`, a.kind as string)
    if (ids.has(id)) throw new ScenarioError(`${path}.id`, `"${id}" is used twice`)
    ids.add(id)
    return { id, kind: a.kind as AssertionKind }
  })
}

/** Virtual epoch of day 0. */
export function startMs (s: Scenario): number { return Date.parse(`${s.start}T00:00:00Z`) }

export const DAY_MS = 86_400_000
export const HOUR_MS = 3_600_000
