/**
 * Information requests on one node: officials act, the node signs each action as a
 * `request` event to the other member state's node, and both replay the same events
 * to the same state. Need to know: the responding node gets the subject's personal data
 * only after its authority accepts (the requesting node discloses it then, by itself),
 * and on each node only the authorities taking part see a request at all.
 */
import {
  ImiError, REQUEST_EVENT_KIND, UnknownAuthorityError, applyRequestEvent, decodeRequestEventBody, decodeRequestPersonalData, decodeSubject,
  type Json, type LegislativeArea, type RequestAction, type RequestEventBody, type RequestPersonalData, type RequestState, type SubjectData,
  type VerifiedEnvelope
} from '@imi/protocol'
import type { Clock } from '../../clock.js'
import { InvalidRequestError, NotFoundError, PermissionDeniedError } from '../../errors.js'
import { Bucket, type Store, type WriteOp } from '../../storage/index.js'
import { demand, isCoordinator, mayActFor, maySeeWorkOf, type Actor, type AreaRole } from '../accounts/permissions.js'
import type { Logger } from '../logger.js'
import type { Messaging } from '../messaging/messaging.js'
import { erasureView, retentionRecord, statedReason, type ErasureView, type PersonalDataAuditHook } from '../retention/records.js'
import { RequestAttachments, type NewAttachment, type StoredAttachment } from './attachments.js'
import { checkAnswers, checkQuestionIds, showAnswers, showQuestions, type ShownAnswer, type ShownQuestion } from './questions.js'
import { RequestLog, eventWrite, storedEvent, type RequestRecord, type StoredRequestEvent } from './request-log.js'
import { UnknownRequestError } from './errors.js'

export interface RequestServiceComponents {
  readonly store: Store
  readonly clock: Clock
  readonly messaging: Pick<Messaging, 'send' | 'handleInbound' | 'addEventListener' | 'removeEventListener'>
  /** This state's authorities: a request is received only for an active one. */
  readonly authorities: { isActiveAuthority(id: string): Promise<boolean> }
  readonly logger: Logger
  readonly randomBytes: (n: number) => Uint8Array
  /** Art 17(3): reads of blocked personal data are recorded here (the audit trail connects). */
  readonly audit?: PersonalDataAuditHook
  /** Art 19: the subject's corrections and contested accuracy, which the view shows (services/subjects connects). */
  readonly subjectOverlay?: (requestId: string, withPersonalData: boolean) => Promise<SubjectOverlay | undefined>
}

/** What data subject rights add to a request's view: the corrected subject, and whether its accuracy is contested. */
export interface SubjectOverlay {
  /** The latest rectification's subject (only where the caller sees personal data, and while it is held). */
  readonly subject?: SubjectData
  readonly corrected?: { readonly at: number, readonly from: string }
  /** The note only where the caller sees personal data; resolved by a later rectification. */
  readonly contested?: { readonly at: number, readonly from: string, readonly note?: string, readonly resolvedAt?: number }
}

export interface RequestServiceInit {
  readonly country: string
}

export interface NewRequest {
  /** Defaults to the acting official's authority. */
  readonly fromAuthority?: string
  readonly area: LegislativeArea
  readonly to: { readonly country: string, readonly authority: string }
  readonly questions: readonly string[]
  readonly freeQuestions?: readonly string[]
  readonly note?: string
  readonly neededBy: string
  readonly subject: SubjectData
  readonly attachments?: readonly NewAttachment[]
}

/** What the requesting node keeps of its subject until the responder accepts (and after, until retention). */
interface SubjectRecord {
  readonly subject: SubjectData
  readonly attachmentNames: Readonly<Record<string, string>>
}

/** What an action carries besides its kind: body fields and, for some, personal data. */
export interface ActionInput {
  readonly fields?: Partial<Omit<RequestEventBody, 'request' | 'base' | 'action' | 'coordinator'>>
  readonly personalData?: RequestPersonalData
  /** Files with an answer. */
  readonly attachments?: readonly NewAttachment[]
}

/** Which role an official needs for each action (the coordinator's own rights are in the machine). */
const ROLE: Readonly<Record<Exclude<RequestAction, 'send' | 'disclose'>, readonly AreaRole[]>> = {
  modify: ['request-handler'],
  withdraw: ['request-handler'],
  'request-info': ['request-handler'],
  close: ['request-handler'],
  accept: ['request-handler', 'allocator'],
  forward: ['request-handler', 'allocator'],
  split: ['request-handler', 'allocator'],
  answer: ['request-handler'],
  message: ['request-handler', 'allocator']
}

export interface EventView {
  readonly id: string
  readonly action: RequestAction
  readonly from: string
  readonly fromAuthority?: string
  readonly coordinator: boolean
  readonly created: number
  readonly outcome: string
  readonly body: RequestEventBody
  /** Present only where the caller may see it (need to know). */
  readonly personalData?: RequestPersonalData
  /** The answers of an answer event, in the reader's language. */
  readonly answers?: readonly ShownAnswer[]
}

export interface RequestView {
  readonly state: RequestState
  /** Which side this node is on. */
  readonly role: 'requester' | 'responder'
  /** The questions in the reader's language (free questions as written). */
  readonly questions: readonly ShownQuestion[]
  readonly subject?: SubjectData
  /** The subject was corrected (Art 19): the latest correction, which `subject` shows. */
  readonly corrected?: SubjectOverlay['corrected']
  /** The data subject contests the accuracy of the subject's data (Art 19). */
  readonly contested?: SubjectOverlay['contested']
  readonly events: readonly EventView[]
  /** Retention blocked the personal data: no normal view shows them (readBlocked does, with a stated reason). */
  readonly blocked?: true
  /** Retention deleted the personal data here; the counterpart node's signed statement once it deleted its copy. */
  readonly erasure?: ErasureView
}

const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url')

export class RequestService extends EventTarget {
  readonly log: RequestLog
  readonly attachments: RequestAttachments
  /** Inbound events stored by Messaging and not yet replayed (message id -> request id). */
  private readonly pending = new Map<string, string>()

  constructor (private readonly components: RequestServiceComponents, private readonly init: RequestServiceInit) {
    super()
    this.log = new RequestLog(components.store)
    this.attachments = new RequestAttachments({ store: components.store, messaging: components.messaging, log: this.log, logger: components.logger })
    components.messaging.handleInbound(REQUEST_EVENT_KIND, async (env) => await this.inbound(env))
  }

  /**
   * Listens for received events, rebuilds the cache from the events, then discloses what
   * an acceptance stored while no disclosure followed (the node stopped in between).
   */
  async start (): Promise<void> {
    this.components.messaging.addEventListener('received', this.onReceived)
    this.attachments.start()
    await this.log.rebuild()
    for await (const r of this.log.records()) {
      if (this.side(r.state) !== 'requester' || r.state.disclosed || r.state.acceptedAt === undefined) continue
      await this.discloseIfAccepted(r.state).catch((err: Error) => {
        this.components.logger.error('personal data not disclosed', { request: r.state.id, error: err.message })
      })
    }
  }

  stop (): void {
    this.components.messaging.removeEventListener('received', this.onReceived)
    this.attachments.stop()
  }

  // Sending.

  async send (actor: Actor, input: NewRequest): Promise<RequestState> {
    const authority = input.fromAuthority ?? (actor.kind === 'user' ? actor.authority : undefined)
    if (authority === undefined) throw new InvalidRequestError('fromAuthority is required')
    demand(mayActFor(actor, authority, input.area, 'request-handler'), `send ${input.area} requests for ${authority}`)
    const subject = decodeSubject(input.subject)
    checkQuestionIds(input.area, input.questions)
    const id = b64url(this.components.randomBytes(16))
    const files = this.attachments.prepare(id, input.attachments ?? [])
    const body = this.decode({
      request: id, base: 0, action: 'send', area: input.area, to: input.to, questions: input.questions, neededBy: input.neededBy,
      ...(files.refs.length > 0 && { attachments: files.refs }),
      ...(input.freeQuestions !== undefined && input.freeQuestions.length > 0 && { freeQuestions: input.freeQuestions }),
      ...(input.note !== undefined && { note: input.note })
    })
    // Checked here so that a refused request changes nothing on either node.
    applyRequestEvent(undefined, { id: 'local', from: this.init.country, fromAuthority: authority, created: this.components.clock.now(), body }, id)
    await this.components.messaging.send(
      { kind: REQUEST_EVENT_KIND, to: input.to.country, body: body as unknown as Json, fromAuthority: authority, toAuthority: input.to.authority },
      (sent) => [
        eventWrite(id, storedEvent(sent.id, sent.hdr, body, false)),
        // The subject and the files stay here until the responder accepts.
        { type: 'put', bucket: Bucket.requestSubjects, key: id, value: { subject, attachmentNames: files.names } satisfies SubjectRecord },
        ...files.writes
      ])
    return await this.refresh(id)
  }

  /** Any action but send, by an official (or the coordinator) of this node. */
  async act (actor: Actor, requestId: string, action: Exclude<RequestAction, 'send' | 'disclose'>, input: ActionInput = {}): Promise<RequestState> {
    await this.exclusive(requestId, async () => {
      const record = await this.required(requestId)
      const state = record.state
      const side = this.side(state)
      const { authority, coordinator } = this.actingAs(actor, state, side, action)
      const child = action === 'split' ? { child: b64url(this.components.randomBytes(16)) } : {}
      const body = this.decode({ ...input.fields, ...child, request: requestId, base: state.version, action, ...(coordinator && { coordinator: true }) })
      const files = action === 'answer' && (input.attachments?.length ?? 0) > 0 ? this.attachments.prepare(requestId, input.attachments!) : undefined
      const fullBody = files === undefined ? body : this.decode({ ...body, attachments: files.refs })
      const personal = files === undefined ? input.personalData : { ...input.personalData, attachmentNames: files.names }
      const pd = personal === undefined ? undefined : decodeRequestPersonalData(action, personal)
      if (pd?.answers !== undefined) checkAnswers(pd.answers)
      applyRequestEvent(state, { id: 'local', from: this.init.country, ...(authority !== undefined && { fromAuthority: authority }), created: this.components.clock.now(), body: fullBody }, requestId)
      await this.emit(state, fullBody, authority, pd, files?.writes ?? [])
      await this.log.recompute(requestId)
      if (files !== undefined) await this.attachments.transmit(state.requester.country, requestId, files.refs, requestId, authority)
    })
    return await this.refresh(requestId)
  }

  // Reading.

  /**
   * One request as `actor` may see it, its catalogue texts in `lang` (English where a
   * translation is missing). Once retention blocked it, without any personal data.
   */
  async get (actor: Actor, requestId: string, lang = 'en'): Promise<RequestView> {
    return await this.view(actor, requestId, lang, false)
  }

  /**
   * A blocked request's personal data, only to prove that an exchange took place: for an
   * official of the authority that took part, with a stated reason, which the audit trail
   * records before anything is shown. Nothing once the data are deleted.
   */
  async readBlocked (actor: Actor, requestId: string, reason: string, lang = 'en'): Promise<RequestView> {
    const stated = statedReason(reason)
    if (stated === undefined) throw new InvalidRequestError('reading blocked personal data needs a stated reason (1 to 1000 characters)')
    const record = await this.log.record(requestId)
    if (record === undefined || !this.maySee(actor, record.state)) throw new NotFoundError(`no request ${requestId}`)
    const retention = await retentionRecord(this.components.store, 'request', requestId)
    if (retention?.deletedAt !== undefined) throw new NotFoundError(`the personal data of request ${requestId} were deleted`)
    if (retention?.blockedAt === undefined) throw new InvalidRequestError(`the personal data of request ${requestId} are not blocked: read the request itself`)
    const mine = this.ourAuthority(record.state, this.side(record.state))
    if (actor.kind !== 'user' || actor.coordinator || mine === undefined || actor.authority !== mine) {
      throw new PermissionDeniedError('not allowed to read blocked personal data of this request (only its own authority may)')
    }
    await this.components.audit?.record(actor, 'read-blocked', { kind: 'request', id: requestId }, stated)
    return await this.view(actor, requestId, lang, true)
  }

  private async view (actor: Actor, requestId: string, lang: string, readBlocked: boolean): Promise<RequestView> {
    const record = await this.log.record(requestId)
    if (record === undefined || !this.maySee(actor, record.state)) throw new NotFoundError(`no request ${requestId}`)
    const state = record.state
    const side = this.side(state)
    const retention = await retentionRecord(this.components.store, 'request', requestId)
    const blocked = retention?.blockedAt !== undefined
    const seesPersonalData = (!blocked || (readBlocked && retention.deletedAt === undefined)) && this.maySeePersonalData(actor, state, side)
    const outcomes = new Map(record.outcomes.map((o) => [o.id, o.outcome]))
    const events: EventView[] = []
    for (const e of (await this.log.events(requestId)).sort((a, b) => a.body.base - b.body.base || a.created - b.created)) {
      const pd = seesPersonalData && e.hasPersonalData ? await this.components.store.get<{ data: RequestPersonalData }>(Bucket.personalData, e.id) : undefined
      events.push({
        id: e.id, action: e.body.action, from: e.from, coordinator: e.body.coordinator === true, created: e.created, outcome: outcomes.get(e.id) ?? 'applied', body: e.body,
        ...(e.fromAuthority !== undefined && { fromAuthority: e.fromAuthority }),
        ...(pd !== undefined && { personalData: pd.data }),
        ...(pd?.data.answers !== undefined && { answers: showAnswers(pd.data.answers, lang) })
      })
    }
    const overlay = await this.components.subjectOverlay?.(requestId, seesPersonalData)
    const subject = seesPersonalData ? overlay?.subject ?? await this.subjectOf(state, side, events) : undefined
    // Art 17(3): every read that shows personal data is on the audit trail (a blocked read records its own, with the reason).
    if (!readBlocked && (subject !== undefined || events.some((e) => e.personalData !== undefined))) {
      await this.components.audit?.record(actor, 'read', { kind: 'request', id: requestId })
    }
    const erasure = await erasureView(this.components.store, retention, requestId)
    return {
      state, role: side, questions: showQuestions(state, lang), events,
      ...(subject !== undefined && { subject }), ...(overlay?.corrected !== undefined && { corrected: overlay.corrected }),
      ...(overlay?.contested !== undefined && { contested: overlay.contested }),
      ...(blocked && { blocked: true as const }), ...(erasure !== undefined && { erasure })
    }
  }

  /**
   * An attachment's bytes and name, for those who may see the request's personal data:
   * on the responding node, only after its authority has accepted.
   */
  async attachment (actor: Actor, requestId: string, sha256: string): Promise<StoredAttachment & { name: string }> {
    const view = await this.get(actor, requestId)
    const root = view.role === 'requester' ? await this.rootSubject(requestId) : undefined
    const names: Record<string, string> = { ...root?.record.attachmentNames }
    for (const e of view.events) Object.assign(names, e.personalData?.attachmentNames ?? {})
    const listed = [...view.state.attachments, ...(view.state.answerAttachments ?? [])].some((a) => a.sha256 === sha256)
    const stored = listed && view.blocked !== true && this.maySeePersonalData(actor, view.state, view.role)
      ? await this.attachments.read(requestId, sha256) ?? (root === undefined ? undefined : await this.attachments.read(root.root, sha256))
      : undefined
    if (stored === undefined) throw new NotFoundError('no such attachment here, or not yet')
    return { ...stored, name: names[sha256] ?? 'attachment' }
  }

  /** Requests the caller may see: its authority's (or, for the coordinator, the whole state's). */
  async list (actor: Actor, filter: { box?: 'inbox' | 'outbox', status?: string } = {}): Promise<RequestState[]> {
    const out: RequestState[] = []
    for await (const r of this.log.records()) {
      const s = r.state
      if (!this.maySee(actor, s)) continue
      const side = this.side(s)
      if (filter.box === 'inbox' && side !== 'responder') continue
      if (filter.box === 'outbox' && side !== 'requester') continue
      if (filter.status !== undefined && s.status !== filter.status) continue
      out.push(s)
    }
    return out.sort((a, b) => b.lastActivity - a.lastActivity)
  }

  // Internals.

  private side (s: RequestState): 'requester' | 'responder' {
    return s.requester.country === this.init.country ? 'requester' : 'responder'
  }

  /** Our authority in this request, if the caller belongs to it. */
  private ourAuthority (s: RequestState, side: 'requester' | 'responder'): string | undefined {
    return side === 'requester' ? s.requester.authority : s.responder.authority
  }

  private maySee (actor: Actor, s: RequestState): boolean {
    if (isCoordinator(actor)) return true
    const mine = this.ourAuthority(s, this.side(s))
    return mine !== undefined && maySeeWorkOf(actor, mine) && actor.kind === 'user' && actor.grants.some((g) => g.area === s.area)
  }

  /**
   * The requesting authority always sees its subject; the responding authority only once
   * it has accepted (a forward hands the request to an authority that has not). The
   * coordinator supervises deadlines, not people: never.
   */
  private maySeePersonalData (actor: Actor, s: RequestState, side: 'requester' | 'responder'): boolean {
    if (actor.kind !== 'user' || actor.coordinator) return false
    const mine = this.ourAuthority(s, side)
    if (mine === undefined || actor.authority !== mine) return false
    return side === 'requester' || s.acceptedAt !== undefined || s.status === 'answered' || s.status === 'info-requested' || s.status === 'closed'
  }

  /** The authority of this node that may see the request's personal data now (the rule above), if any: for data subject rights. */
  personalDataAuthority (s: RequestState): string | undefined {
    const side = this.side(s)
    const mine = this.ourAuthority(s, side)
    if (mine === undefined) return undefined
    return this.maySeePersonalData({ kind: 'user', username: 'need-to-know', authority: mine, coordinator: false, grants: [] }, s, side) ? mine : undefined
  }

  private async subjectOf (s: RequestState, side: 'requester' | 'responder', events: readonly EventView[]): Promise<SubjectData | undefined> {
    if (side === 'requester') return (await this.rootSubject(s.id))?.record.subject
    return events.find((e) => e.action === 'disclose' && e.outcome === 'applied')?.personalData?.subject
  }

  /** The subject a request (or the request it was split from) was sent about, and where its files are. */
  private async rootSubject (id: string): Promise<{ root: string, record: SubjectRecord } | undefined> {
    const record = await this.log.record(id)
    if (record === undefined) return undefined
    const own = await this.components.store.get<SubjectRecord>(Bucket.requestSubjects, id)
    if (own !== undefined) return { root: id, record: own }
    return record.state.parent === undefined ? undefined : await this.rootSubject(record.state.parent)
  }

  private actingAs (actor: Actor, s: RequestState, side: 'requester' | 'responder', action: Exclude<RequestAction, 'send' | 'disclose'>): { authority?: string, coordinator: boolean } {
    if (isCoordinator(actor)) {
      demand(side === 'responder' && (action === 'forward' || action === 'message'), `${action} this request as coordinator`)
      return { coordinator: true }
    }
    const mine = this.ourAuthority(s, side)
    const roles = ROLE[action]
    demand(mine !== undefined && actor.kind === 'user' && actor.authority === mine && roles.some((r) => mayActFor(actor, mine, s.area, r)),
      `${action} this request (needs ${roles.join(' or ')} in ${s.area} for the authority that holds it)`)
    return { authority: mine!, coordinator: false }
  }

  private decode (body: Record<string, unknown>): RequestEventBody {
    try {
      return decodeRequestEventBody(body)
    } catch (err) {
      if (err instanceof ImiError) throw new InvalidRequestError(err.message)
      throw err
    }
  }

  /** Signs and sends one event to the other side; stored here in the same batch. */
  private async emit (s: RequestState, body: RequestEventBody, authority: string | undefined, pd?: RequestPersonalData, writes: WriteOp[] = []): Promise<void> {
    const to = this.side(s) === 'requester' ? s.responder.country : s.requester.country
    await this.components.messaging.send({
      kind: REQUEST_EVENT_KIND, to, body: body as unknown as Json,
      ...(authority !== undefined && { fromAuthority: authority }),
      ...(pd !== undefined && { personalData: pd as unknown as Json })
    }, (sent) => [eventWrite(s.id, storedEvent(sent.id, sent.hdr, body, pd !== undefined)), ...writes])
  }

  private async required (id: string): Promise<RequestRecord> {
    const record = await this.log.record(id)
    if (record === undefined) throw new NotFoundError(`no request ${id}`)
    return record
  }

  /**
   * Replays, caches, and does what the new state asks of this node (disclosure). Under
   * the request's lock: an unlocked replay that read the events before the other node's
   * reply was stored would overwrite the newer state the reply's replay cached meanwhile.
   */
  private async refresh (id: string): Promise<RequestState> {
    const record = await this.exclusive(id, async () => await this.log.recompute(id))
    if (record === undefined) throw new NotFoundError(`no request ${id}`)
    this.dispatchEvent(new CustomEvent('changed', { detail: { id, status: record.state.status } }))
    await this.discloseIfAccepted(record.state)
    return record.state
  }

  /** The requesting node sends the subject's data once the responding authority has accepted, and only then. */
  private async discloseIfAccepted (s: RequestState): Promise<void> {
    if (this.side(s) !== 'requester' || s.disclosed || s.acceptedAt === undefined) return
    const root = await this.rootSubject(s.id)
    if (root === undefined) return
    await this.exclusive(s.id, async () => {
      const current = (await this.required(s.id)).state
      if (current.disclosed || current.acceptedAt === undefined) return
      const names = Object.fromEntries(current.attachments.map((a) => [a.sha256, root.record.attachmentNames[a.sha256] ?? 'attachment']))
      const body = this.decode({ request: s.id, base: current.version, action: 'disclose' })
      await this.emit(current, body, current.requester.authority, { subject: root.record.subject, ...(current.attachments.length > 0 && { attachmentNames: names }) })
      await this.log.recompute(s.id)
      await this.attachments.transmit(current.responder.country, s.id, current.attachments, root.root, current.requester.authority)
    })
  }

  /** Messaging's hook, before it stores an inbound event: refuse what is not for us. */
  private async inbound (env: VerifiedEnvelope): Promise<WriteOp[]> {
    const body = decodeRequestEventBody(env.hdr.kind === REQUEST_EVENT_KIND ? env.body : undefined)
    if (env.pd !== undefined) {
      const pd = decodeRequestPersonalData(body.action, env.pd.data)
      if (pd.answers !== undefined) checkAnswers(pd.answers)
    }
    const record = await this.log.record(body.request)
    if (body.action === 'send') {
      if (record !== undefined) throw new InvalidRequestError(`request ${body.request} exists already`)
      if (body.to?.country !== this.init.country || !await this.components.authorities.isActiveAuthority(body.to.authority)) {
        throw new UnknownAuthorityError(`${this.init.country} lists no authority ${body.to?.authority ?? ''}`)
      }
    } else if (record === undefined) {
      // Perhaps a split's child whose parent event is still on its way: worth a retry.
      throw new UnknownRequestError(`no request ${body.request} here (yet)`)
    } else if (env.hdr.from !== record.state.requester.country && env.hdr.from !== record.state.responder.country) {
      throw new ImiError('ERR_NOT_PARTY', `${env.hdr.from} takes no part in request ${body.request}`)
    } else if (body.action === 'split' && await this.log.record(body.child!) !== undefined) {
      // A split's child is a new request: one that exists here would join two families, or make a cycle.
      throw new InvalidRequestError(`request ${body.child!} exists already`)
    }
    this.pending.set(env.hdr.id, body.request)
    // Personal data arriving late for a request whose data were deleted here are not kept (same batch as Messaging's write).
    const erased = env.pd !== undefined && (await retentionRecord(this.components.store, 'request', body.request))?.deletedAt !== undefined
    return [
      eventWrite(body.request, storedEvent(env.hdr.id, env.hdr, body, env.pd !== undefined && !erased)),
      ...(erased ? [{ type: 'del' as const, bucket: Bucket.personalData, key: env.hdr.id }] : [])
    ]
  }

  private readonly onReceived = (evt: Event): void => {
    const { id } = (evt as CustomEvent<{ id: string }>).detail
    const requestId = this.pending.get(id)
    if (requestId === undefined) return
    this.pending.delete(id)
    void this.exclusive(requestId, async () => await this.log.recompute(requestId))
      .then(async (record) => {
        if (record === undefined) return
        this.dispatchEvent(new CustomEvent('changed', { detail: { id: requestId, status: record.state.status } }))
        await this.discloseIfAccepted(record.state)
      })
      .catch((err: Error) => { this.components.logger.error('request event not applied', { request: requestId, error: err.message }) })
  }

  /** One action or replay at a time per request (the log's lock, which its rebuild takes too), so bases never collide locally. */
  private async exclusive<T> (id: string, fn: () => Promise<T>): Promise<T> {
    return await this.log.exclusive(id, fn)
  }
}

export type { StoredRequestEvent }
