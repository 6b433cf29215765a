/**
 * The `broadcasts` gossip topic (alerts, notifications). This file is the one adapter
 * from the broadcaster's outcome to a gossipsub verdict: accepted -> Accept (stored and
 * forwarded), held already -> Ignore, an ImiError -> its verdict (Reject penalises the
 * peer that forwarded it: a forged, malformed, oversized or stale envelope is never
 * forwarded), except where this node may be the one out of date (`gossipVerdict`).
 * Only roster members can connect at all, so the mesh is the federation.
 */
import { TopicValidatorResult, type Message } from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'
import { ImiError, MAX_WIRE_BYTES, decodeWire, topicName } from '@imi/protocol'
import type { Broadcaster } from '../services/broadcast/broadcaster.js'
import type { Logger } from '../services/logger.js'
import type { ImiLibp2p } from './libp2p.js'

/**
 * Refusals that say as much about this node as about the envelope: a signing key its
 * roster does not know yet (a newly joined member, a rotated key), a key not valid yet
 * by its roster, a date ahead of its clock. An honest relay forwards such an envelope;
 * penalising it (Reject) would graylist good peers whenever this node lags. Ignored, as
 * roster gossip ignores a version further ahead: not forwarded, no score.
 */
const BEHIND_HERE = new Set(['ERR_UNKNOWN_KEY', 'ERR_KEY_NOT_VALID_AT_TIME', 'ERR_FUTURE_MESSAGE'])

/** The gossipsub verdict on a broadcast this node refused with `err`. */
export function gossipVerdict (err: unknown): TopicValidatorResult {
  if (!(err instanceof ImiError)) return TopicValidatorResult.Ignore
  if (BEHIND_HERE.has(err.code)) return TopicValidatorResult.Ignore
  return err.verdict === 'ignore' ? TopicValidatorResult.Ignore : TopicValidatorResult.Reject
}

export class BroadcastGossip {
  readonly topic: string

  constructor (private readonly libp2p: ImiLibp2p, private readonly broadcaster: Broadcaster, federationId: string, private readonly log: Logger) {
    this.topic = topicName(federationId, 'broadcasts')
  }

  start (): void {
    const pubsub = this.libp2p.services.pubsub
    pubsub.topicValidators.set(this.topic, async (peer: PeerId, msg: Message) => await this.validate(peer, msg))
    pubsub.subscribe(this.topic)
    this.broadcaster.gossip = async (bytes) => { await pubsub.publish(this.topic, bytes) }
  }

  stop (): void {
    this.broadcaster.gossip = undefined
  }

  private async validate (peer: PeerId, msg: Message): Promise<TopicValidatorResult> {
    try {
      let wire
      try {
        wire = decodeWire(msg.data, MAX_WIRE_BYTES)
      } catch (err) {
        this.broadcaster.noteRejected(err instanceof ImiError ? err.code : 'ERR_ENVELOPE_ENCODING')
        throw err
      }
      const outcome = await this.broadcaster.accept(wire, 'gossip')
      return outcome === 'accepted' ? TopicValidatorResult.Accept : TopicValidatorResult.Ignore
    } catch (err) {
      const code = err instanceof ImiError ? err.code : 'ERR_INTERNAL'
      this.log.warn('broadcast gossip refused', { code, peer: peer.toString() })
      return gossipVerdict(err)
    }
  }
}
