/**
 * /imi/<fed>/broadcast-sync/2.0.0: anti-entropy for broadcasts. A node asks a peer for
 * the ids of the envelopes the peer stored since the mark of the last catch-up from it
 * (the peer's arrival log: epoch and arrival number), then only for the envelopes it
 * lacks, and accepts each through the same pipeline as gossip (the origin's signature is
 * what counts, not who relays it). The mark is kept per peer, so how far a catch-up got
 * does not depend on what this node received or issued meanwhile. Catch-up runs when a
 * peer connects and, on the node's clock, with a few connected peers at a time
 * (services/broadcast/anti-entropy.ts), so what gossip dropped is repaired without a new
 * connection. The first version (envelopes since a creation time) is still served to
 * nodes not upgraded yet.
 */
import { lpStream } from '@libp2p/utils'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import { ImiError, MAX_WIRE_BYTES, decodeWireValue, peekEnvelopeId, protocolId, type WireEnvelope } from '@imi/protocol'
import type { Clock } from '../clock.js'
import { AntiEntropy, type AntiEntropyInit } from '../services/broadcast/anti-entropy.js'
import type { Broadcaster } from '../services/broadcast/broadcaster.js'
import { isTemporaryRefusal, refusalCode } from '../services/broadcast/refusals.js'
import { MAX_RETRIES, RETRY_FOR_MS, type SyncMark, type SyncMarks, type SyncRetry } from '../services/broadcast/sync-marks.js'
import type { Logger } from '../services/logger.js'
import type { ImiLibp2p } from './libp2p.js'
import type { RateLimiter } from '../rate-limit.js'

/** Ids per page (about 30 bytes each), and envelopes per request for the ones missing. */
const ID_PAGE = 500
const WANT_BATCH = 100
const MAX_EPOCH_CHARS = 64
/** How long one message (a read, a write) may take. */
const TIMEOUT_MS = 10_000
/**
 * How long one catch-up, or the serving of one, may take overall (real time): a slow peer
 * answering each message just in time does not keep one alive for hours.
 */
export const PULL_DEADLINE_MS = 2 * 60_000
const MAX_PAGES = 1000
/** What a reply may weigh: a batch of envelopes. Only a catch-up reads these, from a peer it chose to ask. */
const MAX_DATA = MAX_WIRE_BYTES * WANT_BATCH + 1024
/**
 * What a request may weigh: a mark, or a batch of ids (about 2.5 KiB). The server reads
 * requests from any member, so it buffers no more than a few of these per stream.
 */
const MAX_REQUEST = 16 * 1024
/** An envelope id as the protocol decodes hdr.id (protocol/src/schema.ts ID_PATTERN). */
const ENVELOPE_ID = /^[A-Za-z0-9_-]{22}$/
/** Version 1: envelopes created since a time, a page at a time. */
const V1_PAGE = 100

export interface BroadcastSyncComponents {
  readonly libp2p: ImiLibp2p
  readonly broadcaster: Broadcaster
  readonly marks: SyncMarks
  readonly clock: Clock
  readonly randomBytes: (n: number) => Uint8Array
  readonly logger: Logger
  /** Serving a page reads the store, so a peer asking in a loop is cut off. */
  readonly limiter?: RateLimiter
}

export class BroadcastSync {
  private readonly protocol: string
  private readonly protocolV1: string
  private readonly pulling = new Map<string, Promise<number>>()
  /** Envelope ids being fetched by some catch-up: another one waits for it instead of fetching them again. */
  private readonly fetching = new Map<string, Promise<void>>()
  readonly antiEntropy: AntiEntropy
  /** What this node's catch-ups cost: pages asked, ids listed, envelopes fetched, bytes received. */
  readonly stats = { pages: 0, ids: 0, fetched: 0, bytes: 0 }
  private readonly libp2p: ImiLibp2p
  private readonly broadcaster: Broadcaster
  private readonly log: Logger
  /** Aborted by stop(): every catch-up and serving in flight ends. */
  private stopping = new AbortController()
  /** How long one catch-up may take overall (tests shorten it). */
  pullDeadlineMs = PULL_DEADLINE_MS

  constructor (private readonly components: BroadcastSyncComponents, federationId: string, init: AntiEntropyInit = {}) {
    this.libp2p = components.libp2p
    this.broadcaster = components.broadcaster
    this.log = components.logger
    this.protocol = protocolId(federationId, 'broadcast-sync', '2.0.0')
    this.protocolV1 = protocolId(federationId, 'broadcast-sync')
    this.antiEntropy = new AntiEntropy({
      clock: components.clock, randomBytes: components.randomBytes, logger: components.logger,
      peers: async () => await this.peers(), pull: async (peer, signal) => await this.pullFrom(peerIdFromString(peer), signal),
      tidy: async () => { await this.forgetLeftMembers() }
    }, init)
  }

  async start (): Promise<void> {
    if (this.stopping.signal.aborted) this.stopping = new AbortController()
    const limited = (serve: (stream: Stream) => Promise<void>) => async (stream: Stream, connection: Connection) => {
      if (this.components.limiter !== undefined && !this.components.limiter.take(connection.remotePeer.toString())) {
        stream.abort(new Error('rate limited'))
        return
      }
      await serve(stream)
    }
    await this.libp2p.handle(this.protocol, limited(async (s) => { await this.serve(s) }), { maxInboundStreams: 4 })
    await this.libp2p.handle(this.protocolV1, limited(async (s) => { await this.serveV1(s) }), { maxInboundStreams: 4 })
    this.libp2p.addEventListener('peer:identify', this.onIdentify)
    this.antiEntropy.start()
  }

  stop (): void {
    this.antiEntropy.stop()
    this.libp2p.removeEventListener('peer:identify', this.onIdentify)
    this.stopping.abort(new Error('broadcast sync stopped'))
  }

  /** Deletes the catch-up marks of peers that left the roster (checked before each anti-entropy round). */
  async forgetLeftMembers (): Promise<void> {
    const gone = await this.components.marks.forgetUnless((peer) => this.broadcaster.isMemberPeer(peer))
    if (gone.length > 0) this.log.info('catch-up marks of peers no longer in the roster deleted', { peers: gone.join(' ') })
  }

  /** A signal for one catch-up or serving: its overall deadline, the caller's signal, or stop(). */
  private deadline (signal?: AbortSignal): AbortSignal {
    return AbortSignal.any([this.stopping.signal, AbortSignal.timeout(this.pullDeadlineMs), ...(signal !== undefined ? [signal] : [])])
  }

  private readonly onIdentify = (evt: CustomEvent<{ peerId: PeerId, protocols: string[] }>): void => {
    if (evt.detail.protocols.includes(this.protocol)) void this.pullFrom(evt.detail.peerId)
  }

  /** Connected peers that serve this protocol (members, not bootstrap nodes). */
  async peers (): Promise<string[]> {
    const out: string[] = []
    for (const peer of this.libp2p.getPeers()) {
      const known = await this.libp2p.peerStore.get(peer).catch(() => undefined)
      if (known?.protocols.includes(this.protocol) === true) out.push(peer.toString())
    }
    return out
  }

  /**
   * One served exchange: requests read with the small request limit, the whole of it
   * within the serving deadline (which aborts the stream), any failure resetting it.
   */
  private async served (stream: Stream, exchange: (lp: Lp, signal: AbortSignal) => Promise<void>): Promise<void> {
    const lp = lpStream(stream, { maxDataLength: MAX_REQUEST, maxBufferSize: 4 * MAX_REQUEST })
    const signal = this.deadline()
    const onAbort = (): void => { stream.abort(signal.reason as Error) }
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      await exchange(lp, signal)
      await stream.close({ signal })
    } catch (err) {
      stream.abort(err as Error)
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }

  private async serve (stream: Stream): Promise<void> {
    await this.served(stream, async (lp, signal) => {
      const req = await readJson(lp, signal)
      const page = await this.broadcaster.arrivedSince(markOf(req), ID_PAGE)
      await writeJson(lp, page, signal)
      // Then the envelopes the peer lacks, a batch at a time, until it asks for none.
      for (let i = 0; i <= ID_PAGE / WANT_BATCH; i++) {
        const want = (await readJson(lp, signal)).want
        const ids = Array.isArray(want) ? want.filter((x): x is string => typeof x === 'string' && ENVELOPE_ID.test(x)).slice(0, WANT_BATCH) : []
        if (ids.length === 0) break
        await writeJson(lp, { entries: await this.broadcaster.envelopes(ids) }, signal)
      }
    })
  }

  /** Catches up from `peer` since the mark of the last catch-up from it; returns how many envelopes were new. */
  async pullFrom (peer: PeerId, signal?: AbortSignal): Promise<number> {
    const key = peer.toString()
    let running = this.pulling.get(key)
    if (running === undefined) {
      running = this.pull(peer, this.deadline(signal)).finally(() => this.pulling.delete(key))
      this.pulling.set(key, running)
    }
    return await running
  }

  private async pull (peer: PeerId, signal: AbortSignal): Promise<number> {
    const key = peer.toString()
    let mark = await this.components.marks.get(key)
    let retries = await this.components.marks.retries(key)
    let accepted = 0
    try {
      for (let n = 0; n < MAX_PAGES; n++) {
        signal.throwIfAborted()
        const stream = await this.libp2p.dialProtocol(peer, this.protocol, { signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]) })
        const lp = lpStream(stream, { maxDataLength: MAX_DATA, maxBufferSize: MAX_DATA + 16 })
        // A write waiting for 'drain' or a read in flight ends with the stream.
        const onAbort = (): void => { stream.abort(signal.reason as Error) }
        signal.addEventListener('abort', onAbort, { once: true })
        let page: IdPage
        let pending: SyncRetry[]
        try {
          await writeJson(lp, mark ?? {}, signal)
          page = idPageOf(await readJson(lp, signal, this.stats))
          this.stats.pages++
          this.stats.ids += page.ids.length
          const first = await this.fetchMissing(lp, page.ids, key, signal)
          accepted += first.accepted
          // Then, once the rest of the page is in, one more batch: what was refused for now
          // (a withdrawal listed before its alert) and what earlier catch-ups were refused.
          const now = this.components.clock.now()
          const earlier = new Map(retries.filter((r) => now - r.since < RETRY_FOR_MS).map((r) => [r.id, r]))
          for (const id of first.temporary) if (!earlier.has(id)) earlier.set(id, { id, since: now })
          const candidates: SyncRetry[] = []
          for (const r of earlier.values()) if (!await this.broadcaster.has(r.id)) candidates.push(r)
          const again = candidates.slice(0, WANT_BATCH)
          const second = await this.fetch(lp, again.map((r) => r.id), key, signal)
          accepted += second.accepted
          // Kept: still refused for now, and those not asked this time. Dropped: taken, refused for good, or no longer served.
          pending = [...again.filter((r) => second.temporary.includes(r.id)), ...candidates.slice(WANT_BATCH)]
          await writeJson(lp, { want: [] }, signal)
        } finally {
          signal.removeEventListener('abort', onAbort)
          await stream.close({ signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]) }).catch(() => { stream.abort(new Error('not closed in time')) })
        }
        // Too many to keep: the mark stays before this page, which is listed again next time.
        if (pending.length > MAX_RETRIES) break
        // Every id of the page is held now, refused for good, or kept to be asked for again: the mark moves past them.
        retries = pending
        const last = page.ids.at(-1) ?? (mark !== undefined && mark.epoch === page.epoch && mark.after === page.next ? mark.id : undefined)
        mark = { epoch: page.epoch, after: page.next, ...(last !== undefined && { id: last }) }
        await this.components.marks.advance(key, mark, page.from, retries)
        if (!page.more || page.ids.length === 0) break
      }
    } catch (err) {
      this.log.debug('broadcast sync failed', { peer: key, code: err instanceof ImiError ? err.code : (err as Error).name })
    }
    return accepted
  }

  /**
   * Asks for the listed envelopes not held, in the peer's arrival order, so an event comes
   * after the one it follows (a withdrawal after its alert) as it did on the peer. Ones
   * another catch-up is fetching are waited for first, then asked for if still missing.
   */
  private async fetchMissing (lp: Lp, ids: readonly string[], peer: string, signal: AbortSignal): Promise<Fetched> {
    const missing: string[] = []
    for (const id of ids) if (!await this.broadcaster.has(id)) missing.push(id)
    const elsewhere = missing.map((id) => this.fetching.get(id)).filter((p) => p !== undefined)
    if (elsewhere.length > 0) await raceAbort(Promise.all(elsewhere), signal)
    const want: string[] = []
    for (const id of missing) if (!await this.broadcaster.has(id)) want.push(id)
    return await this.fetch(lp, want, peer, signal)
  }

  /** Fetches `ids` and hands each to the pipeline; returns how many were new, and the ids refused for now (refusals.ts). */
  private async fetch (lp: Lp, ids: readonly string[], peer: string, signal: AbortSignal): Promise<Fetched> {
    const out = { accepted: 0, temporary: [] as string[] }
    if (ids.length === 0) return out
    let done!: () => void
    const fetched = new Promise<void>((resolve) => { done = resolve })
    for (const id of ids) this.fetching.set(id, fetched)
    try {
      for (let i = 0; i < ids.length; i += WANT_BATCH) {
        const want = ids.slice(i, i + WANT_BATCH)
        await writeJson(lp, { want }, signal)
        const reply = await readJson(lp, signal, this.stats)
        if (!Array.isArray(reply.entries) || reply.entries.length > want.length) throw new ImiError('ERR_SYNC_REPLY', 'malformed sync reply')
        this.stats.fetched += reply.entries.length
        for (const raw of reply.entries as unknown[]) {
          let id: string | undefined
          try {
            const wire: WireEnvelope = decodeWireValue(raw)
            id = peekEnvelopeId(wire.jws)
            if (await this.broadcaster.accept(wire, 'sync') === 'accepted') out.accepted++
          } catch (err) {
            // One bad envelope from a peer does not stop the others; the pipeline counted it.
            // One refused for now is asked for again, only if it is one this catch-up asked for.
            const temporary = isTemporaryRefusal(err) && id !== undefined && want.includes(id)
            if (temporary) out.temporary.push(id!)
            this.log[temporary ? 'debug' : 'warn']('synced broadcast refused', { peer, code: refusalCode(err), temporary })
          }
        }
      }
    } finally {
      for (const id of ids) if (this.fetching.get(id) === fetched) this.fetching.delete(id)
      done()
    }
    return out
  }

  /** Version 1, for peers not upgraded yet: the envelopes created since a time, a page at a time. */
  private async serveV1 (stream: Stream): Promise<void> {
    await this.served(stream, async (lp, signal) => {
      const req = await readJson(lp, signal)
      const since = typeof req.since === 'number' && Number.isSafeInteger(req.since) ? req.since : 0
      const page = await this.broadcaster.since(since, V1_PAGE + 1)
      const entries = page.slice(0, V1_PAGE)
      await writeJson(lp, { entries: entries.map((e) => e.wire), more: page.length > V1_PAGE, next: entries.at(-1)?.created ?? since }, signal)
    })
  }
}

type Lp = ReturnType<typeof lpStream>

interface Fetched { readonly accepted: number, readonly temporary: string[] }

interface IdPage { readonly epoch: string, readonly from: number, readonly ids: string[], readonly next: number, readonly more: boolean }

/** Each message within TIMEOUT_MS, and within the exchange's `signal` (its deadline, or stop). */
const within = (signal?: AbortSignal): AbortSignal => signal === undefined ? AbortSignal.timeout(TIMEOUT_MS) : AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)])

async function raceAbort<T> (work: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted()
  let onAbort!: () => void
  const aborted = new Promise<never>((_resolve, reject) => { onAbort = () => { reject(signal.reason) }; signal.addEventListener('abort', onAbort, { once: true }) })
  try {
    return await Promise.race([work, aborted])
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}

async function readJson (lp: Lp, signal?: AbortSignal, counted?: { bytes: number }): Promise<Record<string, unknown>> {
  const bytes = (await lp.read({ signal: within(signal) })).subarray()
  if (counted !== undefined) counted.bytes += bytes.length
  const value: unknown = JSON.parse(new TextDecoder().decode(bytes))
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ImiError('ERR_SYNC_REPLY', 'not a sync message')
  return value as Record<string, unknown>
}

async function writeJson (lp: Lp, value: unknown, signal?: AbortSignal): Promise<void> {
  await lp.write(new TextEncoder().encode(JSON.stringify(value)), { signal: within(signal) })
}

const count = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0

/** A peer's mark as sent to us; anything else asks from the start. */
function markOf (req: Record<string, unknown>): SyncMark | undefined {
  if (typeof req.epoch !== 'string' || req.epoch.length > MAX_EPOCH_CHARS || !count(req.after)) return undefined
  return { epoch: req.epoch, after: req.after, ...(typeof req.id === 'string' && ENVELOPE_ID.test(req.id) && { id: req.id }) }
}

function idPageOf (r: Record<string, unknown>): IdPage {
  const ids = r.ids
  if (typeof r.epoch !== 'string' || r.epoch.length === 0 || r.epoch.length > MAX_EPOCH_CHARS || !count(r.from) || !count(r.next) || r.next < r.from ||
    typeof r.more !== 'boolean' || !Array.isArray(ids) || ids.length > ID_PAGE || !ids.every((x) => typeof x === 'string' && ENVELOPE_ID.test(x))) {
    throw new ImiError('ERR_SYNC_REPLY', 'malformed sync reply')
  }
  return { epoch: r.epoch, from: r.from, ids: ids as string[], next: r.next, more: r.more }
}
