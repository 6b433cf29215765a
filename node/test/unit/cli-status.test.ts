/** `imi status` as the operator reads it: one line per member the outbox waits for, with why. */
import { expect } from 'chai'
import { formatStatus } from '../../src/cli/status.js'

describe('imi status: the outbox lines', () => {
  const base = {
    country: 'CZ', federationId: 'imi', peerId: '12D3KooWexample', running: true, rosterVersion: 2, members: 3,
    connectedMembers: ['PL'], peers: 2, outboxDepth: 3, evidenceEntries: 6, listen: ['/ip4/127.0.0.1/tcp/4001']
  }

  it('names the last delivery error and the next try of each member still owed messages', () => {
    const lines = formatStatus({
      ...base,
      outbox: [
        { country: 'AT', pending: 2, failures: 9, retryAt: Date.UTC(2026, 10, 29, 18, 49, 39), lastError: 'ERR_DIAL_FAILED' },
        { country: 'PL', pending: 1, failures: 0 },
        { country: 'SK', pending: 0, failures: 0 }
      ]
    })
    expect(lines).to.include('            AT: 2 pending, 9 failed attempts (last: ERR_DIAL_FAILED), next try 2026-11-29T18:49:39.000Z')
    expect(lines).to.include('            PL: 1 pending, 0 failed attempts')
    expect(lines.some((l) => l.includes('SK:'))).to.equal(false)
    expect(lines).to.include('connected   1 of 2 other members: PL (2 peers in all)')
  })
})
