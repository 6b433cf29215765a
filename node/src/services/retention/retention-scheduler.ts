/**
 * Retention on one node (Regulation 1024/2012 Art 14), against the injected clock. For
 * every formally closed procedure (request closed or withdrawn, alert closed or
 * withdrawn) the policy gives two instants: from `blockAt` its personal data are blocked
 * (no normal view shows them; an official of the authority that took part may read them
 * with a stated reason, which is audited), from `deleteAt` they are deleted (see
 * deletion.ts): one atomic commit per procedure, with its retention record.
 *
 * Runs on start (catching up on everything that fell due while the node was off), at
 * the next instant something falls due, and at least every `checkEveryMs` (1 hour) as a
 * safety net. Idempotent: the records say what was done, a run repeats nothing.
 *
 * Across nodes (requests): after deleting its copy, a node sends the counterpart node an
 * `erasure` naming the request and what it deleted; the counterpart deletes its copy
 * (the same routine) and answers with a signed `erasure-receipt`, which is kept as the
 * proof. Both are durable direct messages: an offline counterpart gets them later, and a
 * message refused as too old is sent again. A node that receives an erasure holds the
 * counterpart's own signed statement already and sends none back; it answers every
 * erasure, also when it had deleted before (or never held the request).
 */
import {
  DEFAULT_RETENTION_POLICY, ERASURE_KIND, ERASURE_RECEIPT_KIND, ImiError, decodeErasureBody, decodeErasureReceiptBody, parseCompact, retentionDates,
  type AlertState, type ErasureBody, type ErasureReason, type ErasureReceiptBody, type Json, type ProcedureKind, type RequestState,
  type RetentionDates, type RetentionPolicy, type VerifiedEnvelope
} from '@imi/protocol'
import type { Clock } from '../../clock.js'
import { InvalidRequestError } from '../../errors.js'
import { Bucket, type BucketName, type Store, type WriteOp } from '../../storage/index.js'
import type { Actor } from '../accounts/permissions.js'
import type { AlertRecord, AlertService, AlertView } from '../alerts/alert-service.js'
import { Timer } from '../directory/timer.js'
import type { Logger } from '../logger.js'
import type { Messaging } from '../messaging/messaging.js'
import type { SentRecord } from '../messaging/records.js'
import type { RequestDrafts } from '../requests/drafts.js'
import type { RequestRecord } from '../requests/request-log.js'
import type { RequestService, RequestView } from '../requests/request-service.js'
import { chunkSidecarsByRequest, compactBuckets, planAlertErasure, planRequestErasure, type ChunkSidecar, type ErasurePlan } from './deletion.js'
import {
  OWED_PREFIX, counterpartErasure, erasureKey, retentionKey,
  type CounterpartErasure, type OwedReceipt, type PersonalDataAuditHook, type RetentionRecord
} from './records.js'
import { KeyedLock } from '../keyed-lock.js'

export const DEFAULT_RETENTION_CHECK_MS = 60 * 60 * 1000

const SCAN = 'scan'

export interface RetentionSchedulerComponents {
  readonly store: Store
  readonly clock: Clock
  readonly logger: Logger
  /** Erasures and their receipts to and from the counterpart node; without it, deletion stays local. */
  readonly messaging?: Pick<Messaging, 'send' | 'handleInbound' | 'addEventListener' | 'removeEventListener'>
  /** For readBlocked. */
  readonly requests?: Pick<RequestService, 'readBlocked'>
  readonly alerts?: Pick<AlertService, 'readBlocked'>
  /** Request drafts hold personal data too: each run deletes those kept past their time. */
  readonly drafts?: Pick<RequestDrafts, 'expire'>
  /** Art 17(3): every blocking and deletion is recorded here (the audit trail connects). */
  readonly audit?: PersonalDataAuditHook
}

export interface RetentionSchedulerInit {
  readonly country: string
  /** Default: six months to blocking, three years to deletion, everywhere. */
  readonly policy?: RetentionPolicy
  /** The safety scan. Default 1 hour. */
  readonly checkEveryMs?: number
  /** Compact the database ranges deleted from, so the data leave the files on disk at once. Default true. */
  readonly compactAfterDeletion?: boolean
}

export interface RetentionRunResult {
  readonly scanned: number
  readonly blocked: number
  readonly deleted: number
  readonly erasuresSent: number
  readonly receiptsSent: number
  readonly draftsDeleted: number
  /** The next instant something falls due, if anything does. */
  readonly nextDueAt?: number
}

interface Counters { scanned: number, blocked: number, deleted: number, erasuresSent: number, receiptsSent: number, draftsDeleted: number, nextDueAt?: number }

type Procedure =
  | { readonly kind: 'request', readonly state: RequestState }
  | { readonly kind: 'alert', readonly state: AlertState }

export class RetentionScheduler extends EventTarget {
  readonly policy: RetentionPolicy
  private readonly checkEveryMs: number
  private readonly timer: Timer
  private readonly locks = new KeyedLock()
  /** Runs of the whole scan, one at a time. */
  private readonly scans = new KeyedLock()
  /** Ids of erasures stored by Messaging and not yet answered (between its store and its 'received' event). */
  private readonly pendingErasures = new Set<string>()
  /** Owed receipts being answered right now (the event and a scan may both try). */
  private readonly answering = new Set<string>()
  private readonly background = new Set<Promise<unknown>>()
  private ticking: Promise<void> | undefined
  private running = false
  /** Buckets deleted from since the last compaction. */
  private readonly dirty = new Set<BucketName>()
  /** Buckets whose old values were flushed from the write buffer before this round of deletions. */
  private readonly flushed = new Set<BucketName>()
  /** Built once per run, and only if a request is due for deletion. */
  private chunks: Map<string, ChunkSidecar[]> | undefined
  private inScan = false

  constructor (private readonly components: RetentionSchedulerComponents, private readonly init: RetentionSchedulerInit) {
    super()
    this.policy = init.policy ?? DEFAULT_RETENTION_POLICY
    this.checkEveryMs = init.checkEveryMs ?? DEFAULT_RETENTION_CHECK_MS
    this.timer = new Timer(components.clock, () => {
      const run = this.tick().finally(() => { if (this.ticking === run) this.ticking = undefined })
      this.ticking = run
    })
    components.messaging?.handleInbound(ERASURE_KIND, async (env) => await this.erasureIn(env))
    components.messaging?.handleInbound(ERASURE_RECEIPT_KIND, async (env) => await this.receiptIn(env))
  }

  /** Catches up on everything due (the node may have been off), then plans the next run. */
  async start (): Promise<void> {
    if (this.running) return
    this.running = true
    this.components.messaging?.addEventListener('received', this.onReceived)
    let result: RetentionRunResult | undefined
    try {
      result = await this.scan()
    } catch (err) {
      this.components.logger.error('retention not enforced', { error: (err as Error).message })
    }
    this.plan(result)
  }

  stop (): void {
    this.running = false
    this.timer.cancel()
    this.components.messaging?.removeEventListener('received', this.onReceived)
  }

  /** Resolves once the run in progress (if any) and the work it started are done: for tests on a manual clock. */
  async settled (): Promise<void> {
    for (let i = 0; i < 5; i++) {
      await this.ticking
      await this.scans.idle(SCAN)
      await Promise.allSettled([...this.background])
      if (this.ticking === undefined && !this.scans.busy(SCAN) && this.background.size === 0) return
    }
  }

  /** When a procedure closed at `closedAt` is blocked and deleted under this node's policy. */
  dates (kind: ProcedureKind, area: string, closedAt: number): RetentionDates {
    return retentionDates(this.policy, kind, area, closedAt)
  }

  /** What retention did to one procedure on this node. */
  async status (kind: ProcedureKind, id: string): Promise<RetentionRecord | undefined> {
    return await this.components.store.get<RetentionRecord>(Bucket.retention, retentionKey(kind, id))
  }

  /**
   * Blocked personal data, for an official of the authority that took part, with a stated
   * reason (recorded in the audit trail): only to prove that an exchange took place.
   */
  async readBlocked (actor: Actor, kind: 'request', id: string, reason: string, lang?: string): Promise<RequestView>
  async readBlocked (actor: Actor, kind: 'alert', id: string, reason: string): Promise<AlertView>
  async readBlocked (actor: Actor, kind: ProcedureKind, id: string, reason: string, lang?: string): Promise<RequestView | AlertView>
  async readBlocked (actor: Actor, kind: ProcedureKind, id: string, reason: string, lang?: string): Promise<RequestView | AlertView> {
    if (kind === 'request' && this.components.requests !== undefined) return await this.components.requests.readBlocked(actor, id, reason, lang)
    if (kind === 'alert' && this.components.alerts !== undefined) return await this.components.alerts.readBlocked(actor, id, reason)
    throw new InvalidRequestError(kind === 'notification' ? 'notifications carry no personal data' : `no ${kind}s on this node`)
  }

  /**
   * Deletes one request's personal data now (the data subject's right to erasure, Art 19),
   * and tells the counterpart node. Not bound by the retention dates.
   */
  async eraseRequest (id: string, reason: Exclude<ErasureReason, 'retention'> = 'data-subject'): Promise<RetentionRecord | undefined> {
    const state = (await this.components.store.get<RequestRecord>(Bucket.requests, id))?.state
    if (state === undefined) return undefined
    const counters = this.counters()
    await this.locks.run(retentionKey('request', id), async () => {
      await this.deleteProcedure({ kind: 'request', state }, reason, counters)
      await this.sendErasureIfOwed(state, counters)
    })
    await this.compact()
    return await this.status('request', id)
  }

  /** Runs now (after the run in progress, if any). */
  async scan (): Promise<RetentionRunResult> {
    return await this.scans.run(SCAN, async () => await this.scanOnce())
  }

  private async tick (): Promise<void> {
    let result: RetentionRunResult | undefined
    try {
      result = await this.scan()
    } catch (err) {
      this.components.logger.error('retention not enforced', { error: (err as Error).message })
    }
    this.plan(result)
  }

  private plan (result: RetentionRunResult | undefined): void {
    if (!this.running) return
    const untilDue = result?.nextDueAt === undefined ? Number.POSITIVE_INFINITY : result.nextDueAt - this.components.clock.now()
    this.timer.set(Math.max(0, Math.min(this.checkEveryMs, untilDue)))
  }

  private counters (): Counters { return { scanned: 0, blocked: 0, deleted: 0, erasuresSent: 0, receiptsSent: 0, draftsDeleted: 0 } }

  private async scanOnce (): Promise<RetentionRunResult> {
    const { store } = this.components
    const c = this.counters()
    this.chunks = undefined
    const records = new Map<string, RetentionRecord>()
    const owed: Array<[string, OwedReceipt]> = []
    for await (const [key, value] of store.entries<RetentionRecord | OwedReceipt>(Bucket.retention)) {
      if (key.startsWith(OWED_PREFIX)) owed.push([key, value as OwedReceipt])
      else records.set(key, value as RetentionRecord)
    }
    try {
      this.inScan = true
      for await (const [, r] of store.entries<RequestRecord>(Bucket.requests)) {
        c.scanned++
        await this.enforce({ kind: 'request', state: r.state }, records.get(retentionKey('request', r.state.id)), c)
      }
      for await (const [, r] of store.entries<AlertRecord>(Bucket.alerts)) {
        c.scanned++
        await this.enforce({ kind: 'alert', state: r.state }, records.get(retentionKey('alert', r.state.id)), c)
      }
      for (const [key, o] of owed) await this.answer(key, o, c)
      await this.expireDrafts(c)
    } finally {
      this.inScan = false
      this.chunks = undefined
    }
    await this.compact()
    if (c.blocked + c.deleted + c.erasuresSent + c.receiptsSent + c.draftsDeleted > 0) {
      this.components.logger.info('retention enforced', { blocked: c.blocked, deleted: c.deleted, erasuresSent: c.erasuresSent, receiptsSent: c.receiptsSent, draftsDeleted: c.draftsDeleted })
    }
    const result: RetentionRunResult = { ...c }
    this.dispatchEvent(new CustomEvent('run', { detail: result }))
    return result
  }

  private async expireDrafts (c: Counters): Promise<void> {
    const drafts = this.components.drafts
    if (drafts === undefined) return
    await this.flushFirst([Bucket.requestDrafts])
    const { deleted, nextDueAt } = await drafts.expire()
    if (deleted > 0) this.dirty.add(Bucket.requestDrafts)
    c.draftsDeleted += deleted
    if (nextDueAt !== undefined) c.nextDueAt = Math.min(c.nextDueAt ?? Number.POSITIVE_INFINITY, nextDueAt)
  }

  private closedAt (p: Procedure): number | undefined {
    return p.kind === 'request' ? p.state.closedAt : p.state.closedAt ?? p.state.withdrawnAt
  }

  /** Blocks, deletes, or finishes what a deletion left owed, for one procedure; a failure is logged and retried at the next run. */
  private async enforce (p: Procedure, known: RetentionRecord | undefined, c: Counters): Promise<void> {
    try {
      await this.enforceOne(p, known, c)
    } catch (err) {
      this.components.logger.error('retention step failed', { kind: p.kind, id: p.state.id, error: (err as Error).message })
    }
  }

  private async enforceOne (p: Procedure, known: RetentionRecord | undefined, c: Counters): Promise<void> {
    const closedAt = this.closedAt(p)
    const now = this.components.clock.now()
    if (known?.deletedAt !== undefined) {
      // Done, but for what a deletion may still owe: the split's shared data, the erasure message until the counterpart confirms.
      const owesErasure = this.components.messaging !== undefined && known.deletedFor !== 'counterpart' && known.counterpartAt === undefined
      if (p.kind === 'request' && (known.sharedKept === true || owesErasure)) {
        await this.locks.run(retentionKey('request', p.state.id), async () => { await this.finishRequest(p.state, c) })
      }
      return
    }
    if (closedAt === undefined) return
    const dates = this.dates(p.kind, p.state.area, closedAt)
    if (now >= dates.deleteAt) {
      await this.locks.run(retentionKey(p.kind, p.state.id), async () => {
        await this.deleteProcedure(p, 'retention', c)
        if (p.kind === 'request') await this.sendErasureIfOwed(p.state, c)
      })
      return
    }
    if (now >= dates.blockAt && known?.blockedAt === undefined) {
      await this.locks.run(retentionKey(p.kind, p.state.id), async () => { await this.block(p, closedAt, dates, c) })
    }
    const next = now >= dates.blockAt ? dates.deleteAt : dates.blockAt
    c.nextDueAt = Math.min(c.nextDueAt ?? Number.POSITIVE_INFINITY, next)
  }

  private async block (p: Procedure, closedAt: number, dates: RetentionDates, c: Counters): Promise<void> {
    const { store, clock } = this.components
    const key = retentionKey(p.kind, p.state.id)
    const current = await store.get<RetentionRecord>(Bucket.retention, key)
    if (current?.blockedAt !== undefined) return
    const at = clock.now()
    const record: RetentionRecord = { ...current, kind: p.kind, id: p.state.id, area: p.state.area, closedAt, blockAt: dates.blockAt, deleteAt: dates.deleteAt, blockedAt: at }
    await store.commit([{ type: 'put', bucket: Bucket.retention, key, value: record }])
    c.blocked++
    await this.audit('block', p.kind, p.state.id)
    this.dispatchEvent(new CustomEvent('blocked', { detail: { kind: p.kind, id: p.state.id, at } }))
  }

  /** The deletion itself: every personal datum of the procedure and its record, in one commit. Call under the procedure's lock. */
  private async deleteProcedure (p: Procedure, reason: NonNullable<RetentionRecord['deletedFor']>, c: Counters): Promise<void> {
    const { store, clock } = this.components
    const key = retentionKey(p.kind, p.state.id)
    const current = await store.get<RetentionRecord>(Bucket.retention, key)
    if (current?.deletedAt !== undefined) return
    let plan: ErasurePlan
    let sharedKept = false
    if (p.kind === 'request') {
      sharedKept = await this.childrenStillNeedShared(p.state)
      plan = await planRequestErasure(store, p.state, { chunks: await this.chunkIndex(), keepShared: sharedKept })
    } else {
      plan = await planAlertErasure(store, p.state.id)
    }
    const at = clock.now()
    const closedAt = this.closedAt(p)
    const dates = closedAt === undefined ? undefined : this.dates(p.kind, p.state.area, closedAt)
    const record: RetentionRecord = {
      ...current,
      kind: p.kind, id: p.state.id, area: p.state.area,
      ...(closedAt !== undefined && dates !== undefined && { closedAt, blockAt: dates.blockAt, deleteAt: dates.deleteAt }),
      blockedAt: current?.blockedAt ?? at,
      deletedAt: at,
      deletedFor: reason,
      digests: plan.digests,
      attachments: plan.attachments,
      ...(sharedKept && { sharedKept })
    }
    await this.flushFirst(plan.buckets)
    await store.commit([...plan.ops, { type: 'put', bucket: Bucket.retention, key, value: record }])
    for (const b of plan.buckets) this.dirty.add(b)
    c.deleted++
    this.components.logger.info('personal data deleted', { kind: p.kind, id: p.state.id, items: plan.items, reason })
    await this.audit('delete', p.kind, p.state.id, reason)
    this.dispatchEvent(new CustomEvent('deleted', { detail: { kind: p.kind, id: p.state.id, at, reason } }))
  }

  /** Requester side: a split's children show their root's subject and files; they go when every child is due too. */
  private async childrenStillNeedShared (state: RequestState): Promise<boolean> {
    if (state.requester.country !== this.init.country || state.children.length === 0) return false
    const now = this.components.clock.now()
    const pending = [...state.children]
    // A family is a tree, but what a peer sent is not trusted to be one: never visit a request twice.
    const seen = new Set<string>([state.id])
    while (pending.length > 0) {
      const id = pending.pop()!
      if (seen.has(id)) continue
      seen.add(id)
      const child = (await this.components.store.get<RequestRecord>(Bucket.requests, id))?.state
      if (child === undefined) continue
      const done = (await this.status('request', id))?.deletedAt !== undefined
      const due = child.closedAt !== undefined && now >= this.dates('request', child.area, child.closedAt).deleteAt
      if (!done && !due) return true
      pending.push(...child.children)
    }
    return false
  }

  /** What a deleted request may still owe: the shared data its children kept, the erasure message. Under the lock. */
  private async finishRequest (state: RequestState, c: Counters): Promise<void> {
    const { store } = this.components
    const key = retentionKey('request', state.id)
    const current = await store.get<RetentionRecord>(Bucket.retention, key)
    if (current?.deletedAt === undefined) return
    if (current.sharedKept === true && !await this.childrenStillNeedShared(state)) {
      const plan = await planRequestErasure(store, state, { chunks: new Map(), sharedOnly: true })
      const { sharedKept: _done, ...rest } = current
      await this.flushFirst(plan.buckets)
      await store.commit([...plan.ops, { type: 'put', bucket: Bucket.retention, key, value: { ...rest, attachments: [...current.attachments ?? [], ...plan.attachments] } satisfies RetentionRecord }])
      for (const b of plan.buckets) this.dirty.add(b)
      this.components.logger.info('personal data deleted', { kind: 'request', id: state.id, items: plan.items, reason: 'split children done' })
    }
    await this.sendErasureIfOwed(state, c)
  }

  /** After this node deleted a request's data: tell the counterpart, unless it told us first. Under the lock. */
  private async sendErasureIfOwed (state: RequestState, c: Counters): Promise<void> {
    const { store, messaging, clock } = this.components
    if (messaging === undefined) return
    const key = retentionKey('request', state.id)
    const record = await store.get<RetentionRecord>(Bucket.retention, key)
    if (record?.deletedAt === undefined || record.deletedFor === 'counterpart' || record.counterpartAt !== undefined) return
    const confirmed = await counterpartErasure(store, state.id)
    if (confirmed !== undefined) {
      // The counterpart's signed statement is in: nothing more to send, nothing more to check.
      await store.commit([{ type: 'put', bucket: Bucket.retention, key, value: { ...record, counterpartAt: confirmed.receivedAt } satisfies RetentionRecord }])
      return
    }
    if (record.erasureSent !== undefined) {
      // Queued already: send again only if the counterpart refused it for good (e.g. too old after a long outage).
      const sent = await store.get<SentRecord>(Bucket.sent, record.erasureSent.id)
      if (sent !== undefined && sent.failure === undefined) return
    }
    const to = state.requester.country === this.init.country ? state.responder.country : state.requester.country
    const body: ErasureBody = {
      request: state.id, reason: record.deletedFor === 'data-subject' ? 'data-subject' : 'retention', deletedAt: record.deletedAt,
      digests: record.digests ?? [], attachments: record.attachments ?? []
    }
    await messaging.send({ kind: ERASURE_KIND, to, body: body as unknown as Json }, (sent) => [
      { type: 'put', bucket: Bucket.retention, key, value: { ...record, erasureSent: { id: sent.id, to, at: clock.now() } } satisfies RetentionRecord }
    ])
    c.erasuresSent++
  }

  // The counterpart's side.

  /** Messaging's hook for an inbound erasure: check, keep the sender's statement, owe a receipt (same batch). */
  private async erasureIn (env: VerifiedEnvelope): Promise<WriteOp[]> {
    const body = decodeErasureBody(env.body)
    const state = (await this.components.store.get<RequestRecord>(Bucket.requests, body.request))?.state
    if (state !== undefined && env.hdr.from !== state.requester.country && env.hdr.from !== state.responder.country) {
      throw new ImiError('ERR_NOT_PARTY', `${env.hdr.from} takes no part in request ${body.request}`)
    }
    const now = this.components.clock.now()
    const owed: OwedReceipt = { request: body.request, to: env.hdr.from, erasure: env.hdr.id, reason: body.reason, receivedAt: now }
    this.pendingErasures.add(env.hdr.id)
    return [
      { type: 'put', bucket: Bucket.retention, key: `${OWED_PREFIX}${env.hdr.id}`, value: owed },
      ...(state === undefined
        ? []
        : [{ type: 'put' as const, bucket: Bucket.erasureReceipts, key: erasureKey(body.request, 'erasure'), value: this.statement('erasure', env, body, true) }])
    ]
  }

  /** Messaging's hook for an inbound receipt: it must answer an erasure this node sent to that node. */
  private async receiptIn (env: VerifiedEnvelope): Promise<WriteOp[]> {
    const body = decodeErasureReceiptBody(env.body)
    const sent = await this.components.store.get<SentRecord>(Bucket.sent, body.for)
    if (sent?.hdr.kind !== ERASURE_KIND || sent.hdr.to[0] !== env.hdr.from) throw new ImiError('ERR_NOT_PARTY', `no erasure ${body.for} was sent to ${env.hdr.from}`)
    const asked = JSON.parse(new TextDecoder().decode(parseCompact(sent.jws).payloadBytes)) as { body: ErasureBody }
    if (asked.body.request !== body.request) throw new InvalidRequestError('the receipt names another request than the erasure it answers')
    return [{ type: 'put', bucket: Bucket.erasureReceipts, key: erasureKey(body.request, 'erasure-receipt'), value: this.statement('erasure-receipt', env, body, body.held) }]
  }

  private statement (kind: CounterpartErasure['kind'], env: VerifiedEnvelope, body: ErasureBody | ErasureReceiptBody, held: boolean): CounterpartErasure {
    return {
      kind, from: env.hdr.from, messageId: env.hdr.id, deletedAt: body.deletedAt, receivedAt: this.components.clock.now(), held,
      digests: body.digests, attachments: body.attachments, jws: env.jws
    }
  }

  private readonly onReceived = (evt: Event): void => {
    const { id } = (evt as CustomEvent<{ id: string }>).detail
    if (!this.pendingErasures.delete(id)) return
    const key = `${OWED_PREFIX}${id}`
    this.track((async () => {
      const owed = await this.components.store.get<OwedReceipt>(Bucket.retention, key)
      if (owed !== undefined) await this.answer(key, owed, this.counters())
      await this.compact()
    })())
  }

  /** Deletes this node's copy (unless done already) and queues the signed receipt; the owed entry goes in the receipt's batch. */
  private async answer (key: string, owed: OwedReceipt, c: Counters): Promise<void> {
    const { store, messaging, clock } = this.components
    if (messaging === undefined || this.answering.has(key)) return
    this.answering.add(key)
    try {
      await this.locks.run(retentionKey('request', owed.request), async () => {
        if (await store.get(Bucket.retention, key) === undefined) return
        const state = (await store.get<RequestRecord>(Bucket.requests, owed.request))?.state
        if (state !== undefined) await this.deleteProcedure({ kind: 'request', state }, 'counterpart', c)
        const record = state === undefined ? undefined : await store.get<RetentionRecord>(Bucket.retention, retentionKey('request', owed.request))
        const body: ErasureReceiptBody = {
          request: owed.request, for: owed.erasure, deletedAt: record?.deletedAt ?? clock.now(), held: state !== undefined,
          digests: record?.digests ?? [], attachments: record?.attachments ?? []
        }
        await messaging.send({ kind: ERASURE_RECEIPT_KIND, to: owed.to, body: body as unknown as Json }, () => [{ type: 'del', bucket: Bucket.retention, key }])
        c.receiptsSent++
      })
    } catch (err) {
      this.components.logger.error('erasure receipt not sent', { request: owed.request, error: (err as Error).message })
    } finally {
      this.answering.delete(key)
    }
  }

  // Helpers.

  /**
   * LevelDB writes its buffer to disk as one table, every version of a key included, and
   * a compaction drops an old version only when it meets the newer one. So the old values
   * go to disk first, and the deletion's writes after: the compaction that follows merges
   * the two and keeps only the new.
   */
  private async flushFirst (buckets: readonly BucketName[]): Promise<void> {
    const fresh = buckets.filter((b) => !this.flushed.has(b))
    if (this.init.compactAfterDeletion === false || fresh.length === 0) return
    for (const b of fresh) this.flushed.add(b)
    try {
      await compactBuckets(this.components.store, fresh)
    } catch (err) {
      this.components.logger.warn('compaction before deletion failed', { error: (err as Error).message })
    }
  }

  private async compact (): Promise<void> {
    if (this.init.compactAfterDeletion === false || this.dirty.size === 0) return
    const buckets = [...this.dirty]
    this.dirty.clear()
    this.flushed.clear()
    try {
      await compactBuckets(this.components.store, buckets)
    } catch (err) {
      this.components.logger.warn('compaction after deletion failed', { error: (err as Error).message })
    }
  }

  /** A run deletes many requests: it reads the sidecars' keys once. Outside a run, fresh each time. */
  private async chunkIndex (): Promise<Map<string, ChunkSidecar[]>> {
    if (!this.inScan) return await chunkSidecarsByRequest(this.components.store)
    this.chunks ??= await chunkSidecarsByRequest(this.components.store)
    return this.chunks
  }

  /** The node's own steps are recorded as 'system'; a failure to record is logged, the step stands (the data is gone either way). */
  private async audit (action: 'block' | 'delete', kind: ProcedureKind, id: string, reason?: string): Promise<void> {
    try {
      await this.components.audit?.record('system', action, { kind, id }, reason)
    } catch (err) {
      this.components.logger.error('retention step not audited', { kind, id, action, error: (err as Error).message })
    }
  }

  private track (work: Promise<unknown>): void {
    const p = work.catch((err: Error) => { this.components.logger.error('retention work failed', { error: err.message }) })
      .finally(() => { this.background.delete(p) })
    this.background.add(p)
  }
}
