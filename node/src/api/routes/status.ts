/** GET /api/v1/status: peers, roster version, outbox depth and backlog per peer. */
import { Hono } from 'hono'
import type { ApiNode } from '../api-node.js'

export function statusRoutes (node: ApiNode): Hono {
  return new Hono().get('/status', (c) => c.json({ ...node.status(), outbox: node.messaging.outboxSummary() }))
}
