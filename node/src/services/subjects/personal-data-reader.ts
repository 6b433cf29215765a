/**
 * What one authority may see of a person's data on this node, for the data subject
 * rights (subject-rights.ts): a request's personal data, an alert's content (opened if
 * sealed), the fields a search runs over, and each procedure's part of an export.
 *
 * Need to know is decided here, once: a request's data only for the authority that holds
 * them on this node (the requesting side always, the responding side once it accepted),
 * an alert's only for the authority that issued it or had it routed; nothing of a blocked
 * or deleted procedure.
 */
import { decodeAlertContent, utf8, type AlertContent, type AnswerItem, type RequestPersonalData, type RequestState, type SubjectData } from '@imi/protocol'
import { Bucket, type Store } from '../../storage/index.js'
import type { AlertRecord, AlertSealer } from '../alerts/alert-service.js'
import type { Logger } from '../logger.js'
import type { RequestService } from '../requests/request-service.js'
import { retentionRecord } from '../retention/records.js'
import { correctionsWithData, type CorrectionWithData } from './corrections.js'
import { jsonItems, recordItems, type SearchItem } from './search.js'

/** A procedure found for a data subject request, and which of its fields named the person (paths, never values). */
export interface ProcedureRef {
  readonly kind: 'request' | 'alert'
  readonly id: string
  readonly fields: readonly string[]
}

export interface RequestExport {
  readonly kind: 'request'
  readonly id: string
  readonly role: 'requester' | 'responder'
  readonly area: string
  readonly status: string
  readonly requester: { readonly country: string, readonly authority: string }
  readonly responder: { readonly country: string, readonly authority?: string }
  readonly sentAt: string
  readonly closedAt?: string
  readonly questions: readonly string[]
  /** The subject as this node holds it now (corrections applied). */
  readonly subject?: SubjectData
  /** The subject as the requesting node disclosed it, where a correction changed it since. */
  readonly disclosedSubject?: SubjectData
  readonly corrections?: ReadonlyArray<{ readonly kind: string, readonly at: string, readonly by: string, readonly subject?: SubjectData, readonly note?: string }>
  readonly answers?: ReadonlyArray<{ readonly event: string, readonly at: string, readonly items: readonly AnswerItem[] }>
  readonly messages?: ReadonlyArray<{ readonly event: string, readonly action: string, readonly at: string, readonly text: string }>
  readonly attachments?: ReadonlyArray<{ readonly sha256: string, readonly name: string }>
  /** Why nothing else is here. */
  readonly withheld?: 'blocked' | 'deleted'
}

export interface AlertExport {
  readonly kind: 'alert'
  readonly id: string
  readonly area: string
  readonly type: string
  readonly from: string
  readonly fromAuthority: string
  readonly status: string
  readonly issuedAt: string
  readonly content?: Partial<AlertContent>
  readonly withheld?: 'blocked' | 'deleted'
}

/** A request's personal data on this node, as a search and an export read them. */
export interface RequestData {
  readonly state: RequestState
  readonly role: 'requester' | 'responder'
  readonly subject?: SubjectData
  readonly corrections: readonly CorrectionWithData[]
  readonly events: ReadonlyArray<{ readonly id: string, readonly action: string, readonly created: number, readonly data: RequestPersonalData }>
}

interface StoredAlertEvent { readonly pd?: { readonly content?: AlertContent, readonly sealed?: unknown } }

export interface PersonalDataReaderComponents {
  readonly store: Store
  readonly requests: Pick<RequestService, 'personalDataAuthority' | 'log'>
  readonly sealer: AlertSealer
  readonly logger: Logger
}

export interface PersonalDataReaderInit {
  readonly country: string
  readonly federationId: string
}

const iso = (ms: number): string => new Date(ms).toISOString()

export class PersonalDataReader {
  constructor (private readonly components: PersonalDataReaderComponents, private readonly init: PersonalDataReaderInit) {}

  /** What `authority` may see of a request's personal data here; undefined if nothing (not its procedure, not accepted yet, blocked or deleted). */
  async requestData (state: RequestState, authority: string): Promise<RequestData | undefined> {
    if (this.components.requests.personalDataAuthority(state) !== authority) return undefined
    if ((await retentionRecord(this.components.store, 'request', state.id))?.blockedAt !== undefined) return undefined
    const { store } = this.components
    const role = state.requester.country === this.init.country ? 'requester' : 'responder'
    const events: Array<RequestData['events'][number]> = []
    for (const e of (await this.components.requests.log.events(state.id)).sort((a, b) => a.body.base - b.body.base || a.created - b.created)) {
      if (!e.hasPersonalData) continue
      const pd = await store.get<{ data: RequestPersonalData }>(Bucket.personalData, e.id)
      if (pd !== undefined) events.push({ id: e.id, action: e.body.action, created: e.created, data: pd.data })
    }
    const corrections = await correctionsWithData(store, state.id)
    const latest = corrections.filter((c) => c.kind === 'rectification').at(-1)
    const base = role === 'requester' ? await this.requesterSubject(state) : events.filter((e) => e.action === 'disclose').at(-1)?.data.subject
    const subject = latest?.subject ?? base
    return { state, role, corrections, events, ...(subject !== undefined && { subject }) }
  }

  /** The subject record the requesting node keeps for a request, or for the request it was split from. */
  async requesterSubject (state: RequestState): Promise<SubjectData | undefined> {
    let current: RequestState | undefined = state
    while (current !== undefined) {
      const own = await this.components.store.get<{ subject: SubjectData }>(Bucket.requestSubjects, current.id)
      if (own !== undefined) return own.subject
      current = current.parent === undefined ? undefined : (await this.components.requests.log.record(current.parent))?.state
    }
    return undefined
  }

  requestItems (d: RequestData): SearchItem[] {
    const items: SearchItem[] = []
    if (d.subject !== undefined) items.push(...recordItems('subject', d.subject))
    for (const c of d.corrections) {
      if (c.subject !== undefined) items.push(...recordItems(`corrections.${c.id}.subject`, c.subject))
      if (c.note !== undefined) items.push({ path: `corrections.${c.id}.note`, value: c.note, kind: 'text' })
    }
    for (const e of d.events) {
      const at = `events.${e.id}`
      if (e.action === 'disclose' && e.data.subject !== undefined) items.push(...recordItems(`${at}.subject`, e.data.subject))
      e.data.answers?.forEach((a, i) => {
        if (a.comment !== undefined) items.push({ path: `${at}.answers.${i}.comment`, value: a.comment, kind: 'text' })
        if (a.value !== undefined) items.push(...jsonItems(`${at}.answers.${i}.value`, a.value))
      })
      if (e.data.text !== undefined) items.push({ path: `${at}.text`, value: e.data.text, kind: 'text' })
      for (const [sha, name] of Object.entries(e.data.attachmentNames ?? {})) items.push({ path: `${at}.attachmentNames.${sha}`, value: name, kind: 'text' })
    }
    return items
  }

  /** The content of an alert `authority` issued or had routed to it, opened if sealed; undefined if none, blocked or deleted. */
  async alertContent (r: AlertRecord, authority: string): Promise<AlertContent | undefined> {
    const ours = r.state.from === this.init.country ? r.state.fromAuthority === authority : r.routedTo.includes(authority)
    if (!ours) return undefined
    if ((await retentionRecord(this.components.store, 'alert', r.state.id))?.blockedAt !== undefined) return undefined
    const event = await this.components.store.get<StoredAlertEvent>(Bucket.alertEvents, `${r.state.id}/${r.state.issueEvent}`)
    if (event?.pd?.content !== undefined) return event.pd.content
    if (event?.pd?.sealed === undefined) return undefined
    try {
      // The additional authenticated data AlertService binds sealed content to its alert with.
      const aad = utf8(`${this.init.federationId}/alert/${r.state.from}/${r.state.id}`)
      const plain = await this.components.sealer.open(event.pd.sealed as never, aad)
      return decodeAlertContent(JSON.parse(new TextDecoder().decode(plain)))
    } catch (err) {
      this.components.logger.warn('alert content not opened for a data subject search', { alert: r.state.id, error: (err as Error).message })
      return undefined
    }
  }

  alertItems (c: AlertContent): SearchItem[] {
    return [
      ...recordItems('content.concerned', c.concerned),
      { path: 'content.description', value: c.description, kind: 'text' },
      ...(c.decision !== undefined ? [{ path: 'content.decision', value: c.decision, kind: 'text' as const }] : []),
      ...(c.profession !== undefined ? [{ path: 'content.profession', value: c.profession, kind: 'text' as const }] : [])
    ]
  }

  /**
   * A request's part of the export. Where the person is its subject (a subject or
   * correction field matched), everything personal in it is about them: the subject,
   * its corrections, every answer, message and file name. Otherwise only the answers,
   * messages and file names that named them.
   */
  async exportRequest (p: ProcedureRef, authority: string): Promise<RequestExport | undefined> {
    const state = (await this.components.requests.log.record(p.id))?.state
    if (state === undefined) return undefined
    const role: RequestExport['role'] = state.requester.country === this.init.country ? 'requester' : 'responder'
    const head = {
      kind: 'request' as const, id: state.id, role, area: state.area, status: state.status, requester: state.requester, responder: state.responder,
      sentAt: iso(state.sentAt), ...(state.closedAt !== undefined && { closedAt: iso(state.closedAt) }), questions: [...state.questions, ...state.freeQuestions]
    }
    const retention = await retentionRecord(this.components.store, 'request', p.id)
    if (retention?.deletedAt !== undefined) return { ...head, withheld: 'deleted' }
    if (retention?.blockedAt !== undefined) return { ...head, withheld: 'blocked' }
    const d = await this.requestData(state, authority)
    if (d === undefined) return undefined
    const whole = p.fields.some((f) => f === 'subject' || f.startsWith('subject.') || f.startsWith('corrections.') || /^events\.[^.]+\.subject/.test(f))
    const named = (prefix: string): boolean => whole || p.fields.some((f) => f === prefix || f.startsWith(`${prefix}.`))
    const answers = d.events.filter((e) => e.data.answers !== undefined).map((e) => ({
      event: e.id, at: iso(e.created), items: e.data.answers!.filter((_, i) => named(`events.${e.id}.answers.${i}`))
    })).filter((a) => a.items.length > 0)
    const messages = d.events.filter((e) => e.data.text !== undefined && named(`events.${e.id}.text`))
      .map((e) => ({ event: e.id, action: e.action, at: iso(e.created), text: e.data.text! }))
    const attachments = d.events.flatMap((e) => Object.entries(e.data.attachmentNames ?? {})
      .filter(([sha]) => named(`events.${e.id}.attachmentNames.${sha}`)).map(([sha256, name]) => ({ sha256, name })))
    const corrections = whole
      ? d.corrections.map((c) => ({ kind: c.kind, at: iso(c.at), by: c.authority === undefined ? c.from : `${c.from}/${c.authority}`, ...(c.subject !== undefined && { subject: c.subject }), ...(c.note !== undefined && { note: c.note }) }))
      : []
    const disclosed = d.events.filter((e) => e.action === 'disclose').at(-1)?.data.subject
    const changed = disclosed !== undefined && JSON.stringify(disclosed) !== JSON.stringify(d.subject)
    return {
      ...head,
      ...(whole && d.subject !== undefined && { subject: d.subject }),
      ...(whole && changed && { disclosedSubject: disclosed }),
      ...(corrections.length > 0 && { corrections }),
      ...(answers.length > 0 && { answers }),
      ...(messages.length > 0 && { messages }),
      ...(attachments.length > 0 && { attachments: [...new Map(attachments.map((a) => [a.sha256, a])).values()] })
    }
  }

  /** An alert's part: the whole content where the person is the one concerned, else the texts that named them. */
  async exportAlert (p: ProcedureRef, authority: string): Promise<AlertExport | undefined> {
    const r = await this.components.store.get<AlertRecord>(Bucket.alerts, p.id)
    if (r === undefined) return undefined
    const s = r.state
    const head = { kind: 'alert' as const, id: s.id, area: s.area, type: s.type, from: s.from, fromAuthority: s.fromAuthority, status: s.status, issuedAt: iso(s.issuedAt) }
    const retention = await retentionRecord(this.components.store, 'alert', p.id)
    if (retention?.deletedAt !== undefined) return { ...head, withheld: 'deleted' }
    if (retention?.blockedAt !== undefined) return { ...head, withheld: 'blocked' }
    const content = await this.alertContent(r, authority)
    if (content === undefined) return undefined
    const whole = p.fields.some((f) => f.startsWith('content.concerned'))
    const part: Partial<AlertContent> = whole
      ? content
      : {
          ...(p.fields.includes('content.description') && { description: content.description }),
          ...(p.fields.includes('content.decision') && content.decision !== undefined && { decision: content.decision }),
          ...(p.fields.includes('content.profession') && content.profession !== undefined && { profession: content.profession })
        }
    return { ...head, content: part }
  }

  /** A request and every request split from it (and from those), parents first. */
  async descendants (state: RequestState): Promise<RequestState[]> {
    const out: RequestState[] = []
    const queue = [state]
    const seen = new Set<string>()
    while (queue.length > 0) {
      const s = queue.shift()!
      if (seen.has(s.id)) continue
      seen.add(s.id)
      out.push(s)
      for (const c of s.children) {
        const child = (await this.components.requests.log.record(c))?.state
        if (child !== undefined) queue.push(child)
      }
    }
    return out
  }
}
