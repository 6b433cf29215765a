/**
 * /imi/<fed>/broadcast-sync/1.0.0: anti-entropy for broadcasts. On every new connection
 * a node asks the peer for the envelopes created since shortly before the newest it
 * holds, page by page, and accepts each through the same pipeline as gossip (the origin's
 * signature is what counts, not who relays it). A node that was offline thus has every
 * alert, withdrawal and notification it missed seconds after it reconnects.
 */
import { lpStream } from '@libp2p/utils'
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import { ImiError, MAX_WIRE_BYTES, decodeWireValue, protocolId, type WireEnvelope } from '@imi/protocol'
import type { Broadcaster } from '../services/broadcast/broadcaster.js'
import type { Logger } from '../services/logger.js'
import type { ImiLibp2p } from './libp2p.js'
import type { RateLimiter } from '../rate-limit.js'

const PAGE = 100
const TIMEOUT_MS = 10_000
/** Envelopes may arrive late (a sender's clock, a slow relay): pull a day before the newest held. */
const OVERLAP_MS = 24 * 3_600_000
const MAX_PAGES = 1000

export class BroadcastSync {
  private readonly protocol: string
  private readonly pulling = new Map<string, Promise<number>>()

  /** `limiter`: serving a page reads the store, so a peer asking in a loop is cut off. */
  constructor (private readonly libp2p: ImiLibp2p, private readonly broadcaster: Broadcaster, federationId: string, private readonly log: Logger, private readonly limiter?: RateLimiter) {
    this.protocol = protocolId(federationId, 'broadcast-sync')
  }

  async start (): Promise<void> {
    await this.libp2p.handle(this.protocol, async (stream: Stream, connection: Connection) => {
      if (this.limiter !== undefined && !this.limiter.take(connection.remotePeer.toString())) {
        stream.abort(new Error('rate limited'))
        return
      }
      await this.serve(stream)
    }, { maxInboundStreams: 4 })
    this.libp2p.addEventListener('peer:identify', this.onIdentify)
  }

  stop (): void { this.libp2p.removeEventListener('peer:identify', this.onIdentify) }

  private readonly onIdentify = (evt: CustomEvent<{ peerId: PeerId, protocols: string[] }>): void => {
    if (evt.detail.protocols.includes(this.protocol)) void this.pullFrom(evt.detail.peerId)
  }

  private async serve (stream: Stream): Promise<void> {
    const lp = lpStream(stream, { maxDataLength: MAX_WIRE_BYTES * PAGE + 1024 })
    try {
      const req = JSON.parse(new TextDecoder().decode((await lp.read({ signal: AbortSignal.timeout(TIMEOUT_MS) })).subarray())) as { since?: unknown }
      const since = typeof req.since === 'number' && Number.isSafeInteger(req.since) ? req.since : 0
      const page = await this.broadcaster.since(since, PAGE + 1)
      const more = page.length > PAGE
      const entries = page.slice(0, PAGE)
      await lp.write(new TextEncoder().encode(JSON.stringify({ entries: entries.map((e) => e.wire), more, next: entries.at(-1)?.created ?? since })))
      await stream.close()
    } catch (err) {
      stream.abort(err as Error)
    }
  }

  /** Pulls every page the peer has since our newest (less the overlap); returns how many were new. */
  async pullFrom (peer: PeerId): Promise<number> {
    const key = peer.toString()
    let running = this.pulling.get(key)
    if (running === undefined) {
      running = this.pull(peer).finally(() => this.pulling.delete(key))
      this.pulling.set(key, running)
    }
    return await running
  }

  private async pull (peer: PeerId): Promise<number> {
    let since = Math.max(0, await this.broadcaster.newest() - OVERLAP_MS)
    let accepted = 0
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const stream = await this.libp2p.dialProtocol(peer, this.protocol, { signal: AbortSignal.timeout(TIMEOUT_MS) })
        const lp = lpStream(stream, { maxDataLength: MAX_WIRE_BYTES * PAGE + 1024 })
        await lp.write(new TextEncoder().encode(JSON.stringify({ since })))
        const reply = JSON.parse(new TextDecoder().decode((await lp.read({ signal: AbortSignal.timeout(TIMEOUT_MS) })).subarray())) as { entries?: unknown, more?: unknown, next?: unknown }
        await stream.close().catch(() => {})
        if (!Array.isArray(reply.entries) || reply.entries.length > PAGE) throw new ImiError('ERR_SYNC_REPLY', 'malformed sync reply')
        for (const raw of reply.entries) {
          let wire: WireEnvelope
          try {
            wire = decodeWireValue(raw)
            if (await this.broadcaster.accept(wire, 'sync') === 'accepted') accepted++
          } catch (err) {
            // One bad envelope from a peer does not stop the others; the pipeline counted it.
            this.log.warn('synced broadcast refused', { peer: peer.toString(), code: err instanceof ImiError ? err.code : 'ERR_INTERNAL' })
          }
        }
        const next = typeof reply.next === 'number' && Number.isSafeInteger(reply.next) ? reply.next : since
        // Several envelopes can share a creation time: the next page starts at it again, never before.
        if (reply.more !== true || next <= since) break
        since = next
      }
    } catch (err) {
      this.log.debug('broadcast sync failed', { peer: peer.toString(), code: err instanceof ImiError ? err.code : (err as Error).name })
    }
    return accepted
  }
}
