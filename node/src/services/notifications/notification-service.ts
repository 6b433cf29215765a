/**
 * Services Directive notifications on one node: this state notifies a draft requirement
 * to every member state, modifies or withdraws it; any state comments, and every comment
 * reaches every node. Each action is a signed broadcast event (gossip, then anti-entropy
 * for nodes that were away); every node replays a notification's events in one order, so
 * all show the same versions, comments and status. A notification closes by itself at the
 * `closesAt` its creation names (this node's configured period, 3 months by default).
 *
 * Who may act (Services Directive notifications are made by the member state):
 * - notify, comment: the national coordinator (for the state, no authority named) or an
 *   official with the request-handler role in the area, for their authority;
 * - modify, withdraw: the coordinator, or a request handler of the notifying authority;
 * - read: the coordinator and every official with any role in the area.
 * Notifications are about draft law: they hold no personal data and no event has a sidecar.
 */
import {
  DEFAULT_NOTIFICATION_PERIOD_MS, ImiError, MAX_NOTIFICATION_PERIOD_MS, NOTIFICATION_KIND, NotificationNotPartyError, NotificationTransitionError,
  currentNotificationVersion, decodeNotificationEventBody, notificationStatusAt, replayNotification,
  type Json, type Language, type LegislativeArea, type Multilingual, type NotificationArea, type NotificationEvent, type NotificationEventBody,
  type NotificationState, type NotificationStatus, type NotificationText, type NotificationVersion, type VerifiedEnvelope
} from '@imi/protocol'
import type { Clock } from '../../clock.js'
import { InvalidRequestError, NotFoundError } from '../../errors.js'
import { Bucket, type Store, type WriteOp } from '../../storage/index.js'
import { demand, isCoordinator, mayActFor, type Actor } from '../accounts/permissions.js'
import type { AuthorityRegistry } from '../authorities/authority-registry.js'
import type { BroadcastHandler, Broadcaster } from '../broadcast/broadcaster.js'
import type { Logger } from '../logger.js'

/** The role that sends and answers in an area: it also notifies and comments. */
const ACTING_ROLE = 'request-handler'
const TURN_TIMEOUT_MS = 10_000

export interface NotificationServiceComponents {
  readonly store: Store
  readonly clock: Clock
  readonly broadcaster: Pick<Broadcaster, 'publish' | 'handle'>
  readonly authorities: Pick<AuthorityRegistry, 'get'>
  readonly randomBytes: (n: number) => Uint8Array
  readonly logger: Logger
}

export interface NotificationServiceInit {
  readonly federationId: string
  readonly country: string
  /** The comment period this state's notifications get: 3 months unless configured. */
  readonly closeAfterMs?: number
}

export interface NewNotification {
  readonly area?: NotificationArea
  readonly title: Multilingual
  readonly language: Language
  readonly summary: string
  readonly draftRequirement: string
  readonly legalBasis?: string
  readonly plannedAdoption?: string
}

export type NotificationChanges = Partial<NotificationText>

export interface NewComment {
  readonly text: string
  readonly language?: Language
  readonly replyTo?: string
}

/** A notification as an official sees it now: status from this node's clock, the current text on top. */
export interface NotificationView extends Omit<NotificationState, 'status'> {
  readonly status: NotificationStatus
  readonly current: NotificationVersion
  /** Notified by this member state. */
  readonly ours: boolean
}

export interface NotificationSummary {
  readonly id: string
  readonly from: string
  readonly fromAuthority?: string
  readonly area: NotificationArea
  readonly status: NotificationStatus
  readonly createdAt: number
  readonly closesAt: number
  readonly title: Multilingual
  readonly language: Language
  readonly version: number
  readonly comments: number
  readonly ours: boolean
}

export interface NotificationFilter {
  readonly status?: NotificationStatus
  readonly from?: string
}

const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url')

export class NotificationService extends EventTarget {
  private readonly closeAfterMs: number
  /** Per notification, the end of the queue of events being taken in: one at a time, up to its commit. */
  private readonly queues = new Map<string, Promise<void>>()
  /** Per envelope being taken in, what lets the next event of its notification in. */
  private readonly turns = new Map<string, () => void>()

  constructor (private readonly components: NotificationServiceComponents, private readonly init: NotificationServiceInit) {
    super()
    this.closeAfterMs = init.closeAfterMs ?? DEFAULT_NOTIFICATION_PERIOD_MS
    if (!Number.isSafeInteger(this.closeAfterMs) || this.closeAfterMs < 1 || this.closeAfterMs > MAX_NOTIFICATION_PERIOD_MS) {
      throw new RangeError(`closeAfterMs must be 1 to ${MAX_NOTIFICATION_PERIOD_MS} ms`)
    }
    const handler: BroadcastHandler = {
      apply: async (env) => await this.apply(env),
      applied: (env, source) => { this.applied(env, source) }
    }
    components.broadcaster.handle(NOTIFICATION_KIND, handler)
  }

  /** Notifies a draft requirement to every member state; its comment period starts now. */
  async create (actor: Actor, input: NewNotification): Promise<NotificationView> {
    const area = input.area ?? 'services'
    const fromAuthority = this.actingAuthority(actor, area, 'notify')
    const id = b64url(this.components.randomBytes(16))
    const body = this.checked(() => decodeNotificationEventBody({
      notification: id, action: 'create', area, closesAt: this.components.clock.now() + this.closeAfterMs,
      title: input.title, language: input.language, summary: input.summary, draftRequirement: input.draftRequirement,
      ...(input.legalBasis !== undefined && { legalBasis: input.legalBasis }),
      ...(input.plannedAdoption !== undefined && { plannedAdoption: input.plannedAdoption })
    }))
    await this.publish(body, fromAuthority)
    return await this.get(actor, id)
  }

  /** A new version of the draft; earlier versions and the comments on them stay visible. */
  async modify (actor: Actor, id: string, changes: NotificationChanges): Promise<NotificationView> {
    const state = await this.ownOpen(actor, id, 'modify')
    const body = this.checked(() => decodeNotificationEventBody({ ...changes, notification: id, action: 'modify' }))
    await this.publish(body, state.fromAuthority)
    return await this.get(actor, id)
  }

  async withdraw (actor: Actor, id: string, reason?: string): Promise<NotificationView> {
    const state = await this.ownOpen(actor, id, 'withdraw')
    const body = this.checked(() => decodeNotificationEventBody({ notification: id, action: 'withdraw', ...(reason !== undefined && { reason }) }))
    await this.publish(body, state.fromAuthority)
    return await this.get(actor, id)
  }

  /** A comment from this state, seen by every member state; the notifying state may answer. */
  async comment (actor: Actor, id: string, input: NewComment): Promise<NotificationView> {
    const state = await this.visible(actor, id)
    const fromAuthority = this.actingAuthority(actor, state.area, 'comment on')
    this.demandOpen(state)
    const now = this.components.clock.now()
    if (input.replyTo !== undefined && !state.comments.some((c) => c.id === input.replyTo && c.created <= now)) {
      throw new InvalidRequestError(`replyTo: no comment ${input.replyTo} on this notification`)
    }
    const body = this.checked(() => decodeNotificationEventBody({
      notification: id, action: 'comment', text: input.text,
      ...(input.language !== undefined && { language: input.language }),
      ...(input.replyTo !== undefined && { replyTo: input.replyTo })
    }))
    await this.publish(body, fromAuthority)
    return await this.get(actor, id)
  }

  async list (actor: Actor, filter: NotificationFilter = {}): Promise<NotificationSummary[]> {
    const now = this.components.clock.now()
    const out: NotificationSummary[] = []
    for await (const [, s] of this.components.store.entries<NotificationState>(Bucket.notifications)) {
      if (!this.mayRead(actor, s.area)) continue
      const status = notificationStatusAt(s, now)
      if (filter.status !== undefined && filter.status !== status) continue
      if (filter.from !== undefined && filter.from !== s.from) continue
      const v = currentNotificationVersion(s)
      out.push({
        id: s.id, from: s.from, area: s.area, status, createdAt: s.createdAt, closesAt: s.closesAt, title: v.title, language: v.language,
        version: v.version, comments: s.comments.length, ours: s.from === this.init.country,
        ...(s.fromAuthority !== undefined && { fromAuthority: s.fromAuthority })
      })
    }
    return out.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))
  }

  async get (actor: Actor, id: string): Promise<NotificationView> {
    const state = await this.visible(actor, id)
    return { ...state, status: notificationStatusAt(state, this.components.clock.now()), current: currentNotificationVersion(state), ours: state.from === this.init.country }
  }

  // Who may do what.

  private mayRead (actor: Actor, area: LegislativeArea): boolean {
    if (isCoordinator(actor)) return true
    return actor.kind === 'user' && actor.authority !== undefined && actor.grants.some((g) => g.area === area)
  }

  /** The authority the actor notifies or comments for; undefined for the coordinator, who acts for the state. */
  private actingAuthority (actor: Actor, area: LegislativeArea, what: string): string | undefined {
    if (isCoordinator(actor)) return undefined
    const authority = actor.kind === 'user' ? actor.authority : undefined
    demand(authority !== undefined && mayActFor(actor, authority, area, ACTING_ROLE), `${what} ${area} notifications`)
    if (this.components.authorities.get(authority!)?.status !== 'active') throw new InvalidRequestError(`${authority!} is not an active authority of this state`)
    return authority
  }

  private async visible (actor: Actor, id: string): Promise<NotificationState> {
    const state = await this.components.store.get<NotificationState>(Bucket.notifications, id)
    if (state === undefined || !this.mayRead(actor, state.area)) throw new NotFoundError(`no notification ${id}`)
    return state
  }

  /** This state's own notification, still open, and an actor who may change it. */
  private async ownOpen (actor: Actor, id: string, what: 'modify' | 'withdraw'): Promise<NotificationState> {
    const state = await this.visible(actor, id)
    if (state.from !== this.init.country) throw new NotificationNotPartyError(`only ${state.from}, the notifying state, may ${what} its notification`)
    const allowed = isCoordinator(actor) || (state.fromAuthority !== undefined && mayActFor(actor, state.fromAuthority, state.area, ACTING_ROLE))
    demand(allowed, `${what} notifications of ${state.fromAuthority ?? 'the national coordinator'}`)
    this.demandOpen(state)
    return state
  }

  private demandOpen (state: NotificationState): void {
    const status = notificationStatusAt(state, this.components.clock.now())
    if (status !== 'open') throw new NotificationTransitionError(`the notification is ${status}`)
  }

  private async publish (body: NotificationEventBody, fromAuthority: string | undefined): Promise<void> {
    await this.components.broadcaster.publish({
      kind: NOTIFICATION_KIND, body: body as unknown as Json, to: ['*'], ...(fromAuthority !== undefined && { fromAuthority })
    })
  }

  // Taking events in (broadcast handler): the same for this node's own events and others'.

  private async apply (env: VerifiedEnvelope): Promise<WriteOp[]> {
    const body = decodeNotificationEventBody(env.body)
    const done = await this.takeTurn(body.notification, env.hdr.id)
    try {
      return await this.decide(env, body)
    } catch (err) {
      done()
      throw err
    }
  }

  /**
   * Two events of one notification gossiped at once (two comments) would each be checked,
   * and the record written, without the other. So they go one at a time: the turn lasts
   * from the check to the commit (the broadcaster reports it through `applied`).
   */
  private async takeTurn (notification: string, envelope: string): Promise<() => void> {
    const before = this.queues.get(notification) ?? Promise.resolve()
    let release!: () => void
    const gate = new Promise<void>((resolve) => { release = resolve })
    const tail = before.then(async () => { await gate })
    this.queues.set(notification, tail)
    await before
    let cancel = (): void => {}
    const done = (): void => {
      cancel()
      this.turns.delete(envelope)
      if (this.queues.get(notification) === tail) this.queues.delete(notification)
      release()
    }
    // Should the batch never commit (a storage failure), no `applied` comes: the next event waits this long at most.
    cancel = this.components.clock.setTimeout(done, TURN_TIMEOUT_MS)
    this.turns.set(envelope, done)
    return done
  }

  private async decide (env: VerifiedEnvelope, body: NotificationEventBody): Promise<WriteOp[]> {
    if (env.pd !== undefined || env.hdr.pd !== undefined) throw new ImiError('ERR_BODY_SCHEMA', 'a notification carries no personal data')
    if (env.hdr.to.length !== 1 || env.hdr.to[0] !== '*') throw new ImiError('ERR_BODY_SCHEMA', 'a notification goes to every member state')
    const known = await this.components.store.get<NotificationState>(Bucket.notifications, body.notification)
    // Sync brings events oldest first; a gossiped one that overtook its creation comes again with the next pull.
    if (known === undefined && body.action !== 'create') throw new ImiError('ERR_UNKNOWN_NOTIFICATION', `notification ${body.notification} not held yet`, 'ignore')
    if (known !== undefined && body.action === 'create') {
      if (known.from !== env.hdr.from) throw new NotificationNotPartyError(`notification ${body.notification} is ${known.from}'s`)
      throw new ImiError('ERR_DUPLICATE_MESSAGE', `notification ${body.notification} was created already`, 'ignore')
    }
    const event: NotificationEvent = {
      id: env.hdr.id, from: env.hdr.from, created: env.hdr.created, body,
      ...(env.hdr.fromAuthority !== undefined && { fromAuthority: env.hdr.fromAuthority })
    }
    const { state, refused } = replayNotification([...await this.events(body.notification), event])
    const mine = refused.find((r) => r.id === env.hdr.id)
    // Another state modifying or withdrawing is forged in effect (reject); a comment after the end is merely late (ignore).
    if (mine !== undefined) throw new ImiError(mine.code, mine.message, mine.verdict)
    if (state === undefined) throw new NotificationTransitionError('the event applies to nothing')
    return [
      { type: 'put', bucket: Bucket.notificationEvents, key: `${body.notification}/${env.hdr.id}`, value: event },
      { type: 'put', bucket: Bucket.notifications, key: body.notification, value: state }
    ]
  }

  private applied (env: VerifiedEnvelope, source: 'local' | 'gossip' | 'sync'): void {
    const body = env.body as unknown as NotificationEventBody
    this.turns.get(env.hdr.id)?.()
    this.components.logger.debug('notification event', { notification: body.notification, action: body.action, from: env.hdr.from, source })
    this.dispatchEvent(new CustomEvent('changed', { detail: { id: body.notification, action: body.action, from: env.hdr.from, event: env.hdr.id } }))
  }

  private async events (id: string): Promise<NotificationEvent[]> {
    const out: NotificationEvent[] = []
    for await (const [, e] of this.components.store.entries<NotificationEvent>(Bucket.notificationEvents, { gte: `${id}/`, lt: `${id}/\uffff` })) out.push(e)
    return out
  }

  private checked<T> (fn: () => T): T {
    try {
      return fn()
    } catch (err) {
      if (err instanceof ImiError && err.code === 'ERR_BODY_SCHEMA') throw new InvalidRequestError(err.message)
      throw err
    }
  }
}
