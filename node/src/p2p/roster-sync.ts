/**
 * Roster versions spread two ways: pushed on gossip when a member applies one, and
 * pulled from every peer on connect (so a node that was offline catches up). Either way
 * the roster service applies a version only if the quorum rule holds.
 */
import { lpStream } from '@libp2p/utils'
import { TopicValidatorResult } from '@libp2p/gossipsub'
import type { Libp2p, PeerId } from '@libp2p/interface'
import {
  MAX_ROSTER_BYTES, ImiError, decodeSignedRoster, payloadDocument, protocolId, topicName, type SignedRoster
} from '@imi/protocol'
import type { Logger } from '../services/logger.js'
import type { RosterService } from '../services/roster-service.js'
import type { ImiLibp2p } from './libp2p.js'

const MAX_VERSIONS_PER_REPLY = 16
const FETCH_TIMEOUT_MS = 5000

export class RosterSync {
  private readonly protocol: string
  readonly topic: string

  constructor (private readonly libp2p: ImiLibp2p, private readonly roster: RosterService, federationId: string, private readonly log: Logger) {
    this.protocol = protocolId(federationId, 'roster')
    this.topic = topicName(federationId, 'roster')
  }

  private listening = false

  /**
   * Serves this node's roster versions and pulls from every peer identified from now on:
   * before libp2p starts, so that no connection made at start goes without its pull.
   */
  async listen (): Promise<void> {
    if (this.listening) return
    this.listening = true
    await this.libp2p.handle(this.protocol, async (stream) => {
      const lp = lpStream(stream, { maxDataLength: 64 })
      try {
        const req = JSON.parse(new TextDecoder().decode((await lp.read({ signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })).subarray())) as { have?: unknown }
        const have = typeof req.have === 'number' && Number.isSafeInteger(req.have) ? req.have : 0
        const reply = lpStream(stream, { maxDataLength: MAX_ROSTER_BYTES * MAX_VERSIONS_PER_REPLY })
        await reply.write(new TextEncoder().encode(JSON.stringify({ versions: this.roster.after(have, MAX_VERSIONS_PER_REPLY) })))
        await stream.close()
      } catch (err) {
        stream.abort(err as Error)
      }
    }, { maxInboundStreams: 4 })
    this.libp2p.services.pubsub.topicValidators.set(this.topic, async (peer: PeerId, msg) => await this.validateGossip(peer, msg.data))
    this.libp2p.addEventListener('peer:identify', (evt) => {
      if (evt.detail.protocols.includes(this.protocol)) void this.pullFrom(evt.detail.peerId)
    })
  }

  /** Subscribes to roster gossip (needs a started libp2p); listens first if not yet. */
  async start (): Promise<void> {
    await this.listen()
    this.libp2p.services.pubsub.subscribe(this.topic)
  }

  /**
   * Gossip verdicts: apply and forward, ignore what we have, reject what is invalid. A
   * version further ahead than the next is honest news we cannot judge yet: ignore it
   * and fetch the versions in between from the peer that sent it.
   */
  private async validateGossip (from: PeerId, data: Uint8Array): Promise<TopicValidatorResult> {
    try {
      const signed = decodeSignedRoster(JSON.parse(new TextDecoder().decode(data)))
      if (payloadDocument(signed).version > this.roster.current.version + 1) {
        void this.pullFrom(from)
        return TopicValidatorResult.Ignore
      }
      return (await this.roster.offer([signed])) > 0 ? TopicValidatorResult.Accept : TopicValidatorResult.Ignore
    } catch (err) {
      this.log.warn('roster gossip rejected', { code: err instanceof ImiError ? err.code : 'ERR_ROSTER_SCHEMA' })
      return TopicValidatorResult.Reject
    }
  }

  async pullFrom (peerId: PeerId): Promise<number> {
    try {
      const stream = await this.libp2p.dialProtocol(peerId, this.protocol, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
      const lp = lpStream(stream, { maxDataLength: MAX_ROSTER_BYTES * MAX_VERSIONS_PER_REPLY })
      await lp.write(new TextEncoder().encode(JSON.stringify({ have: this.roster.current.version })))
      const reply = JSON.parse(new TextDecoder().decode((await lp.read({ signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })).subarray())) as { versions?: unknown }
      await stream.close().catch(() => {})
      if (!Array.isArray(reply.versions)) return 0
      const versions: SignedRoster[] = reply.versions.slice(0, MAX_VERSIONS_PER_REPLY).map(decodeSignedRoster)
      return await this.roster.offer(versions)
    } catch (err) {
      this.log.debug('roster pull failed', { peer: peerId.toString(), code: err instanceof ImiError ? err.code : (err as Error).name })
      return 0
    }
  }

  /** Pushes the current version to the federation (after an operator applied it). */
  async announce (): Promise<void> {
    await this.libp2p.services.pubsub.publish(this.topic, new TextEncoder().encode(JSON.stringify(this.roster.current.signed)))
  }
}

export type { Libp2p }
