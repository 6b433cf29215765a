/** GET /api/v1/outbox: deliveries still owed, per member state, with their backoff. */
import { Hono } from 'hono'
import type { ApiNode } from '../api-node.js'

export function outboxRoutes (node: Pick<ApiNode, 'messaging'>): Hono {
  return new Hono().get('/outbox', (c) => c.json({ depth: node.messaging.outboxDepth(), peers: node.messaging.outboxSummary() }))
}
