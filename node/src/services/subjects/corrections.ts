/**
 * Corrections of a request's subject and contested accuracy (Art 19), on both nodes of
 * the request. The authority that corrects (a rectification: the whole corrected
 * subject) or records that the data subject contests the data's accuracy (a contest,
 * with an optional note) writes a record here; its node sends the counterpart node a
 * signed `subject-correction` direct message whose sidecar holds the data, and the
 * counterpart stores its own record. Each side's request view shows the latest
 * rectification's subject with `corrected`, and the latest contest as `contested`
 * (resolved by a later rectification). Both sides audit `correct` / `contest`.
 *
 * Either side may correct: the data subject may address the authority that asked or
 * the one that answered, and each must tell the other (GDPR Art 19's duty to notify
 * recipients). Need to know holds: the requesting node sends to the responding node
 * only once its authority has accepted (before that, a rectification simply changes
 * the subject that the disclosure will carry, and a contest waits for the acceptance).
 *
 * On the requesting node the subject of a request and of the requests split from it is
 * one record (Bucket.requestSubjects): a rectification there, by either side, replaces
 * it, and the requesting node's own rectifications and contests go to the counterpart
 * of every request of the family that already holds the subject.
 *
 * Records name the data's message (its sidecar in Bucket.personalData) and hold data
 * themselves only while no message carries it (a contest waiting for the acceptance).
 * Retention and erasure delete both with the request (see retention/deletion.ts).
 */
import {
  ImiError, SUBJECT_CORRECTION_KIND, decodeSubject, decodeSubjectCorrectionBody, decodeSubjectCorrectionData,
  type Json, type RequestState, type SubjectCorrectionBody, type SubjectCorrectionData, type SubjectCorrectionKind, type SubjectData,
  type VerifiedEnvelope
} from '@imi/protocol'
import type { Clock } from '../../clock.js'
import { InvalidRequestError, NotFoundError } from '../../errors.js'
import { Bucket, timeKey, type Store, type WriteOp } from '../../storage/index.js'
import type { Actor } from '../accounts/permissions.js'
import type { Logger } from '../logger.js'
import type { Messaging } from '../messaging/messaging.js'
import type { RequestRecord } from '../requests/request-log.js'
import type { RequestService, SubjectOverlay } from '../requests/request-service.js'
import { UnknownRequestError } from '../requests/errors.js'
import { retentionRecord, type PersonalDataAuditHook } from '../retention/records.js'
import { KeyedLock } from '../keyed-lock.js'

export interface CorrectionRecord {
  /** The message id, or a local id for a record no message carries (yet). */
  readonly id: string
  readonly request: string
  readonly kind: SubjectCorrectionKind
  /** When the authority corrected or contested (its node's clock). */
  readonly at: number
  /** The member state whose authority did it, and which authority. */
  readonly from: string
  readonly authority?: string
  /** sent or received as a subject-correction message; local: no message (the counterpart does not hold the subject, or not yet). */
  readonly direction: 'sent' | 'received' | 'local'
  /** The message whose sidecar holds the data (until retention or erasure deletes it). */
  readonly messageId?: string
  /** A local contest to send once the counterpart holds the subject. */
  readonly pending?: true
  /** Only while no message carries the data (a pending contest). */
  readonly data?: SubjectCorrectionData
}

export type CorrectionInput =
  | { readonly kind: 'rectification', readonly subject: SubjectData, readonly note?: string }
  | { readonly kind: 'contest', readonly note?: string }

/** A correction with its data, for search and export. */
export interface CorrectionWithData extends CorrectionRecord {
  readonly subject?: SubjectData
  readonly note?: string
}

/** What a subject record on the requesting node holds (as RequestService keeps it). */
interface SubjectRecord {
  readonly subject: SubjectData
  readonly attachmentNames: Readonly<Record<string, string>>
}

export interface SubjectCorrectionsComponents {
  readonly store: Store
  readonly clock: Clock
  readonly messaging: Pick<Messaging, 'send' | 'handleInbound' | 'addEventListener' | 'removeEventListener'>
  /** Its 'changed' events: a pending contest goes out once the responder accepted. */
  readonly requests: Pick<RequestService, 'addEventListener' | 'removeEventListener'>
  readonly randomBytes: (n: number) => Uint8Array
  readonly logger: Logger
  readonly audit?: PersonalDataAuditHook
}

export interface SubjectCorrectionsInit {
  readonly country: string
}

const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url')
const range = (requestId: string): { gte: string, lt: string } => ({ gte: `${requestId}/`, lt: `${requestId}/\uffff` })
export const correctionKey = (requestId: string, at: number, id: string): string => `${requestId}/${timeKey(at, id)}`

/** The data a record stands for: its own, or its message's sidecar while that is held. */
async function dataOf (store: Pick<Store, 'get'>, r: CorrectionRecord): Promise<SubjectCorrectionData | undefined> {
  if (r.data !== undefined) return r.data
  if (r.messageId === undefined) return undefined
  const pd = await store.get<{ data: unknown }>(Bucket.personalData, r.messageId)
  if (pd === undefined) return undefined
  try {
    return decodeSubjectCorrectionData(r.kind, pd.data)
  } catch {
    return undefined
  }
}

/** One request's corrections and contests, oldest first (by the instant its authority gave, then id: the same order on both nodes). */
export async function correctionsOf (store: Store, requestId: string): Promise<CorrectionRecord[]> {
  const out: CorrectionRecord[] = []
  for await (const [, r] of store.entries<CorrectionRecord>(Bucket.subjectCorrections, range(requestId))) out.push(r)
  return out
}

/** The same, with the data (for search and export: the caller checks need to know). */
export async function correctionsWithData (store: Store, requestId: string): Promise<CorrectionWithData[]> {
  const out: CorrectionWithData[] = []
  for (const r of await correctionsOf(store, requestId)) {
    const d = await dataOf(store, r)
    const { data: _d, ...rest } = r
    out.push({ ...rest, ...(d?.subject !== undefined && { subject: d.subject }), ...(d?.note !== undefined && { note: d.note }) })
  }
  return out
}

/**
 * What a request view shows: the latest rectification (its subject only with personal
 * data, and only while its data are held) and the latest contest (its note likewise).
 */
export async function subjectOverlay (store: Store, requestId: string, withPersonalData: boolean): Promise<SubjectOverlay | undefined> {
  const records = await correctionsOf(store, requestId)
  if (records.length === 0) return undefined
  const rect = records.filter((r) => r.kind === 'rectification').at(-1)
  const contest = records.filter((r) => r.kind === 'contest').at(-1)
  const rectData = rect !== undefined && withPersonalData ? await dataOf(store, rect) : undefined
  const note = contest !== undefined && withPersonalData ? (await dataOf(store, contest))?.note : undefined
  return {
    ...(rectData?.subject !== undefined && { subject: rectData.subject }),
    ...(rect !== undefined && { corrected: { at: rect.at, from: rect.from } }),
    ...(contest !== undefined && {
      contested: {
        at: contest.at, from: contest.from, ...(note !== undefined && { note }),
        ...(rect !== undefined && rect.at >= contest.at && { resolvedAt: rect.at })
      }
    })
  }
}

export class SubjectCorrections {
  /** Received corrections between Messaging's store and its 'received' event: audited then. */
  private readonly inbound = new Map<string, { request: string, kind: SubjectCorrectionKind }>()
  private readonly locks = new KeyedLock()

  constructor (private readonly components: SubjectCorrectionsComponents, private readonly init: SubjectCorrectionsInit) {
    components.messaging.handleInbound(SUBJECT_CORRECTION_KIND, async (env) => await this.receive(env))
  }

  async start (): Promise<void> {
    this.components.messaging.addEventListener('received', this.onReceived)
    this.components.requests.addEventListener('changed', this.onChanged)
    // Contests that waited for an acceptance that came while the node was off.
    const waiting = new Set<string>()
    for await (const [, r] of this.components.store.entries<CorrectionRecord>(Bucket.subjectCorrections)) if (r.pending === true) waiting.add(r.request)
    for (const id of waiting) await this.sendPending(id).catch((err: Error) => { this.components.logger.error('contest not sent', { request: id, error: err.message }) })
  }

  stop (): void {
    this.components.messaging.removeEventListener('received', this.onReceived)
    this.components.requests.removeEventListener('changed', this.onChanged)
  }

  /**
   * A rectification or contest by `authority` (this node's party to the request; the
   * caller checked that the actor may act for it and see the data). Returns the records
   * written, one per request of the family it applies to.
   */
  async apply (actor: Actor, requestId: string, authority: string, input: CorrectionInput, reason?: string): Promise<CorrectionRecord[]> {
    const data: SubjectCorrectionData = input.kind === 'rectification'
      ? { subject: this.checked(() => decodeSubject(input.subject)), ...(input.note !== undefined && { note: input.note }) }
      : { ...(input.note !== undefined && { note: input.note }) }
    this.checked(() => decodeSubjectCorrectionData(input.kind, data))
    const state = (await this.components.store.get<RequestRecord>(Bucket.requests, requestId))?.state
    if (state === undefined) throw new NotFoundError(`no request ${requestId}`)
    const requester = this.isRequester(state)
    return await this.locks.run('family', async () => {
      const root = requester ? await this.rootSubject(state) : undefined
      const targets = requester ? await this.family(root?.id ?? requestId) : [state]
      // The requesting node's own copy of the subject changes with the first write.
      let extra: WriteOp[] = input.kind === 'rectification' && root !== undefined
        ? [{ type: 'put', bucket: Bucket.requestSubjects, key: root.id, value: { ...root.record, subject: data.subject! } satisfies SubjectRecord }]
        : []
      const written: CorrectionRecord[] = []
      const at = this.components.clock.now()
      for (const t of targets) {
        const retention = await retentionRecord(this.components.store, 'request', t.id)
        if (retention?.blockedAt !== undefined) continue
        const mine = requester ? t.requester.authority : t.responder.authority
        const holds = this.counterpartHolds(t)
        if (holds) {
          const body: SubjectCorrectionBody = { request: t.id, kind: input.kind, at }
          const ops = extra
          await this.components.messaging.send({
            kind: SUBJECT_CORRECTION_KIND, to: requester ? t.responder.country : t.requester.country, body: body as unknown as Json,
            ...(Object.keys(data).length > 0 && { personalData: data as unknown as Json }), ...(mine !== undefined && { fromAuthority: mine })
          }, (msg) => {
            const record: CorrectionRecord = {
              id: msg.id, request: t.id, kind: input.kind, at, from: this.init.country, authority: mine ?? authority, direction: 'sent',
              ...(Object.keys(data).length > 0 && { messageId: msg.id })
            }
            written.push(record)
            return [{ type: 'put', bucket: Bucket.subjectCorrections, key: correctionKey(t.id, at, msg.id), value: record }, ...ops]
          })
        } else {
          const id = b64url(this.components.randomBytes(16))
          // A rectification needs no record of data: the subject itself changed, and the disclosure will carry it.
          const record: CorrectionRecord = {
            id, request: t.id, kind: input.kind, at, from: this.init.country, authority: mine ?? authority, direction: 'local',
            ...(input.kind === 'contest' && { pending: true as const, data })
          }
          written.push(record)
          await this.components.store.commit([{ type: 'put', bucket: Bucket.subjectCorrections, key: correctionKey(t.id, at, id), value: record }, ...extra])
        }
        extra = []
        await this.audit(actor, input.kind, t.id, reason)
      }
      if (extra.length > 0) await this.components.store.commit(extra)
      if (written.length === 0) throw new InvalidRequestError(`the personal data of request ${requestId} are blocked or deleted: nothing to correct`)
      return written
    })
  }

  // Internals.

  private isRequester (s: RequestState): boolean { return s.requester.country === this.init.country }

  /** Whether the counterpart node holds the subject: the requester always, the responder once its authority accepted. */
  private counterpartHolds (s: RequestState): boolean {
    if (!this.isRequester(s)) return true
    return s.disclosed || s.acceptedAt !== undefined || s.status === 'answered' || s.status === 'info-requested' || s.status === 'closed'
  }

  /** Requesting node: the request whose subject record the request shows (itself, or the one it was split from). */
  private async rootSubject (s: RequestState): Promise<{ id: string, record: SubjectRecord } | undefined> {
    let current: RequestState | undefined = s
    while (current !== undefined) {
      const record = await this.components.store.get<SubjectRecord>(Bucket.requestSubjects, current.id)
      if (record !== undefined) return { id: current.id, record }
      current = current.parent === undefined ? undefined : (await this.components.store.get<RequestRecord>(Bucket.requests, current.parent))?.state
    }
    return undefined
  }

  /** A request and every request split from it, on this node. */
  private async family (rootId: string): Promise<RequestState[]> {
    const out: RequestState[] = []
    const queue = [rootId]
    const seen = new Set<string>()
    while (queue.length > 0) {
      const id = queue.shift()!
      if (seen.has(id)) continue
      seen.add(id)
      const s = (await this.components.store.get<RequestRecord>(Bucket.requests, id))?.state
      if (s === undefined) continue
      out.push(s)
      queue.push(...s.children)
    }
    return out
  }

  /** Messaging's hook for an inbound subject-correction: checked, and stored in the message's batch. */
  private async receive (env: VerifiedEnvelope): Promise<WriteOp[]> {
    const body = decodeSubjectCorrectionBody(env.body)
    const data = env.pd === undefined ? undefined : decodeSubjectCorrectionData(body.kind, env.pd.data)
    const state = (await this.components.store.get<RequestRecord>(Bucket.requests, body.request))?.state
    if (state === undefined) throw new UnknownRequestError(`no request ${body.request} here (yet)`)
    const counterpart = this.isRequester(state) ? state.responder.country : state.requester.country
    if (env.hdr.from !== counterpart) throw new ImiError('ERR_NOT_PARTY', `${env.hdr.from} takes no part in request ${body.request}`)
    // Data arriving for a request whose personal data were deleted here are not kept (same batch as Messaging's write).
    const erased = (await retentionRecord(this.components.store, 'request', body.request))?.deletedAt !== undefined
    const record: CorrectionRecord = {
      id: env.hdr.id, request: body.request, kind: body.kind, at: body.at, from: env.hdr.from, direction: 'received',
      ...(env.hdr.fromAuthority !== undefined && { authority: env.hdr.fromAuthority }),
      ...(data !== undefined && !erased && { messageId: env.hdr.id })
    }
    const ops: WriteOp[] = [{ type: 'put', bucket: Bucket.subjectCorrections, key: correctionKey(body.request, body.at, env.hdr.id), value: record }]
    if (erased && env.pd !== undefined) ops.push({ type: 'del', bucket: Bucket.personalData, key: env.hdr.id })
    if (!erased && data?.subject !== undefined && this.isRequester(state)) {
      const root = await this.rootSubject(state)
      if (root !== undefined) ops.push({ type: 'put', bucket: Bucket.requestSubjects, key: root.id, value: { ...root.record, subject: data.subject } satisfies SubjectRecord })
    }
    this.inbound.set(env.hdr.id, { request: body.request, kind: body.kind })
    return ops
  }

  private readonly onReceived = (evt: Event): void => {
    const { id } = (evt as CustomEvent<{ id: string }>).detail
    const done = this.inbound.get(id)
    if (done === undefined) return
    this.inbound.delete(id)
    void this.audit('system', done.kind, done.request, 'from the counterpart node')
  }

  private readonly onChanged = (evt: Event): void => {
    const { id } = (evt as CustomEvent<{ id: string }>).detail
    void this.sendPending(id).catch((err: Error) => { this.components.logger.error('contest not sent', { request: id, error: err.message }) })
  }

  /** Requesting node: contests recorded before the responder accepted go out once it has. */
  private async sendPending (requestId: string): Promise<void> {
    const { store, messaging } = this.components
    const waiting = (await correctionsOf(store, requestId)).filter((r) => r.pending === true)
    if (waiting.length === 0) return
    await this.locks.run('family', async () => {
      const state = (await store.get<RequestRecord>(Bucket.requests, requestId))?.state
      if (state === undefined || !this.counterpartHolds(state)) return
      if ((await retentionRecord(store, 'request', requestId))?.blockedAt !== undefined) return
      for (const r of (await correctionsOf(store, requestId)).filter((x) => x.pending === true)) {
        const body: SubjectCorrectionBody = { request: requestId, kind: r.kind, at: r.at }
        await messaging.send({
          kind: SUBJECT_CORRECTION_KIND, to: state.responder.country, body: body as unknown as Json,
          ...(r.data !== undefined && Object.keys(r.data).length > 0 && { personalData: r.data as unknown as Json }), fromAuthority: state.requester.authority
        }, (msg) => {
          const sent: CorrectionRecord = {
            id: msg.id, request: requestId, kind: r.kind, at: r.at, from: r.from, direction: 'sent',
            ...(r.data !== undefined && Object.keys(r.data).length > 0 && { messageId: msg.id }), ...(r.authority !== undefined && { authority: r.authority })
          }
          return [
            { type: 'del', bucket: Bucket.subjectCorrections, key: correctionKey(requestId, r.at, r.id) },
            { type: 'put', bucket: Bucket.subjectCorrections, key: correctionKey(requestId, r.at, msg.id), value: sent }
          ]
        })
      }
    })
  }

  private async audit (actor: Actor | 'system', kind: SubjectCorrectionKind, requestId: string, reason?: string): Promise<void> {
    try {
      await this.components.audit?.record(actor, kind === 'rectification' ? 'correct' : 'contest', { kind: 'request', id: requestId }, reason)
    } catch (err) {
      this.components.logger.error('correction not audited', { request: requestId, error: (err as Error).message })
    }
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
