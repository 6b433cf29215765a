/**
 * This member state's competent authorities and national registers, as its national
 * coordinator manages them. Only active authorities are published to the federated
 * directory; pending (asked to join), suspended and removed ones stay on this node, so
 * past exchanges still name them. An id is never reused.
 */
import { decodeAuthorityEntry, decodeRegisterEntry, hasCode, type AuthorityEntry, type RegisterEntry } from '@imi/protocol'
import type { Clock } from '../../clock.js'
import { ConflictError, InvalidRequestError, InvalidStateError, NotFoundError } from '../../errors.js'
import { Bucket, type Store, type WriteOp } from '../../storage/index.js'
import type { LocalDirectorySource } from './local-directory.js'

export type AuthorityStatus = 'pending' | 'active' | 'suspended' | 'removed'

export interface AuthorityRecord {
  readonly entry: AuthorityEntry
  readonly status: AuthorityStatus
  readonly created: number
  readonly updated: number
  /** Why it was suspended or removed: shown to the coordinator, never published. */
  readonly reason?: string
}

export type AuthorityAction = 'approve' | 'suspend' | 'reinstate' | 'remove'

/** Which status each action leaves, from which statuses it may start. */
const TRANSITIONS: Readonly<Record<AuthorityAction, { from: readonly AuthorityStatus[], to: AuthorityStatus }>> = {
  approve: { from: ['pending'], to: 'active' },
  suspend: { from: ['active'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'active' },
  // Rejecting a join request is removing a pending authority.
  remove: { from: ['pending', 'active', 'suspended'], to: 'removed' }
}

export interface AuthorityRegistryComponents {
  readonly store: Store
  readonly clock: Clock
}

/** The detail of a 'status' event: sessions of a suspended or removed authority end at once. */
export interface AuthorityStatusChange { readonly id: string, readonly status: AuthorityStatus }

/** Checks an entry with the same decoder the DHT applies, so nothing unpublishable is stored. */
function checkedAuthority (raw: unknown): AuthorityEntry {
  try {
    return decodeAuthorityEntry(raw)
  } catch (err) {
    if (hasCode(err, 'ERR_RECORD_SCHEMA')) throw new InvalidRequestError((err as Error).message)
    throw err
  }
}

function checkedRegister (raw: unknown): RegisterEntry {
  try {
    return decodeRegisterEntry(raw)
  } catch (err) {
    if (hasCode(err, 'ERR_RECORD_SCHEMA')) throw new InvalidRequestError((err as Error).message)
    throw err
  }
}

const byId = (a: { id: string }, b: { id: string }): number => a.id < b.id ? -1 : a.id > b.id ? 1 : 0

/**
 * Dispatches 'change' (plain Event) whenever what is published changes, and 'status'
 * (CustomEvent<AuthorityStatusChange>) on every status change.
 */
export class AuthorityRegistry extends EventTarget implements LocalDirectorySource {
  private readonly authorities = new Map<string, AuthorityRecord>()
  private readonly registers = new Map<string, RegisterEntry>()
  private loaded = false

  constructor (private readonly components: AuthorityRegistryComponents) { super() }

  /** Reads the registry from the store; a few thousand entries at most, so it lives in memory. */
  async load (): Promise<void> {
    this.authorities.clear()
    this.registers.clear()
    for await (const [id, record] of this.components.store.entries<AuthorityRecord>(Bucket.authorities)) this.authorities.set(id, record)
    for await (const [id, entry] of this.components.store.entries<RegisterEntry>(Bucket.registers)) this.registers.set(id, entry)
    this.loaded = true
  }

  list (filter: { status?: AuthorityStatus } = {}): AuthorityRecord[] {
    return [...this.authorities.values()].filter((r) => filter.status === undefined || r.status === filter.status).sort((a, b) => byId(a.entry, b.entry))
  }

  get (id: string): AuthorityRecord | undefined { return this.authorities.get(id) }

  require (id: string): AuthorityRecord {
    const record = this.authorities.get(id)
    if (record === undefined) throw new NotFoundError(`no authority ${id} on this node`)
    return record
  }

  /** A new authority: active when the coordinator registers it, pending when it asks to join. */
  async add (raw: unknown, status: 'active' | 'pending', extra: WriteOp[] = []): Promise<AuthorityRecord> {
    const entry = checkedAuthority(raw)
    if (this.authorities.has(entry.id)) throw new ConflictError(`authority id ${entry.id} is taken`)
    const now = this.components.clock.now()
    const record: AuthorityRecord = { entry, status, created: now, updated: now }
    await this.components.store.commit([{ type: 'put', bucket: Bucket.authorities, key: entry.id, value: record }, ...extra])
    this.authorities.set(entry.id, record)
    if (status === 'active') this.changed()
    return record
  }

  /** Replaces an authority's names, areas, competences or contact details; its id stays. */
  async update (id: string, raw: unknown): Promise<AuthorityRecord> {
    const current = this.require(id)
    if (current.status === 'removed') throw new InvalidStateError(`authority ${id} was removed`)
    const entry = checkedAuthority(raw)
    if (entry.id !== id) throw new InvalidRequestError('an authority\'s id cannot change')
    const record: AuthorityRecord = { ...current, entry, updated: this.components.clock.now() }
    await this.components.store.commit([{ type: 'put', bucket: Bucket.authorities, key: id, value: record }])
    this.authorities.set(id, record)
    if (record.status === 'active') this.changed()
    return record
  }

  async act (id: string, action: AuthorityAction, reason?: string): Promise<AuthorityRecord> {
    const current = this.require(id)
    const rule = TRANSITIONS[action]
    if (!rule.from.includes(current.status)) throw new InvalidStateError(`cannot ${action} an authority that is ${current.status}`)
    const { reason: _old, ...rest } = current
    const record: AuthorityRecord = { ...rest, status: rule.to, updated: this.components.clock.now(), ...(reason !== undefined && { reason }) }
    await this.components.store.commit([{ type: 'put', bucket: Bucket.authorities, key: id, value: record }])
    this.authorities.set(id, record)
    this.dispatchEvent(new CustomEvent<AuthorityStatusChange>('status', { detail: { id, status: record.status } }))
    if (current.status === 'active' || record.status === 'active') this.changed()
    return record
  }

  /**
   * Loads many entries at once (a national register of authorities, a dataset): new ids
   * become active, known ones get the new entry and keep their status. One write, one change.
   */
  async importAuthorities (raws: readonly unknown[]): Promise<number> {
    const now = this.components.clock.now()
    const records = raws.map(checkedAuthority).map((entry): AuthorityRecord => {
      const known = this.authorities.get(entry.id)
      return known === undefined ? { entry, status: 'active', created: now, updated: now } : { ...known, entry, updated: now }
    })
    if (new Set(records.map((r) => r.entry.id)).size !== records.length) throw new InvalidRequestError('the import repeats an authority id')
    await this.components.store.commit(records.map((r) => ({ type: 'put', bucket: Bucket.authorities, key: r.entry.id, value: r })))
    for (const r of records) this.authorities.set(r.entry.id, r)
    if (records.length > 0) this.changed()
    return records.length
  }

  listRegisters (): RegisterEntry[] { return [...this.registers.values()].sort(byId) }

  getRegister (id: string): RegisterEntry | undefined { return this.registers.get(id) }

  /** Adds or replaces registers (one or many) in one write. */
  async putRegisters (raws: readonly unknown[]): Promise<RegisterEntry[]> {
    const entries = raws.map(checkedRegister)
    if (new Set(entries.map((e) => e.id)).size !== entries.length) throw new InvalidRequestError('the import repeats a register id')
    await this.components.store.commit(entries.map((e) => ({ type: 'put', bucket: Bucket.registers, key: e.id, value: e })))
    for (const e of entries) this.registers.set(e.id, e)
    if (entries.length > 0) this.changed()
    return entries
  }

  async removeRegister (id: string): Promise<void> {
    if (!this.registers.has(id)) throw new NotFoundError(`no register ${id} on this node`)
    await this.components.store.commit([{ type: 'del', bucket: Bucket.registers, key: id }])
    this.registers.delete(id)
    this.changed()
  }

  // LocalDirectorySource: what the directory service publishes.
  async publishedAuthorities (): Promise<AuthorityEntry[]> {
    return this.list({ status: 'active' }).map((r) => r.entry)
  }

  async publishedRegisters (): Promise<RegisterEntry[]> { return this.listRegisters() }

  async isActiveAuthority (id: string): Promise<boolean> {
    return this.authorities.get(id)?.status === 'active'
  }

  get ready (): boolean { return this.loaded }

  private changed (): void { this.dispatchEvent(new Event('change')) }
}
