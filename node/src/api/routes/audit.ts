/**
 * The audit trail of personal data (Art 17(3)). GET /audit lists entries newest first,
 * for the state's coordinator, who investigates incidents: ?procedure=<id>&kind=&from=
 * &to= (ms) &user=<user name> &authority=<authority id> &limit= (1-1000, default 100).
 * A user or authority filter reads the trail until `limit` entries match, at most
 * MAX_AUDIT_SCAN entries (`scanned` and `complete` in the answer say how far it went;
 * `next`, given back as ?before=, reads on from there).
 * GET /audit/verify walks the whole chain,
 * for the coordinator or the operator (the CLI's `verify-audit`); a broken chain is
 * still a successful request: the report says where it breaks. Entries hold ids only,
 * so reading them is not itself audited.
 */
import { Hono } from 'hono'
import { LOCAL_ID_PATTERN } from '@imi/protocol'
import { InvalidRequestError } from '../../errors.js'
import { USERNAME_PATTERN } from '../../services/accounts/user-accounts.js'
import { demand, isCoordinator } from '../../services/accounts/permissions.js'
import { AUDIT_PROCEDURE_KINDS } from '../../storage/audit-log.js'
import { MAX_AUDIT_LIST, type AuditFilter, type AuditTrail } from '../../services/audit/audit-trail.js'
import { ForbiddenError } from '../errors.js'
import { expectIntegerParam, expectOneOf, expectString } from '../input.js'
import { requireUser } from '../middleware/guards.js'
import { actorOf, type ApiEnv } from '../principal.js'

export interface AuditApiNode {
  readonly audit: Pick<AuditTrail, 'list' | 'search' | 'verify'>
}

const DEFAULT_LIMIT = 100

/** An entry's sequence number (`next` of an answer that was not complete). */
function seqParam (v: string): number {
  if (!/^\d{1,15}$/.test(v)) throw new InvalidRequestError('before must be an audit entry\'s sequence number')
  return Number(v)
}

/** A clock time in ms, when given. */
function timeParam (v: string | undefined, field: string): number | undefined {
  if (v === undefined) return undefined
  if (!/^\d{1,15}$/.test(v)) throw new InvalidRequestError(`${field} must be a time in milliseconds since 1970`)
  return Number(v)
}

export function auditRoutes (node: AuditApiNode): Hono<ApiEnv> {
  return new Hono<ApiEnv>()
    .get('/audit', requireUser(), async (c) => {
      demand(isCoordinator(actorOf(c)), 'read the audit trail')
      const procedure = c.req.query('procedure')
      const kind = c.req.query('kind')
      const from = timeParam(c.req.query('from'), 'from')
      const to = timeParam(c.req.query('to'), 'to')
      const user = c.req.query('user')
      const authority = c.req.query('authority')
      const before = c.req.query('before')
      const filter: AuditFilter = {
        ...(procedure !== undefined && { procedure: expectString(procedure, 'procedure', LOCAL_ID_PATTERN) }),
        ...(kind !== undefined && { kind: expectOneOf(kind, 'kind', AUDIT_PROCEDURE_KINDS, 'request') }),
        ...(from !== undefined && { from }),
        ...(to !== undefined && { to }),
        ...(user !== undefined && { user: expectString(user, 'user', USERNAME_PATTERN) }),
        ...(authority !== undefined && { authority: expectString(authority, 'authority', LOCAL_ID_PATTERN) }),
        ...(before !== undefined && { before: seqParam(before) }),
        limit: expectIntegerParam(c.req.query('limit'), 'limit', 1, MAX_AUDIT_LIST, DEFAULT_LIMIT)
      }
      if (user === undefined && authority === undefined) return c.json({ entries: await node.audit.list(filter) })
      return c.json(await node.audit.search(filter))
    })
    .get('/audit/verify', async (c) => {
      const actor = actorOf(c)
      if (actor.kind !== 'operator' && !isCoordinator(actor)) throw new ForbiddenError('the audit trail is verified by the node\'s operator or the national coordinator')
      return c.json(await node.audit.verify())
    })
}
