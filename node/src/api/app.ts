/**
 * The node's local HTTP API: JSON, bound to localhost by default, for the web UI and
 * national systems. Federation traffic never comes through here.
 */
import { Hono } from 'hono'
import type { ApiNode } from './api-node.js'
import { HttpError, errorResponse } from './errors.js'
import { bodyLimit, operatorAuth, securityHeaders } from './middleware.js'
import { evidenceRoutes } from './routes/evidence.js'
import { healthRoutes } from './routes/health.js'
import { messageRoutes } from './routes/messages.js'
import { outboxRoutes } from './routes/outbox.js'
import { rosterRoutes } from './routes/roster.js'
import { statusRoutes } from './routes/status.js'

export interface ApiInit {
  /** The operator's bearer token; every route but health requires it. */
  readonly token: string
  readonly maxBodyBytes?: number
}

export function createApiApp (node: ApiNode, init: ApiInit): Hono {
  const app = new Hono()
  app.use('*', securityHeaders())
  app.use('*', bodyLimit(init.maxBodyBytes ?? 1024 * 1024))
  app.route('/api/v1', healthRoutes(node))
  const operator = new Hono()
  operator.use('*', operatorAuth(init.token))
  for (const routes of [statusRoutes, messageRoutes, outboxRoutes, rosterRoutes, evidenceRoutes]) operator.route('/', routes(node))
  app.route('/api/v1', operator)
  app.notFound(() => { throw new HttpError(404, 'ERR_NOT_FOUND', 'no such resource') })
  app.onError((err, c) => errorResponse(err, c))
  return app
}
