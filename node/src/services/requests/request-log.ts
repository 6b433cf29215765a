/**
 * The events of each request on this node and the state they replay to. Events are the
 * truth (written in the same batch as the signed message that carries them); the state
 * in Bucket.requests is a cache, rebuilt from the events at start.
 *
 * Every replay of one request runs under that request's lock (`exclusive`), the rebuild's
 * included, so a replay that read fewer events never lands after one that read more; and
 * a replay never overwrites a cached state computed from more events than it read (events
 * are only ever added), should one run outside the lock.
 */
import { replayRequest, type RequestEvent, type RequestEventBody, type RequestState, type ReplayOutcome } from '@imi/protocol'
import { Bucket, type PutOp, type Store } from '../../storage/index.js'
import { KeyedLock } from '../keyed-lock.js'

export interface StoredRequestEvent extends RequestEvent {
  /** The event's sidecar is in Bucket.personalData under the event id (until retention deletes it). */
  readonly hasPersonalData: boolean
}

export interface RequestRecord {
  readonly state: RequestState
  /** For a request created by a split: its first state, derived from the parent. */
  readonly origin?: RequestState
  readonly outcomes: readonly ReplayOutcome[]
  /** How many events the state was replayed from (absent in records cached before it was kept). */
  readonly replayed?: number
}

export function eventKey (requestId: string, eventId: string): string { return `${requestId}/${eventId}` }

export function eventWrite (requestId: string, e: StoredRequestEvent): PutOp {
  return { type: 'put', bucket: Bucket.requestEvents, key: eventKey(requestId, e.id), value: e }
}

export function storedEvent (id: string, hdr: { from: string, fromAuthority?: string, created: number }, body: RequestEventBody, hasPersonalData: boolean): StoredRequestEvent {
  return { id, from: hdr.from, ...(hdr.fromAuthority !== undefined && { fromAuthority: hdr.fromAuthority }), created: hdr.created, body, hasPersonalData }
}

export class RequestLog {
  /** One replay or action at a time per request. */
  private readonly locks = new KeyedLock()

  constructor (private readonly store: Store) {}

  /** Runs `fn` after everything queued on request `id` before it, and before anything queued after. */
  async exclusive<T> (id: string, fn: () => Promise<T>): Promise<T> {
    return await this.locks.run(id, fn)
  }

  async events (requestId: string): Promise<StoredRequestEvent[]> {
    const out: StoredRequestEvent[] = []
    for await (const [, e] of this.store.entries<StoredRequestEvent>(Bucket.requestEvents, { gte: `${requestId}/`, lt: `${requestId}/\uffff` })) out.push(e)
    return out
  }

  async record (requestId: string): Promise<RequestRecord | undefined> {
    return await this.store.get<RequestRecord>(Bucket.requests, requestId)
  }

  async * records (): AsyncGenerator<RequestRecord> {
    for await (const [, r] of this.store.entries<RequestRecord>(Bucket.requests)) yield r
  }

  /**
   * Replays one request from its events and caches the result, with the first states of
   * any children its splits created. Returns the records written.
   */
  async recompute (requestId: string): Promise<RequestRecord | undefined> {
    const origin = (await this.record(requestId))?.origin
    const events = await this.events(requestId)
    const replayed = replayRequest(requestId, events, origin)
    if (replayed.state === undefined) return undefined
    const record: RequestRecord = { state: replayed.state, outcomes: replayed.outcomes, replayed: events.length, ...(origin !== undefined && { origin }) }
    // A replay of more events was cached meanwhile (one outside the lock): it is the newer state.
    const cached = await this.record(requestId)
    if (cached?.replayed !== undefined && cached.replayed > events.length) return cached
    const writes: PutOp[] = [{ type: 'put', bucket: Bucket.requests, key: requestId, value: record }]
    for (const [childId, childOrigin] of replayed.children) {
      const known = await this.record(childId)
      if (known !== undefined) continue
      const child: RequestRecord = { state: childOrigin, origin: childOrigin, outcomes: [] }
      writes.push({ type: 'put', bucket: Bucket.requests, key: childId, value: child })
    }
    await this.store.commit(writes, undefined, { durable: false })
    // A child whose own events arrived before its parent's split can replay now.
    const fresh = [...replayed.children.keys()].filter((id) => writes.some((w) => w.key === id))
    // Under the child's own lock (never this request's: a request is not its own child).
    for (const id of fresh) if ((await this.events(id)).length > 0) await this.exclusive(id, async () => await this.recompute(id))
    return record
  }

  /**
   * Every request again from its events: at start, after a crash between a write and its
   * cache. Each replay takes the request's lock, so an event applied meanwhile is not undone.
   */
  async rebuild (): Promise<number> {
    const ids = new Set<string>()
    for await (const key of this.keys()) ids.add(key.slice(0, key.indexOf('/')))
    // Parents before children: a child's origin comes from its parent's replay.
    const sorted = [...ids].sort()
    let n = 0
    for (let pass = 0; pass < 2; pass++) {
      for (const id of sorted) {
        if (pass === 1 && (await this.record(id))?.origin === undefined) continue
        if (await this.exclusive(id, async () => await this.recompute(id)) !== undefined) n++
      }
    }
    return n
  }

  private async * keys (): AsyncGenerator<string> {
    for await (const [key] of this.store.entries<unknown>(Bucket.requestEvents)) yield key
  }
}
