/**
 * Requests still being written. A draft lives on this node only, visible to the request
 * handlers of its authority, until one of them sends it (then it becomes a request and
 * the draft is gone) or deletes it. Nothing is checked strictly until sending: a draft
 * may be incomplete; what it holds is checked again in full when it is sent.
 *
 * A draft holds personal data (the subject, the files) that no procedure's retention
 * reaches, so it is kept only for a while after its last change (default 30 days): past
 * that it is gone from every view at once, and the retention scheduler deletes it for
 * good (calling expire()) within its next run.
 */
import type { Clock } from '../../clock.js'
import { InvalidRequestError, NotFoundError } from '../../errors.js'
import { Bucket, type Store, type WriteOp } from '../../storage/index.js'
import { demand, type Actor } from '../accounts/permissions.js'
import type { NewRequest, RequestService } from './request-service.js'
import type { RequestState } from '@imi/protocol'

export type DraftContent = Partial<Omit<NewRequest, 'fromAuthority' | 'attachments'>> & {
  readonly attachments?: ReadonlyArray<{ readonly name: string, readonly type: string, readonly data: string }>
}

export interface Draft {
  readonly id: string
  readonly authority: string
  readonly createdBy: string
  readonly created: number
  readonly updated: number
  readonly content: DraftContent
}

/** A draft as its officials see it: with the instant it will be deleted unless changed. */
export type DraftView = Draft & { readonly expires: number }

export const DEFAULT_DRAFT_KEEP_MS = 30 * 86_400_000

export interface DraftsComponents {
  readonly store: Store
  readonly clock: Clock
  readonly randomBytes: (n: number) => Uint8Array
  readonly requests: Pick<RequestService, 'send'>
}

export interface DraftsInit {
  /** How long a draft is kept after its last change. Default 30 days. */
  readonly keepForMs?: number
}

const MAX_DRAFTS_PER_AUTHORITY = 500

export class RequestDrafts {
  private readonly keepForMs: number

  constructor (private readonly components: DraftsComponents, init: DraftsInit = {}) {
    this.keepForMs = init.keepForMs ?? DEFAULT_DRAFT_KEEP_MS
  }

  private view (draft: Draft): DraftView {
    return { ...draft, expires: draft.updated + this.keepForMs }
  }

  private live (draft: Draft): boolean {
    return draft.updated + this.keepForMs > this.components.clock.now()
  }

  private authorityOf (actor: Actor, area: string | undefined): string {
    const authority = actor.kind === 'user' ? actor.authority : undefined
    if (authority === undefined) throw new InvalidRequestError('drafts belong to an authority: log in as one of its officials')
    demand(actor.kind === 'user' && actor.grants.some((g) => g.role === 'request-handler' && (area === undefined || g.area === area)),
      'write requests (needs request-handler)')
    return authority
  }

  async create (actor: Actor, content: DraftContent): Promise<DraftView> {
    const authority = this.authorityOf(actor, content.area)
    if (await this.count(authority) >= MAX_DRAFTS_PER_AUTHORITY) throw new InvalidRequestError(`an authority keeps at most ${MAX_DRAFTS_PER_AUTHORITY} drafts`)
    const now = this.components.clock.now()
    const draft: Draft = {
      id: Buffer.from(this.components.randomBytes(16)).toString('base64url'), authority, createdBy: actor.kind === 'user' ? actor.username : '', created: now, updated: now, content
    }
    await this.components.store.commit([{ type: 'put', bucket: Bucket.requestDrafts, key: `${authority}/${draft.id}`, value: draft }])
    return this.view(draft)
  }

  async list (actor: Actor): Promise<DraftView[]> {
    const authority = this.authorityOf(actor, undefined)
    const out: DraftView[] = []
    for await (const [, d] of this.components.store.entries<Draft>(Bucket.requestDrafts, { gte: `${authority}/`, lt: `${authority}/\uffff` })) {
      if (this.live(d)) out.push(this.view(d))
    }
    return out.sort((a, b) => b.updated - a.updated)
  }

  async get (actor: Actor, id: string): Promise<DraftView> {
    const authority = this.authorityOf(actor, undefined)
    const draft = await this.components.store.get<Draft>(Bucket.requestDrafts, `${authority}/${id}`)
    if (draft === undefined || !this.live(draft)) throw new NotFoundError(`no draft ${id}`)
    return this.view(draft)
  }

  async update (actor: Actor, id: string, content: DraftContent): Promise<DraftView> {
    const { expires: _, ...draft } = await this.get(actor, id)
    this.authorityOf(actor, content.area)
    const next: Draft = { ...draft, content, updated: this.components.clock.now() }
    await this.components.store.commit([{ type: 'put', bucket: Bucket.requestDrafts, key: `${draft.authority}/${id}`, value: next }])
    return this.view(next)
  }

  /**
   * Deletes every draft kept past its time, in one commit; the retention scheduler calls
   * it on each run. Returns how many went and when the next one falls due.
   */
  async expire (): Promise<{ readonly deleted: number, readonly nextDueAt?: number }> {
    const ops: WriteOp[] = []
    let nextDueAt: number | undefined
    for await (const [key, d] of this.components.store.entries<Draft>(Bucket.requestDrafts)) {
      if (!this.live(d)) ops.push({ type: 'del', bucket: Bucket.requestDrafts, key })
      else nextDueAt = Math.min(nextDueAt ?? Number.POSITIVE_INFINITY, d.updated + this.keepForMs)
    }
    if (ops.length > 0) await this.components.store.commit(ops)
    return { deleted: ops.length, ...(nextDueAt !== undefined && { nextDueAt }) }
  }

  async remove (actor: Actor, id: string): Promise<void> {
    const draft = await this.get(actor, id)
    await this.components.store.commit([{ type: 'del', bucket: Bucket.requestDrafts, key: `${draft.authority}/${id}` }])
  }

  /** Sends the draft as a request (every check of sending applies); the draft is gone once it is sent. */
  async send (actor: Actor, id: string): Promise<RequestState> {
    const draft = await this.get(actor, id)
    const c = draft.content
    if (c.area === undefined || c.to === undefined || c.questions === undefined || c.neededBy === undefined || c.subject === undefined) {
      throw new InvalidRequestError('a draft needs area, recipient, questions, needed-by date and subject before it is sent')
    }
    const state = await this.components.requests.send(actor, {
      fromAuthority: draft.authority, area: c.area, to: c.to, questions: c.questions, neededBy: c.neededBy, subject: c.subject,
      ...(c.freeQuestions !== undefined && { freeQuestions: c.freeQuestions }),
      ...(c.note !== undefined && { note: c.note }),
      ...(c.attachments !== undefined && { attachments: c.attachments.map((a) => ({ name: a.name, type: a.type, data: Buffer.from(a.data, 'base64') })) })
    })
    await this.components.store.commit([{ type: 'del', bucket: Bucket.requestDrafts, key: `${draft.authority}/${id}` }])
    return state
  }

  private async count (authority: string): Promise<number> {
    let n = 0
    // Past their time they are gone for the officials, deleted or not yet: they do not count.
    for await (const [, d] of this.components.store.entries<Draft>(Bucket.requestDrafts, { gte: `${authority}/`, lt: `${authority}/\uffff` })) if (this.live(d)) n++
    return n
  }
}
