/**
 * Supervision: the state's (or one authority's) requests that are overdue, escalated or
 * soon due, the Commission's performance indicators, and the audit trail of personal
 * data. Shapes mirror node/src/api/routes/request-indicators.ts (DeadlineItem),
 * node/src/services/requests/indicators.ts (IndicatorsReport) and
 * node/src/storage/audit-log.ts (AuditEntry, AuditReport), which the UI may not import.
 */
import type { Party, RequestState, RequestStatus } from '@imi/protocol'
import type { ApiClient } from './api-client.js'
import type { AuditKind } from './router.js'

export interface DeadlineItem {
  readonly id: string
  readonly area: RequestState['area']
  readonly status: RequestStatus
  readonly role: 'requester' | 'responder'
  readonly requester: Party
  readonly responder: Party
  readonly due?: string
  readonly awaiting?: 'requester' | 'responder'
  readonly daysLate: number
  readonly inactiveDays: number
  readonly lastActivity: number
}

export interface Deadlines {
  readonly asOf: string
  readonly authority?: string
  readonly overdue: readonly DeadlineItem[]
  readonly escalated: readonly DeadlineItem[]
  readonly upcoming: readonly DeadlineItem[]
}

export type IndicatorRating = 'good' | 'fair' | 'bad' | 'n/a'
export interface RateIndicator { readonly percent: number | null, readonly met: number, readonly counted: number, readonly rating: IndicatorRating }
export interface AverageIndicator { readonly days: number | null, readonly answered: number, readonly rating: IndicatorRating }
export interface Performance {
  readonly acceptedWithin7Days: RateIndicator
  readonly averageAnswerDays: AverageIndicator
  readonly answeredByAgreedDate: RateIndicator
}
export type StatusCounts = Readonly<Record<RequestStatus, number>>
export interface IndicatorSet {
  readonly sent: number
  readonly received: number
  readonly byCountry: Readonly<Record<string, { readonly sent: number, readonly received: number }>>
  readonly byStatus: { readonly sent: StatusCounts, readonly received: StatusCounts }
  readonly responding: Performance
  readonly requesting: Performance
}
export interface IndicatorsReport extends IndicatorSet {
  readonly country: string
  readonly authority?: string
  readonly from?: string
  readonly to?: string
  readonly asOf: string
  readonly authorities: Readonly<Record<string, IndicatorSet>>
}

export const AUDIT_ACTIONS = ['read', 'export', 'change', 'delete', 'block', 'read-blocked', 'correct', 'contest'] as const
export type AuditAction = typeof AUDIT_ACTIONS[number]

export interface AuditEntry {
  readonly seq: number
  readonly at: number
  readonly actor: { readonly kind: 'user', readonly username: string, readonly authority?: string } | { readonly kind: 'operator' } | { readonly kind: 'system' }
  readonly action: AuditAction
  readonly procedure: { readonly kind: AuditKind, readonly id: string }
  readonly reason?: string
}

export interface AuditReport {
  readonly ok: boolean
  readonly entries: number
  readonly firstBroken?: { readonly seq: number, readonly reason: string }
}

export interface AuditQuery {
  readonly procedure?: string
  readonly kind?: AuditKind
  /** Only this official's entries (user name), or this authority's officials'. */
  readonly user?: string
  readonly authority?: string
  /** Clock times in ms, both inclusive. */
  readonly from?: number
  readonly to?: number
  readonly limit?: number
}

const query = (params: Record<string, string | number | undefined>): string => {
  const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined).map(([k, v]) => [k, String(v)]))
  const s = q.toString()
  return s === '' ? '' : `?${s}`
}

/** Every request the caller may see (the coordinator: the state's, without personal data). */
export async function allRequests (api: ApiClient, status?: RequestStatus): Promise<RequestState[]> {
  return (await api.json<{ requests: RequestState[] }>('GET', `/requests${query({ status })}`)).requests
}

export async function deadlines (api: ApiClient, authority?: string): Promise<Deadlines> {
  return await api.json('GET', `/requests-deadlines${query({ authority })}`)
}

export async function indicators (api: ApiClient, scope: { authority?: string, from?: string, to?: string } = {}): Promise<IndicatorsReport> {
  return (await api.json<{ indicators: IndicatorsReport }>('GET', `/requests-indicators${query(scope)}`)).indicators
}

export async function auditEntries (api: ApiClient, q: AuditQuery): Promise<AuditEntry[]> {
  return (await api.json<{ entries: AuditEntry[] }>('GET', `/audit${query({ ...q })}`)).entries
}

export async function verifyAudit (api: ApiClient): Promise<AuditReport> {
  return await api.json('GET', '/audit/verify')
}
