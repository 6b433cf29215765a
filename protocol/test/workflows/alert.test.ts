import { expect } from 'chai'
import { alertIsLate, decodeAlertEventBody, replayAlert, type AlertEvent } from '../../src/index.js'

const T0 = Date.UTC(2026, 10, 10, 9)
const ID = 'alert_aaaaaaaaaaaaaaaa'
const ev = (id: string, from: string, created: number, body: Record<string, unknown>, fromAuthority: string | undefined = 'cz-brno'): AlertEvent =>
  ({ id, from, created, body: decodeAlertEventBody({ alert: ID, ...body }), ...(fromAuthority !== undefined && { fromAuthority }) })
const issue = ev('e1', 'CZ', T0, { action: 'issue', area: 'professional-qualifications', type: 'professional-ban', addressed: ['*'], decisionDate: '2026-11-05' })

describe('alert workflow (pure)', () => {
  it('issues, then lets only the issuing state end it, once, in the same order everywhere', () => {
    const withdraw = ev('e2', 'CZ', T0 + 1000, { action: 'withdraw', reason: 'unfounded' })
    const close = ev('e3', 'CZ', T0 + 2000, { action: 'close' })
    const forged = ev('e4', 'PL', T0 + 500, { action: 'withdraw' }, 'pl-x')
    const a = replayAlert([issue, withdraw, close, forged])
    const b = replayAlert([close, forged, withdraw, issue])
    expect(a).to.deep.equal(b)
    expect(a.state).to.include({ status: 'withdrawn', reason: 'unfounded', from: 'CZ' })
    expect(a.refused.sort()).to.deep.equal(['e3', 'e4'])
    expect(replayAlert([withdraw]).state).to.equal(undefined)
  })

  it('marks a professional alert issued more than 3 days after the decision as late', () => {
    expect(alertIsLate('2026-11-05', Date.UTC(2026, 10, 8, 23))).to.equal(false)
    expect(alertIsLate('2026-11-05', Date.UTC(2026, 10, 9, 0, 1))).to.equal(true)
    expect(replayAlert([issue]).state?.late).to.equal(true)
    expect(alertIsLate(undefined, T0)).to.equal(false)
  })

  it('decodes exactly the fields of each action', () => {
    for (const bad of [
      { alert: ID, action: 'issue', area: 'services', type: 'services-risk', addressed: [] },
      { alert: ID, action: 'issue', area: 'services', type: 'gossip', addressed: ['*'] },
      { alert: ID, action: 'issue', area: 'services', type: 'services-risk', addressed: ['PL', 'PL'] },
      { alert: ID, action: 'withdraw', area: 'services' },
      { alert: 'short', action: 'close' }
    ]) expect(() => decodeAlertEventBody(bad), JSON.stringify(bad)).to.throw().with.property('code', 'ERR_BODY_SCHEMA')
  })
})
