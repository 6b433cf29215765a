/** GET /api/v1/health: for load balancers and `imi status`; needs no token. */
import { Hono } from 'hono'
import type { ApiNode } from '../api-node.js'

export function healthRoutes (node: ApiNode): Hono {
  return new Hono().get('/health', (c) => node.running
    ? c.json({ status: 'ok' })
    : c.json({ status: 'stopped' }, 503))
}
