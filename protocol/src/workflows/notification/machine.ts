/**
 * A notification's state from its events, in one order every node agrees on (creation
 * time, then id), so every node that holds the same events shows the same notification
 * and refuses the same events. Rules:
 * - only the notifying state modifies or withdraws it, and only while it is open;
 * - any member state, the notifying one included (to answer), comments while it is open;
 * - "open" is judged at each event's own creation time: before `closesAt` and not
 *   withdrawn earlier in the order. Closure needs no event: past `closesAt` it is closed.
 */
import { ImiError } from '../../errors.js'
import {
  MAX_NOTIFICATION_PERIOD_MS,
  type NotificationEvent, type NotificationState, type NotificationStatus, type NotificationText, type NotificationVersion, type RefusedNotificationEvent
} from './types.js'

/** An event that comes too late (after the end, after a withdrawal) or names what is not there: relays ignore it. */
export class NotificationTransitionError extends ImiError {
  override name = 'NotificationTransitionError'
  constructor (message: string) { super('ERR_TRANSITION_NOT_ALLOWED', message, 'ignore') }
}

/** A state acting on another state's notification: forged in effect, rejected. */
export class NotificationNotPartyError extends ImiError {
  override name = 'NotificationNotPartyError'
  constructor (message: string) { super('ERR_NOT_PARTY', message) }
}

/** The status at `now`: withdrawn stays withdrawn; otherwise closed from `closesAt` on. */
export function notificationStatusAt (state: NotificationState, now: number): NotificationStatus {
  if (state.status === 'withdrawn') return 'withdrawn'
  return now >= state.closesAt ? 'closed' : 'open'
}

export function currentNotificationVersion (state: NotificationState): NotificationVersion {
  return state.versions[state.versions.length - 1]!
}

function textOf (v: Partial<NotificationText>): Partial<NotificationText> {
  const out: Record<string, unknown> = {}
  for (const k of ['title', 'language', 'summary', 'draftRequirement', 'legalBasis', 'plannedAdoption'] as const) if (v[k] !== undefined) out[k] = v[k]
  return out as Partial<NotificationText>
}

export function applyNotificationEvent (state: NotificationState | undefined, e: NotificationEvent): NotificationState {
  const b = e.body
  if (state === undefined) {
    if (b.action !== 'create') throw new NotificationTransitionError(`${b.action} of a notification that was never created`)
    const closesAt = b.closesAt!
    if (closesAt <= e.created || closesAt - e.created > MAX_NOTIFICATION_PERIOD_MS) {
      throw new ImiError('ERR_BODY_SCHEMA', 'closesAt must be after the creation and within the longest comment period')
    }
    const first = { version: 1, event: e.id, at: e.created, ...textOf(b) } as NotificationVersion
    return {
      id: b.notification, from: e.from, area: b.area!, status: 'open', createdAt: e.created, closesAt, versions: [first], comments: [],
      ...(e.fromAuthority !== undefined && { fromAuthority: e.fromAuthority })
    }
  }
  if (b.notification !== state.id) throw new NotificationTransitionError('the event is for another notification')
  if (b.action === 'create') throw new NotificationTransitionError('the notification was created already')
  if (b.action !== 'comment' && e.from !== state.from) throw new NotificationNotPartyError(`only ${state.from}, the notifying state, may ${b.action} its notification`)
  const status = notificationStatusAt(state, e.created)
  if (status !== 'open') throw new NotificationTransitionError(`the notification was ${status} when this ${b.action} was made`)
  switch (b.action) {
    case 'modify': {
      const prev = currentNotificationVersion(state)
      const next = { ...prev, ...textOf(b), version: prev.version + 1, event: e.id, at: e.created }
      return { ...state, versions: [...state.versions, next] }
    }
    case 'withdraw':
      return { ...state, status: 'withdrawn', withdrawnAt: e.created, ...(b.reason !== undefined && { reason: b.reason }) }
    case 'comment': {
      if (b.replyTo !== undefined && !state.comments.some((c) => c.id === b.replyTo)) throw new NotificationTransitionError(`comment ${b.replyTo} is not an earlier comment on this notification`)
      const comment = {
        id: e.id, from: e.from, created: e.created, text: b.text!, onVersion: currentNotificationVersion(state).version,
        ...(e.fromAuthority !== undefined && { fromAuthority: e.fromAuthority }),
        ...(b.language !== undefined && { language: b.language }),
        ...(b.replyTo !== undefined && { replyTo: b.replyTo })
      }
      return { ...state, comments: [...state.comments, comment] }
    }
  }
}

/** The agreed order: creation time, then envelope id. */
export function orderNotificationEvents (events: readonly NotificationEvent[]): NotificationEvent[] {
  return [...events].sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

export function replayNotification (events: readonly NotificationEvent[]): { state: NotificationState | undefined, refused: RefusedNotificationEvent[] } {
  let state: NotificationState | undefined
  const refused: RefusedNotificationEvent[] = []
  for (const e of orderNotificationEvents(events)) {
    try {
      state = applyNotificationEvent(state, e)
    } catch (err) {
      if (!(err instanceof ImiError)) throw err
      refused.push({ id: e.id, code: err.code, verdict: err.verdict, message: err.message })
    }
  }
  return { state, refused }
}
