/**
 * /imi/<fed>/dm/1.0.0, sending side: one long-lived stream per peer, requests pipelined
 * on it and matched to replies first-in, first-out. Opening a stream per message would
 * cost a protocol negotiation each time.
 */
import { lpStream } from '@libp2p/utils'
import type { Libp2p, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { MAX_WIRE_BYTES, protocolId } from '@imi/protocol'
import { DM_PROTOCOL_NAME } from './direct-message-handler.js'

interface Waiting { resolve: (b: Uint8Array) => void, reject: (e: unknown) => void }

/** One long-lived stream to one peer, with requests answered in order. */
class Channel {
  readonly waiting: Waiting[] = []
  private outgoing: Uint8Array[] = []
  private flushing = false
  private readonly lp: ReturnType<typeof lpStream>
  closed = false

  constructor (private readonly stream: Stream, private readonly onClose: () => void) {
    this.lp = lpStream(stream, { maxDataLength: MAX_WIRE_BYTES })
    void this.readLoop()
  }

  async request (frame: Uint8Array, signal: AbortSignal): Promise<Uint8Array> {
    if (this.closed) throw new Error('channel closed')
    const reply = new Promise<Uint8Array>((resolve, reject) => { this.waiting.push({ resolve, reject }) })
    this.outgoing.push(frame)
    if (!this.flushing) void this.flush()
    const onAbort = (): void => { this.fail(signal.reason) }
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      return await reply
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }

  /** Frames queued while a write is under way leave together in the next one. */
  private async flush (): Promise<void> {
    this.flushing = true
    try {
      while (this.outgoing.length > 0 && !this.closed) {
        const batch = this.outgoing
        this.outgoing = []
        await this.lp.writeV(batch)
      }
    } catch (err) {
      this.fail(err)
    } finally {
      this.flushing = false
    }
  }

  private async readLoop (): Promise<void> {
    try {
      while (!this.closed) {
        const frame = (await this.lp.read()).subarray()
        const next = this.waiting.shift()
        if (next === undefined) throw new Error('unsolicited reply')
        next.resolve(frame)
      }
    } catch (err) {
      this.fail(err)
    }
  }

  /** A lost or late reply would misalign every later one: drop the whole stream. */
  fail (err: unknown): void {
    if (this.closed) return
    this.closed = true
    this.onClose()
    for (const w of this.waiting.splice(0)) w.reject(err)
    this.stream.abort(err instanceof Error ? err : new Error(String(err)))
  }

  close (): void {
    if (this.closed) return
    this.closed = true
    this.onClose()
    for (const w of this.waiting.splice(0)) w.reject(new Error('channel closed'))
    void this.stream.close().catch(() => {})
  }
}

/** The client side, as the DirectTransport that messaging uses. */
export class DirectMessageClient {
  private readonly channels = new Map<string, Promise<Channel>>()
  private readonly protocol: string

  constructor (private readonly libp2p: Libp2p, federationId: string) {
    this.protocol = protocolId(federationId, DM_PROTOCOL_NAME)
  }

  async request (peerId: string, frame: Uint8Array, options: { signal: AbortSignal }): Promise<Uint8Array> {
    const channel = await this.channel(peerId, options.signal)
    return await channel.request(frame, options.signal)
  }

  private async channel (peerId: string, signal: AbortSignal): Promise<Channel> {
    let pending = this.channels.get(peerId)
    if (pending === undefined) {
      pending = this.libp2p.dialProtocol(peerIdFromString(peerId), this.protocol, { signal })
        .then((stream) => new Channel(stream, () => { this.channels.delete(peerId) }))
      pending.catch(() => { this.channels.delete(peerId) })
      this.channels.set(peerId, pending)
    }
    return await pending
  }

  close (): void {
    for (const c of this.channels.values()) c.then((ch) => { ch.close() }, () => {})
    this.channels.clear()
  }
}
