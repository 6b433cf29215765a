/**
 * Data subject rights on one node (Art 19 of Regulation 1024/2012; GDPR Art 15-18): a
 * register of the requests data subjects make to an authority, each with its 30-day
 * deadline, and the steps that answer them: find the person's data in the authority's
 * procedures, export it, correct it (the correction reaches the counterpart node),
 * delete it early where allowed (the counterpart deletes too and returns a signed
 * receipt), and record a contested accuracy.
 *
 * Who: the authority's local data administrators (role 'local-data-admin' in any area),
 * for their own authority's procedures only; the national coordinator may list the
 * register (it holds no personal data) to supervise deadlines, and nothing else.
 *
 * The register holds no personal data: not the person's name, not the search term (a
 * search is made with the term and forgotten), only the procedures found (kind, id) and
 * the paths of the fields that matched ("subject.name", "events.<id>.answers.0.comment"),
 * which say what to export without holding it. Notes are filtered like audit reasons
 * (no e-mail addresses, no long digit runs) and must not name the person.
 *
 * Need to know: a search reads only what the authority may see of each procedure
 * (requests: the requesting side always, the responding side once it accepted; alerts:
 * issued by it or routed to it). Blocked and deleted procedures are not searched: blocked
 * data may only prove that an exchange took place (Art 14(1)).
 *
 * Early deletion, "where allowed": only for requests that ended, closed or withdrawn,
 * and every request split from them; an open request is refused (ERR_INVALID_STATE):
 * the authority closes or withdraws it first, since both authorities still need the
 * data to finish the exchange. Either side may ask; the other node deletes its copy on
 * the erasure and returns a signed receipt, which the register's view shows. Alerts are
 * not erased here: their content lives on every addressed node and goes with retention.
 *
 * Art 17(3): every step is on the audit trail, in the batch of the register's change:
 * one entry for the data subject request, and one per procedure read ('read'),
 * exported ('export'), corrected ('correct'), contested ('contest') or deleted
 * ('delete'), ids only, the reason naming the data subject request.
 */
import type { RequestState, SubjectData } from '@imi/protocol'
import type { Clock } from '../../clock.js'
import { InvalidRequestError, InvalidStateError, NotFoundError } from '../../errors.js'
import { auditReason } from '../../storage/audit-log.js'
import { Bucket, type Store, type WriteOp } from '../../storage/index.js'
import { demand, isCoordinator, mayHandleSubjectRequests, type Actor } from '../accounts/permissions.js'
import type { AlertRecord, AlertSealer } from '../alerts/alert-service.js'
import type { AuditRecord, AuditTrail } from '../audit/audit-trail.js'
import { KeyedLock } from '../keyed-lock.js'
import type { Logger } from '../logger.js'
import type { RequestService } from '../requests/request-service.js'
import { erasureView, retentionRecord, type ErasureView } from '../retention/records.js'
import type { RetentionScheduler } from '../retention/retention-scheduler.js'
import type { SubjectCorrections } from './corrections.js'
import { PersonalDataReader, type AlertExport, type ProcedureRef, type RequestExport } from './personal-data-reader.js'
import { matchingPaths, prepareQuery, type SubjectQuery } from './search.js'

export type { AlertExport, ProcedureRef, RequestExport } from './personal-data-reader.js'

export const SUBJECT_REQUEST_KINDS = ['access', 'rectification', 'erasure', 'contest'] as const
export type SubjectRequestKind = typeof SUBJECT_REQUEST_KINDS[number]
export type SubjectRequestStatus = 'open' | 'done' | 'refused'
export type SubjectRequestStep = 'register' | 'find' | 'export' | 'correct' | 'contest' | 'erase' | 'close'

const DAY_MS = 86_400_000
/** Art 19: the authority acts at the latest 30 days after the request. */
export const SUBJECT_REQUEST_DAYS = 30


export interface SubjectRequestRecord {
  readonly id: string
  readonly kind: SubjectRequestKind
  /** The authority handling it. */
  readonly authority: string
  readonly receivedAt: number
  readonly dueAt: number
  readonly status: SubjectRequestStatus
  readonly notes?: string
  readonly procedures: readonly ProcedureRef[]
  readonly handledAt?: number
  readonly handledBy?: string
  /** What was done, when and by whom (ids only). */
  readonly steps: ReadonlyArray<{ readonly at: number, readonly by: string, readonly step: SubjectRequestStep, readonly procedure?: { readonly kind: 'request' | 'alert', readonly id: string } }>
}

export interface ProcedureView extends ProcedureRef {
  readonly blocked?: true
  /** Deleted on this node, and the counterpart's signed statement once it deleted its copy. */
  readonly erasure?: ErasureView
}

export interface SubjectRequestView extends Omit<SubjectRequestRecord, 'procedures'> {
  readonly procedures: readonly ProcedureView[]
  /** Whole days until the deadline (negative once past), while open. */
  readonly daysLeft?: number
  readonly overdue: boolean
  /** Once handled: whether by the deadline. */
  readonly handledInTime?: boolean
}

export interface NewSubjectRequest {
  readonly kind: SubjectRequestKind
  /** Defaults to the acting official's authority. */
  readonly authority?: string
  /** When the data subject's request arrived (ms, not in the future). Defaults to now. */
  readonly receivedAt?: number
  readonly notes?: string
}

export interface FindResult {
  readonly subjectRequest?: string
  readonly matches: ReadonlyArray<ProcedureRef & { readonly role?: 'requester' | 'responder', readonly area: string }>
}

/** The machine-readable copy of a person's data (GDPR Art 15(3)), JSON. */
export interface SubjectExport {
  readonly format: 'imi-data-subject-export/1'
  readonly subjectRequest: string
  readonly node: string
  readonly authority: string
  readonly exportedAt: string
  readonly procedures: ReadonlyArray<RequestExport | AlertExport>
}


export interface SubjectRightsComponents {
  readonly store: Store
  readonly clock: Clock
  readonly randomBytes: (n: number) => Uint8Array
  readonly requests: Pick<RequestService, 'personalDataAuthority' | 'log'>
  readonly corrections: Pick<SubjectCorrections, 'apply'>
  readonly retention: Pick<RetentionScheduler, 'eraseRequest'>
  readonly sealer: AlertSealer
  readonly audit: Pick<AuditTrail, 'recordAllWith'>
  readonly logger: Logger
}

export interface SubjectRightsInit {
  readonly country: string
  readonly federationId: string
}

/** Audit reasons name the data subject request, never the person; ids with long digit runs would be redacted there, so none is issued. */
const DIGIT_RUN = /\d(?:[ .-]?\d){5,}/u
const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url')
const iso = (ms: number): string => new Date(ms).toISOString()
const ENDED = new Set(['closed', 'withdrawn'])

export class SubjectRights {
  private readonly locks = new KeyedLock()
  private readonly reader: PersonalDataReader

  constructor (private readonly components: SubjectRightsComponents, private readonly init: SubjectRightsInit) {
    this.reader = new PersonalDataReader(components, init)
  }

  // The register.

  async create (actor: Actor, input: NewSubjectRequest): Promise<SubjectRequestView> {
    const authority = input.authority ?? (actor.kind === 'user' ? actor.authority : undefined)
    if (authority === undefined) throw new InvalidRequestError('authority is required')
    demand(mayHandleSubjectRequests(actor, authority), `handle data subject requests for ${authority}`)
    if (!(SUBJECT_REQUEST_KINDS as readonly string[]).includes(input.kind)) throw new InvalidRequestError(`kind must be one of ${SUBJECT_REQUEST_KINDS.join(', ')}`)
    const now = this.components.clock.now()
    const receivedAt = input.receivedAt ?? now
    if (!Number.isSafeInteger(receivedAt) || receivedAt < 0 || receivedAt > now) throw new InvalidRequestError('receivedAt must be a time (ms) not in the future')
    const id = this.newId()
    const notes = this.notes(input.notes)
    const record: SubjectRequestRecord = {
      id, kind: input.kind, authority, receivedAt, dueAt: receivedAt + SUBJECT_REQUEST_DAYS * DAY_MS, status: 'open',
      ...(notes !== undefined && { notes }), procedures: [], steps: [{ at: now, by: this.who(actor), step: 'register' }]
    }
    await this.components.store.commit([{ type: 'put', bucket: Bucket.subjectRequests, key: id, value: record }],
      this.components.audit.recordAllWith([{ actor, action: 'change', procedure: { kind: 'subject-request', id }, reason: `registered: ${input.kind}` }]))
    return await this.view(record)
  }

  /** The authority's data subject requests (the coordinator: the state's), open ones first by deadline. */
  async list (actor: Actor, filter: { status?: SubjectRequestStatus } = {}): Promise<SubjectRequestView[]> {
    const out: SubjectRequestRecord[] = []
    for await (const [, r] of this.components.store.entries<SubjectRequestRecord>(Bucket.subjectRequests)) {
      if (!this.maySee(actor, r)) continue
      if (filter.status !== undefined && r.status !== filter.status) continue
      out.push(r)
    }
    out.sort((a, b) => (a.status === 'open' ? 0 : 1) - (b.status === 'open' ? 0 : 1) || (a.status === 'open' ? a.dueAt - b.dueAt : b.receivedAt - a.receivedAt))
    return await Promise.all(out.map(async (r) => await this.view(r)))
  }

  async get (actor: Actor, id: string): Promise<SubjectRequestView> {
    const r = await this.found(actor, id)
    demand(this.maySee(actor, r), 'read data subject requests (local data administrators and the coordinator only)')
    return await this.view(r)
  }

  async close (actor: Actor, id: string, input: { status: 'done' | 'refused', notes?: string }): Promise<SubjectRequestView> {
    if (input.status !== 'done' && input.status !== 'refused') throw new InvalidRequestError('status must be done or refused')
    return await this.step(actor, id, async (r) => {
      const now = this.components.clock.now()
      const notes = this.notes(input.notes) ?? r.notes
      const { notes: _old, ...rest } = r
      return {
        record: { ...rest, ...(notes !== undefined && { notes }), status: input.status, handledAt: now, handledBy: this.who(actor), steps: [...r.steps, { at: now, by: this.who(actor), step: 'close' }] },
        audits: [{ actor, action: 'change', procedure: { kind: 'subject-request', id }, reason: `closed: ${input.status}` }]
      }
    })
  }

  // Finding.

  /**
   * The person's data in the procedures of the actor's authority on this node: requests
   * it takes part in (the subject, corrections, answers, messages, file names) and alerts
   * it issued or had routed to it (the content, sealed or not). With a data subject
   * request, the procedures found are added to it. Each procedure found is audited 'read'.
   */
  async find (actor: Actor, query: SubjectQuery & { readonly subjectRequest?: string }): Promise<FindResult> {
    const q = prepareQuery(query)
    const authority = actor.kind === 'user' ? actor.authority : undefined
    demand(authority !== undefined && mayHandleSubjectRequests(actor, authority), 'search personal data for a data subject (local data administrators only)')
    const run = async (): Promise<FindResult['matches']> => {
      const matches: Array<FindResult['matches'][number]> = []
      for await (const rec of this.components.requests.log.records()) {
        const data = await this.reader.requestData(rec.state, authority!)
        if (data === undefined) continue
        const fields = matchingPaths(q, this.reader.requestItems(data))
        if (fields.length > 0) matches.push({ kind: 'request', id: rec.state.id, fields, role: data.role, area: rec.state.area })
      }
      for await (const [, alert] of this.components.store.entries<AlertRecord>(Bucket.alerts)) {
        const content = await this.reader.alertContent(alert, authority!)
        if (content === undefined) continue
        const fields = matchingPaths(q, this.reader.alertItems(content))
        if (fields.length > 0) matches.push({ kind: 'alert', id: alert.state.id, fields, area: alert.state.area })
      }
      return matches
    }
    const reason = (sr?: string): string => sr === undefined ? 'data subject search' : `data subject request ${sr}`
    const perProcedure = (matches: FindResult['matches'], sr?: string): AuditRecord[] =>
      matches.map((m) => ({ actor, action: 'read', procedure: { kind: m.kind, id: m.id }, reason: reason(sr) }))
    if (query.subjectRequest === undefined) {
      const matches = await run()
      if (matches.length > 0) await this.components.store.commit([], this.components.audit.recordAllWith(perProcedure(matches)))
      return { matches }
    }
    const sr = query.subjectRequest
    let found: FindResult['matches'] = []
    await this.step(actor, sr, async (r) => {
      found = await run()
      const now = this.components.clock.now()
      const procedures = [...r.procedures]
      for (const m of found) {
        const at = procedures.findIndex((p) => p.kind === m.kind && p.id === m.id)
        const ref: ProcedureRef = { kind: m.kind, id: m.id, fields: [...new Set([...(at >= 0 ? procedures[at]!.fields : []), ...m.fields])] }
        if (at >= 0) procedures[at] = ref
        else procedures.push(ref)
      }
      return {
        record: { ...r, procedures, steps: [...r.steps, { at: now, by: this.who(actor), step: 'find' }] },
        audits: [{ actor, action: 'read', procedure: { kind: 'subject-request', id: sr }, reason: 'find' }, ...perProcedure(found, sr)]
      }
    })
    return { subjectRequest: sr, matches: found }
  }

  // Exporting.

  /** Every personal datum about the person in the procedures found, as JSON; audited 'export' per procedure. */
  async export (actor: Actor, id: string): Promise<SubjectExport> {
    let out: SubjectExport | undefined
    await this.step(actor, id, async (r) => {
      const procedures: Array<RequestExport | AlertExport> = []
      const exported: AuditRecord[] = []
      for (const p of r.procedures) {
        const item = p.kind === 'request' ? await this.reader.exportRequest(p, r.authority) : await this.reader.exportAlert(p, r.authority)
        if (item === undefined) continue
        procedures.push(item)
        if (item.withheld === undefined) exported.push({ actor, action: 'export', procedure: { kind: p.kind, id: p.id }, reason: `data subject request ${id}` })
      }
      const now = this.components.clock.now()
      out = { format: 'imi-data-subject-export/1', subjectRequest: id, node: this.init.country, authority: r.authority, exportedAt: iso(now), procedures }
      return {
        record: { ...r, steps: [...r.steps, { at: now, by: this.who(actor), step: 'export' }] },
        audits: [{ actor, action: 'export', procedure: { kind: 'subject-request', id }, reason: 'export' }, ...exported]
      }
    })
    return out!
  }

  // Correcting, contesting, erasing: one request found for the data subject request.

  /** Replaces the subject of a request (and the requests split from it) on both nodes. */
  async correct (actor: Actor, id: string, input: { request: string, subject: SubjectData, note?: string }): Promise<SubjectRequestView> {
    return await this.onRequest(actor, id, input.request, 'correct', async (state, authority) => {
      await this.components.corrections.apply(actor, state.id, authority, { kind: 'rectification', subject: input.subject, ...(input.note !== undefined && { note: input.note }) }, `data subject request ${id}`)
      return []
    })
  }

  /** Records that the data subject contests the accuracy of a request's subject data, on both nodes. */
  async contest (actor: Actor, id: string, input: { request: string, note?: string }): Promise<SubjectRequestView> {
    return await this.onRequest(actor, id, input.request, 'contest', async (state, authority) => {
      await this.components.corrections.apply(actor, state.id, authority, { kind: 'contest', ...(input.note !== undefined && { note: input.note }) }, `data subject request ${id}`)
      return []
    })
  }

  /**
   * Deletes a request's personal data now, on this node and (by the signed erasure and
   * its receipt) on the counterpart's, with every request split from it. Allowed only
   * once they all ended (closed or withdrawn): ERR_INVALID_STATE otherwise.
   */
  async erase (actor: Actor, id: string, input: { request: string }): Promise<SubjectRequestView> {
    return await this.onRequest(actor, id, input.request, 'erase', async (state) => {
      const family = await this.reader.descendants(state)
      const open = family.filter((s) => !ENDED.has(s.status))
      if (open.length > 0) {
        throw new InvalidStateError(`request ${open[0]!.id} is ${open[0]!.status}: personal data are erased early only once a request is closed or withdrawn (close or withdraw it first)`)
      }
      // Children first: a parent keeps the subject its children still show.
      for (const s of family.reverse()) await this.components.retention.eraseRequest(s.id, 'data-subject')
      return family.map((s): AuditRecord => ({ actor, action: 'delete', procedure: { kind: 'request', id: s.id }, reason: `data subject request ${id}` }))
    }, { allowBlocked: true })
  }

  // Internals.

  private async onRequest (
    actor: Actor, id: string, requestId: string, step: 'correct' | 'contest' | 'erase',
    act: (state: RequestState, authority: string) => Promise<AuditRecord[]>, opts: { allowBlocked?: boolean } = {}
  ): Promise<SubjectRequestView> {
    return await this.step(actor, id, async (r) => {
      if (!r.procedures.some((p) => p.kind === 'request' && p.id === requestId)) {
        throw new InvalidRequestError(`request ${requestId} was not found for data subject request ${id}: find the person's data first`)
      }
      const state = (await this.components.requests.log.record(requestId))?.state
      if (state === undefined) throw new NotFoundError(`no request ${requestId}`)
      const authority = this.components.requests.personalDataAuthority(state)
      if (authority !== r.authority) throw new InvalidStateError(`${r.authority} no longer holds the personal data of request ${requestId}`)
      const retention = await retentionRecord(this.components.store, 'request', requestId)
      if (retention?.deletedAt !== undefined && step !== 'erase') throw new InvalidStateError(`the personal data of request ${requestId} were deleted`)
      if (retention?.blockedAt !== undefined && opts.allowBlocked !== true) throw new InvalidStateError(`the personal data of request ${requestId} are blocked: they may only prove that an exchange took place`)
      const audits = retention?.deletedAt !== undefined ? [] : await act(state, authority)
      const now = this.components.clock.now()
      return {
        record: { ...r, steps: [...r.steps, { at: now, by: this.who(actor), step, procedure: { kind: 'request', id: requestId } }] },
        audits: [{ actor, action: step === 'erase' ? 'delete' : step, procedure: { kind: 'subject-request', id }, reason: step }, ...audits]
      }
    })
  }

  /** One step on an open data subject request, by one of its authority's administrators: the register's change and its audit entries in one commit. */
  private async step (actor: Actor, id: string, fn: (r: SubjectRequestRecord) => Promise<{ record: SubjectRequestRecord, audits: AuditRecord[], writes?: WriteOp[] }>): Promise<SubjectRequestView> {
    return await this.locks.run(id, async () => {
      const r = await this.found(actor, id)
      demand(mayHandleSubjectRequests(actor, r.authority), `handle data subject requests for ${r.authority}`)
      if (r.status !== 'open') throw new InvalidStateError(`data subject request ${id} is ${r.status}`)
      const { record, audits, writes } = await fn(r)
      await this.components.store.commit([...writes ?? [], { type: 'put', bucket: Bucket.subjectRequests, key: id, value: record }], this.components.audit.recordAllWith(audits))
      return await this.view(record)
    })
  }

  /** Another authority's entries do not exist for its officials; the coordinator sees the state's. */
  private async found (actor: Actor, id: string): Promise<SubjectRequestRecord> {
    const r = await this.components.store.get<SubjectRequestRecord>(Bucket.subjectRequests, id)
    if (r === undefined || !(isCoordinator(actor) || (actor.kind === 'user' && actor.authority === r.authority))) throw new NotFoundError(`no data subject request ${id}`)
    return r
  }

  private maySee (actor: Actor, r: SubjectRequestRecord): boolean {
    return isCoordinator(actor) || mayHandleSubjectRequests(actor, r.authority)
  }

  private async view (r: SubjectRequestRecord): Promise<SubjectRequestView> {
    const now = this.components.clock.now()
    const procedures: ProcedureView[] = []
    for (const p of r.procedures) {
      const retention = await retentionRecord(this.components.store, p.kind, p.id)
      const erasure = p.kind === 'request' ? await erasureView(this.components.store, retention, p.id) : undefined
      procedures.push({
        ...p, ...(retention?.blockedAt !== undefined && { blocked: true as const }),
        ...(erasure !== undefined ? { erasure } : retention?.deletedAt !== undefined && { erasure: { local: retention.deletedAt } })
      })
    }
    const open = r.status === 'open'
    return {
      ...r, procedures,
      ...(open && { daysLeft: Math.ceil((r.dueAt - now) / DAY_MS) }),
      overdue: open && now > r.dueAt,
      ...(r.handledAt !== undefined && { handledInTime: r.handledAt <= r.dueAt })
    }
  }

  private newId (): string {
    for (;;) {
      const id = `sr-${b64url(this.components.randomBytes(12))}`
      if (!DIGIT_RUN.test(id)) return id
    }
  }

  private who (actor: Actor): string {
    return actor.kind === 'user' ? actor.username : 'operator'
  }

  private notes (notes: string | undefined): string | undefined {
    if (notes === undefined) return undefined
    if (typeof notes !== 'string') throw new InvalidRequestError('notes must be text')
    return auditReason(notes)
  }
}
