/**
 * /imi/<fed>/dm/1.0.0, receiving side: length-prefixed request frames, many per stream,
 * handled concurrently (so they share storage batches) and answered in order. The peer
 * was authenticated by the connection; its id goes to the handler with every frame.
 */
import { lpStream } from '@libp2p/utils'
import type { Connection, Libp2p, Stream } from '@libp2p/interface'
import { MAX_WIRE_BYTES, decodeWire, protocolId, ImiError, type WireEnvelope } from '@imi/protocol'
import type { Logger } from '../services/logger.js'
import type { RateLimiter } from '../rate-limit.js'

export const DM_PROTOCOL_NAME = 'dm'
/** Requests a receiver works on at once per stream; further frames wait to be read. */
const SERVER_PIPELINE = 256
/** A sender that has said nothing for this long gives its stream back. */
const STREAM_IDLE_MS = 120_000

export interface DirectMessageHandler {
  /** Returns the reply frame for one request frame from an authenticated peer. */
  receiveFrame(wire: WireEnvelope, remotePeerId: string): Promise<Uint8Array>
  /** Encodes a refusal for a frame that could not even be decoded. */
  refuse(code: string, message: string): Uint8Array
}

export async function handleDirectMessages (libp2p: Libp2p, federationId: string, handler: DirectMessageHandler, log: Logger, limiter?: RateLimiter): Promise<void> {
  await libp2p.handle(protocolId(federationId, DM_PROTOCOL_NAME), (stream: Stream, connection: Connection) => {
    serve(stream, connection.remotePeer.toString(), handler, log, limiter).catch((err: unknown) => {
      log.debug('direct message stream ended', { peer: connection.remotePeer.toString(), error: (err as Error).name })
      stream.abort(err as Error)
    })
  }, { maxInboundStreams: 8, runOnLimitedConnection: false })
}

async function serve (stream: Stream, peer: string, handler: DirectMessageHandler, log: Logger, limiter?: RateLimiter): Promise<void> {
  const lp = lpStream(stream, { maxDataLength: MAX_WIRE_BYTES })
  const out = new OrderedWriter(lp)
  for (;;) {
    let frame: Uint8Array
    try {
      // An idle stream is closed; the sender opens a new one for its next message.
      frame = (await lp.read({ signal: AbortSignal.timeout(STREAM_IDLE_MS) })).subarray()
    } catch {
      break
    }
    // A flooding peer gets a refusal it can retry later; its frames are not even decoded.
    out.push(limiter === undefined || limiter.take(peer) ? answer(frame, peer, handler) : Promise.resolve(handler.refuse('ERR_RATE_LIMITED', 'too many direct messages: retry later')))
    // Back-pressure: stop reading while the pipeline is full, resume as soon as it is not.
    while (out.pending >= SERVER_PIPELINE) await out.progress()
  }
  await out.drained()
  log.debug('direct message stream closed', { peer })
  await stream.close().catch(() => {})
}

/**
 * Writes replies in request order (the client matches them first-in, first-out), and
 * every reply that is ready goes out in one write: one encryption and one syscall for
 * many frames under load.
 */
class OrderedWriter {
  private readonly queue: Array<{ done: Promise<void>, value?: Uint8Array }> = []
  private loop: Promise<void> = Promise.resolve()
  private looping = false
  private failure: unknown
  private wrote: Array<() => void> = []

  constructor (private readonly lp: ReturnType<typeof lpStream>) {}

  get pending (): number { return this.queue.length }

  push (reply: Promise<Uint8Array>): void {
    const entry: { done: Promise<void>, value?: Uint8Array } = { done: Promise.resolve() }
    entry.done = reply.then((v) => { entry.value = v })
    this.queue.push(entry)
    if (!this.looping) {
      this.looping = true
      // A failed write ends the stream; the error surfaces from drained() or progress().
      this.loop = this.run().catch((err: unknown) => { this.failure = err })
    }
  }

  async drained (): Promise<void> {
    while (this.looping) await this.loop
    this.throwIfFailed()
  }

  /** Resolves after the next write, or at once when nothing is pending. */
  async progress (): Promise<void> {
    if (this.looping) await Promise.race([new Promise<void>((resolve) => { this.wrote.push(resolve) }), this.loop])
    this.throwIfFailed()
  }

  private throwIfFailed (): void {
    if (this.failure !== undefined) throw this.failure
  }

  private async run (): Promise<void> {
    try {
      while (this.queue.length > 0) {
        await this.queue[0]!.done
        const batch: Uint8Array[] = []
        while (this.queue[0]?.value !== undefined) batch.push(this.queue.shift()!.value!)
        await this.lp.writeV(batch)
        for (const resolve of this.wrote.splice(0)) resolve()
      }
    } finally {
      // Cleared in the same turn the loop ends: a reply pushed right after starts a new loop.
      this.looping = false
    }
  }
}

async function answer (frame: Uint8Array, peer: string, handler: DirectMessageHandler): Promise<Uint8Array> {
  let wire: WireEnvelope
  try {
    wire = decodeWire(frame)
  } catch (err) {
    return err instanceof ImiError ? handler.refuse(err.code, err.message) : handler.refuse('ERR_ENVELOPE_ENCODING', 'undecodable frame')
  }
  return await handler.receiveFrame(wire, peer)
}
