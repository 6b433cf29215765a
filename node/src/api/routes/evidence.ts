/**
 * GET /api/v1/evidence/verify: walks the whole evidence log. A broken chain is still a
 * successful request: the report says where it breaks.
 */
import { Hono } from 'hono'
import type { ApiNode } from '../api-node.js'

export function evidenceRoutes (node: Pick<ApiNode, 'verifyEvidence'>): Hono {
  return new Hono().get('/evidence/verify', async (c) => c.json(await node.verifyEvidence()))
}
