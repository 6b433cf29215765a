/**
 * Supervision of information requests: the Commission's performance indicators and the
 * requests that are late, quiet or soon due. The national coordinator sees the whole
 * state, with a breakdown per authority, and may narrow it to one authority; an official
 * sees only its own authority's. Both are computed over what the caller may see of the
 * requests (RequestService.list: for an official, the areas it holds roles in).
 */
import { Hono } from 'hono'
import { LOCAL_ID_PATTERN, isCalendarDate, type RequestState } from '@imi/protocol'
import { InvalidRequestError } from '../../errors.js'
import { demand, isCoordinator, maySeeWorkOf, type Actor } from '../../services/accounts/permissions.js'
import { DAY_MS, isOpen, type DeadlineFlags, type RequestDeadlines } from '../../services/requests/deadlines.js'
import { indicatorsFor } from '../../services/requests/indicators.js'
import type { RequestService } from '../../services/requests/request-service.js'
import { requireUser } from '../middleware/guards.js'
import { expectString } from '../input.js'
import { actorOf, type ApiEnv } from '../principal.js'

export interface RequestIndicatorsNode {
  readonly requests: Pick<RequestService, 'list'>
  readonly requestDeadlines: Pick<RequestDeadlines, 'assess' | 'country' | 'now'>
}

/** One request in the deadlines view: dates and parties, never personal data. */
export interface DeadlineItem {
  readonly id: string
  readonly area: string
  readonly status: string
  /** This node's side of the request. */
  readonly role: 'requester' | 'responder'
  readonly requester: RequestState['requester']
  readonly responder: RequestState['responder']
  readonly due?: string
  readonly awaiting?: 'requester' | 'responder'
  readonly daysLate: number
  readonly inactiveDays: number
  readonly lastActivity: number
}

/**
 * The authority the caller asks about: the coordinator any (or none: the whole state),
 * an official only its own (the default).
 */
function scopeOf (actor: Actor, asked: string | undefined): string | undefined {
  const authority = asked === undefined ? undefined : expectString(asked, 'authority', LOCAL_ID_PATTERN)
  if (isCoordinator(actor)) return authority
  const own = actor.kind === 'user' ? actor.authority : undefined
  const wanted = authority ?? own
  demand(wanted !== undefined && maySeeWorkOf(actor, wanted), `see the requests of ${wanted ?? 'this state'}`)
  return wanted
}

function day (v: string | undefined, field: string): string | undefined {
  if (v === undefined) return undefined
  if (!isCalendarDate(v)) throw new InvalidRequestError(`${field} must be a date (YYYY-MM-DD)`)
  return v
}

function item (s: RequestState, role: 'requester' | 'responder', f: DeadlineFlags): DeadlineItem {
  return {
    id: s.id, area: s.area, status: s.status, role, requester: s.requester, responder: s.responder,
    ...(f.due !== undefined && { due: f.due }),
    ...(f.awaiting !== undefined && { awaiting: f.awaiting }),
    daysLate: f.daysLate,
    inactiveDays: Math.floor(f.inactiveForMs / DAY_MS),
    lastActivity: s.lastActivity
  }
}

export function requestIndicatorRoutes (node: RequestIndicatorsNode): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>()
  app.use('/requests-indicators', requireUser())
  app.use('/requests-deadlines', requireUser())
  const country = (): string => node.requestDeadlines.country
  return app
    .get('/requests-indicators', async (c) => {
      const actor = actorOf(c)
      const authority = scopeOf(actor, c.req.query('authority'))
      const from = day(c.req.query('from'), 'from')
      const to = day(c.req.query('to'), 'to')
      if (from !== undefined && to !== undefined && from > to) throw new InvalidRequestError('from must not be after to')
      const states = await node.requests.list(actor)
      const report = indicatorsFor(states, {
        country: country(), now: node.requestDeadlines.now(),
        ...(authority !== undefined && { authority }), ...(from !== undefined && { from }), ...(to !== undefined && { to })
      })
      return c.json({ indicators: report })
    })
    .get('/requests-deadlines', async (c) => {
      const actor = actorOf(c)
      const authority = scopeOf(actor, c.req.query('authority'))
      const here = country()
      const overdue: DeadlineItem[] = []
      const escalated: DeadlineItem[] = []
      const upcoming: DeadlineItem[] = []
      for (const s of await node.requests.list(actor)) {
        if (!isOpen(s)) continue
        const role = s.requester.country === here ? 'requester' : 'responder'
        const ours = role === 'requester' ? s.requester.authority : s.responder.authority
        if (authority !== undefined && ours !== authority) continue
        const f = node.requestDeadlines.assess(s)
        if (f.overdue) overdue.push(item(s, role, f))
        else if (f.remind) upcoming.push(item(s, role, f))
        if (f.escalate) escalated.push(item(s, role, f))
      }
      overdue.sort((a, b) => b.daysLate - a.daysLate || a.id.localeCompare(b.id))
      upcoming.sort((a, b) => (a.due ?? '').localeCompare(b.due ?? '') || a.id.localeCompare(b.id))
      escalated.sort((a, b) => a.lastActivity - b.lastActivity || a.id.localeCompare(b.id))
      return c.json({ asOf: new Date(node.requestDeadlines.now()).toISOString(), ...(authority !== undefined && { authority }), overdue, escalated, upcoming })
    })
}
