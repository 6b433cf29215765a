/**
 * The audit trail of personal data (Art 17(3)): services call `record` (or `recordWith`,
 * to put the entry in the batch of the change it records) whenever an official, the
 * operator or the node itself reads, exports, changes, blocks or deletes a procedure's
 * personal data. Callers pass ids only: the actor is reduced to user name and
 * authority, the procedure to kind and id, and the reason is bounded and filtered (see
 * storage/audit-log.ts). The coordinator lists the trail; the coordinator and the
 * operator verify it.
 */
import type { Clock } from '../../clock.js'
import { InvalidRequestError } from '../../errors.js'
import {
  AuditLog, type AuditAction, type AuditActor, type AuditDraft, type AuditEntry, type AuditProcedure, type AuditProcedureKind, type AuditReport
} from '../../storage/audit-log.js'
import type { Sequencer, Store } from '../../storage/index.js'
import type { Actor } from '../accounts/permissions.js'

export type { AuditAction, AuditActor, AuditEntry, AuditProcedure, AuditProcedureKind, AuditReport } from '../../storage/audit-log.js'

/** Who acted, as a service knows it: the caller's Actor, or the node itself (blocking and erasure by schedule). */
export type AuditSubject = Actor | 'system'

export interface AuditRecord {
  readonly actor: AuditSubject
  readonly action: AuditAction
  readonly procedure: AuditProcedure
  readonly reason?: string
}

export interface AuditFilter {
  /** Only this procedure's entries (its id). */
  readonly procedure?: string
  readonly kind?: AuditProcedureKind
  /** Clock times (ms), both inclusive. */
  readonly from?: number
  readonly to?: number
  /** Only what this official did (user name), or officials of this authority. */
  readonly user?: string
  readonly authority?: string
  /** Only entries before this sequence number: where a search that was not complete stopped. */
  readonly before?: number
  readonly limit: number
}

/** The most entries one `list` returns. */
export const MAX_AUDIT_LIST = 1000
/** How many entries one `list` reads at most while filtering by actor: `scanned` says how far it went. */
export const MAX_AUDIT_SCAN = 50_000

export interface AuditListing {
  /** Newest first. */
  readonly entries: AuditEntry[]
  /** Entries read to find them. */
  readonly scanned: number
  /** False when MAX_AUDIT_SCAN entries were read before the trail's start or `limit` matches. */
  readonly complete: boolean
  /** When not complete: pass as `before` to read on from where this search stopped. */
  readonly next?: number
}

/** The actor as the log may hold it: no roles, no coordinator flag, nothing about anyone else. */
export function auditActor (actor: AuditSubject): AuditActor {
  if (actor === 'system') return { kind: 'system' }
  if (actor.kind === 'operator') return { kind: 'operator' }
  return { kind: 'user', username: actor.username, ...(actor.authority !== undefined && { authority: actor.authority }) }
}

function byActor (filter: AuditFilter, e: AuditEntry): boolean {
  if (filter.user === undefined && filter.authority === undefined) return true
  return e.actor.kind === 'user' && (filter.user === undefined || e.actor.username === filter.user) &&
    (filter.authority === undefined || e.actor.authority === filter.authority)
}

function draftOf (r: AuditRecord): AuditDraft {
  return { actor: auditActor(r.actor), action: r.action, procedure: { kind: r.procedure.kind, id: r.procedure.id }, ...(r.reason !== undefined && { reason: r.reason }) }
}

export class AuditTrail {
  readonly log: AuditLog

  constructor (private readonly components: { readonly store: Store, readonly clock: Pick<Clock, 'now'> }) {
    this.log = new AuditLog(components)
  }

  /** Reads the chain's head: call once the store is open, before anything records. */
  async load (): Promise<void> {
    await this.log.load()
  }

  get length (): number { return this.log.length }

  /** Records one entry in a commit of its own; resolves once it is on disk. */
  async record (actor: AuditSubject, action: AuditAction, procedure: AuditProcedure, reason?: string): Promise<void> {
    await this.components.store.commit([], this.recordWith(actor, action, procedure, reason))
  }

  /**
   * The entry as a Sequencer for `store.commit(ops, sequencer)`, so the change and its
   * record are written together or not at all (with the evidence log as well: see
   * `joinSequencers`). Throws ERR_INVALID_REQUEST at once for a malformed id or action.
   */
  recordWith (actor: AuditSubject, action: AuditAction, procedure: AuditProcedure, reason?: string): Sequencer {
    return this.recordAllWith([{ actor, action, procedure, ...(reason !== undefined && { reason }) }])
  }

  /** Several entries in one sequencer (an export touching several procedures). */
  recordAllWith (records: readonly AuditRecord[]): Sequencer {
    return this.log.append(records.map(draftOf))
  }

  async verify (): Promise<AuditReport> {
    return await this.log.verify()
  }

  /** Newest first, at most `filter.limit` (1 to MAX_AUDIT_LIST) entries. */
  async list (filter: AuditFilter): Promise<AuditEntry[]> {
    return (await this.search(filter)).entries
  }

  /** As `list`, saying how much of the trail was read: a filter by actor may read far. */
  async search (filter: AuditFilter): Promise<AuditListing> {
    if (!Number.isInteger(filter.limit) || filter.limit < 1 || filter.limit > MAX_AUDIT_LIST) throw new InvalidRequestError(`limit must be an integer from 1 to ${MAX_AUDIT_LIST}`)
    const out: AuditEntry[] = []
    let scanned = 0
    // Only a filter by actor can read far without finding anything: the others stop at `limit`.
    const bounded = filter.user !== undefined || filter.authority !== undefined
    for await (const entry of this.log.newestFirst(filter.procedure)) {
      if (filter.before !== undefined && entry.seq >= filter.before) continue
      if (bounded && scanned >= MAX_AUDIT_SCAN) return { entries: out, scanned, complete: false, next: entry.seq + 1 }
      scanned++
      if (filter.to !== undefined && entry.at > filter.to) continue
      // `at` never decreases along the chain, so nothing older follows.
      if (filter.from !== undefined && entry.at < filter.from) break
      if (filter.kind !== undefined && entry.procedure.kind !== filter.kind) continue
      if (!byActor(filter, entry)) continue
      out.push(entry)
      if (out.length >= filter.limit) break
    }
    return { entries: out, scanned, complete: true }
  }
}
