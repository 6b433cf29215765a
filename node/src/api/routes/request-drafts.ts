/**
 * Drafts of requests: saved while an official writes, sent when ready. The shape is
 * checked here; the content in full only when the draft is sent (as for any request).
 */
import { Hono } from 'hono'
import type { DraftContent, RequestDrafts } from '../../services/requests/drafts.js'
import { requireUser } from '../middleware/guards.js'
import { expectArray, expectObject, expectString, onlyKeys, readJson } from '../input.js'
import { actorOf, type ApiEnv } from '../principal.js'

const DRAFT_ID = /^[A-Za-z0-9_-]{22}$/
const KEYS = ['area', 'to', 'questions', 'freeQuestions', 'note', 'neededBy', 'subject', 'attachments']

function parseDraft (raw: unknown): DraftContent {
  const o = expectObject(raw, 'request body')
  onlyKeys(o, KEYS, 'request body')
  if (o.to !== undefined) onlyKeys(expectObject(o.to, 'to'), ['country', 'authority'], 'to')
  if (o.questions !== undefined) expectArray(o.questions, 'questions', 50)
  if (o.freeQuestions !== undefined) expectArray(o.freeQuestions, 'freeQuestions', 10)
  if (o.subject !== undefined) expectObject(o.subject, 'subject')
  if (o.attachments !== undefined) {
    expectArray(o.attachments, 'attachments', 10).forEach((a, i) => onlyKeys(expectObject(a, `attachments[${i}]`), ['name', 'type', 'data'], `attachments[${i}]`))
  }
  return o as DraftContent
}

export function requestDraftRoutes (node: { readonly requestDrafts: Pick<RequestDrafts, 'create' | 'list' | 'get' | 'update' | 'remove' | 'send'> }): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>()
  app.use('/request-drafts', requireUser())
  app.use('/request-drafts/*', requireUser())
  const id = (v: string): string => expectString(v, 'id', DRAFT_ID)
  return app
    .get('/request-drafts', async (c) => c.json({ drafts: await node.requestDrafts.list(actorOf(c)) }))
    .post('/request-drafts', async (c) => c.json(await node.requestDrafts.create(actorOf(c), parseDraft(await readJson(c))), 201))
    .get('/request-drafts/:id', async (c) => c.json(await node.requestDrafts.get(actorOf(c), id(c.req.param('id')))))
    .put('/request-drafts/:id', async (c) => c.json(await node.requestDrafts.update(actorOf(c), id(c.req.param('id')), parseDraft(await readJson(c)))))
    .delete('/request-drafts/:id', async (c) => { await node.requestDrafts.remove(actorOf(c), id(c.req.param('id'))); return c.body(null, 204) })
    .post('/request-drafts/:id/send', async (c) => c.json({ request: await node.requestDrafts.send(actorOf(c), id(c.req.param('id'))) }, 201))
}
