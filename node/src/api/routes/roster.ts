/**
 * /api/v1/roster: the current version, and applying a new one an operator received
 * from the federation's co-signing round. The quorum rule decides, not the caller.
 */
import { Hono } from 'hono'
import { decodeSignedRoster } from '@imi/protocol'
import type { ApiNode } from '../api-node.js'
import { HttpError } from '../errors.js'
import { jsonBody } from '../middleware.js'

const MAX_ROSTER_BODY = 1024 * 1024

export function rosterRoutes (node: ApiNode): Hono {
  return new Hono()
    .get('/roster', (c) => c.json({ version: node.roster.current.version, roster: node.roster.current.doc, signed: node.roster.current.signed }))
    .post('/roster', async (c) => {
      const body = await jsonBody(c.req.raw, MAX_ROSTER_BODY)
      const versions = (Array.isArray(body) ? body : [body]).map(decodeSignedRoster)
      const applied = await node.roster.offer(versions)
      if (applied === 0) throw new HttpError(409, 'ERR_ROSTER_VERSION', `roster version ${node.roster.current.version} is already current`)
      await node.announceRoster()
      return c.json({ version: node.roster.current.version, applied })
    })
}
