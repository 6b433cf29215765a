/** GET /api/v1/outbox: what this node still owes whom, and since when. */
import { Hono } from 'hono'
import type { ApiNode } from '../api-node.js'

export function outboxRoutes (node: ApiNode): Hono {
  return new Hono().get('/outbox', (c) => {
    const peers = node.messaging.outboxSummary()
    return c.json({ depth: peers.reduce((n, p) => n + p.pending, 0), peers })
  })
}
