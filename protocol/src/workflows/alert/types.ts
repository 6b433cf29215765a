/**
 * Alerts: one member state warns all others, or selected ones, about a provider or a
 * professional. Each alert is a short log of signed broadcast events (issued, then
 * perhaps withdrawn or closed) from the issuing state. The signed body holds no personal
 * data: what the alert says (the person, the decision, the description) rides in the
 * sidecar, in clear for an alert to all, sealed to the addressed states' node keys
 * otherwise, so relays carry it without reading it and retention can delete it later.
 */
import type { LegislativeArea } from '../../directory/areas.js'

export const ALERT_KIND = 'alert'
export const ALERT_RECEIPT_KIND = 'alert-receipt'

export const ALERT_TYPES = [
  /** Services Directive Art 29(3) and 32(1): an activity that could cause serious damage. */
  'services-risk',
  /** Professional Qualifications Art 56a: a professional restricted or banned from practising. */
  'professional-ban',
  /** Professional Qualifications Art 56a(3): falsified diplomas used. */
  'falsified-qualification',
  'other'
] as const
export type AlertType = typeof ALERT_TYPES[number]

export type AlertAction = 'issue' | 'withdraw' | 'close'
export type AlertStatus = 'active' | 'withdrawn' | 'closed'

export interface AlertEventBody {
  readonly alert: string
  readonly action: AlertAction
  readonly area?: LegislativeArea
  readonly type?: AlertType
  /** ['*'] for every member state, otherwise the addressed states. */
  readonly addressed?: readonly string[]
  /** YYYY-MM-DD: the decision the alert is about (Art 56a: alerts go out within 3 days of it). */
  readonly decisionDate?: string
  readonly reason?: string
}

/** The content of an alert: in clear for an alert to all, sealed otherwise. */
export interface AlertContent {
  readonly description: string
  /** The professional or provider concerned: name and identifying details. */
  readonly concerned: Readonly<Record<string, string>>
  readonly decision?: string
  /** YYYY-MM-DD. */
  readonly periodFrom?: string
  readonly periodTo?: string
  readonly profession?: string
}

export interface AlertEvent {
  readonly id: string
  readonly from: string
  readonly fromAuthority?: string
  readonly created: number
  readonly body: AlertEventBody
}

export interface AlertState {
  readonly id: string
  readonly from: string
  readonly fromAuthority: string
  readonly area: LegislativeArea
  readonly type: AlertType
  readonly addressed: readonly string[]
  readonly status: AlertStatus
  readonly issuedAt: number
  readonly decisionDate?: string
  /** Art 56a: issued more than 3 days after the decision. */
  readonly late: boolean
  readonly withdrawnAt?: number
  readonly closedAt?: number
  readonly reason?: string
  /** The id of the issuing event: its sidecar holds the content. */
  readonly issueEvent: string
}
