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
import { authenticate } from './middleware/authenticate.js'
import { bodyLimitByRoute } from './middleware/body-limit.js'
import { requireOperator } from './middleware/guards.js'
import { requireRunning } from './middleware/require-running.js'
import { securityHeaders } from './middleware/security-headers.js'
import { limitPerClient, limitPerPrincipal } from './middleware/rate-limit.js'
import { systemClock } from '../clock.js'
import { RATE_LIMITS, RateLimiter } from '../rate-limit.js'
import type { ApiEnv } from './principal.js'
import { alertRoutes } from './routes/alerts.js'
import { auditRoutes } from './routes/audit.js'
import { authorityRoutes } from './routes/authorities.js'
import { backupRoutes } from './routes/backup.js'
import { coordinatorRoutes } from './routes/coordinators.js'
import { directoryRoutes } from './routes/directory.js'
import { evidenceRoutes } from './routes/evidence.js'
import { healthRoutes } from './routes/health.js'
import { joinRequestRoutes } from './routes/join-requests.js'
import { messageRoutes } from './routes/messages.js'
import { notificationRoutes } from './routes/notifications.js'
import { outboxRoutes } from './routes/outbox.js'
import { registerRoutes } from './routes/registers.js'
import { requestDraftRoutes } from './routes/request-drafts.js'
import { requestIndicatorRoutes } from './routes/request-indicators.js'
import { MAX_UPLOAD_BYTES, isUpload, requestRoutes } from './routes/requests.js'
import { retentionRoutes } from './routes/retention.js'
import { rosterRoutes } from './routes/roster.js'
import { loginRoutes, sessionRoutes } from './routes/session.js'
import { statusRoutes } from './routes/status.js'
import { subjectRequestRoutes } from './routes/subject-requests.js'
import { userRoutes } from './routes/users.js'

export const API_PREFIX = '/api/v1'
/** A ceiling for every request; resources set tighter limits of their own. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024
/** The node's own operations: the operator's token only, never an official's session. */
const OPERATOR_PATHS = ['/status', '/messages', '/messages/*', '/outbox', '/roster', '/evidence/*', '/backup/*']

export interface ApiInit {
  /** The operator's bearer token (see token.ts). */
  readonly token: string
  readonly maxBodyBytes?: number
  /** Behind a TLS reverse proxy that sets X-Forwarded-Proto: session cookies get Secure. */
  readonly trustProxy?: boolean
}

export interface ApiComponents {
  readonly logger?: Logger
}

export function createApiApp (node: ApiNode, init: ApiInit, components: ApiComponents = {}): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>()
  app.onError(errorHandler(components.logger ?? silentLogger))
  app.notFound(notFoundHandler)
  app.use('*', securityHeaders(), bodyLimitByRoute(init.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, MAX_UPLOAD_BYTES, isUpload))
  // Routes mounted before the authentication step need none: health, log-in and an
  // authority's request to join. Every other path, unknown ones included, answers 401
  // to a caller who is neither the operator nor logged in.
  app.route(API_PREFIX, healthRoutes(node))
  app.use(`${API_PREFIX}/*`, requireRunning(node))
  // Log-ins and join requests take no credentials yet: one budget per client address.
  app.on('POST', [`${API_PREFIX}/session`, `${API_PREFIX}/join-requests`], limitPerClient(new RateLimiter(RATE_LIMITS.loginsPerClient, systemClock.now)))
  app.route(API_PREFIX, loginRoutes(node, { trustProxy: init.trustProxy ?? false }))
  app.route(API_PREFIX, joinRequestRoutes(node))
  app.use(`${API_PREFIX}/*`, authenticate({ operatorToken: init.token, accounts: node.accounts }), limitPerPrincipal(new RateLimiter(RATE_LIMITS.apiPerPrincipal, systemClock.now)))
  for (const path of OPERATOR_PATHS) app.use(`${API_PREFIX}${path}`, requireOperator())
  const resources: Array<Hono<ApiEnv>> = [
    statusRoutes(node), messageRoutes(node), outboxRoutes(node), rosterRoutes(node), evidenceRoutes(node),
    sessionRoutes(node), coordinatorRoutes(node), directoryRoutes(node), authorityRoutes(node), userRoutes(node), registerRoutes(node),
    requestRoutes(node), requestIndicatorRoutes(node), requestDraftRoutes(node), alertRoutes(node), notificationRoutes(node), auditRoutes(node), backupRoutes(node),
    subjectRequestRoutes(node), retentionRoutes(node)
  ] as unknown as Array<Hono<ApiEnv>>
  for (const routes of resources) app.route(API_PREFIX, routes)
  return app
}
