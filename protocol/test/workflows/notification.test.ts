import { expect } from 'chai'
import fc from 'fast-check'
import {
  DEFAULT_NOTIFICATION_PERIOD_MS, decodeNotificationEventBody, notificationStatusAt, replayNotification, validateNotificationEventBody,
  type NotificationEvent
} from '../../src/index.js'

const T0 = Date.UTC(2026, 10, 10, 9)
const DAY = 86_400_000
const ID = 'notif_aaaaaaaaaaaaaaaa'
const CLOSES = T0 + DEFAULT_NOTIFICATION_PERIOD_MS
/** Envelope ids are 22 characters. */
const p = (id: string): string => id.padEnd(22, '_')
const ev = (id: string, from: string, created: number, body: Record<string, unknown>, fromAuthority?: string): NotificationEvent =>
  ({ id: p(id), from, created, body: decodeNotificationEventBody({ notification: ID, ...body }), ...(fromAuthority !== undefined && { fromAuthority }) })
const draft = {
  title: { cs: 'Návrh zákona o živnostenském podnikání', en: 'Draft Trade Licensing Act' },
  language: 'cs',
  summary: 'Zavádí povinné pojištění odpovědnosti pro instalatéry plynových zařízení.',
  draftRequirement: '§ 12 Instalatér plynových zařízení musí mít sjednáno pojištění odpovědnosti za škodu do výše 5 000 000 Kč.',
  legalBasis: 'Directive 2006/123/EC Art 15(2)(b), 39(5)'
}
const create = ev('e0create', 'CZ', T0, { action: 'create', area: 'services', closesAt: CLOSES, ...draft }, 'cz-mpo')
const comment = (id: string, from: string, created: number, extra: Record<string, unknown> = {}): NotificationEvent =>
  ev(id, from, created, { action: 'comment', text: `${from} comments`, ...extra }, `${from.toLowerCase()}-services`)

describe('notification workflow (pure)', () => {
  it('creates, takes comments from every state (the notifying one answering), and versions each modification', () => {
    const pl = comment('e1', 'PL', T0 + DAY)
    const modify = ev('e2', 'CZ', T0 + 2 * DAY, { action: 'modify', summary: 'Pojištění do 2 000 000 Kč.' }, 'cz-mpo')
    const at = comment('e3', 'AT', T0 + 3 * DAY)
    const answer = comment('e4', 'CZ', T0 + 4 * DAY, { replyTo: p('e1'), language: 'en' })
    const { state, refused } = replayNotification([create, pl, modify, at, answer])
    expect(refused).to.deep.equal([])
    expect(state).to.include({ id: ID, from: 'CZ', fromAuthority: 'cz-mpo', status: 'open', createdAt: T0, closesAt: CLOSES })
    expect(state!.versions.map((v) => [v.version, v.summary])).to.deep.equal([[1, draft.summary], [2, 'Pojištění do 2 000 000 Kč.']])
    // A modification keeps what it did not change.
    expect(state!.versions[1]).to.include({ draftRequirement: draft.draftRequirement, legalBasis: draft.legalBasis, event: p('e2'), at: T0 + 2 * DAY })
    expect(state!.comments.map((c) => [c.id, c.from, c.onVersion])).to.deep.equal([[p('e1'), 'PL', 1], [p('e3'), 'AT', 2], [p('e4'), 'CZ', 2]])
    expect(state!.comments[2]).to.include({ replyTo: p('e1'), language: 'en', fromAuthority: 'cz-services' })
  })

  it('closes by itself at closesAt, on every node alike, with no event', () => {
    const { state } = replayNotification([create])
    expect(notificationStatusAt(state!, CLOSES - 1)).to.equal('open')
    expect(notificationStatusAt(state!, CLOSES)).to.equal('closed')
    expect(CLOSES - T0).to.equal(90 * DAY)
  })

  it('refuses a comment, modification or withdrawal made at or after closesAt (judged at its own creation time)', () => {
    const late = comment('e1', 'PL', CLOSES)
    const justInTime = comment('e2', 'AT', CLOSES - 1)
    const lateModify = ev('e3', 'CZ', CLOSES + DAY, { action: 'modify', summary: 'x' })
    const lateWithdraw = ev('e4', 'CZ', CLOSES + DAY, { action: 'withdraw' })
    const { state, refused } = replayNotification([create, late, justInTime, lateModify, lateWithdraw])
    expect(state!.comments.map((c) => c.id)).to.deep.equal([p('e2')])
    expect(state!.status).to.equal('open')
    expect(refused.map((r) => [r.id, r.code, r.verdict])).to.deep.equal([
      [p('e1'), 'ERR_TRANSITION_NOT_ALLOWED', 'ignore'], [p('e3'), 'ERR_TRANSITION_NOT_ALLOWED', 'ignore'], [p('e4'), 'ERR_TRANSITION_NOT_ALLOWED', 'ignore']
    ])
  })

  it('lets only the notifying state modify or withdraw; after a withdrawal nothing more is taken', () => {
    const forgedModify = ev('e1', 'PL', T0 + DAY, { action: 'modify', title: { en: 'Hijacked' } }, 'pl-services')
    const forgedWithdraw = ev('e2', 'AT', T0 + DAY, { action: 'withdraw' }, 'at-services')
    const withdraw = ev('e3', 'CZ', T0 + 2 * DAY, { action: 'withdraw', reason: 'the government dropped the draft' })
    const after = comment('e4', 'PL', T0 + 3 * DAY)
    const modifyAfter = ev('e5', 'CZ', T0 + 3 * DAY, { action: 'modify', summary: 'x' })
    const { state, refused } = replayNotification([create, forgedModify, forgedWithdraw, withdraw, after, modifyAfter])
    expect(state).to.include({ status: 'withdrawn', withdrawnAt: T0 + 2 * DAY, reason: 'the government dropped the draft' })
    expect(state!.versions).to.have.length(1)
    expect(notificationStatusAt(state!, CLOSES + DAY)).to.equal('withdrawn')
    expect(refused.map((r) => [r.id, r.code, r.verdict])).to.deep.equal([
      [p('e1'), 'ERR_NOT_PARTY', 'reject'], [p('e2'), 'ERR_NOT_PARTY', 'reject'],
      [p('e4'), 'ERR_TRANSITION_NOT_ALLOWED', 'ignore'], [p('e5'), 'ERR_TRANSITION_NOT_ALLOWED', 'ignore']
    ])
  })

  it('refuses events before the creation, a second creation, replies to unknown comments and periods out of range', () => {
    const early = comment('e1', 'PL', T0 - 1)
    const again = ev('e2', 'PL', T0 + 1, { action: 'create', area: 'services', closesAt: CLOSES, ...draft })
    const badReply = comment('e3', 'AT', T0 + 2, { replyTo: 'zzzzzzzzzzzzzzzzzzzzzz' })
    const { state, refused } = replayNotification([create, early, again, badReply])
    expect(state!.comments).to.deep.equal([])
    expect(refused.map((r) => r.id)).to.deep.equal(['e1', 'e2', 'e3'].map(p))
    expect(replayNotification([comment('e1', 'PL', T0)]).state).to.equal(undefined)
    for (const closesAt of [T0, T0 - DAY, T0 + 367 * DAY]) {
      const r = replayNotification([ev('x', 'CZ', T0, { action: 'create', area: 'services', closesAt, ...draft })])
      expect(r.state).to.equal(undefined)
      expect(r.refused[0]).to.include({ code: 'ERR_BODY_SCHEMA', verdict: 'reject' })
    }
  })

  it('reaches the same state and refusals whatever order the events arrive in', () => {
    const events = [
      create,
      comment('c1', 'PL', T0 + DAY),
      comment('c2', 'AT', T0 + DAY), // same time as c1: the id decides
      ev('m1', 'CZ', T0 + 2 * DAY, { action: 'modify', title: { en: 'Draft Trade Licensing Act (2nd version)' } }),
      comment('c3', 'RO', T0 + 3 * DAY, { replyTo: p('c1') }),
      ev('w1', 'CZ', T0 + 4 * DAY, { action: 'withdraw' }),
      comment('c4', 'PL', T0 + 5 * DAY), // after the withdrawal: refused everywhere
      ev('f1', 'PL', T0 + 2 * DAY, { action: 'modify', summary: 'forged' })
    ]
    const expected = replayNotification(events)
    fc.assert(fc.property(fc.shuffledSubarray(events, { minLength: events.length }), (arrived) => {
      expect(replayNotification(arrived)).to.deep.equal(expected)
    }), { numRuns: 300 })
    expect(expected.state!.comments.map((c) => c.id)).to.deep.equal(['c1', 'c2', 'c3'].map(p))
    expect(expected.refused.map((r) => r.id)).to.deep.equal(['f1', 'c4'].map(p))
  })

  it('decodes exactly the fields of each action', () => {
    for (const bad of [
      { notification: ID, action: 'create', area: 'services', closesAt: CLOSES, ...draft, language: 'xx' },
      { notification: ID, action: 'create', area: 'professional-qualifications', closesAt: CLOSES, ...draft },
      { notification: ID, action: 'create', area: 'services', ...draft },
      { notification: ID, action: 'create', area: 'services', closesAt: CLOSES, ...draft, title: {} },
      { notification: ID, action: 'create', area: 'services', closesAt: CLOSES, ...draft, draftRequirement: 'x'.repeat(60_001) },
      { notification: ID, action: 'create', area: 'services', closesAt: CLOSES, ...draft, plannedAdoption: '2027-02-30' },
      { notification: ID, action: 'create', area: 'services', closesAt: CLOSES, ...draft, personalData: 'x' },
      { notification: ID, action: 'modify' },
      { notification: ID, action: 'modify', closesAt: CLOSES + DAY },
      { notification: ID, action: 'comment', text: '   ' },
      { notification: ID, action: 'comment', text: 'ok', replyTo: 'short' },
      { notification: ID, action: 'withdraw', text: 'x' },
      { notification: 'short', action: 'withdraw' },
      { notification: ID, action: 'close' }
    ]) expect(() => { validateNotificationEventBody(bad as never) }, JSON.stringify(bad).slice(0, 200)).to.throw().with.property('code', 'ERR_BODY_SCHEMA')
    expect(decodeNotificationEventBody({ notification: ID, action: 'comment', text: 'Wir haben Bedenken.', language: 'de' }))
      .to.deep.equal({ notification: ID, action: 'comment', text: 'Wir haben Bedenken.', language: 'de' })
  })
})
