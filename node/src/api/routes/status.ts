/** GET /api/v1/status: what an operator checks first. */
import { Hono } from 'hono'
import type { ApiNode } from '../api-node.js'

export function statusRoutes (node: Pick<ApiNode, 'status' | 'messaging'>): Hono {
  return new Hono().get('/status', (c) => c.json({ ...node.status(), outbox: node.messaging.outboxSummary() }))
}
