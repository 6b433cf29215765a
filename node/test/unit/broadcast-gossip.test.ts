import { expect } from 'chai'
import { TopicValidatorResult } from '@libp2p/gossipsub'
import {
  FutureMessageError, ImiError, InvalidSignatureError, KeyNotValidAtTimeError, StaleMessageError, UnknownKeyError, encodeWire, topicName
} from '@imi/protocol'
import { silentLogger } from '../../src/index.js'
import { BroadcastGossip, gossipVerdict } from '../../src/p2p/broadcast-gossip.js'
import type { ImiLibp2p } from '../../src/p2p/libp2p.js'
import type { Broadcaster } from '../../src/services/broadcast/broadcaster.js'

type Validator = (peer: unknown, msg: { data: Uint8Array }) => Promise<TopicValidatorResult>

/**
 * The one adapter from a broadcast's refusal to a gossipsub verdict. Reject costs the
 * relaying peer score (three of them graylist it for about 40 minutes), so only what
 * proves the envelope bad is a Reject, never what may only show this node is behind.
 */
describe('broadcast gossip verdicts', () => {
  /** Runs one gossiped envelope through the registered validator, the broadcaster refusing it with `err`. */
  const verdictOn = async (err: Error): Promise<TopicValidatorResult> => {
    const validators = new Map<string, Validator>()
    const libp2p = { services: { pubsub: { topicValidators: validators, subscribe: () => {}, publish: async () => {} } } } as unknown as ImiLibp2p
    const broadcaster = { accept: async () => { throw err }, noteRejected: () => {} } as unknown as Broadcaster
    new BroadcastGossip(libp2p, broadcaster, 'imi-unit', silentLogger).start()
    const validate = validators.get(topicName('imi-unit', 'broadcasts'))!
    return await validate({ toString: () => 'relay' }, { data: encodeWire({ jws: 'e30.e30.AA' }) })
  }

  it('ignores, without penalising the relay, an envelope this node cannot judge because its roster or clock is behind', async () => {
    for (const err of [new UnknownKeyError('no key k9 in roster v3'), new KeyNotValidAtTimeError('key not valid yet'), new FutureMessageError('dated in the future')]) {
      expect(await verdictOn(err), err.code).to.equal(TopicValidatorResult.Ignore)
      expect(gossipVerdict(err), err.code).to.equal(TopicValidatorResult.Ignore)
    }
  })

  it('still rejects what proves the envelope bad, and ignores duplicates and its own failures', async () => {
    expect(await verdictOn(new InvalidSignatureError('forged'))).to.equal(TopicValidatorResult.Reject)
    expect(await verdictOn(new StaleMessageError('too old'))).to.equal(TopicValidatorResult.Reject)
    expect(await verdictOn(new ImiError('ERR_DUPLICATE_MESSAGE', 'held', 'ignore'))).to.equal(TopicValidatorResult.Ignore)
    expect(await verdictOn(new Error('disk full'))).to.equal(TopicValidatorResult.Ignore)
  })
})
