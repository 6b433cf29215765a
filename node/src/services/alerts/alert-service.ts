/**
 * Alerts on one node: issuing (by an authority's alert handler), withdrawing and closing
 * them as broadcast events; taking in other states' alerts, routing each to this state's
 * authorities that handle its legislative area, and sending the issuer a signed receipt;
 * and, for the issuer, which states have each alert and which not yet. The content of an
 * alert to selected states is sealed to their node keys: relays store and forward it,
 * only the addressed nodes open it, and only when an authorised official reads it.
 */
import {
  ALERT_KIND, ALERT_RECEIPT_KIND, ImiError, decodeAlertContent, decodeAlertEventBody, decodeAlertReceiptBody, replayAlert, utf8,
  type AlertContent, type AlertEvent, type AlertEventBody, type AlertState, type AlertType, type Json, type LegislativeArea,
  type Roster, type VerifiedEnvelope
} from '@imi/protocol'
import type { Clock } from '../../clock.js'
import { InvalidRequestError, NotFoundError, PermissionDeniedError } from '../../errors.js'
import { Bucket, type Store, type WriteOp } from '../../storage/index.js'
import { demand, isCoordinator, mayActFor, type Actor } from '../accounts/permissions.js'
import type { AuthorityRegistry } from '../authorities/authority-registry.js'
import type { BroadcastHandler, Broadcaster } from '../broadcast/broadcaster.js'
import type { Logger } from '../logger.js'
import type { Messaging } from '../messaging/messaging.js'
import { retentionRecord, statedReason, type PersonalDataAuditHook } from '../retention/records.js'

/** Seals alert content to the addressed states' node keys, and opens what was sealed to this one. */
export interface AlertSealer {
  seal(plaintext: Uint8Array, countries: readonly string[], aad: Uint8Array): Promise<Json>
  open(sealed: Json, aad: Uint8Array): Promise<Uint8Array>
}

export interface AlertServiceComponents {
  readonly store: Store
  readonly clock: Clock
  readonly broadcaster: Pick<Broadcaster, 'publish' | 'handle'>
  readonly messaging: Pick<Messaging, 'send' | 'handleInbound'>
  readonly authorities: Pick<AuthorityRegistry, 'list' | 'get'>
  readonly roster: () => Roster
  readonly sealer: AlertSealer
  readonly randomBytes: (n: number) => Uint8Array
  readonly logger: Logger
  /** Art 17(3): reads of blocked alert content are recorded here (the audit trail connects). */
  readonly audit?: PersonalDataAuditHook
}

export interface AlertServiceInit {
  readonly federationId: string
  readonly country: string
}

export interface NewAlert {
  readonly fromAuthority?: string
  readonly area: LegislativeArea
  readonly type: AlertType
  /** 'all', or the member states to warn. */
  readonly to: 'all' | readonly string[]
  readonly decisionDate?: string
  readonly content: AlertContent
}

interface StoredAlertEvent extends AlertEvent {
  /** The issuing event's sidecar: `{ content }` in clear, or `{ sealed }`. */
  readonly pd?: { readonly content?: AlertContent, readonly sealed?: Json }
}

export interface AlertRecord {
  readonly state: AlertState
  /** This state's authorities the alert was routed to (receiving side); the coordinator may change it. */
  readonly routedTo: readonly string[]
  readonly addressedHere: boolean
}

export interface AlertView extends AlertRecord {
  readonly content?: AlertContent
  /** Issuing side: for each state the alert went to, whether its signed receipt is in. */
  readonly delivery?: Readonly<Record<string, 'received' | 'pending'>>
  /** Retention blocked the content: no normal view shows it (readBlocked does, with a stated reason). */
  readonly blocked?: true
  /** Retention deleted the content on this node at this instant. */
  readonly deletedAt?: number
}

const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url')

export class AlertService extends EventTarget {
  constructor (private readonly components: AlertServiceComponents, private readonly init: AlertServiceInit) {
    super()
    const handler: BroadcastHandler = {
      apply: async (env) => await this.apply(env),
      applied: (env, source) => { this.applied(env, source) }
    }
    components.broadcaster.handle(ALERT_KIND, handler)
    components.messaging.handleInbound(ALERT_RECEIPT_KIND, async (env) => await this.receiptIn(env))
  }

  /** The additional authenticated data that binds sealed content to its alert. */
  private aad (alertId: string, from: string): Uint8Array { return utf8(`${this.init.federationId}/alert/${from}/${alertId}`) }

  async issue (actor: Actor, input: NewAlert): Promise<AlertView> {
    const authority = input.fromAuthority ?? (actor.kind === 'user' ? actor.authority : undefined)
    if (authority === undefined) throw new InvalidRequestError('fromAuthority is required')
    demand(mayActFor(actor, authority, input.area, 'alert-handler'), `issue ${input.area} alerts for ${authority}`)
    const content = this.checked(() => decodeAlertContent(input.content))
    const members = this.components.roster().doc.members.map((m) => m.country)
    if (input.to !== 'all') {
      if (input.to.length === 0) throw new InvalidRequestError('an alert goes to at least one member state')
      for (const c of input.to) if (c === this.init.country || !members.includes(c)) throw new InvalidRequestError(`${c} is not another member state of the federation`)
    }
    const id = b64url(this.components.randomBytes(16))
    const addressed = input.to === 'all' ? ['*'] : [...input.to]
    const body = this.checked(() => decodeAlertEventBody({
      alert: id, action: 'issue', area: input.area, type: input.type, addressed, ...(input.decisionDate !== undefined && { decisionDate: input.decisionDate })
    }))
    // Sealed to the addressed states and to this one, so the issuer can read its own alert later.
    const personalData = input.to === 'all'
      ? { content }
      : { sealed: await this.components.sealer.seal(utf8(JSON.stringify(content)), [...input.to, this.init.country], this.aad(id, this.init.country)) }
    await this.components.broadcaster.publish({ kind: ALERT_KIND, body: body as unknown as Json, to: addressed, fromAuthority: authority, personalData: personalData as unknown as Json })
    return await this.get(actor, id)
  }

  async withdraw (actor: Actor, id: string, reason?: string): Promise<AlertView> { return await this.end(actor, id, 'withdraw', reason) }
  async close (actor: Actor, id: string, reason?: string): Promise<AlertView> { return await this.end(actor, id, 'close', reason) }

  private async end (actor: Actor, id: string, action: 'withdraw' | 'close', reason?: string): Promise<AlertView> {
    const record = await this.record(id)
    if (record === undefined || record.state.from !== this.init.country) throw new NotFoundError(`no alert ${id} issued here`)
    demand(mayActFor(actor, record.state.fromAuthority, record.state.area, 'alert-handler'), `${action} alerts of ${record.state.fromAuthority}`)
    const body = this.checked(() => decodeAlertEventBody({ alert: id, action, ...(reason !== undefined && { reason }) }))
    await this.components.broadcaster.publish({ kind: ALERT_KIND, body: body as unknown as Json, to: record.state.addressed, fromAuthority: record.state.fromAuthority })
    return await this.get(actor, id)
  }

  /** The national (alert) coordinator sends an incoming alert to other authorities of this state. */
  async reroute (actor: Actor, id: string, authorities: readonly string[]): Promise<AlertView> {
    demand(isCoordinator(actor), 'route alerts')
    const record = await this.record(id)
    if (record === undefined || !record.addressedHere || record.state.from === this.init.country) throw new NotFoundError(`no incoming alert ${id}`)
    for (const a of authorities) if (this.components.authorities.get(a)?.status !== 'active') throw new InvalidRequestError(`${a} is not an active authority of this state`)
    await this.components.store.commit([{ type: 'put', bucket: Bucket.alerts, key: id, value: { ...record, routedTo: [...new Set(authorities)] } }])
    return await this.get(actor, id)
  }

  async list (actor: Actor): Promise<AlertRecord[]> {
    const out: AlertRecord[] = []
    for await (const [, r] of this.components.store.entries<AlertRecord>(Bucket.alerts)) if (this.maySee(actor, r)) out.push(r)
    return out.sort((a, b) => b.state.issuedAt - a.state.issuedAt)
  }

  /** One alert as `actor` may see it; once retention blocked it, without its content. */
  async get (actor: Actor, id: string): Promise<AlertView> {
    return await this.view(actor, id, false)
  }

  /**
   * A blocked alert's content, only to prove that an exchange took place: for an alert
   * handler of the authority that took part (issued it, or had it routed to it), with a
   * stated reason, which the audit trail records first. Nothing once the content is deleted.
   */
  async readBlocked (actor: Actor, id: string, reason: string): Promise<AlertView> {
    const stated = statedReason(reason)
    if (stated === undefined) throw new InvalidRequestError('reading blocked personal data needs a stated reason (1 to 1000 characters)')
    const record = await this.record(id)
    if (record === undefined || !this.maySee(actor, record)) throw new NotFoundError(`no alert ${id}`)
    const retention = await retentionRecord(this.components.store, 'alert', id)
    if (retention?.deletedAt !== undefined) throw new NotFoundError(`the content of alert ${id} was deleted`)
    if (retention?.blockedAt === undefined) throw new InvalidRequestError(`the content of alert ${id} is not blocked: read the alert itself`)
    if (actor.kind !== 'user' || actor.authority === undefined || !this.mayRead(actor, record)) {
      throw new PermissionDeniedError('not allowed to read the blocked content of this alert (only its own authorities\' alert handlers may)')
    }
    await this.components.audit?.record(actor, 'read-blocked', { kind: 'alert', id }, stated)
    return await this.view(actor, id, true)
  }

  private async view (actor: Actor, id: string, readBlocked: boolean): Promise<AlertView> {
    const record = await this.record(id)
    if (record === undefined || !this.maySee(actor, record)) throw new NotFoundError(`no alert ${id}`)
    const retention = await retentionRecord(this.components.store, 'alert', id)
    const blocked = retention?.blockedAt !== undefined
    const readable = (!blocked || (readBlocked && retention.deletedAt === undefined)) && this.mayRead(actor, record)
    const content = readable ? await this.content(record) : undefined
    if (content !== undefined && !readBlocked) await this.components.audit?.record(actor, 'read', { kind: 'alert', id })
    const delivery = record.state.from === this.init.country ? await this.delivery(record.state) : undefined
    return {
      ...record, ...(content !== undefined && { content }), ...(delivery !== undefined && { delivery }),
      ...(blocked && { blocked: true as const }), ...(retention?.deletedAt !== undefined && { deletedAt: retention.deletedAt })
    }
  }

  // Who sees what.

  /** The issuing authority, the authorities it was routed to here, and the coordinator. */
  private maySee (actor: Actor, r: AlertRecord): boolean {
    if (isCoordinator(actor)) return r.addressedHere || r.state.from === this.init.country
    if (actor.kind !== 'user' || actor.authority === undefined) return false
    const ours = r.state.from === this.init.country ? actor.authority === r.state.fromAuthority : r.routedTo.includes(actor.authority)
    return ours && actor.grants.some((g) => g.area === r.state.area)
  }

  /** The content, with the person concerned, only for those who handle alerts of that area there. */
  private mayRead (actor: Actor, r: AlertRecord): boolean {
    if (actor.kind !== 'user' || actor.authority === undefined || !this.maySee(actor, r)) return false
    return mayActFor(actor, actor.authority, r.state.area, 'alert-handler')
  }

  private async content (r: AlertRecord): Promise<AlertContent | undefined> {
    const event = await this.components.store.get<StoredAlertEvent>(Bucket.alertEvents, `${r.state.id}/${r.state.issueEvent}`)
    if (event?.pd?.content !== undefined) return event.pd.content
    if (event?.pd?.sealed === undefined) return undefined
    const plain = await this.components.sealer.open(event.pd.sealed, this.aad(r.state.id, r.state.from))
    return decodeAlertContent(JSON.parse(new TextDecoder().decode(plain)))
  }

  private async delivery (s: AlertState): Promise<Record<string, 'received' | 'pending'>> {
    const targets = s.addressed[0] === '*' ? this.components.roster().doc.members.map((m) => m.country).filter((c) => c !== this.init.country) : s.addressed
    const out: Record<string, 'received' | 'pending'> = {}
    for (const c of targets) out[c] = await this.components.store.get(Bucket.alertReceipts, `${s.id}/${c}/${s.issueEvent}`) === undefined ? 'pending' : 'received'
    return out
  }

  // Taking events in (broadcast handler).

  private async apply (env: VerifiedEnvelope): Promise<WriteOp[]> {
    const body = decodeAlertEventBody(env.body)
    const pd = env.pd?.data as StoredAlertEvent['pd'] | undefined
    if (body.action === 'issue') this.checkIssueSidecar(body, pd)
    else if (pd !== undefined) throw new ImiError('ERR_BODY_SCHEMA', 'only the issuing event carries content')
    const known = await this.components.store.get<AlertRecord>(Bucket.alerts, body.alert)
    if (known === undefined && body.action !== 'issue') throw new ImiError('ERR_UNKNOWN_ALERT', `alert ${body.alert} not held yet`, 'ignore')
    if (known !== undefined && body.action === 'issue') throw new ImiError('ERR_DUPLICATE_MESSAGE', `alert ${body.alert} was issued already`, 'ignore')
    const event: StoredAlertEvent = {
      id: env.hdr.id, from: env.hdr.from, created: env.hdr.created, body,
      ...(env.hdr.fromAuthority !== undefined && { fromAuthority: env.hdr.fromAuthority }),
      ...(pd !== undefined && { pd })
    }
    const events = [...await this.events(body.alert), event]
    const { state, refused } = replayAlert(events)
    if (state === undefined) throw new ImiError('ERR_TRANSITION_NOT_ALLOWED', 'the alert event applies to nothing')
    if (refused.includes(env.hdr.id)) {
      // Another state ending this alert is forged in effect: reject. The issuer's own second ending (withdrawn, then closed) is merely late: ignore.
      if (env.hdr.from !== state.from) throw new ImiError('ERR_NOT_PARTY', 'only the issuing state withdraws or closes its alert')
      throw new ImiError('ERR_TRANSITION_NOT_ALLOWED', `the alert is ${state.status} already`, 'ignore')
    }
    const addressedHere = state.from !== this.init.country && (state.addressed[0] === '*' || state.addressed.includes(this.init.country))
    const record: AlertRecord = known === undefined
      ? { state, addressedHere, routedTo: addressedHere ? this.routeTo(state.area) : [] }
      : { ...known, state }
    return [
      { type: 'put', bucket: Bucket.alertEvents, key: `${body.alert}/${env.hdr.id}`, value: event },
      { type: 'put', bucket: Bucket.alerts, key: body.alert, value: record }
    ]
  }

  /** Alert to all: content in clear and well-formed. Addressed: sealed, opaque to relays. */
  private checkIssueSidecar (body: AlertEventBody, pd: StoredAlertEvent['pd'] | undefined): void {
    const toAll = body.addressed![0] === '*'
    if (pd === undefined) return // deleted by the origin's retention before this node synced it
    const keys = Object.keys(pd)
    if (toAll && (keys.length !== 1 || pd.content === undefined)) throw new ImiError('ERR_BODY_SCHEMA', 'an alert to all carries its content in clear')
    if (!toAll && (keys.length !== 1 || typeof pd.sealed !== 'object' || pd.sealed === null)) throw new ImiError('ERR_BODY_SCHEMA', 'an addressed alert carries its content sealed')
    if (toAll) decodeAlertContent(pd.content)
  }

  /** This state's active authorities that handle the alert's area. */
  private routeTo (area: LegislativeArea): string[] {
    return this.components.authorities.list({ status: 'active' }).filter((r) => r.entry.areas.includes(area)).map((r) => r.entry.id)
  }

  private applied (env: VerifiedEnvelope, source: 'local' | 'gossip' | 'sync'): void {
    const body = decodeAlertEventBody(env.body)
    this.dispatchEvent(new CustomEvent('changed', { detail: { id: body.alert, action: body.action, from: env.hdr.from } }))
    if (source === 'local' || env.hdr.from === this.init.country) return
    if (env.hdr.to[0] !== '*' && !env.hdr.to.includes(this.init.country)) return
    // The issuer learns that this state has the event: a durable, signed direct message.
    void this.components.messaging.send({ kind: ALERT_RECEIPT_KIND, to: env.hdr.from, body: { alert: body.alert, event: env.hdr.id, digest: env.digest } })
      .catch((err: Error) => { this.components.logger.error('alert receipt not queued', { alert: body.alert, error: err.message }) })
  }

  private async receiptIn (env: VerifiedEnvelope): Promise<WriteOp[]> {
    const r = decodeAlertReceiptBody(env.body)
    const record = await this.record(r.alert)
    if (record === undefined || record.state.from !== this.init.country) throw new ImiError('ERR_NOT_PARTY', `no alert ${r.alert} issued here`)
    return [{ type: 'put', bucket: Bucket.alertReceipts, key: `${r.alert}/${env.hdr.from}/${r.event}`, value: { at: env.hdr.created, digest: r.digest, receipt: env.jws } }]
  }

  private async record (id: string): Promise<AlertRecord | undefined> {
    return await this.components.store.get<AlertRecord>(Bucket.alerts, id)
  }

  private async events (id: string): Promise<StoredAlertEvent[]> {
    const out: StoredAlertEvent[] = []
    for await (const [, e] of this.components.store.entries<StoredAlertEvent>(Bucket.alertEvents, { gte: `${id}/`, lt: `${id}/\uffff` })) out.push(e)
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
