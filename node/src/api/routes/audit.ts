/**
 * The audit trail of personal data (Art 17(3)). GET /audit lists entries newest first,
 * for the state's coordinator, who investigates incidents: ?procedure=<id>&kind=&from=
 * &to= (ms) &limit= (1-1000, default 100). GET /audit/verify walks the whole chain,
 * for the coordinator or the operator (the CLI's `verify-audit`); a broken chain is
 * still a successful request: the report says where it breaks. Entries hold ids only,
 * so reading them is not itself audited.
 */
import { Hono } from 'hono'
import { LOCAL_ID_PATTERN } from '@imi/protocol'
import { InvalidRequestError } from '../../errors.js'
import { demand, isCoordinator } from '../../services/accounts/permissions.js'
import { AUDIT_PROCEDURE_KINDS } from '../../storage/audit-log.js'
import { MAX_AUDIT_LIST, type AuditTrail } from '../../services/audit/audit-trail.js'
import { ForbiddenError } from '../errors.js'
import { expectIntegerParam, expectOneOf, expectString } from '../input.js'
import { requireUser } from '../middleware/guards.js'
import { actorOf, type ApiEnv } from '../principal.js'

export interface AuditApiNode {
  readonly audit: Pick<AuditTrail, 'list' | 'verify'>
}

const DEFAULT_LIMIT = 100

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
      const entries = await node.audit.list({
        ...(procedure !== undefined && { procedure: expectString(procedure, 'procedure', LOCAL_ID_PATTERN) }),
        ...(kind !== undefined && { kind: expectOneOf(kind, 'kind', AUDIT_PROCEDURE_KINDS, 'request') }),
        ...(from !== undefined && { from }),
        ...(to !== undefined && { to }),
        limit: expectIntegerParam(c.req.query('limit'), 'limit', 1, MAX_AUDIT_LIST, DEFAULT_LIMIT)
      })
      return c.json({ entries })
    })
    .get('/audit/verify', async (c) => {
      const actor = actorOf(c)
      if (actor.kind !== 'operator' && !isCoordinator(actor)) throw new ForbiddenError('the audit trail is verified by the node\'s operator or the national coordinator')
      return c.json(await node.audit.verify())
    })
}
