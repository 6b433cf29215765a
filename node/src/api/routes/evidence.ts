/** GET /api/v1/evidence/verify: walks the whole hash chain and every signature. */
import { Hono } from 'hono'
import type { ApiNode } from '../api-node.js'

export function evidenceRoutes (node: ApiNode): Hono {
  return new Hono().get('/evidence/verify', async (c) => c.json(await node.verifyEvidence()))
}
