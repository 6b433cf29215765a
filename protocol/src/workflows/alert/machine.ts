/**
 * An alert's state from its events, in one order every node agrees on (creation time,
 * then id). Only the issuing state's node may withdraw or close it, once.
 */
import { ImiError } from '../../errors.js'
import type { AlertEvent, AlertState } from './types.js'

const DAY_MS = 86_400_000
/** Art 56a(1): an alert about a professional goes out within 3 days of the decision. */
export const PROFESSIONAL_ALERT_DAYS = 3

export class AlertTransitionError extends ImiError {
  override name = 'AlertTransitionError'
  constructor (message: string) { super('ERR_TRANSITION_NOT_ALLOWED', message) }
}

export function alertIsLate (decisionDate: string | undefined, issuedAt: number): boolean {
  if (decisionDate === undefined) return false
  return issuedAt > Date.parse(`${decisionDate}T00:00:00Z`) + (PROFESSIONAL_ALERT_DAYS + 1) * DAY_MS
}

export function applyAlertEvent (state: AlertState | undefined, e: AlertEvent): AlertState {
  const b = e.body
  if (state === undefined) {
    if (b.action !== 'issue') throw new AlertTransitionError(`${b.action} of an alert that was never issued`)
    if (e.fromAuthority === undefined) throw new AlertTransitionError('an alert is issued by an authority')
    return {
      id: b.alert, from: e.from, fromAuthority: e.fromAuthority, area: b.area!, type: b.type!, addressed: b.addressed!,
      status: 'active', issuedAt: e.created, late: alertIsLate(b.decisionDate, e.created), issueEvent: e.id,
      ...(b.decisionDate !== undefined && { decisionDate: b.decisionDate })
    }
  }
  if (b.alert !== state.id) throw new AlertTransitionError('the event is for another alert')
  if (b.action === 'issue') throw new AlertTransitionError('the alert was already issued')
  if (e.from !== state.from) throw new ImiError('ERR_NOT_PARTY', 'only the issuing state withdraws or closes its alert')
  if (state.status !== 'active') throw new AlertTransitionError(`the alert is ${state.status} already`)
  return b.action === 'withdraw'
    ? { ...state, status: 'withdrawn', withdrawnAt: e.created, ...(b.reason !== undefined && { reason: b.reason }) }
    : { ...state, status: 'closed', closedAt: e.created, ...(b.reason !== undefined && { reason: b.reason }) }
}

export function replayAlert (events: readonly AlertEvent[]): { state: AlertState | undefined, refused: string[] } {
  let state: AlertState | undefined
  const refused: string[] = []
  for (const e of [...events].sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1))) {
    try {
      state = applyAlertEvent(state, e)
    } catch (err) {
      if (!(err instanceof ImiError)) throw err
      refused.push(e.id)
    }
  }
  return { state, refused }
}
