/**
 * Time-dependent delivery rules under a manual clock: a receiver answers a late retry of
 * a message it holds with the original receipt, and a sender gives up on a message the
 * receiver refuses for good instead of retrying it forever.
 */
import { expect } from 'chai'
import { lpStream } from '@libp2p/utils'
import { peerIdFromString } from '@libp2p/peer-id'
import { MAX_MESSAGE_AGE_MS, decodeReply, encodeWire, protocolId, signEnvelope } from '@imi/protocol'
import { ManualClock, nodeCrypto } from '../../src/index.js'
import { TEST_FED, eventually, makeFederation, type TestFederation } from '../fixtures/federation.js'

const DAY = 24 * 3600 * 1000

describe('delivery rules across the replay window', function () {
  this.timeout(30_000)
  let fed: TestFederation

  beforeEach(async () => { fed = await makeFederation(['CZ', 'PL', 'AT'], Date.now() - 90 * DAY) })
  afterEach(async () => { await fed.close() })

  it('answers a retry that comes after the replay window with the original receipt', async () => {
    const plClock = new ManualClock(Date.now())
    await fed.start('PL', { clock: plClock })
    await fed.start('AT')
    const env = signEnvelope({ kind: 'note', from: 'AT', to: ['PL'], body: { text: 'slow retry' } }, {
      federationId: TEST_FED, signer: fed.member('AT').identity.signer, crypto: nodeCrypto, now: Date.now(), randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n))
    })
    const exchange = async (): Promise<string> => {
      const stream = await fed.node('AT').libp2p!.dialProtocol(peerIdFromString(fed.member('PL').identity.peerId), protocolId(TEST_FED, 'dm'))
      const lp = lpStream(stream)
      await lp.write(encodeWire(env.wire))
      const reply = decodeReply((await lp.read()).subarray())
      await stream.close()
      return 'receipt' in reply ? reply.receipt : reply.error.code
    }
    const first = await exchange()
    expect(first).to.match(/^ey/)
    plClock.advance(MAX_MESSAGE_AGE_MS + DAY)
    expect(await exchange()).to.equal(first)
  })

  it('gives up on a message the receiver refuses for good, and says why', async () => {
    // CZ's clock is 40 days behind: PL refuses its message as stale, which no retry can cure.
    await fed.start('CZ', { clock: new ManualClock(Date.now() - 40 * DAY) })
    await fed.start('PL')
    const sent = await fed.node('CZ').messaging.send({ kind: 'note', to: 'PL', body: { text: 'from the past' } })
    const view = await eventually(async () => { const v = await fed.node('CZ').messaging.view(sent.id); return v.status === 'failed' ? v : undefined }, 10_000, 'failure')
    expect(view.failure?.code).to.equal('ERR_STALE_MESSAGE')
    expect(fed.node('CZ').messaging.outboxDepth()).to.equal(0)
  })
})
