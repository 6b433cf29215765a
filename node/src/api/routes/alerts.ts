/**
 * Alerts for officials: those of their authority (issued, or routed to it here), issuing
 * one to all or to selected states, withdrawing and closing it, and for the issuer which
 * states have it. The coordinator routes incoming alerts to this state's authorities.
 */
import { Hono } from 'hono'
import { ALERT_TYPES, LEGISLATIVE_AREAS, LOCAL_ID_PATTERN, type AlertContent, type AlertType, type LegislativeArea } from '@imi/protocol'
import { InvalidRequestError } from '../../errors.js'
import type { AlertService } from '../../services/alerts/alert-service.js'
import { bodyLimit } from '../middleware/body-limit.js'
import { requireUser } from '../middleware/guards.js'
import { expectArray, expectCountry, expectObject, expectOneOf, expectString, onlyKeys, readJson } from '../input.js'
import { actorOf, type ApiEnv } from '../principal.js'

const ALERT_ID = /^[A-Za-z0-9_-]{22}$/
export type AlertsApi = Pick<AlertService, 'issue' | 'withdraw' | 'close' | 'reroute' | 'list' | 'get' | 'readBlocked'>

function reasonOf (raw: unknown): string | undefined {
  const o = expectObject(raw, 'request body')
  onlyKeys(o, ['reason'], 'request body')
  return o.reason === undefined ? undefined : expectString(o.reason, 'reason')
}

export function alertRoutes (node: { readonly alerts: AlertsApi }): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>()
  app.use('/alerts', requireUser())
  app.use('/alerts/*', requireUser())
  const id = (v: string): string => expectString(v, 'id', ALERT_ID)
  return app
    .get('/alerts', async (c) => c.json({ alerts: await node.alerts.list(actorOf(c)) }))
    .post('/alerts', bodyLimit(64 * 1024), async (c) => {
      const o = expectObject(await readJson(c), 'request body')
      onlyKeys(o, ['fromAuthority', 'area', 'type', 'to', 'decisionDate', 'content'], 'request body')
      const to = o.to === 'all' ? 'all' : expectArray(o.to, 'to', 30).map((x, i) => expectCountry(x, `to[${i}]`))
      const view = await node.alerts.issue(actorOf(c), {
        area: expectOneOf(expectString(o.area, 'area'), 'area', LEGISLATIVE_AREAS, 'services') as LegislativeArea,
        type: expectOneOf(expectString(o.type, 'type'), 'type', ALERT_TYPES, 'other') as AlertType,
        to,
        content: expectObject(o.content, 'content') as unknown as AlertContent,
        ...(o.fromAuthority !== undefined && { fromAuthority: expectString(o.fromAuthority, 'fromAuthority', LOCAL_ID_PATTERN) }),
        ...(o.decisionDate !== undefined && { decisionDate: expectString(o.decisionDate, 'decisionDate') })
      })
      c.header('Location', `/api/v1/alerts/${view.state.id}`)
      return c.json(view, 201)
    })
    .get('/alerts/:id', async (c) => c.json(await node.alerts.get(actorOf(c), id(c.req.param('id')))))
    .post('/alerts/:id/blocked', bodyLimit(4096), async (c) => {
      const o = expectObject(await readJson(c), 'request body')
      onlyKeys(o, ['reason'], 'request body')
      return c.json(await node.alerts.readBlocked(actorOf(c), id(c.req.param('id')), expectString(o.reason, 'reason')))
    })
    .post('/alerts/:id/withdraw', bodyLimit(4096), async (c) => c.json(await node.alerts.withdraw(actorOf(c), id(c.req.param('id')), reasonOf(await readJson(c)))))
    .post('/alerts/:id/close', bodyLimit(4096), async (c) => c.json(await node.alerts.close(actorOf(c), id(c.req.param('id')), reasonOf(await readJson(c)))))
    .put('/alerts/:id/routing', bodyLimit(16 * 1024), async (c) => {
      const o = expectObject(await readJson(c), 'request body')
      onlyKeys(o, ['authorities'], 'request body')
      const authorities = expectArray(o.authorities, 'authorities', 200).map((a, i) => expectString(a, `authorities[${i}]`, LOCAL_ID_PATTERN))
      if (authorities.length === 0) throw new InvalidRequestError('route the alert to at least one authority')
      return c.json(await node.alerts.reroute(actorOf(c), id(c.req.param('id')), authorities))
    })
}
