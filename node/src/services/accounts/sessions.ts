/**
 * Log-in sessions. The client holds a 32-byte random token; the store holds only its
 * SHA-256, so a copy of the database opens no session. A session ends after 30 minutes
 * without use or 12 hours after log-in, whichever comes first, and at log-out.
 */
import { createHash } from 'node:crypto'
import type { Clock } from '../../clock.js'
import { Bucket, type Store } from '../../storage/index.js'

export interface SessionRecord {
  readonly username: string
  readonly created: number
  readonly lastSeen: number
  /** Sent back in X-CSRF-Token by the browser for every state-changing call. */
  readonly csrf: string
}

export interface SessionsComponents {
  readonly store: Store
  readonly clock: Clock
  readonly randomBytes: (n: number) => Uint8Array
}

export interface SessionsInit {
  readonly idleMs?: number
  readonly absoluteMs?: number
}

export const SESSION_IDLE_MS = 30 * 60_000
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000
/** lastSeen is written at most this often, so reading pages is not a stream of writes. */
const TOUCH_EVERY_MS = 60_000

export interface OpenedSession { readonly token: string, readonly csrf: string, readonly expires: number }
export interface ResolvedSession { readonly id: string, readonly record: SessionRecord, readonly expires: number }

const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url')

export function sessionId (token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url')
}

export class Sessions {
  readonly idleMs: number
  readonly absoluteMs: number

  constructor (private readonly components: SessionsComponents, init: SessionsInit = {}) {
    this.idleMs = init.idleMs ?? SESSION_IDLE_MS
    this.absoluteMs = init.absoluteMs ?? SESSION_ABSOLUTE_MS
  }

  async open (username: string): Promise<OpenedSession> {
    const token = b64url(this.components.randomBytes(32))
    const now = this.components.clock.now()
    const record: SessionRecord = { username, created: now, lastSeen: now, csrf: b64url(this.components.randomBytes(32)) }
    await this.components.store.commit([{ type: 'put', bucket: Bucket.sessions, key: sessionId(token), value: record }])
    return { token, csrf: record.csrf, expires: this.expiry(record) }
  }

  /** The live session for `token`, or undefined (unknown, ended or expired: an expired one is deleted). */
  async resolve (token: string): Promise<ResolvedSession | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined
    const id = sessionId(token)
    const record = await this.components.store.get<SessionRecord>(Bucket.sessions, id)
    if (record === undefined) return undefined
    const now = this.components.clock.now()
    if (now >= this.expiry(record)) {
      await this.components.store.commit([{ type: 'del', bucket: Bucket.sessions, key: id }], undefined, { durable: false })
      return undefined
    }
    let current = record
    if (now - record.lastSeen >= TOUCH_EVERY_MS) {
      current = { ...record, lastSeen: now }
      await this.components.store.commit([{ type: 'put', bucket: Bucket.sessions, key: id, value: current }], undefined, { durable: false })
    }
    return { id, record: current, expires: this.expiry(current) }
  }

  async end (id: string): Promise<void> {
    await this.components.store.commit([{ type: 'del', bucket: Bucket.sessions, key: id }])
  }

  /** Ends every session of these users (disabled, password changed, authority suspended). */
  async endAllOf (usernames: ReadonlySet<string>): Promise<number> {
    const ids: string[] = []
    for await (const [id, s] of this.components.store.entries<SessionRecord>(Bucket.sessions)) if (usernames.has(s.username)) ids.push(id)
    if (ids.length > 0) await this.components.store.commit(ids.map((key) => ({ type: 'del', bucket: Bucket.sessions, key })))
    return ids.length
  }

  /** Deletes expired sessions; run at start and now and then. */
  async sweep (): Promise<number> {
    const now = this.components.clock.now()
    const ids: string[] = []
    for await (const [id, s] of this.components.store.entries<SessionRecord>(Bucket.sessions)) if (now >= this.expiry(s)) ids.push(id)
    if (ids.length > 0) await this.components.store.commit(ids.map((key) => ({ type: 'del', bucket: Bucket.sessions, key })), undefined, { durable: false })
    return ids.length
  }

  private expiry (s: SessionRecord): number {
    return Math.min(s.lastSeen + this.idleMs, s.created + this.absoluteMs)
  }
}
