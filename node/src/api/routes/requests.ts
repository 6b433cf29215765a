/**
 * Information requests for officials: the inbox and outbox of their authority, one
 * request with what they may see of it, sending, and every workflow action. The route
 * checks the shape of the body; the service checks roles and need to know; the protocol's
 * machine decides whether the action fits the request.
 */
import { Hono } from 'hono'
import { LANGUAGES, LOCAL_ID_PATTERN, type LegislativeArea, type RequestAction, type SubjectData } from '@imi/protocol'
import { InvalidRequestError } from '../../errors.js'
import type { NewAttachment } from '../../services/requests/attachments.js'
import type { ActionInput, RequestService } from '../../services/requests/request-service.js'
import { requireUser } from '../middleware/guards.js'
import { expectArray, expectCountry, expectObject, expectOneOf, expectString, onlyKeys, readJson, type JsonObject } from '../input.js'
import { actorOf, type ApiEnv } from '../principal.js'

const REQUEST_ID = /^[A-Za-z0-9_-]{22}$/
/** Attachments come base64 in JSON: 20 MiB of files per request or answer, with room to spare. */
export const MAX_UPLOAD_BYTES = 28 * 1024 * 1024
const UPLOAD_PATH = /^\/api\/v1\/requests(?:\/[A-Za-z0-9_-]{22}\/answer)?$/
const DRAFT_PATH = /^\/api\/v1\/request-drafts(?:\/[A-Za-z0-9_-]{22})?$/
export function isUpload (method: string, path: string): boolean {
  // Drafts keep their files too, so saving one takes the same limit as sending.
  return (method === 'POST' && UPLOAD_PATH.test(path)) || ((method === 'POST' || method === 'PUT') && DRAFT_PATH.test(path))
}

function parseAttachments (v: unknown): NewAttachment[] {
  return expectArray(v, 'attachments', 10).map((a, i) => {
    const o = expectObject(a, `attachments[${i}]`)
    onlyKeys(o, ['name', 'type', 'data'], `attachments[${i}]`)
    const data = expectString(o.data, `attachments[${i}].data`, /^[A-Za-z0-9+/]*={0,2}$/)
    return { name: expectString(o.name, `attachments[${i}].name`), type: expectString(o.type, `attachments[${i}].type`), data: Buffer.from(data, 'base64') }
  })
}
const BOXES = ['any', 'inbox', 'outbox'] as const
const STATUSES = ['any', 'sent', 'accepted', 'answered', 'info-requested', 'closed', 'withdrawn'] as const
type UserAction = Exclude<RequestAction, 'send' | 'disclose'>

export type RequestsApi = Pick<RequestService, 'send' | 'act' | 'get' | 'list' | 'attachment' | 'readBlocked'>

/** The body keys each action takes, and how they become event fields and personal data. */
type Fields = NonNullable<ActionInput['fields']>
const asFields = (o: JsonObject): ActionInput => ({ fields: o as Fields })

const ACTIONS: Readonly<Record<UserAction, { keys: readonly string[], build: (o: JsonObject) => ActionInput }>> = {
  modify: { keys: ['questions', 'freeQuestions', 'note', 'neededBy'], build: asFields },
  withdraw: { keys: ['reason'], build: asFields },
  accept: { keys: ['answerBy'], build: asFields },
  forward: { keys: ['toAuthority', 'reason'], build: asFields },
  split: { keys: ['questions', 'toAuthority'], build: asFields },
  answer: {
    keys: ['answers', 'final', 'attachments'],
    build: (o) => {
      const answers = expectArray(o.answers, 'answers', 60).map((a, i) => expectObject(a, `answers[${i}]`))
      const questions = answers.map((a, i) => expectString(a.question, `answers[${i}].question`))
      return {
        fields: { questions, final: o.final as boolean }, personalData: { answers: answers as never },
        ...(o.attachments !== undefined && { attachments: parseAttachments(o.attachments) })
      }
    }
  },
  'request-info': {
    keys: ['questions', 'text'],
    build: (o) => ({ fields: o.questions === undefined ? {} : { questions: o.questions as string[] }, personalData: { text: expectString(o.text, 'text') } })
  },
  close: { keys: ['rating'], build: (o) => ({ fields: { rating: o.rating as never } }) },
  message: { keys: ['text'], build: (o) => ({ personalData: { text: expectString(o.text, 'text') } }) }
}

export function requestRoutes (node: { readonly requests: RequestsApi }): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>()
  app.use('/requests', requireUser())
  app.use('/requests/*', requireUser())
  const id = (v: string): string => expectString(v, 'id', REQUEST_ID)
  return app
    .get('/requests', async (c) => {
      const box = expectOneOf(c.req.query('box'), 'box', BOXES, 'any')
      const status = expectOneOf(c.req.query('status'), 'status', STATUSES, 'any')
      const requests = await node.requests.list(actorOf(c), { ...(box !== 'any' && { box }), ...(status !== 'any' && { status }) })
      return c.json({ requests })
    })
    .post('/requests', async (c) => {
      const o = expectObject(await readJson(c), 'request body')
      onlyKeys(o, ['fromAuthority', 'area', 'to', 'questions', 'freeQuestions', 'note', 'neededBy', 'subject', 'attachments'], 'request body')
      const to = expectObject(o.to, 'to')
      onlyKeys(to, ['country', 'authority'], 'to')
      const state = await node.requests.send(actorOf(c), {
        area: expectString(o.area, 'area') as LegislativeArea,
        to: { country: expectCountry(to.country, 'to.country'), authority: expectString(to.authority, 'to.authority', LOCAL_ID_PATTERN) },
        questions: expectArray(o.questions, 'questions', 50) as string[],
        neededBy: expectString(o.neededBy, 'neededBy'),
        subject: expectObject(o.subject, 'subject') as SubjectData,
        ...(o.fromAuthority !== undefined && { fromAuthority: expectString(o.fromAuthority, 'fromAuthority', LOCAL_ID_PATTERN) }),
        ...(o.freeQuestions !== undefined && { freeQuestions: expectArray(o.freeQuestions, 'freeQuestions', 10) as string[] }),
        ...(o.note !== undefined && { note: expectString(o.note, 'note') }),
        ...(o.attachments !== undefined && { attachments: parseAttachments(o.attachments) })
      })
      c.header('Location', `/api/v1/requests/${state.id}`)
      return c.json({ request: state }, 201)
    })
    .get('/requests/:id', async (c) => {
      // The reader's language: asked for, else the user's own, else English.
      const principal = c.get('principal')
      const lang = c.req.query('lang') ?? (principal.kind === 'user' ? principal.auth.user.language : undefined) ?? 'en'
      if (!(LANGUAGES as readonly string[]).includes(lang)) throw new InvalidRequestError('lang must be an IMI language code such as pl')
      return c.json(await node.requests.get(actorOf(c), id(c.req.param('id')), lang))
    })
    // Blocked data, read only to prove an exchange took place: the reason is required and audited.
    .post('/requests/:id/blocked', async (c) => {
      const o = expectObject(await readJson(c), 'request body')
      onlyKeys(o, ['reason', 'lang'], 'request body')
      const lang = o.lang === undefined ? 'en' : expectString(o.lang, 'lang')
      if (!(LANGUAGES as readonly string[]).includes(lang)) throw new InvalidRequestError('lang must be an IMI language code such as pl')
      return c.json(await node.requests.readBlocked(actorOf(c), id(c.req.param('id')), expectString(o.reason, 'reason'), lang))
    })
    .get('/requests/:id/attachments/:sha256', async (c) => {
      const file = await node.requests.attachment(actorOf(c), id(c.req.param('id')), expectString(c.req.param('sha256'), 'sha256', /^[A-Za-z0-9_-]{43}$/))
      // Always a download, never rendered by the browser in the node's origin.
      c.header('Content-Type', file.type)
      c.header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
      c.header('X-Content-Type-Options', 'nosniff')
      return c.body(Buffer.from(file.data, 'base64'))
    })
    .post('/requests/:id/:action{modify|withdraw|accept|forward|split|answer|request-info|close|message}', async (c) => {
      const action = c.req.param('action') as UserAction
      const spec = ACTIONS[action]
      if (spec === undefined) throw new InvalidRequestError('no such action')
      const o = expectObject(await readJson(c), 'request body')
      onlyKeys(o, spec.keys, 'request body')
      return c.json({ request: await node.requests.act(actorOf(c), id(c.req.param('id')), action, spec.build(o)) })
    })
}
