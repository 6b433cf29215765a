/**
 * Services Directive notifications for officials: every member state's notifications
 * (the coordinator and anyone with a role in the area read them), notifying a draft
 * requirement, modifying or withdrawing one's own, and commenting on any while it is open.
 */
import { Hono } from 'hono'
import { isCountryCode, type Language, type Multilingual, type NotificationArea, type NotificationStatus } from '@imi/protocol'
import { InvalidRequestError } from '../../errors.js'
import type { NotificationChanges, NotificationService } from '../../services/notifications/notification-service.js'
import { bodyLimit } from '../middleware/body-limit.js'
import { requireUser } from '../middleware/guards.js'
import { expectObject, expectOneOf, expectString, onlyKeys, readJson, type JsonObject } from '../input.js'
import { actorOf, type ApiEnv } from '../principal.js'

const NOTIFICATION_ID = /^[A-Za-z0-9_-]{22}$/
const STATUSES = ['open', 'closed', 'withdrawn', 'any'] as const
const TEXT_FIELDS = ['title', 'language', 'summary', 'draftRequirement', 'legalBasis', 'plannedAdoption'] as const
/** A draft of 60,000 characters, in any script, with room for the rest. */
const DRAFT_BODY_BYTES = 256 * 1024
export type NotificationsApi = Pick<NotificationService, 'create' | 'modify' | 'withdraw' | 'comment' | 'list' | 'get'>

/** The text fields given; their content is checked by the protocol's decoder in the service. */
function textFields (o: JsonObject): NotificationChanges {
  const out: Record<string, unknown> = {}
  for (const f of TEXT_FIELDS) if (o[f] !== undefined) out[f] = o[f]
  return out as NotificationChanges
}

export function notificationRoutes (node: { readonly notifications: NotificationsApi }): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>()
  app.use('/notifications', requireUser())
  app.use('/notifications/*', requireUser())
  const id = (v: string): string => expectString(v, 'id', NOTIFICATION_ID)
  return app
    .get('/notifications', async (c) => {
      const status = expectOneOf(c.req.query('status'), 'status', STATUSES, 'any')
      const from = c.req.query('from')
      if (from !== undefined && !isCountryCode(from)) throw new InvalidRequestError('from must be an EU/EEA member state code such as PL')
      return c.json({
        notifications: await node.notifications.list(actorOf(c), {
          ...(status !== 'any' && { status: status as NotificationStatus }), ...(from !== undefined && { from })
        })
      })
    })
    .post('/notifications', bodyLimit(DRAFT_BODY_BYTES), async (c) => {
      const o = expectObject(await readJson(c), 'request body')
      onlyKeys(o, ['area', ...TEXT_FIELDS], 'request body')
      for (const f of ['title', 'language', 'summary', 'draftRequirement'] as const) if (o[f] === undefined) throw new InvalidRequestError(`${f} is required`)
      const view = await node.notifications.create(actorOf(c), {
        ...textFields(o),
        title: o.title as Multilingual, language: o.language as Language, summary: o.summary as string, draftRequirement: o.draftRequirement as string,
        ...(o.area !== undefined && { area: o.area as NotificationArea })
      })
      c.header('Location', `/api/v1/notifications/${view.id}`)
      return c.json(view, 201)
    })
    .get('/notifications/:id', async (c) => c.json(await node.notifications.get(actorOf(c), id(c.req.param('id')))))
    .post('/notifications/:id/modify', bodyLimit(DRAFT_BODY_BYTES), async (c) => {
      const o = expectObject(await readJson(c), 'request body')
      onlyKeys(o, TEXT_FIELDS, 'request body')
      return c.json(await node.notifications.modify(actorOf(c), id(c.req.param('id')), textFields(o)))
    })
    .post('/notifications/:id/withdraw', bodyLimit(4096), async (c) => {
      const o = expectObject(await readJson(c), 'request body')
      onlyKeys(o, ['reason'], 'request body')
      return c.json(await node.notifications.withdraw(actorOf(c), id(c.req.param('id')), o.reason === undefined ? undefined : expectString(o.reason, 'reason')))
    })
    .post('/notifications/:id/comment', bodyLimit(64 * 1024), async (c) => {
      const o = expectObject(await readJson(c), 'request body')
      onlyKeys(o, ['text', 'language', 'replyTo'], 'request body')
      const view = await node.notifications.comment(actorOf(c), id(c.req.param('id')), {
        text: expectString(o.text, 'text'),
        ...(o.language !== undefined && { language: o.language as Language }),
        ...(o.replyTo !== undefined && { replyTo: expectString(o.replyTo, 'replyTo', NOTIFICATION_ID) })
      })
      return c.json(view, 201)
    })
}
