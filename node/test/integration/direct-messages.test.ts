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
})
