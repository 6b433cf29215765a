/**
 * A roster member that misbehaves, and a stranger, against a real node: every bad
 * frame gets its typed refusal and nothing is stored or logged as evidence.
 */
import { expect } from 'chai'
import { lpStream } from '@libp2p/utils'
import { peerIdFromString } from '@libp2p/peer-id'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import {
  MAX_ENVELOPE_BYTES, MAX_WIRE_BYTES, decodeReply, encodeWire, protocolId, signEnvelope, toBase64url, type EnvelopeDraft, type Signer
} from '@imi/protocol'
import { Bucket } from '../../src/storage/index.js'
import { createImiLibp2p, generateIdentity, nodeCrypto } from '../../src/index.js'
import { TEST_FED, eventually, makeFederation, type TestFederation } from '../fixtures/federation.js'

describe('hostile input to the direct-message protocol', function () {
  this.timeout(60_000)
  let fed: TestFederation

  before(async () => {
    // A roster from 90 days ago, so that a 40-day-old message is signed by a valid key and only stale.
    fed = await makeFederation(['CZ', 'PL', 'AT'], Date.now() - 90 * 24 * 3600 * 1000)
    await Promise.all(['CZ', 'PL', 'AT'].map(async (c) => await fed.start(c)))
  })
  after(async () => { await fed.close() })

  const note = (over: Partial<EnvelopeDraft> = {}): EnvelopeDraft => ({ kind: 'note', from: 'AT', to: ['PL'], body: { text: 'hello' }, ...over })
  function sign (draft: EnvelopeDraft, signer: Signer = fed.member(draft.from).identity.signer, now = Date.now(), federationId = TEST_FED) {
    return signEnvelope(draft, { federationId, signer, crypto: nodeCrypto, now, randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)) })
  }

  /** Sends raw frames from AT's own libp2p host (an admitted, authenticated peer). */
  async function sendRaw (frames: Uint8Array[], from = 'AT'): Promise<string[]> {
    const stream = await fed.node(from).libp2p!.dialProtocol(peerIdFromString(fed.member('PL').identity.peerId), protocolId(TEST_FED, 'dm'))
    const lp = lpStream(stream, { maxDataLength: 4 * 1024 * 1024 })
    const codes: string[] = []
    for (const f of frames) {
      await lp.write(f)
      const reply = decodeReply((await lp.read()).subarray())
      codes.push('error' in reply ? reply.error.code : 'ACCEPTED')
    }
    await stream.close()
    return codes
  }

  async function storedCount (): Promise<{ received: number, evidence: number }> {
    const pl = fed.node('PL')
    return { received: await pl.store.count(Bucket.received), evidence: pl.evidence.length }
  }

  it('refuses forged, unknown, wrong-country, replayed, oversized and malformed messages, storing nothing', async () => {
    const before = await storedCount()
    const good = sign(note())
    const forged = good.jws.slice(0, -4) + (good.jws.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    const stranger = (await generateIdentity()).signer
    const codes = await sendRaw([
      encodeWire({ jws: forged }),
      encodeWire({ jws: sign(note(), stranger).jws }),
      encodeWire({ jws: sign(note({ from: 'CZ' }), fed.member('AT').identity.signer).jws }),
      // Correctly signed by CZ's key, but relayed by AT: only CZ's peer speaks for CZ.
      encodeWire({ jws: sign(note({ from: 'CZ' })).jws }),
      encodeWire({ jws: sign(note(), undefined, Date.now() - 40 * 24 * 3600 * 1000).jws }),
      encodeWire({ jws: sign(note(), undefined, Date.now() + 3600 * 1000).jws }),
      encodeWire({ jws: sign(note(), undefined, Date.now(), 'imi-training').jws }),
      encodeWire({ jws: sign(note({ to: ['CZ'] })).jws }),
      encodeWire({ jws: sign(note({ to: ['*'] })).jws }),
      encodeWire({ jws: 'x'.repeat(MAX_ENVELOPE_BYTES + 10) }),
      new TextEncoder().encode('{"jws": 12'),
      new TextEncoder().encode('{"jws":"a.b.c","extra":true}'),
      encodeWire({ jws: sign(note({ body: { text: 42 } as never })).jws }),
      encodeWire({ jws: good.jws, pd: { salt: toBase64url(new Uint8Array(32)), data: { name: 'X' } } })
    ])
    expect(codes).to.deep.equal([
      'ERR_INVALID_SIGNATURE', 'ERR_UNKNOWN_KEY', 'ERR_WRONG_COUNTRY_FOR_KEY', 'ERR_WRONG_SENDER_PEER',
      'ERR_STALE_MESSAGE', 'ERR_FUTURE_MESSAGE', 'ERR_WRONG_FEDERATION', 'ERR_WRONG_RECIPIENT', 'ERR_WRONG_RECIPIENT',
      'ERR_ENVELOPE_TOO_LARGE', 'ERR_ENVELOPE_ENCODING', 'ERR_ENVELOPE_SCHEMA', 'ERR_BODY_SCHEMA', 'ERR_PERSONAL_DATA_DIGEST'
    ])
    expect(await storedCount()).to.deep.equal(before)
  })

  it('answers a replay of an accepted message with the same receipt and stores one copy', async () => {
    const env = sign(note({ body: { text: 'once only' } }))
    const before = await storedCount()
    const stream = await fed.node('AT').libp2p!.dialProtocol(peerIdFromString(fed.member('PL').identity.peerId), protocolId(TEST_FED, 'dm'))
    const lp = lpStream(stream)
    const receipts: string[] = []
    for (let i = 0; i < 3; i++) {
      await lp.write(encodeWire(env.wire))
      const reply = decodeReply((await lp.read()).subarray())
      if (!('receipt' in reply)) throw new Error(`refused: ${reply.error.code}`)
      receipts.push(reply.receipt)
    }
    await stream.close()
    expect(new Set(receipts).size).to.equal(1)
    const after = await storedCount()
    expect(after.received).to.equal(before.received + 1)
    expect(after.evidence).to.equal(before.evidence + 2)
    // The same id with different content is refused, and changes nothing.
    const clash = sign(note({ id: env.hdr.id, body: { text: 'something else' } }))
    expect(await sendRaw([encodeWire(clash.wire)])).to.deep.equal(['ERR_DUPLICATE_MESSAGE'])
    expect(await storedCount()).to.deep.equal(after)
  })

  it('does not let a peer outside the roster connect at all', async () => {
    const outsider = await createImiLibp2p({
      privateKey: await generateKeyPair('Ed25519'), federationId: TEST_FED, listen: ['/ip4/127.0.0.1/tcp/0'],
      bootstrap: [], singleHost: true, admits: () => true
    })
    await outsider.start()
    try {
      const pl = fed.member('PL')
      const target = multiaddr(`/ip4/127.0.0.1/tcp/${pl.port}/p2p/${pl.identity.peerId}`)
      let refused = false
      try {
        const stream = await outsider.dialProtocol(target, protocolId(TEST_FED, 'dm'), { signal: AbortSignal.timeout(5000) })
        const lp = lpStream(stream)
        await lp.write(encodeWire(sign(note()).wire))
        await lp.read({ signal: AbortSignal.timeout(3000) })
      } catch {
        refused = true
      }
      expect(refused).to.equal(true)
    } finally {
      await outsider.stop()
    }
  })

  it('keeps the raw store free of personal data outside its own bucket', async () => {
    const sent = await fed.node('CZ').messaging.send({ kind: 'note', to: 'PL', body: { text: 'about a person' }, personalData: { name: 'Zdeňka Nováková-Unique' } })
    const deadline = Date.now() + 10_000
    while ((await fed.node('CZ').messaging.view(sent.id)).status !== 'delivered' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    const pl = fed.node('PL')
    const hits: string[] = []
    for await (const [key, value] of pl.store.db.iterator({ keyEncoding: 'utf8', valueEncoding: 'utf8' })) {
      if (String(value).includes('Nováková-Unique')) hits.push(String(key).split('!')[1] ?? String(key))
    }
    expect(hits).to.deep.equal([Bucket.personalData])
  })

  it('drops a stream that sends a frame over the wire limit, storing nothing', async () => {
    const before = await storedCount()
    const stream = await fed.node('AT').libp2p!.dialProtocol(peerIdFromString(fed.member('PL').identity.peerId), protocolId(TEST_FED, 'dm'))
    const lp = lpStream(stream, { maxDataLength: 4 * 1024 * 1024 })
    let answered = true
    try {
      await lp.write(new Uint8Array(MAX_WIRE_BYTES + 1))
      await lp.read({ signal: AbortSignal.timeout(5000) })
    } catch {
      answered = false
    }
    expect(answered).to.equal(false)
    expect(await storedCount()).to.deep.equal(before)
  })

  it('acknowledges personal data in the receipt when it arrived with the message', async () => {
    const sent = await fed.node('CZ').messaging.send({ kind: 'note', to: 'PL', body: { text: 'with data' }, personalData: { name: 'Jana' } })
    await eventually(async () => (await fed.node('CZ').messaging.view(sent.id)).status === 'delivered', 10_000, 'receipt')
    const stored = await fed.node('CZ').store.get<{ receipt: string }>(Bucket.sent, sent.id)
    const receiptBody = (JSON.parse(Buffer.from(stored!.receipt.split('.')[1]!, 'base64url').toString()) as { body: { pd?: string } }).body
    expect(receiptBody.pd).to.equal(sent.hdr.pd).and.match(/^[\w-]{43}$/)
  })
})
