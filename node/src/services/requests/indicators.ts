/**
 * The Commission's performance indicators for information requests, as pure functions
 * of request states: a node computes them over its own requests, for its whole state
 * (the coordinator's view) or for one authority.
 *
 * - Accepted within 7 days: of the requests received, the share accepted (first
 *   acceptance, which a forward does not reset) at most 7 days after they were sent. A
 *   request not accepted 7 days after it was sent counts as a miss (a withdrawn one only
 *   if the requester waited more than 7 days); a younger one is not counted yet.
 * - Average answer time: days from sending to the final answer, over the requests
 *   answered (answered, info-requested, closed).
 * - Answered by the agreed date: of the requests with an agreed date, the share whose
 *   final answer came on or before that day (UTC); one still unanswered after its date
 *   counts as a miss.
 *
 * Each is computed for the requests received ("responding": how this state or authority
 * answers, what the Commission rates) and for the requests sent ("requesting": how the
 * other states answered). A request created by a split counts as a request of its own,
 * sent when it was split off; a forwarded request counts for the authority that holds it
 * now; one waiting with the coordinator counts for the state only. A final answer after
 * a round of further information replaces the first answer time in the state (the
 * protocol keeps only the last), so those requests count with their last answer.
 *
 * Thresholds: accepted within 7 days and answered by the agreed date are good from 80 %;
 * the average answer time is good under 16 days and bad over 25 (the Commission's). Below
 * which share a rate is bad is not published: 50 % is a default (unconfirmed).
 */
import type { RequestState, RequestStatus } from '@imi/protocol'
import { DAY_MS, utcDay } from './deadlines.js'

export type IndicatorRating = 'good' | 'fair' | 'bad' | 'n/a'

export interface IndicatorThresholds {
  /** Percent: good at or above `good`, bad below `bad`. */
  readonly acceptedWithin7Days: { readonly good: number, readonly bad: number }
  /** Days: good below `good`, bad above `bad`. */
  readonly averageAnswerDays: { readonly good: number, readonly bad: number }
  readonly answeredByAgreedDate: { readonly good: number, readonly bad: number }
}

export const INDICATOR_THRESHOLDS: IndicatorThresholds = {
  acceptedWithin7Days: { good: 80, bad: 50 },
  averageAnswerDays: { good: 16, bad: 25 },
  answeredByAgreedDate: { good: 80, bad: 50 }
}

export const ACCEPT_WITHIN_MS = 7 * DAY_MS

export interface RateIndicator {
  /** Percent, one decimal; null when nothing counts yet. */
  readonly percent: number | null
  /** Requests that met the mark. */
  readonly met: number
  /** Requests counted (met + missed). */
  readonly counted: number
  readonly rating: IndicatorRating
}

export interface AverageIndicator {
  /** Days, one decimal; null when nothing was answered. */
  readonly days: number | null
  readonly answered: number
  readonly rating: IndicatorRating
}

export interface Performance {
  readonly acceptedWithin7Days: RateIndicator
  readonly averageAnswerDays: AverageIndicator
  readonly answeredByAgreedDate: RateIndicator
}

export type StatusCounts = Record<RequestStatus, number>

export interface IndicatorSet {
  /** Requests this state (or authority) sent. */
  readonly sent: number
  /** Requests it received. */
  readonly received: number
  /** By the other member state of each request. */
  readonly byCountry: Record<string, { sent: number, received: number }>
  readonly byStatus: { readonly sent: StatusCounts, readonly received: StatusCounts }
  /** On the requests received: how this state or authority answers. */
  readonly responding: Performance
  /** On the requests sent: how the other states answered. */
  readonly requesting: Performance
}

export interface IndicatorsReport extends IndicatorSet {
  readonly country: string
  readonly authority?: string
  readonly from?: string
  readonly to?: string
  /** The UTC day the indicators were computed on. */
  readonly asOf: string
  /** The same indicators for each of this state's authorities in scope. */
  readonly authorities: Record<string, IndicatorSet>
}

export interface IndicatorsOptions {
  /** This node's member state. */
  readonly country: string
  /** Only this authority's requests (sent by it, or held by it). */
  readonly authority?: string
  /** Only requests sent on or after this UTC day (YYYY-MM-DD). */
  readonly from?: string
  /** Only requests sent on or before this UTC day (YYYY-MM-DD). */
  readonly to?: string
  /** The time the indicators are computed at (requests not accepted or answered in time by then count as misses). */
  readonly now: number
  readonly thresholds?: IndicatorThresholds
}

const round1 = (n: number): number => Math.round(n * 10) / 10

function emptyCounts (): StatusCounts {
  return { sent: 0, accepted: 0, answered: 0, 'info-requested': 0, closed: 0, withdrawn: 0 }
}

export function rateRating (percent: number | null, t: { good: number, bad: number }): IndicatorRating {
  if (percent === null) return 'n/a'
  if (percent >= t.good) return 'good'
  return percent < t.bad ? 'bad' : 'fair'
}

export function averageRating (days: number | null, t: { good: number, bad: number }): IndicatorRating {
  if (days === null) return 'n/a'
  if (days < t.good) return 'good'
  return days > t.bad ? 'bad' : 'fair'
}

function rate (met: number, counted: number, t: { good: number, bad: number }): RateIndicator {
  const percent = counted === 0 ? null : round1(met / counted * 100)
  return { percent, met, counted, rating: rateRating(percent, t) }
}

/** Met (true), missed (false), or not decided yet (undefined): accepted within 7 days of sending. */
export function acceptedInTime (s: RequestState, now: number): boolean | undefined {
  if (s.firstAcceptedAt !== undefined) return s.firstAcceptedAt - s.sentAt <= ACCEPT_WITHIN_MS
  const end = s.status === 'withdrawn' ? (s.closedAt ?? now) : now
  return end - s.sentAt > ACCEPT_WITHIN_MS ? false : undefined
}

/** Met, missed, or not decided yet: answered on or before the agreed date. */
export function answeredByAgreedDate (s: RequestState, now: number): boolean | undefined {
  if (s.answerBy === undefined) return undefined
  const answeredAt = s.firstAnsweredAt ?? s.answeredAt
  if (answeredAt !== undefined) return utcDay(answeredAt) <= s.answerBy
  if (s.status === 'closed' || s.status === 'withdrawn') return undefined
  return utcDay(now) > s.answerBy ? false : undefined
}

export function performanceOf (states: readonly RequestState[], now: number, thresholds: IndicatorThresholds = INDICATOR_THRESHOLDS): Performance {
  let accMet = 0
  let accCounted = 0
  let ansMet = 0
  let ansCounted = 0
  let answered = 0
  let answerMs = 0
  for (const s of states) {
    const acc = acceptedInTime(s, now)
    if (acc !== undefined) { accCounted++; if (acc) accMet++ }
    const onTime = answeredByAgreedDate(s, now)
    if (onTime !== undefined) { ansCounted++; if (onTime) ansMet++ }
    const answeredAt = s.firstAnsweredAt ?? s.answeredAt
    if (answeredAt !== undefined) { answered++; answerMs += answeredAt - s.sentAt }
  }
  const days = answered === 0 ? null : round1(answerMs / answered / DAY_MS)
  return {
    acceptedWithin7Days: rate(accMet, accCounted, thresholds.acceptedWithin7Days),
    averageAnswerDays: { days, answered, rating: averageRating(days, thresholds.averageAnswerDays) },
    answeredByAgreedDate: rate(ansMet, ansCounted, thresholds.answeredByAgreedDate)
  }
}

/** Indicators over requests already split by direction. */
export function indicatorSet (sent: readonly RequestState[], received: readonly RequestState[], now: number, thresholds: IndicatorThresholds = INDICATOR_THRESHOLDS): IndicatorSet {
  const byCountry: Record<string, { sent: number, received: number }> = {}
  const byStatus = { sent: emptyCounts(), received: emptyCounts() }
  for (const s of sent) {
    const c = (byCountry[s.responder.country] ??= { sent: 0, received: 0 })
    c.sent++
    byStatus.sent[s.status]++
  }
  for (const s of received) {
    const c = (byCountry[s.requester.country] ??= { sent: 0, received: 0 })
    c.received++
    byStatus.received[s.status]++
  }
  return {
    sent: sent.length,
    received: received.length,
    byCountry,
    byStatus,
    responding: performanceOf(received, now, thresholds),
    requesting: performanceOf(sent, now, thresholds)
  }
}

/**
 * The indicators of one state (and each of its authorities), or of one authority, over
 * the requests sent in the period. States of other pairs of countries are ignored.
 */
export function indicatorsFor (states: readonly RequestState[], opts: IndicatorsOptions): IndicatorsReport {
  const { country, authority, from, to, now } = opts
  const thresholds = opts.thresholds ?? INDICATOR_THRESHOLDS
  const inPeriod = (s: RequestState): boolean => {
    const day = utcDay(s.sentAt)
    return (from === undefined || day >= from) && (to === undefined || day <= to)
  }
  const sent: RequestState[] = []
  const received: RequestState[] = []
  const perAuthority = new Map<string, { sent: RequestState[], received: RequestState[] }>()
  const slot = (id: string): { sent: RequestState[], received: RequestState[] } => {
    let v = perAuthority.get(id)
    if (v === undefined) perAuthority.set(id, v = { sent: [], received: [] })
    return v
  }
  for (const s of states) {
    if (!inPeriod(s)) continue
    if (s.requester.country === country && (authority === undefined || s.requester.authority === authority)) {
      sent.push(s)
      slot(s.requester.authority).sent.push(s)
    }
    if (s.responder.country === country && (authority === undefined || s.responder.authority === authority)) {
      received.push(s)
      if (s.responder.authority !== undefined) slot(s.responder.authority).received.push(s)
    }
  }
  const authorities: Record<string, IndicatorSet> = {}
  for (const id of [...perAuthority.keys()].sort()) {
    const v = perAuthority.get(id)!
    authorities[id] = indicatorSet(v.sent, v.received, now, thresholds)
  }
  return {
    country,
    ...(authority !== undefined && { authority }),
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    asOf: utcDay(now),
    ...indicatorSet(sent, received, now, thresholds),
    authorities
  }
}
