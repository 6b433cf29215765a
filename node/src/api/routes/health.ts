/** GET /api/v1/health: for load balancers and supervisors, so it needs no token. */
import { Hono } from 'hono'
import { NotRunningError } from '../../errors.js'
import type { ApiNode } from '../api-node.js'

export function healthRoutes (node: Pick<ApiNode, 'running'>): Hono {
  return new Hono().get('/health', (c) => {
    if (!node.running) throw new NotRunningError()
    return c.json({ status: 'ok' })
  })
}
