import { expect } from 'chai'
import { eventually, makeFederation, type TestFederation } from '../fixtures/federation.js'

describe('direct messages between real nodes (loopback TCP)', function () {
  this.timeout(60_000)
  let fed: TestFederation

  before(async () => {
    fed = await makeFederation(['CZ', 'PL', 'AT'])
    await Promise.all(['CZ', 'PL', 'AT'].map(async (c) => await fed.start(c)))
  })
  after(async () => { await fed.close() })

  it('delivers a message and stores the signed receipt', async () => {
    const sent = await fed.node('CZ').messaging.send({ kind: 'note', to: 'PL', body: { text: 'Is authorisation PL-123 still valid?' } })
    const view = await eventually(async () => {
      const v = await fed.node('CZ').messaging.view(sent.id)
      return v.status === 'delivered' ? v : undefined
    }, 15_000, 'receipt')
    expect(view.receiptAt).to.be.a('number')
    const received = await fed.node('PL').messaging.view(sent.id)
    expect(received.direction).to.equal('received')
    expect(received.body).to.deep.equal({ text: 'Is authorisation PL-123 still valid?' })
    expect(fed.node('CZ').messaging.outboxDepth()).to.equal(0)
    // Both evidence logs verify end to end.
    expect((await fed.node('CZ').verifyEvidence()).ok).to.equal(true)
    expect((await fed.node('PL').verifyEvidence()).ok).to.equal(true)
  })

  it('lists the newest messages first, in both directions', async () => {
    const cz = fed.node('CZ')
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      ids.push((await cz.messaging.send({ kind: 'note', to: 'AT', body: { text: `n${i}` } })).id)
      await new Promise((r) => setTimeout(r, 3))
    }
    expect((await cz.messaging.list('sent', 3)).map((m) => m.id)).to.deep.equal(ids.slice(-3).reverse())
    // The inbox is ordered by arrival, which pipelining may make differ from sending order.
    const inbox = await eventually(async () => { const l = await fed.node('AT').messaging.list('received', 10); return l.length === 5 ? l : undefined }, 10_000, 'all five at AT')
    const arrivals = inbox.map((m) => m.receiptAt!)
    expect(arrivals).to.deep.equal([...arrivals].sort((a, b) => b - a))
    expect(new Set(inbox.map((m) => m.id))).to.deep.equal(new Set(ids))
  })
})
