/**
 * Envelopes for every member state (alerts, notifications): signed by their origin,
 * spread by gossip, and kept by every node that accepts them, so any peer can hand them
 * to a node that was offline (anti-entropy). One validation pipeline for both ways in:
 * the envelope's signature against the roster, schema, size, freshness (gossip only:
 * late arrivals come by sync), then the owning workflow's say. Each kind has one handler.
 */
import {
  BROADCAST_KINDS, DuplicateMessageError, ImiError, encodeWire, peekEnvelopeId, signEnvelope, verifyEnvelope,
  type CryptoSuite, type Json, type Roster, type Signer, type VerifiedEnvelope, type WireEnvelope
} from '@imi/protocol'
import type { Clock } from '../../clock.js'
import { Bucket, seqKey, type EvidenceLog, type Store, type WriteOp } from '../../storage/index.js'
import type { Logger } from '../logger.js'
import { ArrivalLog, type ArrivalPage } from './arrival-log.js'
import type { SyncMark } from './sync-marks.js'

/** On gossip, an envelope older than this is stale; the sync protocol carries older ones. */
export const GOSSIP_MAX_AGE_MS = 24 * 3_600_000

export interface BroadcastEntry {
  readonly id: string
  readonly kind: string
  readonly from: string
  readonly created: number
  readonly wire: WireEnvelope
}

/** A workflow's part: refuse (throw) or return writes for the same batch; told after the commit. */
export interface BroadcastHandler {
  apply(env: VerifiedEnvelope, source: 'local' | 'gossip' | 'sync'): Promise<WriteOp[]>
  applied?(env: VerifiedEnvelope, source: 'local' | 'gossip' | 'sync'): void
}

export interface BroadcasterComponents {
  readonly store: Store
  readonly evidence: EvidenceLog
  readonly clock: Clock
  readonly crypto: CryptoSuite
  readonly roster: () => Roster
  readonly signer: Signer
  readonly randomBytes: (n: number) => Uint8Array
  readonly logger: Logger
}

export interface BroadcasterInit {
  readonly federationId: string
  readonly country: string
}

export interface BroadcastDraft {
  readonly kind: string
  readonly body: Json
  /** ['*'] or the addressed states: relays forward either way. */
  readonly to: readonly string[]
  readonly fromAuthority?: string
  readonly personalData?: Json
}

export class Broadcaster extends EventTarget {
  private readonly handlers = new Map<string, BroadcastHandler>()
  private readonly inflight = new Map<string, Promise<'accepted' | 'duplicate'>>()
  /** Set by the node once gossip runs; without it, envelopes spread by sync alone. */
  gossip: ((bytes: Uint8Array) => Promise<void>) | undefined
  readonly rejected = new Map<string, number>()
  private readonly arrivals: ArrivalLog

  constructor (private readonly components: BroadcasterComponents, private readonly init: BroadcasterInit) {
    super()
    this.arrivals = new ArrivalLog(components)
  }

  handle (kind: string, handler: BroadcastHandler): void {
    if (!BROADCAST_KINDS.has(kind)) throw new Error(`${kind} is not a broadcast kind`)
    this.handlers.set(kind, handler)
  }

  /** Signs, stores (through the kind's handler, so a refused event changes nothing), then gossips. */
  async publish (draft: BroadcastDraft): Promise<VerifiedEnvelope> {
    const env = signEnvelope({
      kind: draft.kind, from: this.init.country, to: draft.to, body: draft.body,
      ...(draft.fromAuthority !== undefined && { fromAuthority: draft.fromAuthority }),
      ...(draft.personalData !== undefined && { personalData: draft.personalData })
    }, { federationId: this.init.federationId, signer: this.components.signer, crypto: this.components.crypto, now: this.components.clock.now(), randomBytes: this.components.randomBytes })
    const verified = this.verify(env.wire, 'local')
    await this.store(verified, 'local')
    const bytes = encodeWire(env.wire)
    // A failed publish is no loss: peers pull what they missed at their next catch-up.
    this.gossip?.(bytes).catch((err: Error) => { this.components.logger.debug('broadcast not gossiped', { id: env.hdr.id, error: err.message }) })
    return verified
  }

  /** The one pipeline: signature against the roster, schema, size; freshness only for gossip. */
  verify (wire: WireEnvelope, source: 'local' | 'gossip' | 'sync'): VerifiedEnvelope {
    return verifyEnvelope(wire.jws, {
      federationId: this.init.federationId, keys: this.components.roster(), crypto: this.components.crypto, now: this.components.clock.now(),
      bodies: BROADCAST_KINDS, ...(source !== 'gossip' && { maxAgeMs: Number.MAX_SAFE_INTEGER }), ...(source === 'gossip' && { maxAgeMs: GOSSIP_MAX_AGE_MS })
    }, wire.pd)
  }

  /** Accepts an envelope from a peer: 'duplicate' when already held; throws ImiError to refuse. */
  async accept (wire: WireEnvelope, source: 'gossip' | 'sync'): Promise<'accepted' | 'duplicate'> {
    // Anti-entropy hands a node mostly what it holds already: recognise those by id before
    // paying for a signature check. A forgery reusing a held id changes nothing either way.
    const known = peekEnvelopeId(wire.jws)
    if (known !== undefined && await this.has(known)) return 'duplicate'
    let env: VerifiedEnvelope
    try {
      env = this.verify(wire, source)
      if (env.hdr.from === this.init.country && source === 'gossip') return 'duplicate'
    } catch (err) {
      if (err instanceof ImiError) this.noteRejected(err.code)
      throw err
    }
    const running = this.inflight.get(env.hdr.id)
    if (running !== undefined) {
      await running
      return 'duplicate'
    }
    const work = this.store(env, source)
    this.inflight.set(env.hdr.id, work)
    try {
      return await work
    } finally {
      this.inflight.delete(env.hdr.id)
    }
  }

  /** Whether `peerId` speaks for a member of the roster now (catch-up marks are kept for members only). */
  isMemberPeer (peerId: string): boolean { return this.components.roster().memberByPeerId(peerId) !== undefined }

  /** Counts a refusal by code: what peers tried, for metrics and tests. */
  noteRejected (code: string): void { this.rejected.set(code, (this.rejected.get(code) ?? 0) + 1) }

  async has (id: string): Promise<boolean> {
    return await this.components.store.get(Bucket.broadcastIds, id) !== undefined
  }

  /** Envelopes created at or after `since`, oldest first: what a peer on the first catch-up protocol asks for. */
  async since (since: number, limit: number): Promise<BroadcastEntry[]> {
    const out: BroadcastEntry[] = []
    for await (const [, e] of this.components.store.entries<BroadcastEntry>(Bucket.broadcasts, { gte: seqKey(Math.max(0, since)), limit })) out.push(e)
    return out
  }

  /** Ids of the envelopes this node stored since a peer's mark, in arrival order: what a peer's catch-up pages through. */
  async arrivedSince (mark: SyncMark | undefined, limit: number): Promise<ArrivalPage> {
    return await this.arrivals.page(mark, limit)
  }

  /** The envelopes held among `ids` (unknown ones are left out). */
  async envelopes (ids: readonly string[]): Promise<WireEnvelope[]> {
    const out: WireEnvelope[] = []
    for (const id of ids) {
      const key = await this.components.store.get<string>(Bucket.broadcastIds, id)
      const entry = key === undefined ? undefined : await this.components.store.get<BroadcastEntry>(Bucket.broadcasts, key)
      if (entry !== undefined) out.push(entry.wire)
    }
    return out
  }

  /** The newest creation time held. */
  async newest (): Promise<number> {
    for await (const [, e] of this.components.store.entries<BroadcastEntry>(Bucket.broadcasts, { reverse: true, limit: 1 })) return e.created
    return 0
  }

  /**
   * One at a time: a handler judges an event against what is stored, so two events of
   * the same alert (a withdrawal and a closure arriving together) must not both be judged
   * against the state before either. Broadcasts are rare; one queue costs nothing.
   */
  private async store (env: VerifiedEnvelope, source: 'local' | 'gossip' | 'sync'): Promise<'accepted' | 'duplicate'> {
    const run = this.queue.then(async () => await this.storeNow(env, source))
    this.queue = run.catch(() => {})
    return await run
  }

  private queue: Promise<unknown> = Promise.resolve()

  private async storeNow (env: VerifiedEnvelope, source: 'local' | 'gossip' | 'sync'): Promise<'accepted' | 'duplicate'> {
    if (await this.has(env.hdr.id)) {
      if (source === 'local') throw new DuplicateMessageError(`envelope ${env.hdr.id} exists`)
      return 'duplicate'
    }
    const handler = this.handlers.get(env.hdr.kind)
    if (handler === undefined) throw new ImiError('ERR_UNKNOWN_KIND', `no workflow takes ${env.hdr.kind} here`)
    const writes = await handler.apply(env, source)
    const key = `${seqKey(env.hdr.created)}:${env.hdr.id}`
    const entry: BroadcastEntry = { id: env.hdr.id, kind: env.hdr.kind, from: env.hdr.from, created: env.hdr.created, wire: { jws: env.jws, ...(env.pd !== undefined && { pd: env.pd }) } }
    await this.components.store.commit([
      { type: 'put', bucket: Bucket.broadcasts, key, value: entry },
      { type: 'put', bucket: Bucket.broadcastIds, key: env.hdr.id, value: key },
      await this.arrivals.append(env.hdr.id),
      ...writes
    ], this.components.evidence.append([{ type: source === 'local' ? 'sent' : 'received', ref: env.hdr.id, jws: env.jws }]))
    handler.applied?.(env, source)
    this.dispatchEvent(new CustomEvent('accepted', { detail: { id: env.hdr.id, kind: env.hdr.kind, from: env.hdr.from, source } }))
    return 'accepted'
  }
}
