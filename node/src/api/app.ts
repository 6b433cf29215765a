/**
 * The node's local HTTP API, for the officials' web UI, national back-office systems
 * and the operator's CLI. One resource per file under routes/; errors become responses
 * only in errors.ts. The app is a plain Hono app: tests call `app.request()` without a
 * socket, and server.ts puts it on one.
 */
import { Hono } from 'hono'
import { silentLogger, type Logger } from '../services/logger.js'
import type { ApiNode } from './api-node.js'
import { errorHandler, notFoundHandler } from './errors.js'
import { bearerAuth } from './middleware/bearer-auth.js'
import { bodyLimit } from './middleware/body-limit.js'
import { requireRunning } from './middleware/require-running.js'
import { securityHeaders } from './middleware/security-headers.js'
import { evidenceRoutes } from './routes/evidence.js'
import { healthRoutes } from './routes/health.js'
import { messageRoutes } from './routes/messages.js'
import { outboxRoutes } from './routes/outbox.js'
import { rosterRoutes } from './routes/roster.js'
import { statusRoutes } from './routes/status.js'

export const API_PREFIX = '/api/v1'
/** A ceiling for every request; resources set tighter limits of their own. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024

export interface ApiInit {
  /** The operator's bearer token (see token.ts); every route but health requires it. */
  readonly token: string
  readonly maxBodyBytes?: number
}

export interface ApiComponents {
  readonly logger?: Logger
}

export function createApiApp (node: ApiNode, init: ApiInit, components: ApiComponents = {}): Hono {
  const app = new Hono()
  app.onError(errorHandler(components.logger ?? silentLogger))
  app.notFound(notFoundHandler)
  app.use('*', securityHeaders(), bodyLimit(init.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES))
  // Health is mounted before the token check, so it is the one route that needs none;
  // every other path, unknown ones included, answers 401 to a caller without the token.
  app.route(API_PREFIX, healthRoutes(node))
  app.use(`${API_PREFIX}/*`, bearerAuth(init.token), requireRunning(node))
  for (const routes of [statusRoutes(node), messageRoutes(node), outboxRoutes(node), rosterRoutes(node), evidenceRoutes(node)]) {
    app.route(API_PREFIX, routes)
  }
  return app
}
