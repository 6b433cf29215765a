/**
 * Requests still being written. A draft lives on this node only, visible to the request
 * handlers of its authority, until one of them sends it (then it becomes a request and
 * the draft is gone) or deletes it. Nothing is checked strictly until sending: a draft
 * may be incomplete; what it holds is checked again in full when it is sent.
 */
import type { Clock } from '../../clock.js'
import { InvalidRequestError, NotFoundError } from '../../errors.js'
import { Bucket, type Store } from '../../storage/index.js'
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

export interface DraftsComponents {
  readonly store: Store
  readonly clock: Clock
  readonly randomBytes: (n: number) => Uint8Array
  readonly requests: Pick<RequestService, 'send'>
}

const MAX_DRAFTS_PER_AUTHORITY = 500

export class RequestDrafts {
  constructor (private readonly components: DraftsComponents) {}

  private authorityOf (actor: Actor, area: string | undefined): string {
    const authority = actor.kind === 'user' ? actor.authority : undefined
    if (authority === undefined) throw new InvalidRequestError('drafts belong to an authority: log in as one of its officials')
    demand(actor.kind === 'user' && actor.grants.some((g) => g.role === 'request-handler' && (area === undefined || g.area === area)),
      'write requests (needs request-handler)')
    return authority
  }

  async create (actor: Actor, content: DraftContent): Promise<Draft> {
    const authority = this.authorityOf(actor, content.area)
    if (await this.count(authority) >= MAX_DRAFTS_PER_AUTHORITY) throw new InvalidRequestError(`an authority keeps at most ${MAX_DRAFTS_PER_AUTHORITY} drafts`)
    const now = this.components.clock.now()
    const draft: Draft = {
      id: Buffer.from(this.components.randomBytes(16)).toString('base64url'), authority, createdBy: actor.kind === 'user' ? actor.username : '', created: now, updated: now, content
    }
    await this.components.store.commit([{ type: 'put', bucket: Bucket.requestDrafts, key: `${authority}/${draft.id}`, value: draft }])
    return draft
  }

  async list (actor: Actor): Promise<Draft[]> {
    const authority = this.authorityOf(actor, undefined)
    const out: Draft[] = []
    for await (const [, d] of this.components.store.entries<Draft>(Bucket.requestDrafts, { gte: `${authority}/`, lt: `${authority}/\uffff` })) out.push(d)
    return out.sort((a, b) => b.updated - a.updated)
  }

  async get (actor: Actor, id: string): Promise<Draft> {
    const authority = this.authorityOf(actor, undefined)
    const draft = await this.components.store.get<Draft>(Bucket.requestDrafts, `${authority}/${id}`)
    if (draft === undefined) throw new NotFoundError(`no draft ${id}`)
    return draft
  }

  async update (actor: Actor, id: string, content: DraftContent): Promise<Draft> {
    const draft = await this.get(actor, id)
    this.authorityOf(actor, content.area)
    const next: Draft = { ...draft, content, updated: this.components.clock.now() }
    await this.components.store.commit([{ type: 'put', bucket: Bucket.requestDrafts, key: `${draft.authority}/${id}`, value: next }])
    return next
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
    for await (const _ of this.components.store.entries(Bucket.requestDrafts, { gte: `${authority}/`, lt: `${authority}/\uffff` })) n++
    return n
  }
}
