import { expect } from 'chai'
import { availableActions } from '../src/request-actions.js'

describe('web UI request actions by side and status', () => {
  it('offers the responder accept, then answer, and messages while open', () => {
    expect(availableActions('responder', 'sent')).to.deep.equal(['accept', 'forward', 'split', 'message'])
    expect(availableActions('responder', 'accepted')).to.deep.equal(['answer', 'forward', 'split', 'message'])
    expect(availableActions('responder', 'info-requested')).to.deep.equal(['answer', 'message'])
    expect(availableActions('responder', 'answered')).to.deep.equal(['message'])
  })

  it('offers the requester withdrawal before acceptance, and closing or asking more after an answer', () => {
    expect(availableActions('requester', 'sent')).to.deep.equal(['withdraw', 'message'])
    expect(availableActions('requester', 'accepted')).to.deep.equal(['message'])
    expect(availableActions('requester', 'answered')).to.deep.equal(['close', 'request-info', 'message'])
  })

  it('lets the coordinator only allocate (forward) and write, on the responding side', () => {
    expect(availableActions('responder', 'sent', true)).to.deep.equal(['forward', 'message'])
    expect(availableActions('responder', 'answered', true)).to.deep.equal(['message'])
    expect(availableActions('requester', 'answered', true)).to.deep.equal([])
  })

  it('offers nothing on a finished request', () => {
    for (const role of ['requester', 'responder'] as const) {
      expect(availableActions(role, 'closed')).to.deep.equal([])
      expect(availableActions(role, 'withdrawn')).to.deep.equal([])
    }
  })
})
