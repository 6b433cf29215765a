/**
 * Runs a scenario: starts the federations on one virtual clock, lets their directories
 * and gossip meshes form, then walks virtual time in steps. At each step it applies the
 * faults that are due, moves the clock (firing the nodes' timers: retries, directory
 * republication, deadlines), has the officials act (send, accept, answer, close,
 * issue and withdraw alerts), and waits until the federation is quiet (nothing owed to
 * a reachable node, every expected delivery seen) or `settleMs` of real time passed.
 *
 * An official acts only on a running node, and only once the request has reached the
 * state it acts in (an answer waits for the acceptance to arrive...): otherwise the
 * action waits for the next step. Virtual timestamps therefore have the step's
 * resolution, and a fault shows up as later virtual times.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'
import { replayRequest, type AuthorityEntry, type RequestState } from '@imi/protocol'
import type { ImiNode, Logger } from '@imi/node'
import type { Actor } from '../../../node/src/services/accounts/permissions.js'
import { FaultDriver, type FaultOutcomes } from './faults.js'
import { SimFederation } from './harness.js'
import { ProcessFederation, processModeProblem, type ProcessMode } from './processes/federation.js'
import { DAY_MS, HOUR_MS, startMs, type Fault, type Scenario } from './scenario.js'
import { SimClock } from './sim-clock.js'
import { TimeQueue } from './stats.js'
import { generateWorkload, type AlertPlan, type RequestPlan, type WorkloadPlan } from './workload.js'

export const COORDINATOR: Actor = { kind: 'user', username: 'sim.nimic', coordinator: true, grants: [] }

/** An official of `a` with every role the simulation needs in each of its areas. */
export function officialOf (a: AuthorityEntry): Actor {
  return { kind: 'user', username: `sim.${a.id}`, authority: a.id, coordinator: false, grants: a.areas.flatMap((area) => [{ area, role: 'request-handler' as const }, { area, role: 'alert-handler' as const }]) }
}

const STATUS_RANK: Readonly<Record<string, number>> = { sent: 1, accepted: 2, answered: 3, 'info-requested': 3, closed: 4, withdrawn: 4 }

export interface RequestRun {
  readonly fed: number
  readonly plan: RequestPlan
  /** The node's id for it, once sent. */
  id?: string
  /** Virtual ms of each action as taken. */
  sentAt?: number
  acceptedAt?: number
  answeredAt?: number
  closedAt?: number
  /** Steps an action waited (node down, or the previous step not arrived yet). */
  waits: number
  /** Tries that threw, by code. */
  errors: Record<string, number>
  failed?: string
  /** Virtual ms at which the responder withheld its answer (a `withhold` fault): never answered. */
  withheldAt?: number
  /** Why the rest of it was not done: a party left the roster. */
  dropped?: string
}

export interface AlertRun {
  readonly fed: number
  readonly plan: AlertPlan
  id?: string
  issuedAt?: number
  withdrawnAt?: number
  /** Real ms from issuing to each addressed state holding it. */
  readonly reachedMs: Record<string, number>
  /** Real ms until every addressed state (running and reachable then) held it. */
  allMs?: number
  waits: number
  errors: Record<string, number>
  failed?: string
}

export interface Delivery {
  readonly fed: number
  readonly kind: 'request' | 'alert'
  readonly action: string
  readonly from: string
  readonly to: string
  /** Real milliseconds from the action to the other node having applied it. */
  readonly realMs: number
  /** Virtual ms it took: 0 unless a fault held it up across steps. */
  readonly virtualMs: number
}

interface Expectation {
  readonly fed: number
  readonly kind: 'request' | 'alert'
  readonly id: string
  readonly action: string
  readonly rank: number
  readonly from: string
  readonly to: string
  readonly t0: number
  readonly v0: number
  steps: number
  readonly alert?: AlertRun
}

export interface CrashSnapshot {
  readonly fed: number
  readonly country: string
  readonly day: number
  readonly requests: ReadonlyMap<string, number>
  readonly alerts: readonly string[]
  readonly owed: number
}

export interface FaultRecord {
  readonly day: number
  readonly kind: Fault['kind']
  readonly nodes: readonly string[]
  readonly federation: number
  readonly realMs: number
}

export interface Progress {
  readonly phase: 'starting' | 'warm-up' | 'running' | 'draining' | 'settling' | 'checking' | 'done'
  readonly day: number
  readonly totalDays: number
  readonly nodes: number
  readonly live: number
  readonly requestsSent: number
  readonly requestsClosed: number
  readonly alertsIssued: number
  readonly realMs: number
  readonly rssMb: number
  /** What the phase is waiting for, while starting and warming up. */
  readonly detail: string
}

export interface RunOptions {
  readonly scenario: Scenario
  /** Where the nodes' folders go; a fresh temporary folder by default. */
  readonly dir?: string
  readonly keepData?: boolean
  readonly logger?: Logger
  readonly onProgress?: (p: Progress) => void
  /** Each node in a process of its own (`--processes`), each in a network namespace (`--netns`): processes/federation.ts. */
  readonly processes?: ProcessMode
}

/** A logger that counts warnings and errors by component and message, keeping the fields of the first of each (ids and codes, never personal data). */
export class CountingLogger implements Logger {
  constructor (readonly counts: Map<string, number> = new Map(), private readonly component = 'node', readonly firstFields: Map<string, string> = new Map()) {}
  private note (level: string, msg: string, fields?: Record<string, unknown>): void {
    const code = fields?.code
    const key = `${level} ${this.component.replace(/^[A-Z]{2}:?/, '') || 'node'}: ${msg}${typeof code === 'string' ? ` (${code})` : ''}`
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
    if (!this.firstFields.has(key) && fields !== undefined) this.firstFields.set(key, JSON.stringify(fields).slice(0, 300))
  }

  debug (): void {}
  info (): void {}
  warn (msg: string, fields?: Record<string, unknown>): void { this.note('warn', msg, fields) }
  error (msg: string, fields?: Record<string, unknown>): void { this.note('error', msg, fields) }
  child (component: string): Logger { return new CountingLogger(this.counts, this.component === 'node' ? component : `${this.component}:${component}`, this.firstFields) }
}

type Action =
  | { readonly type: 'request', readonly kind: 'send' | 'accept' | 'answer' | 'close', readonly run: RequestRun }
  | { readonly type: 'alert', readonly kind: 'issue' | 'withdraw', readonly run: AlertRun }

/** Everything a run leaves for the metrics and assertions. */
export interface RunRecord {
  readonly scenario: Scenario
  readonly plans: readonly WorkloadPlan[]
  readonly requests: readonly RequestRun[]
  readonly alerts: readonly AlertRun[]
  readonly deliveries: readonly Delivery[]
  readonly faults: readonly FaultRecord[]
  readonly snapshots: readonly CrashSnapshot[]
  readonly forged: ReadonlyArray<{ fed: number, ids: readonly string[] }>
  /** End state, read from the nodes before they stop. */
  readonly final: FinalState
  readonly coverage: ReadonlyArray<{ day: number, expected: number, held: number }>
  readonly rss: ReadonlyArray<{ day: number, mb: number }>
  readonly timing: {
    readonly startRealMs: number
    readonly warmupRealMs: number
    readonly simRealMs: number
    readonly settleRealMs: number
    readonly totalRealMs: number
    readonly steps: number
    readonly stepsNotQuiet: number
    readonly cpuUserMs: number
    readonly cpuSystemMs: number
    readonly peakRssMb: number
    /** Real ms of the steps spent on faults and firing timers, on the officials' actions, on waiting for quiet. */
    readonly breakdown: { readonly faultsAndTimers: number, readonly actions: number, readonly settling: number }
    /** Each kind of action: how many, and its mean real time ('wait': the action was not possible yet). */
    readonly actions: Readonly<Record<string, { readonly count: number, readonly meanMs: number }>>
  }
  readonly clock: { readonly timersFired: number, readonly timerErrors: number, readonly firstTimerErrors: readonly string[] }
  readonly faultCounters: ReadonlyArray<SimFederation['counters']>
  /** What the replay, flood, withhold, leave and bootstrap faults did and what the nodes did about them. */
  readonly faultOutcomes: FaultOutcomes
  readonly partitionLeaks: number
  readonly logs: ReadonlyMap<string, number>
  readonly rejections: { readonly broadcast: Record<string, number>, readonly messaging: Record<string, number>, readonly directory: Record<string, number> }
}

export interface FinalState {
  readonly endVirtual: number
  /** Per federation, per live state: request id -> state. */
  readonly requestStates: ReadonlyArray<Readonly<Record<string, ReadonlyMap<string, RequestState>>>>
  /** Per federation, per live state: alert id -> status held. */
  readonly alertsHeld: ReadonlyArray<Readonly<Record<string, ReadonlyMap<string, { status: string, addressedHere: boolean }>>>>
  readonly live: ReadonlyArray<readonly string[]>
  /** Per federation, per live state: messages still owed (to anyone), and to nodes it can reach. */
  readonly owed: ReadonlyArray<Readonly<Record<string, number>>>
  readonly owedReachable: ReadonlyArray<Readonly<Record<string, number>>>
  /** Per federation: forged ids any node holds. */
  readonly forgedHeld: ReadonlyArray<readonly string[]>
  /** Per federation: alert ids held that no official issued. */
  readonly unknownAlerts: ReadonlyArray<readonly string[]>
  readonly unknownRequests: ReadonlyArray<readonly string[]>
  /**
   * Requests the two nodes disagree on, `fed/id` -> what each node's own events replay to:
   * a node whose events replay further than its cached state kept a stale cache; one whose
   * events stop short never stored the other's event.
   */
  readonly disagreements: ReadonlyMap<string, string>
}

/** Real time allowed for the federations to form before day 0. */
const WARM_UP_LIMIT_MS = 300_000

const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
const rssMb = (): number => Math.round(process.memoryUsage().rss / 1e5) / 10

export async function runScenario (opts: RunOptions): Promise<RunRecord> {
  const sim = new Simulation(opts)
  try {
    return await sim.run()
  } finally {
    await sim.close()
  }
}

class Simulation {
  readonly scenario: Scenario
  readonly clock: SimClock
  readonly day0: number
  readonly feds: SimFederation[] = []
  readonly plans: WorkloadPlan[] = []
  readonly requests: RequestRun[] = []
  readonly alerts: AlertRun[] = []
  readonly deliveries: Delivery[] = []
  readonly faults: FaultRecord[] = []
  readonly snapshots: CrashSnapshot[] = []
  readonly forged: Array<{ fed: number, ids: string[] }> = []
  readonly coverage: Array<{ day: number, expected: number, held: number }> = []
  readonly rss: Array<{ day: number, mb: number }> = []
  readonly logs = new Map<string, number>()
  readonly messagingRejected = new Map<string, number>()
  private readonly queue = new TimeQueue<Action>()
  private readonly expectations = new Map<string, Expectation>()
  /** Changes each node applied lately: (fed/country/kind/id) -> highest rank, real time. */
  private readonly seen = new Map<string, { rank: number, at: number }>()
  /** Request and alert runs by the node's id, per federation. */
  private readonly requestById = new Map<string, RequestRun>()
  private readonly alertById = new Map<string, AlertRun>()
  private readonly officials = new Map<string, Actor>()
  private readonly faultDriver: FaultDriver
  private partitionLeaks = 0
  /** Real time spent per part of the steps. */
  private readonly breakdown = { faultsAndTimers: 0, actions: 0, settling: 0 }
  /** Real time of the officials' actions by kind ('wait': looked, not ready). */
  private readonly actionTimes: Record<string, { count: number, ms: number }> = {}
  private dir = ''
  private ownDir = false
  private readonly t0 = performance.now()
  private readonly cpu0 = process.cpuUsage()
  private peakRss = 0
  private phase: Progress['phase'] = 'starting'
  private detail = ''
  private day = 0
  private sentCount = 0
  private closedCount = 0
  private issuedCount = 0
  /** Rejection counts of node objects that stopped (a restart makes a new one). */
  private readonly stoppedRejections = { broadcast: new Map<string, number>(), directory: new Map<string, number>() }

  constructor (private readonly opts: RunOptions) {
    this.scenario = opts.scenario
    this.day0 = startMs(this.scenario)
    // Nodes start a day before day 0: directories and gossip meshes form then.
    this.clock = new SimClock(this.day0 - DAY_MS)
    this.faultDriver = new FaultDriver({
      scenario: this.scenario, feds: this.feds, clock: this.clock,
      snapshot: async (f, c, node, day) => { this.snapshots.push(await this.snapshot(f, c, node, day)) },
      forged: (fed, ids) => { this.forged.push({ fed, ids }) }
    })
  }

  private get logger (): Logger { return this.opts.logger ?? new CountingLogger(this.logs) }

  async run (): Promise<RunRecord> {
    const s = this.scenario
    const problem = this.opts.processes === undefined ? undefined : processModeProblem(s, this.opts.processes)
    if (problem !== undefined) throw new Error(problem)
    this.dir = this.opts.dir ?? await mkdtemp(join(tmpdir(), 'imi-sim-'))
    this.ownDir = this.opts.dir === undefined
    this.progress()
    for (let f = 0; f < s.federations; f++) {
      const plan = generateWorkload(s, f)
      this.plans.push(plan)
      const init = {
        index: f, federationId: `sim-${f}`, countries: s.countries, dir: join(this.dir, `fed-${f}`), clock: this.clock, seed: s.seed, settings: s.node, logger: this.logger,
        bootstrap: s.faults.some((x) => x.kind === 'bootstrap-down')
      }
      const fed = this.opts.processes === undefined ? await SimFederation.create(init) : await ProcessFederation.createProcesses(init, this.opts.processes)
      fed.onStart = (country, node) => {
        this.listen(f, country, node)
        if (this.phase === 'starting') {
          this.detail = `node ${country} of federation ${f} started`
          this.progress()
        }
      }
      fed.onStop = (_country, node) => { this.absorbRejections(node, this.stoppedRejections) }
      this.feds.push(fed)
      for (const c of s.countries) for (const a of plan.authorities[c]!) this.officials.set(`${f}/${a.id}`, officialOf(a))
      for (const p of plan.requests) {
        const run: RequestRun = { fed: f, plan: p, waits: 0, errors: {} }
        this.requests.push(run)
        this.queue.push(this.day0 + p.sendAt, { type: 'request', kind: 'send', run })
      }
      for (const p of plan.alerts) {
        const run: AlertRun = { fed: f, plan: p, reachedMs: {}, waits: 0, errors: {} }
        this.alerts.push(run)
        this.queue.push(this.day0 + p.issueAt, { type: 'alert', kind: 'issue', run })
      }
    }
    for (const [f, fed] of this.feds.entries()) {
      await fed.startAll(async (c, node) => { await this.seed(f, c, node) })
      this.progress()
    }
    const startRealMs = performance.now() - this.t0
    this.phase = 'warm-up'
    await this.publishDirectories()
    await this.warmUp()
    this.clock.advanceTo(this.day0)
    const warmupRealMs = performance.now() - this.t0 - startRealMs

    // The simulated days, then the drain (no new work, open requests go on).
    const stepMs = s.stepHours * HOUR_MS
    const end = this.day0 + (s.durationDays + s.drainDays) * DAY_MS
    const faults = [...s.faults]
    let steps = 0
    let notQuiet = 0
    let nextSample = this.day0
    this.phase = 'running'
    for (let t = this.day0; t <= end; t += stepMs) {
      this.day = (t - this.day0) / DAY_MS
      if (this.day > s.durationDays) this.phase = 'draining'
      const d0 = performance.now()
      while (faults.length > 0 && this.day0 + faults[0]!.at * DAY_MS <= t) await this.applyFault(faults.shift()!)
      this.clock.advanceTo(t)
      const d1 = performance.now()
      await this.act(t, stepMs)
      const d2 = performance.now()
      await nextTurn()
      if (!await this.settle(s.settleMs)) notQuiet++
      const d3 = performance.now()
      this.breakdown.faultsAndTimers += d1 - d0
      this.breakdown.actions += d2 - d1
      this.breakdown.settling += d3 - d2
      for (const e of this.expectations.values()) e.steps++
      this.pruneSeen()
      steps++
      if (t >= nextSample) {
        this.sample()
        nextSample += DAY_MS
      }
      this.progress()
    }
    const simRealMs = performance.now() - this.t0 - startRealMs - warmupRealMs

    // Let what is still in flight land: virtual time moves on in 10-minute steps (retry
    // timers fire) for at most a day, until nothing reachable is owed.
    this.phase = 'settling'
    this.progress()
    await this.faultDriver.drain()
    const settleDeadline = performance.now() + s.finalSettleMs
    for (let i = 0; i < 144 && performance.now() < settleDeadline; i++) {
      this.clock.advance(10 * 60_000)
      if (await this.settle(Math.min(s.settleMs, 1000, Math.max(0, settleDeadline - performance.now()))) && this.nothingOwed()) break
    }
    this.sample()
    const settleRealMs = performance.now() - this.t0 - startRealMs - warmupRealMs - simRealMs
    this.phase = 'checking'
    this.progress()
    let final = await this.readFinal()
    // Two nodes that disagree on a request may only be reading a message that is landing
    // now (a node judged unreachable a moment ago, a reconnection): look again a few times
    // before the assertions judge it, letting virtual time move on as the settling does.
    for (let i = 0; i < 5 && final.disagreements.size > 0 && performance.now() < settleDeadline + 10_000; i++) {
      this.clock.advance(10 * 60_000)
      await this.settle(1000)
      final = await this.readFinal()
    }
    const cpu = process.cpuUsage(this.cpu0)
    this.phase = 'done'
    this.progress()
    return {
      scenario: s,
      plans: this.plans,
      requests: this.requests,
      alerts: this.alerts,
      deliveries: this.deliveries,
      faults: this.faults,
      snapshots: this.snapshots,
      forged: this.forged,
      final,
      coverage: this.coverage,
      rss: this.rss,
      timing: {
        startRealMs: Math.round(startRealMs),
        warmupRealMs: Math.round(warmupRealMs),
        simRealMs: Math.round(simRealMs),
        settleRealMs: Math.round(settleRealMs),
        totalRealMs: Math.round(performance.now() - this.t0),
        steps,
        stepsNotQuiet: notQuiet,
        cpuUserMs: Math.round(cpu.user / 1000),
        cpuSystemMs: Math.round(cpu.system / 1000),
        peakRssMb: this.peakRss,
        breakdown: { faultsAndTimers: Math.round(this.breakdown.faultsAndTimers), actions: Math.round(this.breakdown.actions), settling: Math.round(this.breakdown.settling) },
        actions: Object.fromEntries(Object.entries(this.actionTimes).map(([k, v]) => [k, { count: v.count, meanMs: Math.round(v.ms / v.count * 10) / 10 }]))
      },
      clock: { timersFired: this.clock.fired, timerErrors: this.clock.errorCount, firstTimerErrors: this.clock.errors.map((e) => e.message) },
      faultCounters: this.feds.map((f) => ({ ...f.counters })),
      faultOutcomes: this.faultDriver.outcomes,
      partitionLeaks: this.partitionLeaks,
      logs: this.logs,
      rejections: this.rejections()
    }
  }

  async close (): Promise<void> {
    await Promise.all(this.feds.map(async (f) => { await f.close(!this.opts.keepData) }))
    if (this.ownDir && this.opts.keepData !== true) await rm(this.dir, { recursive: true, force: true })
  }

  // Warm-up: directories published and fetched, gossip meshes formed.

  /** A node just started: its authorities go in (its directory goes out once the clock moves). */
  private async seed (f: number, country: string, node: ImiNode): Promise<void> {
    await node.authorities.importAuthorities(this.plans[f]!.authorities[country]!)
  }

  /**
   * Every node publishes its directory before any fetches one. The nodes' first
   * publication and first refresh are both timers due at start, and fire together when
   * the clock first moves: 30 nodes on two cores would then each look up 58 directories
   * nobody has published yet, every lookup walking the whole DHT, and the publications
   * time out in that storm. Published first (a few nodes at a time, the clock standing
   * still), each publication's announcement has the others fetch it at once, and the
   * first refreshes find everything in place. One publication at a time: several at once
   * time out (20 s) on a loaded two-core machine, each DHT request taking 100-700 ms;
   * the 1,740 lookups of 30 nodes' first refreshes at once took the process to 2.7 GB
   * and had not finished after three minutes.
   */
  private async publishDirectories (): Promise<void> {
    // A publication that reached no peer in time (20 s) is put again, up to three times: the
    // node's own retry backs off up to its republication interval, past the end of the run.
    await this.eachNode('directories published', async (node) => {
      for (let i = 0; i < 4 && (i === 0 || !node.directory.published); i++) await node.directory.publish()
    })
    // The first refresh of each node, one at a time too: it finds every directory in place
    // (and cancels the refresh timer due at start, which would run all of them at once).
    await this.eachNode('directories fetched', async (node) => { await node.directory.refresh() })
  }

  /** Runs `fn` on one node at a time in each federation (the federations are separate networks). */
  private async eachNode (what: string, fn: (node: ImiNode) => Promise<void>): Promise<void> {
    const countries = this.scenario.countries
    let done = 0
    for (const c of countries) {
      await Promise.all(this.feds.map(async (fed) => {
        const node = fed.node(c)
        if (node !== undefined) await fn(node).catch(() => {})
        done++
      }))
      this.detail = `${what} ${done}/${countries.length * this.feds.length}`
      this.progress()
    }
  }

  /**
   * Until every node lists every other state's authorities and has a gossip mesh, the
   * virtual clock follows real time, as a federation starting for real: the nodes'
   * retries (a directory fetch that found nothing, a publication no peer took yet) come
   * at the pace they were designed for. Faster, 30 nodes on two cores retry faster than
   * the DHT answers and never settle.
   *
   * When no more directories are listed for 15 s, the harness fetches each missing one
   * itself (`refreshCountry`, one node at a time in each federation): a fetch that timed
   * out while the federations formed is retried by the node after a back-off that doubles
   * on every fetch it makes (announcements included) up to its refresh interval, which
   * the harness sets past the end of the run. 100 nodes on a loaded machine stood at
   * 1,162 of 2,400 directories, not moving.
   */
  private async warmUp (): Promise<void> {
    // Five minutes for a federation of 30; more for more nodes (they form on the same two cores).
    const limitMs = WARM_UP_LIMIT_MS * Math.max(1, this.feds.length * this.scenario.countries.length / 30)
    const deadline = performance.now() + limitMs
    let lastReport = 0
    let last = performance.now()
    let lastListed = -1
    let listedSince = performance.now()
    let fetching: Promise<void> | undefined
    for (;;) {
      const state = this.formation()
      if (state.listed === state.pairs && state.meshed === state.nodes) {
        await fetching
        return
      }
      const now = performance.now()
      if (state.listed !== lastListed) { lastListed = state.listed; listedSince = now }
      if (fetching === undefined && state.listed < state.pairs && now - listedSince > 15_000) {
        fetching = this.fetchMissing().finally(() => { fetching = undefined; listedSince = performance.now() })
      }
      this.detail = `directories ${state.listed}/${state.pairs}, gossip meshes ${state.meshed}/${state.nodes}${fetching === undefined ? '' : ', the harness fetching what is missing'}`
      if (now - lastReport > 1000) { lastReport = now; this.progress() }
      if (now > deadline) throw new Error(`the federation did not form within ${Math.round(limitMs / 1000)} s: ${this.detail} (each node must list every other state's authorities and have a gossip mesh)`)
      this.clock.advanceTo(Math.min(this.day0 - 1000, this.clock.now() + Math.round(now - last)))
      last = now
      await sleep(20)
    }
  }

  /** Publications no peer took put again, then each directory a node does not list yet fetched by that node: one node at a time in each federation. */
  private async fetchMissing (): Promise<void> {
    await Promise.all(this.feds.map(async (fed, f) => {
      for (const c of fed.live()) {
        const node = fed.node(c)
        if (node !== undefined && !node.directory.published) await node.directory.publish().catch(() => {})
      }
      for (const c of fed.live()) {
        const node = fed.node(c)
        if (node === undefined) continue
        for (const o of fed.countries) {
          if (o === c || this.plans[f]!.authorities[o]!.every((a) => node.directory.authority(o, a.id) !== undefined)) continue
          await node.directory.refreshCountry(o).catch(() => {})
        }
      }
    }))
  }

  /** How far the federations have formed: (node, other state) pairs whose directory is listed, nodes with a gossip mesh. */
  private formation (): { pairs: number, listed: number, nodes: number, meshed: number } {
    let pairs = 0
    let listed = 0
    let nodes = 0
    let meshed = 0
    for (const [f, fed] of this.feds.entries()) {
      for (const c of fed.live()) {
        const node = fed.node(c)!
        const others = fed.countries.filter((o) => o !== c)
        nodes++
        if (node.libp2p!.services.pubsub.getSubscribers(node.broadcastGossip!.topic).length >= Math.min(others.length, 3)) meshed++
        for (const o of others) {
          pairs++
          if (this.plans[f]!.authorities[o]!.every((a) => node.directory.authority(o, a.id) !== undefined)) listed++
        }
      }
    }
    return { pairs, listed, nodes, meshed }
  }

  // Listening to each node: deliveries and partition leaks.

  private listen (f: number, country: string, node: ImiNode): void {
    node.requests.addEventListener('changed', (evt) => {
      const { id, status } = (evt as CustomEvent<{ id: string, status: string }>).detail
      this.changed(f, country, 'request', id, STATUS_RANK[status] ?? 0)
    })
    node.alerts.addEventListener('changed', (evt) => {
      const { id, action } = (evt as CustomEvent<{ id: string, action: string }>).detail
      this.changed(f, country, 'alert', id, action === 'issue' ? 1 : 2)
    })
    node.messaging.addEventListener('rejected', (evt) => {
      const code = (evt as CustomEvent<{ code: string }>).detail.code
      this.messagingRejected.set(code, (this.messagingRejected.get(code) ?? 0) + 1)
    })
    this.faultDriver.listen(f, country, node)
  }

  /**
   * Registers a delivery to wait for, `t0` being the real time just before the action.
   * The other node may have applied it before the action's call returned (same process,
   * loopback): then the change seen already settles it.
   */
  private expect (e: Omit<Expectation, 'v0' | 'steps'>): void {
    const key = `${e.fed}/${e.to}/${e.kind}/${e.id}/${e.rank}`
    this.expectations.set(key, { ...e, v0: this.clock.now(), steps: 0 })
    const seen = this.seen.get(`${e.fed}/${e.to}/${e.kind}/${e.id}`)
    if (seen !== undefined && seen.rank >= e.rank) this.resolve(e.fed, e.to, e.kind, e.id, seen.rank, seen.at)
  }

  /** A node applied a change: settles what waited for it, or remembers it for an expectation about to be set. */
  private changed (f: number, country: string, kind: 'request' | 'alert', id: string, rank: number): void {
    const key = `${f}/${country}/${kind}/${id}`
    const at = performance.now()
    const prev = this.seen.get(key)
    if (prev === undefined || prev.rank < rank) this.seen.set(key, { rank, at })
    this.resolve(f, country, kind, id, rank, at)
  }

  private resolve (f: number, country: string, kind: 'request' | 'alert', id: string, rank: number, at = performance.now()): void {
    for (let r = rank; r >= 1; r--) {
      const key = `${f}/${country}/${kind}/${id}/${r}`
      const e = this.expectations.get(key)
      if (e === undefined) continue
      this.expectations.delete(key)
      const realMs = Math.round(Math.max(0, at - e.t0) * 100) / 100
      const fed = this.feds[f]!
      // A request event that crossed a partition while it stood is a leak of the simulated cut.
      if (fed.partitioned && fed.across(e.from, e.to)) this.partitionLeaks++
      this.deliveries.push({ fed: f, kind, action: e.action, from: e.from, to: e.to, realMs, virtualMs: this.clock.now() - e.v0 })
      if (e.alert !== undefined && r === 1) {
        e.alert.reachedMs[e.to] = realMs
        this.alertComplete(e.alert)
      }
    }
  }

  /** Forgets changes no expectation claimed within a minute (the acting node's own, mostly). */
  private pruneSeen (): void {
    const old = performance.now() - 60_000
    for (const [k, v] of this.seen) if (v.at < old) this.seen.delete(k)
  }

  private alertComplete (a: AlertRun): void {
    if (a.allMs !== undefined) return
    const targets = this.alertTargets(a)
    if (targets.every((c) => a.reachedMs[c] !== undefined)) a.allMs = Math.max(0, ...targets.map((c) => a.reachedMs[c]!))
  }

  private alertTargets (a: AlertRun): string[] {
    const countries = this.feds[a.fed]!.countries
    return a.plan.to === 'all' ? countries.filter((c) => c !== a.plan.from) : [...a.plan.to]
  }

  // The officials.

  private async act (t: number, stepMs: number): Promise<void> {
    const due = this.queue.popDue(t)
    if (due.length === 0) return
    // Several at once, as officials of different authorities work at the same time.
    let next = 0
    const worker = async (): Promise<void> => {
      for (let i = next++; i < due.length; i = next++) {
        const action = due[i]!
        const pt = performance.now()
        const again = await this.perform(action).catch((err: unknown) => {
          const code = (err as { code?: string }).code ?? (err as Error).name ?? 'error'
          action.run.errors[code] = (action.run.errors[code] ?? 0) + 1
          const tries = Object.values(action.run.errors).reduce((s, n) => s + n, 0)
          if (tries >= 24) { action.run.failed = `${action.kind}: ${code}`; return false }
          return true
        })
        const k = this.actionTimes[again ? 'wait' : action.kind] ??= { count: 0, ms: 0 }
        k.count++
        k.ms += performance.now() - pt
        if (again) {
          action.run.waits++
          this.queue.push(t + stepMs, action)
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(16, due.length) }, worker))
  }

  private official (f: number, authority: string): Actor {
    const a = this.officials.get(`${f}/${authority}`)
    if (a === undefined) throw new Error(`no official for ${authority}`)
    return a
  }

  /** Takes one action; true when it must wait for the next step. */
  private async perform (action: Action): Promise<boolean> {
    const now = this.clock.now()
    if (action.type === 'alert') return await this.performAlert(action.kind, action.run, now)
    return await this.performRequest(action.kind, action.run, now)
  }

  private async performRequest (kind: 'send' | 'accept' | 'answer' | 'close', run: RequestRun, now: number): Promise<boolean> {
    const p = run.plan
    const fed = this.feds[run.fed]!
    // After a member left, the others' officials no longer act with it (their nodes would refuse to send); its own go on.
    const actor = kind === 'send' || kind === 'close' ? p.from : p.to
    const other = actor === p.from ? p.to : p.from
    if (fed.hasLeft(other) && !fed.hasLeft(actor)) {
      run.dropped = `${other} left the roster`
      return false
    }
    switch (kind) {
      case 'send': {
        const node = fed.node(p.from)
        if (node === undefined) return true
        const t0 = performance.now()
        const state = await node.requests.send(this.official(run.fed, p.fromAuthority), {
          area: p.wireArea, to: { country: p.to, authority: p.toAuthority }, questions: p.questions,
          neededBy: utcDay(now + p.neededByDays * DAY_MS), subject: { name: `Subject ${p.id}` }
        })
        run.id = state.id
        run.sentAt = now
        this.sentCount++
        this.requestById.set(`${run.fed}/${state.id}`, run)
        this.expect({ fed: run.fed, kind: 'request', id: state.id, action: 'send', rank: 1, from: p.from, to: p.to, t0 })
        this.queue.push(Math.max(this.day0 + p.acceptAt, now + 1), { type: 'request', kind: 'accept', run })
        return false
      }
      case 'accept':
      case 'answer': {
        const node = fed.node(p.to)
        if (node === undefined || run.id === undefined) return true
        const status = (await node.requests.log.record(run.id))?.state.status
        if (status !== (kind === 'accept' ? 'sent' : 'accepted')) return true
        if (kind === 'answer' && this.faultDriver.withholds(run.fed, p.to)) {
          run.withheldAt = now
          return false
        }
        const actor = this.official(run.fed, p.toAuthority)
        const t0 = performance.now()
        if (kind === 'accept') {
          await node.requests.act(actor, run.id, 'accept')
          run.acceptedAt = now
          this.expect({ fed: run.fed, kind: 'request', id: run.id, action: 'accept', rank: 2, from: p.to, to: p.from, t0 })
          this.queue.push(Math.max(this.day0 + p.answerAt, now + 1), { type: 'request', kind: 'answer', run })
        } else {
          await node.requests.act(actor, run.id, 'answer', { fields: { questions: [...p.questions], final: true } })
          run.answeredAt = now
          this.expect({ fed: run.fed, kind: 'request', id: run.id, action: 'answer', rank: 3, from: p.to, to: p.from, t0 })
          this.queue.push(Math.max(this.day0 + p.closeAt, now + 1), { type: 'request', kind: 'close', run })
        }
        return false
      }
      case 'close': {
        const node = fed.node(p.from)
        if (node === undefined || run.id === undefined) return true
        const state = (await node.requests.log.record(run.id))?.state
        if (state?.status !== 'answered') return true
        const onTime = state.answerBy === undefined || utcDay(state.answeredAt ?? now) <= state.answerBy
        const t0 = performance.now()
        await node.requests.act(this.official(run.fed, p.fromAuthority), run.id, 'close', { fields: { rating: { timeliness: onTime ? 5 : 2, effort: 4 } } })
        run.closedAt = now
        this.closedCount++
        this.expect({ fed: run.fed, kind: 'request', id: run.id, action: 'close', rank: 4, from: p.from, to: p.to, t0 })
        return false
      }
    }
  }

  private async performAlert (kind: 'issue' | 'withdraw', run: AlertRun, now: number): Promise<boolean> {
    const p = run.plan
    const node = this.feds[run.fed]!.node(p.from)
    if (node === undefined) return true
    const actor = this.official(run.fed, p.fromAuthority)
    const t0 = performance.now()
    if (kind === 'issue') {
      const view = await node.alerts.issue(actor, {
        area: p.area, type: p.type, to: p.to === 'all' ? 'all' : [...p.to], decisionDate: utcDay(now - DAY_MS),
        content: {
          description: `Simulated ${p.type} alert ${p.id}: the professional may no longer practise.`,
          concerned: { name: `Professional ${p.id}` },
          profession: 'doctor',
          periodFrom: utcDay(now)
        }
      })
      run.id = view.state.id
      run.issuedAt = now
      this.issuedCount++
      this.alertById.set(`${run.fed}/${view.state.id}`, run)
      for (const c of this.alertTargets(run)) this.expect({ fed: run.fed, kind: 'alert', id: view.state.id, action: 'issue', rank: 1, from: p.from, to: c, alert: run, t0 })
      if (p.withdrawAt !== undefined) this.queue.push(Math.max(this.day0 + p.withdrawAt, now + 1), { type: 'alert', kind: 'withdraw', run })
      return false
    }
    if (run.id === undefined) return true
    await node.alerts.withdraw(actor, run.id, 'unfounded: the decision was annulled on appeal')
    run.withdrawnAt = now
    for (const c of this.alertTargets(run)) this.expect({ fed: run.fed, kind: 'alert', id: run.id, action: 'withdraw', rank: 2, from: p.from, to: c, t0 })
    return false
  }

  // Faults.

  private async applyFault (fault: Fault): Promise<void> {
    const t = performance.now()
    const feds = fault.federation === undefined ? this.feds.map((_, i) => i) : [fault.federation]
    for (const f of feds) {
      await this.faultDriver.apply(fault, f)
      this.faults.push({ day: fault.at, kind: fault.kind, nodes: fault.nodes, federation: f, realMs: Math.round(performance.now() - t) })
    }
  }

  private async snapshot (fed: number, country: string, node: ImiNode, day: number): Promise<CrashSnapshot> {
    const requests = new Map<string, number>()
    for await (const r of node.requests.log.records()) requests.set(r.state.id, r.state.version)
    const alerts = (await node.alerts.list(COORDINATOR)).map((a) => a.state.id)
    return { fed, country, day, requests, alerts, owed: node.messaging.outboxDepth() }
  }

  // Quiet: nothing owed to a reachable node, no expected delivery outstanding.

  private quiet (): boolean {
    for (const fed of this.feds) for (const c of fed.live()) if (fed.owedToReachable(c) > 0) return false
    for (const e of this.expectations.values()) {
      // An expectation two steps old no longer holds the clock back: it is late (a fault),
      // and its delivery, when it comes, is measured all the same.
      if (e.steps < 2 && this.feds[e.fed]!.reachable(e.from, e.to)) return false
    }
    return true
  }

  private nothingOwed (): boolean {
    return this.feds.every((fed) => fed.live().every((c) => fed.owedToReachable(c) === 0)) &&
      [...this.expectations.values()].every((e) => !this.feds[e.fed]!.reachable(e.from, e.to))
  }

  private async settle (boundMs: number): Promise<boolean> {
    const start = performance.now()
    let lastPoll = start
    for (;;) {
      if (this.quiet()) return true
      const now = performance.now()
      if (now - start >= boundMs) return false
      // An event applied while its node was starting fired before the harness listened: look.
      if (now - lastPoll > 250) {
        await this.poll()
        lastPoll = performance.now()
      }
      await sleep(2)
    }
  }

  private async poll (): Promise<void> {
    for (const e of [...this.expectations.values()]) {
      const node = this.feds[e.fed]!.node(e.to)
      if (node === undefined) continue
      if (e.kind === 'request') {
        const status = (await node.requests.log.record(e.id))?.state.status
        if (status !== undefined && (STATUS_RANK[status] ?? 0) >= e.rank) this.changed(e.fed, e.to, 'request', e.id, STATUS_RANK[status]!)
      } else {
        const held = await node.store.get<{ state: { status: string } }>('alerts', e.id)
        if (held !== undefined && (e.rank === 1 || held.state.status !== 'active')) this.changed(e.fed, e.to, 'alert', e.id, e.rank)
      }
    }
  }

  // Samples once a simulated day: memory, and the alerts' coverage.

  private sample (): void {
    const mb = rssMb()
    this.peakRss = Math.max(this.peakRss, mb)
    const day = Math.round(this.day * 100) / 100
    this.rss.push({ day, mb })
    let expected = 0
    let held = 0
    for (const a of this.alerts) {
      if (a.id === undefined) continue
      const fed = this.feds[a.fed]!
      for (const c of this.alertTargets(a)) {
        if (!fed.isLive(c)) continue
        expected++
        if (a.reachedMs[c] !== undefined) held++
      }
    }
    this.coverage.push({ day, expected, held })
  }

  private progress (): void {
    if (this.opts.onProgress === undefined) return
    const mb = rssMb()
    this.peakRss = Math.max(this.peakRss, mb)
    this.opts.onProgress({
      phase: this.phase,
      day: this.day,
      totalDays: this.scenario.durationDays + this.scenario.drainDays,
      nodes: this.feds.length * this.scenario.countries.length,
      live: this.feds.reduce((s, f) => s + f.live().length, 0),
      requestsSent: this.sentCount,
      requestsClosed: this.closedCount,
      alertsIssued: this.issuedCount,
      realMs: performance.now() - this.t0,
      rssMb: mb,
      detail: this.phase === 'warm-up' || this.phase === 'starting' ? this.detail : ''
    })
  }

  // The end state.

  private async readFinal (): Promise<FinalState> {
    const requestStates: Array<Record<string, Map<string, RequestState>>> = []
    const alertsHeld: Array<Record<string, Map<string, { status: string, addressedHere: boolean }>>> = []
    const owed: Array<Record<string, number>> = []
    const owedReachable: Array<Record<string, number>> = []
    const forgedHeld: string[][] = []
    const unknownAlerts: string[][] = []
    const unknownRequests: string[][] = []
    for (const [f, fed] of this.feds.entries()) {
      const rs: Record<string, Map<string, RequestState>> = {}
      const as: Record<string, Map<string, { status: string, addressedHere: boolean }>> = {}
      const ow: Record<string, number> = {}
      const owr: Record<string, number> = {}
      const forgedIds = this.forged.filter((x) => x.fed === f).flatMap((x) => x.ids)
      const fh = new Set<string>()
      const ua = new Set<string>()
      const ur = new Set<string>()
      for (const c of fed.live()) {
        const node = fed.node(c)!
        const m = new Map<string, RequestState>()
        for await (const r of node.requests.log.records()) {
          // Under the request's lock: a replay still running (the last event stored, its cache not yet) finishes first.
          m.set(r.state.id, await node.requests.log.exclusive(r.state.id, async () => (await node.requests.log.record(r.state.id))?.state ?? r.state))
          if (!this.requestById.has(`${f}/${r.state.id}`)) ur.add(r.state.id)
        }
        rs[c] = m
        const am = new Map<string, { status: string, addressedHere: boolean }>()
        for (const a of await node.alerts.list(COORDINATOR)) {
          am.set(a.state.id, { status: a.state.status, addressedHere: a.addressedHere })
          if (!this.alertById.has(`${f}/${a.state.id}`)) ua.add(a.state.id)
        }
        as[c] = am
        ow[c] = fed.owed(c)
        owr[c] = fed.owedToReachable(c)
        for (const id of forgedIds) if (await node.broadcaster.has(id)) fh.add(id)
      }
      requestStates.push(rs)
      alertsHeld.push(as)
      owed.push(ow)
      owedReachable.push(owr)
      forgedHeld.push([...fh])
      unknownAlerts.push([...ua])
      unknownRequests.push([...ur])
    }
    const disagreements = new Map<string, string>()
    for (const r of this.requests) {
      if (r.id === undefined) continue
      const states = requestStates[r.fed]!
      const a = states[r.plan.from]?.get(r.id)
      const b = states[r.plan.to]?.get(r.id)
      if (states[r.plan.from] === undefined || states[r.plan.to] === undefined || (a?.version === b?.version && a?.status === b?.status)) continue
      const sides: string[] = []
      for (const c of [r.plan.from, r.plan.to]) {
        const node = this.feds[r.fed]!.node(c)!
        const events = await node.requests.log.events(r.id)
        const replayed = replayRequest(r.id, events, (await node.requests.log.record(r.id))?.origin).state
        const cached = states[c]!.get(r.id)
        sides.push(`${c} holds ${events.length} events, replaying to ${replayed?.status ?? 'nothing'} v${replayed?.version ?? '-'}${replayed !== undefined && cached !== undefined && replayed.version !== cached.version ? ' (its cached state is stale)' : ''}`)
      }
      disagreements.set(`${r.fed}/${r.id}`, sides.join('; '))
    }
    return { endVirtual: this.clock.now(), requestStates, alertsHeld, live: this.feds.map((f) => f.live()), owed, owedReachable, forgedHeld, unknownAlerts, unknownRequests, disagreements }
  }

  private absorbRejections (node: ImiNode, into: { broadcast: Map<string, number>, directory: Map<string, number> }): void {
    for (const [code, n] of node.broadcaster.rejected) into.broadcast.set(code, (into.broadcast.get(code) ?? 0) + n)
    for (const [code, n] of node.directory.rejections) into.directory.set(code, (into.directory.get(code) ?? 0) + n)
  }

  private rejections (): RunRecord['rejections'] {
    const all = { broadcast: new Map(this.stoppedRejections.broadcast), directory: new Map(this.stoppedRejections.directory) }
    for (const fed of this.feds) for (const c of fed.live()) this.absorbRejections(fed.node(c)!, all)
    return { broadcast: Object.fromEntries(all.broadcast), messaging: Object.fromEntries(this.messagingRejected), directory: Object.fromEntries(all.directory) }
  }
}
