/**
 * The workload model's figures, from the published ones (../shared/domain.md), and the
 * choices made where they are silent. Every choice is a default a scenario can override.
 *
 * - Volume: 18,810 requests in 2019, about 1,570 a month, for the whole EU/EEA.
 * - Areas (2019): 60 % Professional Qualifications, 24 % Posting of Workers, 14 %
 *   Patients' rights and other, 2 % Services.
 * - Senders (2010, 2,017 requests): UK 622, Germany 291, Netherlands 191; receivers:
 *   Romania 303, Poland 282, Germany 178. The rest of each total (913 sent, 1,254
 *   received) is not broken down: it is shared among the other states in proportion to
 *   their size in IMI (the dataset generator's AUTHORITY_SHARE).
 * - The UK left after 2020. Its 622 requests are dropped, not handed to a "successor":
 *   no state took its place, and giving them to one (say Ireland) would make a small
 *   state the first sender. The weights of the 30 are renormalised, so the volume stays
 *   the 2019 figure; a scenario that wants a post-Brexit volume scales requestsPerMonth.
 * - Answer times (2010): 26 % within 3 days, 58 % within 2 weeks: a lognormal through
 *   both points (median 9.7 days, sigma 1.82). Ten states answered 60 % or more within a
 *   week, six (Romania and Poland among them) about 20 % or less: the same sigma, the
 *   median moved so that 60 % (fast) or 20 % (slow) fall within 7 days. The text names
 *   only Romania and Poland: the other four slow and the ten fast states are drawn from
 *   the seed, and the report lists which.
 * - Alerts: more than 11,000 Professional Qualifications alerts from January 2016 to May
 *   2017, about 650 a month for the 30 states.
 * - Accepting and closing are not in the figures: lognormal, medians 1.5 and 2 days
 *   (unconfirmed; the Commission's indicator wants 80 % accepted within 7 days).
 */
import { MEMBER_STATES, type LegislativeArea } from '@imi/protocol'
import { AUTHORITY_SHARE } from '../dataset/vocabulary.js'

export const REQUESTS_PER_MONTH_2019 = 1_570
export const REQUESTS_2019 = 18_810
export const ALERTS_PER_MONTH_2016_2017 = 650

/** The areas of the 2019 figures; each maps to a protocol area (see AREA_ON_WIRE). */
export const MODEL_AREAS = ['professional-qualifications', 'posting-of-workers', 'patients-rights', 'services'] as const
export type ModelArea = typeof MODEL_AREAS[number]

export const AREA_MIX_2019: Readonly<Record<ModelArea, number>> = {
  'professional-qualifications': 60,
  'posting-of-workers': 24,
  'patients-rights': 14,
  services: 2
}

/**
 * Each modelled area travels as itself: the catalogue has a question set for all four
 * (a request must ask at least one catalogue question of its area). A scenario may still
 * send an area as another (`workload.areaOnWire`); the report keeps the modelled area.
 */
export const AREA_ON_WIRE: Readonly<Record<ModelArea, LegislativeArea>> = {
  'professional-qualifications': 'professional-qualifications',
  'posting-of-workers': 'posting-of-workers',
  'patients-rights': 'patients-rights',
  services: 'services'
}

export const REQUESTS_2010 = 2_017
/** Named in the 2010 text; the UK is kept here for the report, not in the weights. */
export const SENDERS_2010: Readonly<Record<string, number>> = { UK: 622, DE: 291, NL: 191 }
export const RECEIVERS_2010: Readonly<Record<string, number>> = { RO: 303, PL: 282, DE: 178 }
export const LEFT_THE_FEDERATION = ['UK'] as const

export const ALL_STATES: readonly string[] = MEMBER_STATES.map((s) => s.code)

/**
 * 2010 weights of the 30 states: named figures as given, the unnamed remainder shared
 * by AUTHORITY_SHARE. The UK's share is dropped (see above).
 */
function weights2010 (named: Readonly<Record<string, number>>): Record<string, number> {
  const rest = REQUESTS_2010 - Object.values(named).reduce((s, n) => s + n, 0)
  const unnamed = ALL_STATES.filter((c) => named[c] === undefined)
  const shares = unnamed.reduce((s, c) => s + (AUTHORITY_SHARE[c] ?? 1), 0)
  const out: Record<string, number> = {}
  for (const c of ALL_STATES) out[c] = named[c] ?? rest * (AUTHORITY_SHARE[c] ?? 1) / shares
  return out
}

export const SENDER_WEIGHTS: Readonly<Record<string, number>> = weights2010(SENDERS_2010)
export const RECEIVER_WEIGHTS: Readonly<Record<string, number>> = weights2010(RECEIVERS_2010)

/** The 30 states, busiest first (2010 sent + received): `nodes: 5` takes the first five. */
export const STATES_BY_TRAFFIC: readonly string[] = [...ALL_STATES].sort((a, b) =>
  (SENDER_WEIGHTS[b]! + RECEIVER_WEIGHTS[b]!) - (SENDER_WEIGHTS[a]! + RECEIVER_WEIGHTS[a]!) || a.localeCompare(b))

/**
 * The share of the 30 states' request traffic that stays among `states`: the chance that
 * a request's sender and receiver are both in the set, drawing the sender by its weight
 * and the receiver by its weight among the others. 1 for all 30.
 */
export function trafficShare (states: readonly string[], senders = SENDER_WEIGHTS, receivers = RECEIVER_WEIGHTS): number {
  const total = (w: Readonly<Record<string, number>>, set: readonly string[]): number => set.reduce((s, c) => s + (w[c] ?? 0), 0)
  const allS = total(senders, ALL_STATES)
  const allR = total(receivers, ALL_STATES)
  let share = 0
  for (const s of states) {
    const others = states.filter((c) => c !== s)
    share += (senders[s] ?? 0) / allS * total(receivers, others) / (allR - (receivers[s] ?? 0))
  }
  return share
}

/** Lognormal parameters (of ln days). */
export interface LogNormal { readonly mu: number, readonly sigma: number }

/** The inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile (p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`a probability strictly between 0 and 1, not ${p}`)
  const a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
  const b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
  const c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
  const d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
  const low = 0.02425
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p))
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
  }
  if (p > 1 - low) return -normalQuantile(1 - p)
  const q = p - 0.5
  const r = q * q
  return (((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
}

/** The lognormal with P(T <= d1) = p1 and P(T <= d2) = p2. */
export function lognormalThrough (d1: number, p1: number, d2: number, p2: number): LogNormal {
  const z1 = normalQuantile(p1)
  const z2 = normalQuantile(p2)
  if (!(d2 > d1) || !(z2 > z1)) throw new RangeError('needs d1 < d2 and p1 < p2')
  const sigma = (Math.log(d2) - Math.log(d1)) / (z2 - z1)
  return { mu: Math.log(d1) - sigma * z1, sigma }
}

/** The same sigma, the median moved so that P(T <= days) = p. */
export function lognormalWithin (days: number, p: number, sigma: number): LogNormal {
  return { mu: Math.log(days) - sigma * normalQuantile(p), sigma }
}

export function lognormalCdf (days: number, l: LogNormal): number {
  if (days <= 0) return 0
  return 0.5 * (1 + erf((Math.log(days) - l.mu) / (l.sigma * Math.SQRT2)))
}

export function median (l: LogNormal): number { return Math.exp(l.mu) }

/** Abramowitz and Stegun 7.1.26 (|error| < 1.5e-7): enough for a report's reference curve. */
function erf (x: number): number {
  const s = Math.sign(x)
  const t = 1 / (1 + 0.3275911 * Math.abs(x))
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x)
  return s * y
}

/** 2010: 26 % within 3 days, 58 % within 2 weeks. */
export const ANSWER_2010 = { within3Days: 0.26, within14Days: 0.58, fastWithin7Days: 0.6, fastStates: 10, slowWithin7Days: 0.2, slowStates: 6, namedSlow: ['RO', 'PL'] } as const
