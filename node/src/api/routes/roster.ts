/**
 * The federation roster. GET shows the current version with its signatures, so anyone
 * can re-verify it. POST applies a new version the members co-signed (or a run of
 * them, oldest first): the node checks quorum and chain exactly as for gossip, then
 * announces it to the federation.
 */
import { Hono } from 'hono'
import { MAX_ROSTER_BYTES, RosterVersionError, decodeSignedRoster } from '@imi/protocol'
import { InvalidRequestError } from '../../errors.js'
import type { ApiNode } from '../api-node.js'
import { bodyLimit } from '../middleware/body-limit.js'
import { readJson } from '../input.js'

const MAX_VERSIONS_PER_REQUEST = 16

export function rosterRoutes (node: Pick<ApiNode, 'roster' | 'announceRoster'>): Hono {
  return new Hono()
    .get('/roster', (c) => {
      const r = node.roster.current
      return c.json({
        federationId: r.federationId, version: r.version, digest: r.digest, created: r.doc.created,
        members: r.doc.members.map((m) => ({ country: m.country, name: m.name, peerId: m.peerId, addresses: m.addresses })),
        bootstraps: r.doc.bootstraps,
        signed: r.signed
      })
    })
    .post('/roster', bodyLimit(MAX_ROSTER_BYTES * 2), async (c) => {
      const raw = await readJson(c)
      const list = Array.isArray(raw) ? raw : [raw]
      if (list.length === 0 || list.length > MAX_VERSIONS_PER_REQUEST) throw new InvalidRequestError(`send 1 to ${MAX_VERSIONS_PER_REQUEST} signed roster versions`)
      const versions = list.map((v) => decodeSignedRoster(v))
      const before = node.roster.current.version
      const applied = await node.roster.offer(versions)
      if (applied === 0) throw new RosterVersionError(`the node already holds roster version ${before}; nothing newer was sent`)
      await node.announceRoster()
      return c.json({ version: node.roster.current.version, applied })
    })
}
