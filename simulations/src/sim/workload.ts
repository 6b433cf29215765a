/**
 * The workload of one federation, generated in full before the run from the scenario and
 * the seed: which requests are sent when, by whom to whom, in which area, and when the
 * people in the loop accept, answer and close them; which alerts go out, to whom, and
 * which are withdrawn. Pure: the same scenario and seed give the very same plan (tests
 * compare it byte for byte). Times are milliseconds after virtual day 0.
 *
 * Each part draws from its own seeded stream, so changing the alert rate does not move
 * a single request.
 */
import { createHash } from 'node:crypto'
import { QUESTION_SETS, type AlertType, type AuthorityEntry, type LegislativeArea } from '@imi/protocol'
import { generateDirectory, seededRandom } from '../dataset/index.js'
import {
  MODEL_AREAS, RECEIVER_WEIGHTS, SENDER_WEIGHTS, lognormalThrough, lognormalWithin, median, type LogNormal, type ModelArea
} from './model.js'
import { DAY_MS, type Scenario } from './scenario.js'

export interface RequestPlan {
  /** The plan's own id (the node gives the request its id when it is sent). */
  readonly id: string
  readonly area: ModelArea
  readonly wireArea: LegislativeArea
  readonly from: string
  readonly fromAuthority: string
  readonly to: string
  readonly toAuthority: string
  readonly questions: readonly string[]
  readonly neededByDays: number
  readonly sendAt: number
  readonly acceptAt: number
  readonly answerAt: number
  readonly closeAt: number
}

export interface AlertPlan {
  readonly id: string
  readonly from: string
  readonly fromAuthority: string
  readonly area: LegislativeArea
  readonly type: AlertType
  readonly to: 'all' | readonly string[]
  readonly issueAt: number
  readonly withdrawAt?: number
}

export interface StateAnswerModel {
  readonly group: 'fast' | 'slow' | 'typical'
  readonly lognormal: LogNormal
  readonly medianDays: number
}

export interface WorkloadPlan {
  readonly federation: number
  readonly countries: readonly string[]
  /** Authorities seeded on each state's node. */
  readonly authorities: Readonly<Record<string, readonly AuthorityEntry[]>>
  readonly answerModels: Readonly<Record<string, StateAnswerModel>>
  readonly requests: readonly RequestPlan[]
  readonly alerts: readonly AlertPlan[]
}

/** A seeded stream per (seed, federation, purpose). */
function stream (seed: number, federation: number, purpose: string): () => number {
  const h = createHash('sha256').update(`${seed}/${federation}/${purpose}`).digest()
  return seededRandom(h.readUInt32LE(0))
}

function pickWeighted<T> (random: () => number, items: readonly T[], weight: (t: T) => number): T {
  const total = items.reduce((s, t) => s + weight(t), 0)
  if (total <= 0) return items[Math.floor(random() * items.length)]!
  let r = random() * total
  for (const t of items) { r -= weight(t); if (r < 0) return t }
  return items[items.length - 1]!
}

/** Box-Muller: one standard normal draw from two uniforms. */
function normal (random: () => number): number {
  const u = Math.max(random(), 1e-12)
  const v = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

function lognormalDays (random: () => number, l: LogNormal): number {
  return Math.exp(l.mu + l.sigma * normal(random))
}

function exponential (random: () => number, mean: number): number {
  return -Math.log(1 - random()) * mean
}

function shuffle<T> (random: () => number, items: readonly T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

const MONTH_DAYS = 365.25 / 12

/**
 * A few authorities per state from the dataset generator: the national ones, then the
 * first of each area requests and alerts are sent in, then the next ones in the dataset's
 * order, up to `perState`. The full dataset is generated once (it is deterministic and fast).
 */
export function authoritiesFor (seed: number, countries: readonly string[], perState: number, areas: readonly LegislativeArea[]): Record<string, AuthorityEntry[]> {
  const dataset = generateDirectory({ seed, countries })
  const out: Record<string, AuthorityEntry[]> = {}
  for (const c of countries) {
    const all = dataset.authorities.get(c) ?? []
    const chosen: AuthorityEntry[] = []
    const add = (a: AuthorityEntry | undefined): void => { if (a !== undefined && !chosen.includes(a) && chosen.length < perState) chosen.push(a) }
    for (const area of areas) add(all.find((a) => a.areas.includes(area)))
    for (const a of all) add(a)
    for (const area of areas) {
      if (!chosen.some((a) => a.areas.includes(area))) throw new Error(`the dataset has no ${area} authority for ${c}`)
    }
    out[c] = chosen
  }
  return out
}

/** Which states answer fast or slow: the named ones, then places drawn from the seed. */
function answerModels (scenario: Scenario, federation: number): Record<string, StateAnswerModel> {
  const t = scenario.workload.answerTime
  const typical = lognormalThrough(3, t.within3Days, 14, t.within14Days)
  const random = stream(scenario.seed, federation, 'answer-groups')
  const named = new Set([...t.fast.states, ...t.slow.states])
  const pool = shuffle(random, scenario.countries.filter((c) => !named.has(c)))
  const slow = [...t.slow.states, ...pool.splice(0, Math.max(0, t.slow.count - t.slow.states.length))]
  const fast = [...t.fast.states, ...pool.splice(0, Math.max(0, t.fast.count - t.fast.states.length))]
  const out: Record<string, StateAnswerModel> = {}
  for (const c of scenario.countries) {
    const group = fast.includes(c) ? 'fast' : slow.includes(c) ? 'slow' : 'typical'
    const lognormal = group === 'typical' ? typical : lognormalWithin(7, group === 'fast' ? t.fast.within7Days : t.slow.within7Days, typical.sigma)
    out[c] = { group, lognormal, medianDays: Math.round(median(lognormal) * 100) / 100 }
  }
  return out
}

/**
 * The catalogue questions a generated request in each area may ask: those of every set of
 * the area (Posting of Workers and Patients' rights have their own since catalogue sets
 * 'posting' and 'patients'). Attachment questions want a file with the answer: left out.
 */
const QUESTIONS: Readonly<Record<string, readonly string[]>> = QUESTION_SETS.reduce<Record<string, string[]>>((byArea, s) => {
  byArea[s.area] = [...(byArea[s.area] ?? []), ...s.questions.filter((q) => q.type !== 'attachment').map((q) => q.id)]
  return byArea
}, {})

const round = (ms: number): number => Math.round(ms)

export function generateWorkload (scenario: Scenario, federation = 0): WorkloadPlan {
  const w = scenario.workload
  const countries = scenario.countries
  const wireAreas = [...new Set([...MODEL_AREAS.filter((a) => w.areas[a] > 0).map((a) => w.areaOnWire[a]), 'professional-qualifications' as const])]
  for (const area of wireAreas) {
    if (QUESTIONS[area] === undefined || QUESTIONS[area].length === 0) throw new Error(`requests in ${area} cannot be sent: the catalogue has no questions for it (see workload.areaOnWire)`)
  }
  const authorities = authoritiesFor(scenario.seed + federation, countries, w.authoritiesPerState, wireAreas)
  const models = answerModels(scenario, federation)
  const senders = w.senders ?? SENDER_WEIGHTS
  const receivers = w.receivers ?? RECEIVER_WEIGHTS
  const durationMs = scenario.durationDays * DAY_MS
  const lastWork = durationMs

  const requests: RequestPlan[] = []
  if (w.requestsPerMonth > 0) {
    const random = stream(scenario.seed, federation, 'requests')
    const meanGap = MONTH_DAYS * DAY_MS / w.requestsPerMonth
    for (let t = exponential(random, meanGap); t < lastWork; t += exponential(random, meanGap)) {
      const area = pickWeighted(random, MODEL_AREAS, (a) => w.areas[a])
      const wireArea = w.areaOnWire[area]
      const from = pickWeighted(random, countries, (c) => senders[c] ?? 0)
      const to = pickWeighted(random, countries.filter((c) => c !== from), (c) => receivers[c] ?? 0)
      const fromAuth = authorities[from]!.filter((a) => a.areas.includes(wireArea))
      const toAuth = authorities[to]!.filter((a) => a.areas.includes(wireArea))
      const pool = QUESTIONS[wireArea]!
      const nq = 1 + Math.floor(random() * 3)
      const questions = shuffle(random, pool).slice(0, nq)
      const answerDays = Math.min(lognormalDays(random, models[to]!.lognormal), w.answerTime.maxDays)
      const acceptDays = Math.min(lognormalDays(random, { mu: Math.log(w.acceptDelay.medianDays), sigma: w.acceptDelay.sigma }), answerDays * 0.9)
      const closeDays = lognormalDays(random, { mu: Math.log(w.closeDelay.medianDays), sigma: w.closeDelay.sigma })
      const neededByDays = 14 + Math.floor(random() * 17)
      requests.push({
        id: `f${federation}r${requests.length + 1}`,
        area, wireArea, from, to,
        fromAuthority: fromAuth[Math.floor(random() * fromAuth.length)]!.id,
        toAuthority: toAuth[Math.floor(random() * toAuth.length)]!.id,
        questions,
        neededByDays,
        sendAt: round(t),
        acceptAt: round(t + acceptDays * DAY_MS),
        answerAt: round(t + answerDays * DAY_MS),
        closeAt: round(t + (answerDays + closeDays) * DAY_MS)
      })
    }
  }

  const alerts: AlertPlan[] = []
  if (w.alertsPerMonth > 0) {
    const random = stream(scenario.seed, federation, 'alerts')
    const meanGap = MONTH_DAYS * DAY_MS / w.alertsPerMonth
    for (let t = exponential(random, meanGap); t < lastWork; t += exponential(random, meanGap)) {
      const from = pickWeighted(random, countries, (c) => senders[c] ?? 0)
      // The 2016-2017 figure is of Professional Qualifications alerts (Art 56a).
      const area: LegislativeArea = 'professional-qualifications'
      const type: AlertType = random() < 0.85 ? 'professional-ban' : 'falsified-qualification'
      const issuers = authorities[from]!.filter((a) => a.areas.includes(area))
      const selected = random() < w.alertsToSelectedShare && countries.length > 2
      const others = countries.filter((c) => c !== from)
      const to = selected ? shuffle(random, others).slice(0, Math.max(1, Math.min(others.length - 1, 1 + Math.floor(random() * 3)))).sort() : 'all' as const
      const withdraw = random() < w.alertsWithdrawnShare
      const withdrawAt = t + (1 + random() * 20) * DAY_MS
      alerts.push({
        id: `f${federation}a${alerts.length + 1}`,
        from, fromAuthority: issuers[Math.floor(random() * issuers.length)]!.id, area, type, to,
        issueAt: round(t),
        ...(withdraw && withdrawAt < lastWork && { withdrawAt: round(withdrawAt) })
      })
    }
  }
  return { federation, countries, authorities, answerModels: models, requests, alerts }
}
