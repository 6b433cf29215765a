/**
 * What the retention scheduler records about each procedure, and the small reads the
 * workflow services make of it: a blocked procedure shows no personal data, a deleted
 * one shows when, and the counterpart's signed statement that it deleted its copy too.
 */
import type { ProcedureKind } from '@imi/protocol'
import { Bucket, type Store } from '../../storage/index.js'
import type { Actor } from '../accounts/permissions.js'

export interface RetentionRecord {
  readonly kind: ProcedureKind
  readonly id: string
  readonly area: string
  /** Formal closure the dates count from (absent for a procedure erased before it closed). */
  readonly closedAt?: number
  readonly blockAt?: number
  readonly deleteAt?: number
  /** Personal data are blocked from this instant: no normal view shows them. */
  readonly blockedAt?: number
  /** Personal data were deleted on this node at this instant. */
  readonly deletedAt?: number
  /** Why they were deleted: the policy, a data subject (Art 19), or the counterpart's erasure. */
  readonly deletedFor?: 'retention' | 'data-subject' | 'counterpart'
  /** Personal-data digests (hdr.pd) of the envelopes whose sidecars were deleted. */
  readonly digests?: readonly string[]
  /** SHA-256 of the attachments deleted. */
  readonly attachments?: readonly string[]
  /** Requester side of a split: the subject and files the split's children still use, kept until they are due too. */
  readonly sharedKept?: boolean
  /** The erasure message sent to the counterpart node (requests). */
  readonly erasureSent?: { readonly id: string, readonly to: string, readonly at: number }
  /** When the counterpart's signed statement that it deleted its copy was found here (requests). */
  readonly counterpartAt?: number
}

/** The counterpart node's signed statement that it deleted its copy of a request's personal data. */
export interface CounterpartErasure {
  readonly kind: 'erasure' | 'erasure-receipt'
  readonly from: string
  readonly messageId: string
  /** When the counterpart deleted (its statement). */
  readonly deletedAt: number
  readonly receivedAt: number
  /** False when the counterpart never held the request. */
  readonly held: boolean
  readonly digests: readonly string[]
  readonly attachments: readonly string[]
  /** The signed envelope (JWS compact): verifiable against the roster by anyone. */
  readonly jws: string
}

/** A receipt this node owes for an erasure it received: kept until the receipt is queued. */
export interface OwedReceipt {
  readonly request: string
  readonly to: string
  readonly erasure: string
  readonly reason: string
  readonly receivedAt: number
}

export const OWED_PREFIX = '~owed/'

export const retentionKey = (kind: ProcedureKind, id: string): string => `${kind}/${id}`
export const erasureKey = (requestId: string, kind: CounterpartErasure['kind']): string => `${requestId}/${kind}`

export async function retentionRecord (store: Pick<Store, 'get'>, kind: ProcedureKind, id: string): Promise<RetentionRecord | undefined> {
  return await store.get<RetentionRecord>(Bucket.retention, retentionKey(kind, id))
}

/** The counterpart's statement: its receipt if in, else its own erasure message. */
export async function counterpartErasure (store: Pick<Store, 'get'>, requestId: string): Promise<CounterpartErasure | undefined> {
  return await store.get<CounterpartErasure>(Bucket.erasureReceipts, erasureKey(requestId, 'erasure-receipt')) ??
    await store.get<CounterpartErasure>(Bucket.erasureReceipts, erasureKey(requestId, 'erasure'))
}

/** What a request view shows once personal data were deleted. */
export interface ErasureView {
  readonly local: number
  readonly counterpart?: { readonly at: number, readonly from: string, readonly kind: CounterpartErasure['kind'], readonly receipt: string }
}

export async function erasureView (store: Pick<Store, 'get'>, record: RetentionRecord | undefined, requestId: string): Promise<ErasureView | undefined> {
  if (record?.deletedAt === undefined) return undefined
  const c = await counterpartErasure(store, requestId)
  return { local: record.deletedAt, ...(c !== undefined && { counterpart: { at: c.deletedAt, from: c.from, kind: c.kind, receipt: c.jws } }) }
}

/**
 * Art 17(3) hook: the audit trail connects here (services/audit/AuditTrail fits as it
 * is). Calls name the actor (an official, or 'system' for the scheduler), the action and
 * the procedure by id, never personal data; the reason is the official's own words, or
 * why the node deleted ('retention', 'counterpart', 'data-subject').
 */
export interface PersonalDataAuditHook {
  record(actor: Actor | 'system', action: 'read' | 'export' | 'correct' | 'contest' | 'read-blocked' | 'block' | 'delete', procedure: { readonly kind: ProcedureKind, readonly id: string }, reason?: string): Promise<void>
}

/** A stated reason to read blocked data: required, trimmed, bounded. */
export function statedReason (reason: unknown): string | undefined {
  if (typeof reason !== 'string') return undefined
  const r = reason.trim()
  return r.length === 0 || r.length > 1000 ? undefined : r
}
