/**
 * Direct messages: POST queues one (202: accepted for delivery, the receipt comes
 * later), GET lists or shows them. The envelope, body schema and roster checks are the
 * protocol's; this file checks the shape of the request itself.
 */
import { Hono } from 'hono'
import { LOCAL_ID_PATTERN, NOTE_KIND, type Json } from '@imi/protocol'
import { InvalidRequestError } from '../../errors.js'
import type { ApiNode } from '../api-node.js'
import { bodyLimit } from '../middleware/body-limit.js'
import { expectCountry, expectIntegerParam, expectObject, expectOneOf, expectString, onlyKeys, readJson } from '../input.js'

/** A note is at most 4000 characters; this leaves room for any kind's JSON overhead. */
export const MAX_MESSAGE_REQUEST_BYTES = 64 * 1024
/** Message ids are 16 random bytes, base64url. */
const MESSAGE_ID = /^[A-Za-z0-9_-]{16,64}$/
const DIRECTIONS = ['sent', 'received'] as const

interface SendBody { kind: string, to: string, body: Json, fromAuthority?: string, toAuthority?: string }

function parseSend (raw: unknown): SendBody {
  const o = expectObject(raw, 'request body')
  onlyKeys(o, ['kind', 'to', 'body', 'fromAuthority', 'toAuthority'], 'request body')
  const kind = expectString(o.kind, 'kind')
  // Workflow kinds (requests) go through their own services, which keep both sides' logs.
  if (kind !== NOTE_KIND) throw new InvalidRequestError(`kind must be ${NOTE_KIND}: requests have their own resource`)
  const to = expectCountry(o.to, 'to')
  // The kind's validator judges the body; here it only has to be JSON, which it is.
  return {
    kind, to, body: expectObject(o.body, 'body') as Json,
    ...(o.fromAuthority !== undefined && { fromAuthority: expectString(o.fromAuthority, 'fromAuthority', LOCAL_ID_PATTERN) }),
    ...(o.toAuthority !== undefined && { toAuthority: expectString(o.toAuthority, 'toAuthority', LOCAL_ID_PATTERN) })
  }
}

export function messageRoutes (node: Pick<ApiNode, 'messaging'>): Hono {
  return new Hono()
    .post('/messages', bodyLimit(MAX_MESSAGE_REQUEST_BYTES), async (c) => {
      const request = parseSend(await readJson(c))
      const sent = await node.messaging.send(request)
      c.header('Location', `/api/v1/messages/${sent.id}`)
      return c.json({ id: sent.id, kind: sent.hdr.kind, to: sent.hdr.to, created: sent.hdr.created, status: 'pending' }, 202)
    })
    .get('/messages', async (c) => {
      const direction = expectOneOf(c.req.query('direction'), 'direction', DIRECTIONS, 'received')
      const limit = expectIntegerParam(c.req.query('limit'), 'limit', 1, 500, 50)
      return c.json({ direction, messages: await node.messaging.list(direction, limit) })
    })
    .get('/messages/:id', async (c) => {
      const id = expectString(c.req.param('id'), 'id', MESSAGE_ID)
      return c.json(await node.messaging.view(id))
    })
}
