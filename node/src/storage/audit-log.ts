/**
 * The audit log (Art 17(3) of Regulation 1024/2012): every read, export, change and
 * deletion of personal data, with who, when, which procedure and why, in a hash chain.
 * Each entry commits to the one before, so removing, reordering or editing any entry
 * breaks every later link, and `verify` names the first broken one.
 *
 * The log holds no personal data itself, so it outlives every blocking and erasure:
 * an entry names the official (user name and authority), the procedure by its id and
 * an optional reason, never the data subject. Every field but `reason` is checked
 * against the id pattern; `reason` is free text that callers must keep free of
 * personal data, and is bounded, flattened and stripped of e-mail addresses and long
 * digit runs (identity and phone numbers, dates of birth) before it is hashed.
 *
 * Entries are written by `append`, a Sequencer: the entry lands in the same atomic
 * batch as the change it records, or not at all.
 */
import { LOCAL_ID_PATTERN, canonicalJson, toBase64url, utf8 } from '@imi/protocol'
import type { Clock } from '../clock.js'
import { nodeCrypto } from '../crypto.js'
import { InvalidRequestError } from '../errors.js'
import { Bucket, seqKey } from './buckets.js'
import type { Sequencer, Store, WriteOp } from './store.js'

export const AUDIT_ACTIONS = ['read', 'export', 'change', 'delete', 'block', 'read-blocked', 'correct', 'contest'] as const
export type AuditAction = typeof AUDIT_ACTIONS[number]

export const AUDIT_PROCEDURE_KINDS = ['request', 'alert', 'notification', 'subject-request'] as const
export type AuditProcedureKind = typeof AUDIT_PROCEDURE_KINDS[number]

/** Who acted: an official by user name (and authority), the operator, or the node itself. Never a data subject. */
export type AuditActor =
  | { readonly kind: 'user', readonly username: string, readonly authority?: string }
  | { readonly kind: 'operator' }
  | { readonly kind: 'system' }

/** The procedure whose personal data was processed, by id only. */
export interface AuditProcedure {
  readonly kind: AuditProcedureKind
  readonly id: string
}

export interface AuditDraft {
  readonly actor: AuditActor
  readonly action: AuditAction
  readonly procedure: AuditProcedure
  /**
   * Why, in the official's words. MUST NOT contain personal data (no names, numbers,
   * addresses of the data subject): it is kept for as long as the log. See `auditReason`.
   */
  readonly reason?: string
}

export interface AuditEntry extends AuditDraft {
  readonly seq: number
  /** Clock time of the commit, never earlier than the entry before (the chain's order is time order). */
  readonly at: number
  readonly prev: string
  readonly hash: string
}

export interface AuditReport {
  readonly ok: boolean
  /** Entries checked, from the first; on a break, the entries before it. */
  readonly entries: number
  readonly firstBroken?: { readonly seq: number, readonly reason: string }
}

/** Longest `reason` kept, in characters: a sentence, not a file note. */
export const MAX_AUDIT_REASON = 200

const HEAD_KEY = 'audit-head'
const GENESIS_HASH = 'A'.repeat(43)
/** Chain entries are `seqKey(seq)` (hex, so below 'g'); lookups by procedure are `p/<id>/<seqKey>` and sort after them. */
const SEQ_KEYS_END = 'g'
const REDACTED = '[redacted]'
const EMAIL = /[^\s@<>()[\]]+@[^\s@<>()[\]]+\.[^\s@<>()[\]]+/gu
/** Six or more digits, optionally split by single spaces, dots or hyphens: ID, phone, account numbers, dates. */
const DIGIT_RUN = /\+?\d(?:[ .-]?\d){5,}/gu
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/gu

interface Head { readonly seq: number, readonly hash: string, readonly at: number }

/**
 * A reason as the log keeps it: one line, e-mail addresses and long digit runs replaced
 * by "[redacted]", at most MAX_AUDIT_REASON characters; undefined when nothing is left.
 * This is a safety net, not a licence: a name typed into a reason is still recorded.
 */
export function auditReason (text: string | undefined): string | undefined {
  if (text === undefined) return undefined
  if (typeof text !== 'string') throw new InvalidRequestError('an audit reason must be text')
  const flat = text.slice(0, 8 * MAX_AUDIT_REASON).replace(CONTROL, ' ').replace(EMAIL, REDACTED).replace(DIGIT_RUN, REDACTED).replace(/\s+/gu, ' ').trim()
  const chars = Array.from(flat)
  const bounded = chars.length > MAX_AUDIT_REASON ? chars.slice(0, MAX_AUDIT_REASON - 1).join('') + '…' : flat
  return bounded === '' ? undefined : bounded
}

function expectId (v: unknown, what: string): string {
  if (typeof v !== 'string' || !LOCAL_ID_PATTERN.test(v)) throw new InvalidRequestError(`audit ${what} must be an id (${LOCAL_ID_PATTERN.source})`)
  return v
}

function expectOne<T extends string> (v: unknown, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly unknown[]).includes(v)) throw new InvalidRequestError(`audit ${what} must be one of ${allowed.join(', ')}`)
  return v as T
}

/** Copies only the fields an entry may hold: whatever else a caller passes (grants, a subject's name) is dropped. */
function normalise (d: AuditDraft): AuditDraft {
  const kind = expectOne(d.actor?.kind, ['user', 'operator', 'system'] as const, 'actor')
  const actor: AuditActor = kind !== 'user'
    ? { kind }
    : {
        kind,
        username: expectId((d.actor as { username?: unknown }).username, 'user name'),
        ...((d.actor as { authority?: unknown }).authority !== undefined && { authority: expectId((d.actor as { authority?: unknown }).authority, 'authority') })
      }
  const procedure = { kind: expectOne(d.procedure?.kind, AUDIT_PROCEDURE_KINDS, 'procedure kind'), id: expectId(d.procedure?.id, 'procedure id') }
  const reason = auditReason(d.reason)
  return { actor, action: expectOne(d.action, AUDIT_ACTIONS, 'action'), procedure, ...(reason !== undefined && { reason }) }
}

function procedureKey (id: string, seq?: number): string {
  return `p/${id}/${seq === undefined ? '' : seqKey(seq)}`
}

/**
 * One sequencer out of several, built and settled in order: how an audit entry joins a
 * batch that also appends to the evidence log (`store.commit` takes one sequencer).
 */
export function joinSequencers (...sequencers: ReadonlyArray<Sequencer | undefined>): Sequencer {
  const all = sequencers.filter((s): s is Sequencer => s !== undefined)
  return {
    build: () => all.flatMap((s) => s.build()),
    settle: (committed) => { for (const s of all) s.settle(committed) }
  }
}

export class AuditLog {
  private durable: Head = { seq: -1, hash: GENESIS_HASH, at: 0 }
  /** Where the next entry chains on: ahead of `durable` while a batch is being written. */
  private pending: Head = this.durable

  constructor (private readonly components: { readonly store: Store, readonly clock: Pick<Clock, 'now'> }) {}

  async load (): Promise<void> {
    const head = await this.components.store.get<Head>(Bucket.meta, HEAD_KEY)
    this.durable = head ?? { seq: -1, hash: GENESIS_HASH, at: 0 }
    this.pending = this.durable
  }

  get length (): number { return this.durable.seq + 1 }

  /** The last entry written, as recorded with every append: what the chain must end at. */
  get head (): { readonly seq: number, readonly hash: string } { return { seq: this.durable.seq, hash: this.durable.hash } }

  static hashOf (entry: Omit<AuditEntry, 'hash'>): string {
    return toBase64url(nodeCrypto.sha256(utf8(canonicalJson(entry))))
  }

  /**
   * A sequencer that appends `drafts` at its place in the commit order. Drafts are
   * checked here, before any commit: a bad one throws ERR_INVALID_REQUEST to the caller
   * and never fails someone else's batch.
   */
  append (drafts: readonly AuditDraft[]): Sequencer {
    const checked = drafts.map(normalise)
    return {
      build: () => {
        if (checked.length === 0) return []
        const ops: WriteOp[] = []
        // Concurrent commits build one after another inside the store's flush, each on the pending head.
        const at = Math.max(this.components.clock.now(), this.pending.at)
        for (const d of checked) {
          const base = { seq: this.pending.seq + 1, at, ...d, prev: this.pending.hash }
          const entry: AuditEntry = { ...base, hash: AuditLog.hashOf(base) }
          ops.push({ type: 'put', bucket: Bucket.audit, key: seqKey(entry.seq), value: entry })
          ops.push({ type: 'put', bucket: Bucket.audit, key: procedureKey(d.procedure.id, entry.seq), value: entry.seq })
          this.pending = { seq: entry.seq, hash: entry.hash, at }
        }
        ops.push({ type: 'put', bucket: Bucket.meta, key: HEAD_KEY, value: this.pending })
        return ops
      },
      settle: (committed) => {
        if (committed) this.durable = this.pending
        else this.pending = this.durable
      }
    }
  }

  /** The chain from `fromSeq`, oldest first. */
  async * entries (fromSeq = 0): AsyncGenerator<AuditEntry> {
    for await (const [, entry] of this.components.store.entries<AuditEntry>(Bucket.audit, { gte: seqKey(fromSeq), lt: SEQ_KEYS_END })) yield entry
  }

  /**
   * Newest first: all entries, or those of one procedure (through its lookup keys). The
   * lookups are a convenience beside the chain; `verify` is what proves the chain whole.
   */
  async * newestFirst (procedureId?: string): AsyncGenerator<AuditEntry> {
    const { store } = this.components
    if (procedureId === undefined) {
      for await (const [, entry] of store.entries<AuditEntry>(Bucket.audit, { lt: SEQ_KEYS_END, reverse: true })) yield entry
      return
    }
    const prefix = procedureKey(expectId(procedureId, 'procedure id'))
    // '0' is the character after '/': the range holds exactly this id's keys.
    for await (const [, seq] of store.entries<number>(Bucket.audit, { gte: prefix, lt: prefix.slice(0, -1) + '0', reverse: true })) {
      const entry = await store.get<AuditEntry>(Bucket.audit, seqKey(seq))
      if (entry?.procedure?.id === procedureId) yield entry
    }
  }

  /**
   * Walks the chain from the first entry: every position filled, every entry where it
   * was written, every hash recomputed, every link checked, and the end at the head
   * recorded with the last append. Reports the first broken link.
   */
  async verify (): Promise<AuditReport> {
    const start = this.durable
    let expected = 0
    let prev = GENESIS_HASH
    const broken = (seq: number, reason: string): AuditReport => ({ ok: false, entries: seq, firstBroken: { seq, reason } })
    for await (const [key, value] of this.components.store.entries<unknown>(Bucket.audit, { lt: SEQ_KEYS_END })) {
      const want = seqKey(expected)
      if (key !== want) return broken(expected, key > want ? `entry ${expected} is missing` : `a stray key sits before entry ${expected}`)
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return broken(expected, 'is not an audit entry')
      const { hash, ...rest } = value as AuditEntry
      if (rest.seq !== expected) return broken(expected, `holds entry ${String(rest.seq)}: entries were moved or reordered`)
      if (rest.prev !== prev) return broken(expected, 'does not link to the previous entry')
      let recomputed: string | undefined
      try { recomputed = AuditLog.hashOf(rest) } catch { recomputed = undefined }
      if (recomputed === undefined || recomputed !== hash) return broken(expected, 'content does not match its hash')
      prev = hash
      expected++
    }
    const last = expected - 1
    // Without this, deleting the newest entries would leave a chain that checks out.
    if (last < start.seq) return broken(expected, `the chain ends at entry ${last}, the recorded head is entry ${start.seq}`)
    if (last === start.seq && start.seq >= 0 && prev !== start.hash) return broken(last, 'does not match the recorded head')
    if (last > this.durable.seq) {
      // A batch written while we read may not have settled yet: wait for the store's queue, then judge.
      await this.components.store.commit([], undefined, { durable: false })
      if (last > this.durable.seq) return broken(this.durable.seq + 1, `entry ${this.durable.seq + 1} is past the recorded head (entry ${this.durable.seq})`)
    }
    return { ok: true, entries: expected }
  }
}
