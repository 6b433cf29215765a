/**
 * Retention, read-only (Regulation 1024/2012 Art 14): the node's policy per legislative
 * area and kind of procedure (days after formal closure until personal data are blocked
 * and deleted), and the closed procedures whose personal data are still held, with when
 * they are (or were) blocked and when they will be deleted, soonest first. For those who
 * answer for personal data: the national coordinator (the state's procedures) and local
 * data administrators (their authority's). The policy itself is set in the node's
 * settings file, never over HTTP. Ids, areas and dates only: no personal data.
 */
import { Hono } from 'hono'
import type { ProcedureKind, RetentionDates, RetentionPolicy } from '@imi/protocol'
import { demand, isCoordinator, type Actor } from '../../services/accounts/permissions.js'
import type { AlertService } from '../../services/alerts/alert-service.js'
import type { RetentionRecord } from '../../services/retention/records.js'
import type { RequestService } from '../../services/requests/request-service.js'
import { expectIntegerParam } from '../input.js'
import { requireUser } from '../middleware/guards.js'
import { actorOf, type ApiEnv } from '../principal.js'

export interface RetentionApiNode {
  readonly retention: {
    readonly policy: RetentionPolicy
    dates(kind: ProcedureKind, area: string, closedAt: number): RetentionDates
    status(kind: ProcedureKind, id: string): Promise<RetentionRecord | undefined>
  }
  readonly requests: Pick<RequestService, 'list'>
  readonly alerts: Pick<AlertService, 'list'>
  readonly requestDeadlines: { now(): number }
  status(): { readonly country: string }
}

/** One closed procedure whose personal data this node still holds. */
export interface DueProcedure {
  readonly kind: 'request' | 'alert'
  readonly id: string
  readonly area: string
  readonly status: string
  readonly authority?: string
  readonly closedAt: number
  readonly blockAt: number
  readonly deleteAt: number
  readonly blockedAt?: number
}

const DEFAULT_LIMIT = 200
const MAX_LIMIT = 1000

/** The coordinator, or a local data administrator of an authority (in any area). */
function mayReadRetention (actor: Actor): boolean {
  return isCoordinator(actor) || (actor.kind === 'user' && actor.authority !== undefined && actor.grants.some((g) => g.role === 'local-data-admin'))
}

export function retentionRoutes (node: RetentionApiNode): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>()
  app.use('/retention/*', requireUser())
  return app
    .get('/retention/policy', (c) => {
      demand(mayReadRetention(actorOf(c)), 'read the retention policy (the coordinator and local data administrators)')
      return c.json({ policy: node.retention.policy })
    })
    .get('/retention/due', async (c) => {
      const actor = actorOf(c)
      demand(mayReadRetention(actor), 'see what retention blocks and deletes (the coordinator and local data administrators)')
      const limit = expectIntegerParam(c.req.query('limit'), 'limit', 1, MAX_LIMIT, DEFAULT_LIMIT)
      const country = node.status().country
      const closed: Array<Omit<DueProcedure, 'blockAt' | 'deleteAt'>> = []
      for (const s of await node.requests.list(actor)) {
        if (s.closedAt === undefined) continue
        // This node's side of the request: the authority here that holds its data.
        const authority = s.requester.country === country ? s.requester.authority : s.responder.authority
        closed.push({ kind: 'request', id: s.id, area: s.area, status: s.status, closedAt: s.closedAt, ...(authority !== undefined && { authority }) })
      }
      for (const { state: s } of await node.alerts.list(actor)) {
        const at = s.closedAt ?? s.withdrawnAt
        if (at !== undefined) closed.push({ kind: 'alert', id: s.id, area: s.area, status: s.status, closedAt: at, authority: s.fromAuthority })
      }
      const due: DueProcedure[] = []
      for (const p of closed) {
        const record = await node.retention.status(p.kind, p.id)
        if (record?.deletedAt !== undefined) continue
        const dates = node.retention.dates(p.kind, p.area, p.closedAt)
        due.push({ ...p, ...dates, ...(record?.blockedAt !== undefined && { blockedAt: record.blockedAt }) })
      }
      // The next thing to happen first: blocking for the open ones, deletion for the blocked.
      const next = (p: DueProcedure): number => p.blockedAt === undefined ? p.blockAt : p.deleteAt
      due.sort((a, b) => next(a) - next(b))
      return c.json({ now: node.requestDeadlines.now(), total: due.length, procedures: due.slice(0, limit) })
    })
}
