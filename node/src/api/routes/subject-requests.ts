/**
 * Data subject rights (Art 19) for an authority's local data administrators: the
 * register of requests from data subjects with their 30-day deadlines, and the steps
 * that answer one (find, export, correct, erase, contest, close). The coordinator may
 * list and read the register (it holds no personal data), nothing more; anyone else is
 * refused the list (403), not shown an empty one. The search term
 * travels in the body of POST .../find, never in a URL, so no access log keeps it.
 */
import { Hono, type Context } from 'hono'
import { LOCAL_ID_PATTERN, type SubjectData } from '@imi/protocol'
import { InvalidRequestError } from '../../errors.js'
import { demand, isCoordinator, type Actor } from '../../services/accounts/permissions.js'
import { SUBJECT_REQUEST_KINDS, type SubjectRequestKind, type SubjectRights } from '../../services/subjects/subject-rights.js'
import { requireUser } from '../middleware/guards.js'
import { expectObject, expectOneOf, expectString, onlyKeys, readJson, type JsonObject } from '../input.js'
import { actorOf, type ApiEnv } from '../principal.js'

export type SubjectRequestsApi = Pick<SubjectRights, 'create' | 'list' | 'get' | 'find' | 'export' | 'correct' | 'contest' | 'erase' | 'close'>

const SUBJECT_REQUEST_ID = /^sr-[A-Za-z0-9_-]{16}$/
const REQUEST_ID = /^[A-Za-z0-9_-]{22}$/
const STATUSES = ['any', 'open', 'done', 'refused'] as const

/** A time in ms, or a calendar date (YYYY-MM-DD, midnight UTC). */
function instant (v: unknown, field: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const ms = Date.parse(`${v}T00:00:00Z`)
    if (!Number.isNaN(ms) && new Date(ms).toISOString().startsWith(v)) return ms
  }
  throw new InvalidRequestError(`${field} must be a time in milliseconds or a date such as 2026-03-01`)
}

/** Who may list the register: the coordinator, and an authority's local data administrators. */
const mayListRegister = (actor: Actor): boolean =>
  isCoordinator(actor) || (actor.kind === 'user' && actor.authority !== undefined && actor.grants.some((g) => g.role === 'local-data-admin'))

const optionalText = (o: JsonObject, key: string): { [k: string]: string } => o[key] === undefined ? {} : { [key]: expectString(o[key], key) }

export function subjectRequestRoutes (node: { readonly subjects: SubjectRequestsApi }): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>()
  app.use('/subject-requests', requireUser())
  app.use('/subject-requests/*', requireUser())
  const id = (v: string): string => expectString(v, 'id', SUBJECT_REQUEST_ID)
  const body = async (c: Context<ApiEnv>, keys: readonly string[]): Promise<JsonObject> => {
    const o = expectObject(await readJson(c), 'request body')
    onlyKeys(o, keys, 'request body')
    return o
  }
  return app
    .get('/subject-requests', async (c) => {
      const status = expectOneOf(c.req.query('status'), 'status', STATUSES, 'any')
      demand(mayListRegister(actorOf(c)), 'list data subject requests (the coordinator and local data administrators)')
      return c.json({ subjectRequests: await node.subjects.list(actorOf(c), status === 'any' ? {} : { status }) })
    })
    .post('/subject-requests', async (c) => {
      const o = await body(c, ['kind', 'authority', 'receivedAt', 'notes'])
      const kind = expectOneOf(typeof o.kind === 'string' ? o.kind : '', 'kind', SUBJECT_REQUEST_KINDS, 'access') as SubjectRequestKind
      const created = await node.subjects.create(actorOf(c), {
        kind,
        ...(o.authority !== undefined && { authority: expectString(o.authority, 'authority', LOCAL_ID_PATTERN) }),
        ...(o.receivedAt !== undefined && { receivedAt: instant(o.receivedAt, 'receivedAt') }),
        ...optionalText(o, 'notes')
      })
      c.header('Location', `/api/v1/subject-requests/${created.id}`)
      return c.json({ subjectRequest: created }, 201)
    })
    .get('/subject-requests/:id', async (c) => c.json({ subjectRequest: await node.subjects.get(actorOf(c), id(c.req.param('id'))) }))
    .post('/subject-requests/:id/find', async (c) => {
      const o = await body(c, ['name', 'identifier'])
      return c.json(await node.subjects.find(actorOf(c), { subjectRequest: id(c.req.param('id')), ...optionalText(o, 'name'), ...optionalText(o, 'identifier') }))
    })
    .post('/subject-requests/:id/export', async (c) => {
      const sr = id(c.req.param('id'))
      const exported = await node.subjects.export(actorOf(c), sr)
      c.header('Content-Disposition', `attachment; filename="${sr}.json"`)
      return c.json(exported)
    })
    .post('/subject-requests/:id/correct', async (c) => {
      const o = await body(c, ['request', 'subject', 'note'])
      return c.json({
        subjectRequest: await node.subjects.correct(actorOf(c), id(c.req.param('id')), {
          request: expectString(o.request, 'request', REQUEST_ID), subject: expectObject(o.subject, 'subject') as SubjectData, ...optionalText(o, 'note')
        })
      })
    })
    .post('/subject-requests/:id/contest', async (c) => {
      const o = await body(c, ['request', 'note'])
      return c.json({ subjectRequest: await node.subjects.contest(actorOf(c), id(c.req.param('id')), { request: expectString(o.request, 'request', REQUEST_ID), ...optionalText(o, 'note') }) })
    })
    .post('/subject-requests/:id/erase', async (c) => {
      const o = await body(c, ['request'])
      return c.json({ subjectRequest: await node.subjects.erase(actorOf(c), id(c.req.param('id')), { request: expectString(o.request, 'request', REQUEST_ID) }) })
    })
    .post('/subject-requests/:id/close', async (c) => {
      const o = await body(c, ['status', 'notes'])
      const status = expectOneOf(typeof o.status === 'string' ? o.status : '', 'status', ['done', 'refused'] as const, 'done')
      return c.json({ subjectRequest: await node.subjects.close(actorOf(c), id(c.req.param('id')), { status, ...optionalText(o, 'notes') }) })
    })
}
