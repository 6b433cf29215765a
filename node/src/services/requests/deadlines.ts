/**
 * Deadlines of information requests on one node: who must act next, by which date, and
 * which requests are late or have gone quiet. `deadlineOf` is a pure function of a
 * request's state and the time; `RequestDeadlines` scans the node's requests on start
 * and every hour of the injected clock and tells listeners, once each:
 *
 * - `reminder` {id, due, side, country, authority?}: the answer is due within
 *   `reminderBeforeMs` (default 2 days). Always the responding side (the authority that
 *   holds the request, or its state's coordinator while none does): only it can answer.
 *   Dispatched only on the node of that side, the other node has no one to remind.
 * - `overdue` {id, due, side, country, authority?, local}: the answer date has passed
 *   with no answer.
 * - `escalated` {id, side, country, authority?, local, inactiveForMs}: an open request
 *   on which nothing happened for `escalateAfterMs` (default 60 days, the "2 months" of
 *   the workflow) goes to the coordinator of the side that must act. Overdue and
 *   escalated fire on both nodes (`local` says whether the side that must act is this
 *   node's): each state's coordinator supervises its own requests, sent and received.
 *
 * The date that counts is the agreed one (`answerBy`, set on acceptance), else the
 * needed-by date; a forward drops the agreed date, so the new authority's clock runs
 * against the needed-by date until it accepts. Dates are whole UTC days: an answer due
 * on 2026-03-20 is overdue from 2026-03-21T00:00Z. Once a first final answer is in
 * (`answered`, then perhaps `info-requested`), the date has been met or missed and the
 * indicators record which; a round of further information has no date of its own in the
 * protocol, so it is chased by inactivity only. Who must act next: the responder in
 * `sent`, `accepted` and `info-requested`, the requester in `answered` (to close it or
 * ask for more).
 *
 * Each event fires at most once per request and date (a reminder or overdue notice per
 * due date, an escalation per period of inactivity, i.e. per `lastActivity`), and, with
 * a store and bucket, not again after a restart: what was notified is written before it
 * is dispatched (so a crash in between loses a notice rather than repeating it).
 */
import { OPEN_STATUSES, type RequestState } from '@imi/protocol'
import type { Clock } from '../../clock.js'
import type { BucketName, Store, WriteOp } from '../../storage/index.js'
import { Timer } from '../directory/timer.js'
import type { Logger } from '../logger.js'
import type { RequestLog } from './request-log.js'
import { KeyedLock } from '../keyed-lock.js'

export const DAY_MS = 86_400_000

export interface DeadlineOptions {
  /** How long before the due date the acting side is reminded. Default 2 days. */
  readonly reminderBeforeMs?: number
  /** Inactivity after which an open request is escalated. Default 60 days. */
  readonly escalateAfterMs?: number
}

export const DEFAULT_REMINDER_BEFORE_MS = 2 * DAY_MS
export const DEFAULT_ESCALATE_AFTER_MS = 60 * DAY_MS
export const DEFAULT_CHECK_EVERY_MS = 60 * 60 * 1000

export type RequestSide = 'requester' | 'responder'

export interface DeadlineFlags {
  /** The answer date (agreed, else needed-by) of an open request; undefined once closed or withdrawn. */
  readonly due: string | undefined
  /** Who must act next; undefined once closed or withdrawn. */
  readonly awaiting: RequestSide | undefined
  /** True while an answer is awaited and none was given yet: only then can it be late. */
  readonly answerPending: boolean
  /** When the reminder is due (ms), for a pending answer; undefined otherwise. */
  readonly remindAt: number | undefined
  /** Within the reminder window and not yet overdue. */
  readonly remind: boolean
  /** Today (UTC) is after the due date and the answer is still pending. */
  readonly overdue: boolean
  /** Whole UTC days since the due date, when overdue; else 0. */
  readonly daysLate: number
  readonly inactiveForMs: number
  /** Open and inactive for longer than `escalateAfterMs`. */
  readonly escalate: boolean
}

/** The UTC day of a time, as YYYY-MM-DD. */
export function utcDay (ms: number): string {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10)
}

/** Midnight UTC at the start of a YYYY-MM-DD day. */
export function dayStart (day: string): number {
  return Date.parse(`${day}T00:00:00Z`)
}

export function isOpen (s: Pick<RequestState, 'status'>): boolean {
  return OPEN_STATUSES.includes(s.status)
}

export function deadlineOf (state: RequestState, now: number, opts: DeadlineOptions = {}): DeadlineFlags {
  const reminderBeforeMs = opts.reminderBeforeMs ?? DEFAULT_REMINDER_BEFORE_MS
  const escalateAfterMs = opts.escalateAfterMs ?? DEFAULT_ESCALATE_AFTER_MS
  const inactiveForMs = Math.max(0, now - state.lastActivity)
  if (!isOpen(state)) {
    return { due: undefined, awaiting: undefined, answerPending: false, remindAt: undefined, remind: false, overdue: false, daysLate: 0, inactiveForMs, escalate: false }
  }
  const due = state.answerBy ?? state.neededBy
  const awaiting: RequestSide = state.status === 'answered' ? 'requester' : 'responder'
  const answerPending = state.answeredAt === undefined && (state.status === 'sent' || state.status === 'accepted')
  const today = utcDay(now)
  const overdue = answerPending && today > due
  const remindAt = answerPending ? dayStart(due) - reminderBeforeMs : undefined
  return {
    due,
    awaiting,
    answerPending,
    remindAt,
    remind: remindAt !== undefined && now >= remindAt && !overdue,
    overdue,
    daysLate: overdue ? Math.round((dayStart(today) - dayStart(due)) / DAY_MS) : 0,
    inactiveForMs,
    escalate: inactiveForMs > escalateAfterMs
  }
}

export interface RequestDeadlinesComponents {
  readonly clock: Clock
  readonly log: Pick<RequestLog, 'records'>
  readonly logger: Logger
  /** With `init.bucket`: what was notified survives a restart. Without: memory only. */
  readonly store?: Pick<Store, 'get' | 'entries' | 'commit'>
}

export interface RequestDeadlinesInit extends DeadlineOptions {
  /** This node's member state: reminders go out only for requests where this node's side must act. */
  readonly country: string
  /** How often to scan. Default 1 hour. */
  readonly checkEveryMs?: number
  /** Where notices already sent are kept (request id -> NotifiedRecord). Needs `components.store`. */
  readonly bucket?: BucketName
}

/** What was already notified for one request: the due date reminded and declared overdue, the inactivity escalated. */
export interface NotifiedRecord {
  readonly reminded?: string
  readonly overdue?: string
  /** The `lastActivity` of the period of inactivity escalated. */
  readonly escalated?: number
}

export interface ReminderDetail {
  readonly id: string
  readonly due: string
  readonly side: RequestSide
  readonly country: string
  /** Absent while the request waits with the responding state's coordinator. */
  readonly authority?: string
}

export interface OverdueDetail extends ReminderDetail {
  /** The side that must act is this node's. */
  readonly local: boolean
  readonly daysLate: number
}

export interface EscalatedDetail {
  readonly id: string
  readonly side: RequestSide
  readonly country: string
  readonly authority?: string
  readonly local: boolean
  readonly inactiveForMs: number
}

export interface ScanResult {
  readonly scanned: number
  readonly reminders: number
  readonly overdue: number
  readonly escalated: number
}

interface Entry {
  readonly flags: DeadlineFlags
  readonly state: RequestState
}

function sideParty (s: RequestState, side: RequestSide): { country: string, authority?: string } {
  const p = side === 'requester' ? s.requester : s.responder
  return { country: p.country, ...(p.authority !== undefined && { authority: p.authority }) }
}

function isNotified (v: unknown): v is NotifiedRecord {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const o = v as Record<string, unknown>
  return (o.reminded === undefined || typeof o.reminded === 'string') &&
    (o.overdue === undefined || typeof o.overdue === 'string') &&
    (o.escalated === undefined || typeof o.escalated === 'number')
}

const SCAN = 'scan'

export class RequestDeadlines extends EventTarget {
  readonly country: string
  private readonly options: Required<DeadlineOptions> & { checkEveryMs: number }
  private readonly timer: Timer
  private notified = new Map<string, NotifiedRecord>()
  private current = new Map<string, Entry>()
  /** Scans, one at a time. */
  private readonly scans = new KeyedLock()
  private ticking: Promise<void> | undefined
  private running = false

  constructor (private readonly components: RequestDeadlinesComponents, private readonly init: RequestDeadlinesInit) {
    super()
    if ((init.bucket === undefined) !== (components.store === undefined)) throw new Error('RequestDeadlines persists with both a store and a bucket, or neither')
    this.country = init.country
    this.options = {
      reminderBeforeMs: init.reminderBeforeMs ?? DEFAULT_REMINDER_BEFORE_MS,
      escalateAfterMs: init.escalateAfterMs ?? DEFAULT_ESCALATE_AFTER_MS,
      checkEveryMs: init.checkEveryMs ?? DEFAULT_CHECK_EVERY_MS
    }
    this.timer = new Timer(components.clock, () => {
      const run = this.tick().finally(() => { if (this.ticking === run) this.ticking = undefined })
      this.ticking = run
    })
  }

  /** Loads what was already notified, scans once, then every `checkEveryMs`. */
  async start (): Promise<void> {
    if (this.running) return
    this.running = true
    try {
      await this.load()
      await this.scan()
    } catch (err) {
      // Late notices are not worth refusing to start the node: the next check tries again.
      this.components.logger.error('request deadlines not checked', { error: (err as Error).message })
    }
    if (this.running) this.timer.set(this.options.checkEveryMs)
  }

  stop (): void {
    this.running = false
    this.timer.cancel()
  }

  now (): number { return this.components.clock.now() }

  /** The flags of one state now, with this node's settings (fresh: not the last scan's). */
  assess (state: RequestState): DeadlineFlags {
    return deadlineOf(state, this.components.clock.now(), this.options)
  }

  /** Ids of the requests overdue at the last scan. */
  overdue (): string[] {
    return [...this.current.values()].filter((e) => e.flags.overdue).map((e) => e.state.id)
  }

  /** Ids of the requests escalated for inactivity at the last scan. */
  escalated (): string[] {
    return [...this.current.values()].filter((e) => e.flags.escalate).map((e) => e.state.id)
  }

  /** One request's flags at the last scan; undefined for a request not seen (or closed before it). */
  flags (id: string): DeadlineFlags | undefined {
    return this.current.get(id)?.flags
  }

  /** Resolves once the scheduled check in progress (if any) is done and the next one set: for tests on a manual clock. */
  async settled (): Promise<void> {
    await this.ticking
    await this.scans.idle(SCAN)
  }

  /** Scans now (after the scan in progress, if any). */
  async scan (): Promise<ScanResult> {
    return await this.scans.run(SCAN, async () => await this.scanOnce())
  }

  private async tick (): Promise<void> {
    try {
      await this.scan()
    } catch (err) {
      this.components.logger.error('request deadlines not checked', { error: (err as Error).message })
    }
    if (this.running) this.timer.set(this.options.checkEveryMs)
  }

  private async load (): Promise<void> {
    const { store } = this.components
    const bucket = this.init.bucket
    if (store === undefined || bucket === undefined) return
    const loaded = new Map<string, NotifiedRecord>()
    for await (const [key, value] of store.entries<unknown>(bucket)) if (isNotified(value)) loaded.set(key, value)
    this.notified = loaded
  }

  private async scanOnce (): Promise<ScanResult> {
    const now = this.components.clock.now()
    const next = new Map<string, Entry>()
    const updates = new Map<string, NotifiedRecord | undefined>()
    const events: CustomEvent[] = []
    let reminders = 0
    let overdue = 0
    let escalated = 0
    const seen = new Set<string>()
    for await (const record of this.components.log.records()) {
      const state = record.state
      seen.add(state.id)
      const flags = deadlineOf(state, now, this.options)
      const before = this.notified.get(state.id)
      if (!isOpen(state)) {
        // Done: nothing more to notify, and nothing to remember.
        if (before !== undefined) updates.set(state.id, undefined)
        continue
      }
      next.set(state.id, { state, flags })
      let after: NotifiedRecord = before ?? {}
      const unchanged = after
      const due = flags.due!
      if (flags.remind && after.reminded !== due && state.responder.country === this.country) {
        after = { ...after, reminded: due }
        events.push(new CustomEvent<ReminderDetail>('reminder', { detail: { id: state.id, due, side: 'responder', ...sideParty(state, 'responder') } }))
        reminders++
      }
      if (flags.overdue && after.overdue !== due) {
        after = { ...after, overdue: due }
        const party = sideParty(state, 'responder')
        events.push(new CustomEvent<OverdueDetail>('overdue', {
          detail: { id: state.id, due, side: 'responder', ...party, local: party.country === this.country, daysLate: flags.daysLate }
        }))
        overdue++
      }
      if (flags.escalate && after.escalated !== state.lastActivity) {
        after = { ...after, escalated: state.lastActivity }
        const side = flags.awaiting!
        const party = sideParty(state, side)
        events.push(new CustomEvent<EscalatedDetail>('escalated', {
          detail: { id: state.id, side, ...party, local: party.country === this.country, inactiveForMs: flags.inactiveForMs }
        }))
        escalated++
      }
      if (after !== unchanged) updates.set(state.id, after)
    }
    // A request gone from the log (deleted under retention) needs no memory either.
    for (const id of this.notified.keys()) if (!seen.has(id)) updates.set(id, undefined)
    await this.persist(updates)
    for (const [id, value] of updates) {
      if (value === undefined) this.notified.delete(id)
      else this.notified.set(id, value)
    }
    this.current = next
    for (const e of events) this.dispatchEvent(e)
    if (events.length > 0) this.components.logger.info('request deadlines', { reminders, overdue, escalated })
    return { scanned: next.size, reminders, overdue, escalated }
  }

  private async persist (updates: ReadonlyMap<string, NotifiedRecord | undefined>): Promise<void> {
    const { store } = this.components
    const bucket = this.init.bucket
    if (store === undefined || bucket === undefined || updates.size === 0) return
    const ops: WriteOp[] = [...updates].map(([key, value]) => value === undefined
      ? { type: 'del', bucket, key }
      : { type: 'put', bucket, key, value })
    await store.commit(ops)
  }
}
