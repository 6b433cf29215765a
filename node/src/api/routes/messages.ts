/**
 * /api/v1/messages: send a note to another member state, list and read messages.
 * Input is checked here, at the edge, before anything reaches the services.
 */
import { Hono } from 'hono'
import { isCountryCode, isObject, validateNoteBody, NOTE_KIND, type Json } from '@imi/protocol'
import type { ApiNode } from '../api-node.js'
import { HttpError } from '../errors.js'
import { jsonBody } from '../middleware.js'

const MAX_BODY = 16 * 1024
const ID = /^[A-Za-z0-9_-]{22}$/

function sendRequest (body: unknown): { kind: string, to: string, body: Json } {
  if (!isObject(body)) throw new HttpError(400, 'ERR_INVALID_REQUEST', 'body must be a JSON object')
  for (const k of Object.keys(body)) if (!['kind', 'to', 'body'].includes(k)) throw new HttpError(400, 'ERR_INVALID_REQUEST', `${k} is not allowed`)
  if (body.kind !== NOTE_KIND) throw new HttpError(400, 'ERR_INVALID_REQUEST', `kind must be ${NOTE_KIND}`)
  if (!isCountryCode(body.to)) throw new HttpError(400, 'ERR_INVALID_REQUEST', 'to must be a member state code such as PL')
  validateNoteBody(body.body as Json)
  return { kind: body.kind, to: body.to, body: body.body as Json }
}

export function messageRoutes (node: ApiNode): Hono {
  return new Hono()
    .post('/messages', async (c) => {
      const sent = await node.messaging.send(sendRequest(await jsonBody(c.req.raw, MAX_BODY)))
      return c.json({ id: sent.id, status: 'pending' }, 202)
    })
    .get('/messages', async (c) => {
      const direction = c.req.query('direction') ?? 'received'
      if (direction !== 'sent' && direction !== 'received') throw new HttpError(400, 'ERR_INVALID_REQUEST', 'direction must be sent or received')
      const limit = Number(c.req.query('limit') ?? '50')
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new HttpError(400, 'ERR_INVALID_REQUEST', 'limit must be 1 to 500')
      return c.json({ messages: await node.messaging.list(direction, limit) })
    })
    .get('/messages/:id', async (c) => {
      const id = c.req.param('id')
      if (!ID.test(id)) throw new HttpError(400, 'ERR_INVALID_REQUEST', 'not a message id')
      return c.json(await node.messaging.view(id))
    })
}
