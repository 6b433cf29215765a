/**
 * Directory change announcements on gossip. The sender's own node key signs each gossip
 * message (gossipsub's strict signing); the validator accepts one only when that key is
 * the roster's peer for the country it speaks of, then asks the directory service to
 * fetch that country now. A forged or malformed announcement is rejected, which
 * penalises the peer that forwarded it.
 */
import { TopicValidatorResult, type Message } from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'
import {
  ImiError, decodeDirectoryAnnouncement, encodeDirectoryAnnouncement, topicName, type DirectoryAnnouncement, type Roster
} from '@imi/protocol'
import type { Logger } from '../services/logger.js'
import type { ImiLibp2p } from './libp2p.js'

export interface AnnouncementComponents {
  readonly libp2p: ImiLibp2p
  readonly roster: () => Roster
  /** Called for every authentic announcement of another state. */
  readonly announced: (a: DirectoryAnnouncement) => void
  readonly logger: Logger
}

export class DirectoryAnnouncer {
  readonly topic: string

  constructor (private readonly components: AnnouncementComponents, federationId: string) {
    this.topic = topicName(federationId, 'directory')
  }

  start (): void {
    const pubsub = this.components.libp2p.services.pubsub
    pubsub.topicValidators.set(this.topic, (_peer: PeerId, msg: Message) => this.validate(msg))
    pubsub.subscribe(this.topic)
    pubsub.addEventListener('message', this.onMessage)
  }

  stop (): void {
    this.components.libp2p.services.pubsub.removeEventListener('message', this.onMessage)
  }

  async announce (a: DirectoryAnnouncement): Promise<void> {
    await this.components.libp2p.services.pubsub.publish(this.topic, encodeDirectoryAnnouncement(a))
  }

  private readonly onMessage = (evt: CustomEvent<Message>): void => {
    if (evt.detail.topic !== this.topic) return
    // Validated already: decoding again cannot fail.
    this.components.announced(decodeDirectoryAnnouncement(evt.detail.data))
  }

  private validate (msg: Message): TopicValidatorResult {
    try {
      if (msg.type !== 'signed') throw new ImiError('ERR_RECORD_SIGNER', 'announcement is not signed')
      const a = decodeDirectoryAnnouncement(msg.data)
      if (this.components.roster().member(a.country)?.peerId !== msg.from.toString()) {
        throw new ImiError('ERR_RECORD_SIGNER', `announcement for ${a.country} not sent by its node`)
      }
      return TopicValidatorResult.Accept
    } catch (err) {
      this.components.logger.warn('directory announcement rejected', { code: err instanceof ImiError ? err.code : 'ERR_RECORD_SCHEMA' })
      return TopicValidatorResult.Reject
    }
  }
}
