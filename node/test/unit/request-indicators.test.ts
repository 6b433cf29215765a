/**
 * The Commission's performance indicators over hand-built request states with known
 * answers, and the supervision routes: the coordinator sees the state and each authority,
 * an official only its own authority.
 */
import { expect } from 'chai'
import { Hono } from 'hono'
import type { RequestState, RequestStatus } from '@imi/protocol'
import { errorHandler } from '../../src/api/errors.js'
import type { ApiEnv, Principal } from '../../src/api/principal.js'
import { requestIndicatorRoutes, type DeadlineItem } from '../../src/api/routes/request-indicators.js'
import { ManualClock } from '../../src/index.js'
import { isCoordinator, maySeeWorkOf, type Actor, type UserActor } from '../../src/services/accounts/permissions.js'
import type { Authenticated } from '../../src/services/accounts/user-accounts.js'
import { silentLogger } from '../../src/services/logger.js'
import { DAY_MS, RequestDeadlines } from '../../src/services/requests/deadlines.js'
import { indicatorsFor, type IndicatorsReport } from '../../src/services/requests/indicators.js'

const NOW = Date.UTC(2026, 5, 1, 12) // 2026-06-01T12:00Z
const SENT = Date.UTC(2026, 3, 1, 9) // 2026-04-01T09:00Z, two months before
let n = 0

/** A request state as the machine would leave it; only the fields the indicators read matter. */
function req (o: {
  from?: [string, string], to?: [string, string | undefined], status?: RequestStatus, sentAt?: number,
  acceptedAfter?: number, answeredAfter?: number, answerBy?: string, closedAfter?: number, lastActivity?: number, neededBy?: string
} = {}): RequestState {
  n++
  const [rc, ra] = o.from ?? ['CZ', 'cz-brno']
  const [pc, pa] = o.to ?? ['PL', 'pl-krakow']
  const sentAt = o.sentAt ?? SENT
  const at = (d: number | undefined): number | undefined => d === undefined ? undefined : sentAt + d * DAY_MS
  const acceptedAt = at(o.acceptedAfter)
  const answeredAt = at(o.answeredAfter)
  const closedAt = at(o.closedAfter)
  const status = o.status ?? (answeredAt !== undefined ? 'answered' : acceptedAt !== undefined ? 'accepted' : 'sent')
  return {
    id: `req_${String(n).padStart(18, '0')}`,
    area: 'services',
    status,
    requester: { country: rc, authority: ra },
    responder: { country: pc, ...(pa !== undefined && { authority: pa }) },
    questions: ['services.established'],
    freeQuestions: [],
    neededBy: o.neededBy ?? '2026-04-20',
    ...(o.answerBy !== undefined ? { answerBy: o.answerBy } : acceptedAt !== undefined && { answerBy: o.neededBy ?? '2026-04-20' }),
    attachments: [],
    answered: answeredAt === undefined ? [] : ['services.established'],
    disclosed: acceptedAt !== undefined,
    children: [],
    sentAt,
    ...(acceptedAt !== undefined && { acceptedAt, firstAcceptedAt: acceptedAt }),
    ...(answeredAt !== undefined && { answeredAt }),
    ...(closedAt !== undefined && { closedAt }),
    lastActivity: o.lastActivity ?? Math.max(sentAt, acceptedAt ?? 0, answeredAt ?? 0, closedAt ?? 0),
    version: 1
  }
}

const times = <T>(k: number, f: (i: number) => T): T[] => Array.from({ length: k }, (_, i) => f(i))

describe('request indicators', () => {
  it('accepted within 7 days: 8 of 10 is 80 %, good; 7 is fair; 4 is bad', () => {
    const received = (late: number): RequestState[] => times(10, (i) => req({ acceptedAfter: i < late ? 8 : 2 }))
    const r = indicatorsFor(received(2), { country: 'PL', now: NOW })
    expect(r.responding.acceptedWithin7Days).to.deep.equal({ percent: 80, met: 8, counted: 10, rating: 'good' })
    expect(indicatorsFor(received(3), { country: 'PL', now: NOW }).responding.acceptedWithin7Days).to.include({ percent: 70, rating: 'fair' })
    expect(indicatorsFor(received(6), { country: 'PL', now: NOW }).responding.acceptedWithin7Days).to.include({ percent: 40, rating: 'bad' })
    // Seen from the requesting state, the same requests say how PL answered CZ.
    expect(indicatorsFor(received(2), { country: 'CZ', now: NOW }).requesting.acceptedWithin7Days).to.include({ percent: 80 })
    expect(indicatorsFor(received(2), { country: 'CZ', now: NOW }).responding.acceptedWithin7Days).to.include({ percent: null, counted: 0, rating: 'n/a' })
  })

  it('counts a request left unaccepted for more than 7 days as a miss, a younger one not yet', () => {
    const states = [
      req({ acceptedAfter: 7 }), // exactly 7 days: in time
      req({}), // sent two months ago, never accepted
      req({ sentAt: NOW - 3 * DAY_MS }), // three days old: not counted yet
      req({ status: 'withdrawn', closedAfter: 2 }), // withdrawn before the week was out: not counted
      req({ status: 'withdrawn', closedAfter: 9 }) // the requester waited 9 days in vain
    ]
    expect(indicatorsFor(states, { country: 'PL', now: NOW }).responding.acceptedWithin7Days).to.deep.equal({ percent: 33.3, met: 1, counted: 3, rating: 'bad' })
  })

  it('average answer time: under 16 days good, 16 to 25 fair, over 25 bad', () => {
    const avg = (days: number[]): IndicatorsReport['responding']['averageAnswerDays'] =>
      indicatorsFor(days.map((d) => req({ acceptedAfter: 1, answeredAfter: d })), { country: 'PL', now: NOW }).responding.averageAnswerDays
    expect(avg([10, 20])).to.deep.equal({ days: 15, answered: 2, rating: 'good' })
    expect(avg([16])).to.include({ rating: 'fair' })
    expect(avg([20, 30])).to.deep.equal({ days: 25, answered: 2, rating: 'fair' })
    expect(avg([25.5])).to.include({ rating: 'bad' })
    expect(avg([])).to.deep.equal({ days: null, answered: 0, rating: 'n/a' })
    // Unanswered requests do not count; closed ones do.
    const mixed = [req({ acceptedAfter: 1 }), req({ status: 'closed', acceptedAfter: 1, answeredAfter: 3, closedAfter: 4 })]
    expect(indicatorsFor(mixed, { country: 'PL', now: NOW }).responding.averageAnswerDays).to.deep.equal({ days: 3, answered: 1, rating: 'good' })
  })

  it('answered by the agreed date: on the day counts, the day after or still open after it does not', () => {
    // Sent 2026-04-01T09:00Z; agreed 2026-04-10.
    const states = [
      req({ acceptedAfter: 1, answerBy: '2026-04-10', answeredAfter: 9.6 }), // 2026-04-10T23:24Z: on the day
      req({ acceptedAfter: 1, answerBy: '2026-04-10', answeredAfter: 5 }),
      req({ acceptedAfter: 1, answerBy: '2026-04-10', answeredAfter: 10 }), // 2026-04-11: late
      req({ acceptedAfter: 1, answerBy: '2026-04-10' }), // never answered, the date long past
      req({ acceptedAfter: 1, answerBy: '2026-06-30' }), // not due yet: not counted
      req({}) // never accepted: no agreed date
    ]
    expect(indicatorsFor(states, { country: 'PL', now: NOW }).responding.answeredByAgreedDate).to.deep.equal({ percent: 50, met: 2, counted: 4, rating: 'fair' })
    const good = times(5, () => req({ acceptedAfter: 1, answerBy: '2026-04-10', answeredAfter: 3 }))
    expect(indicatorsFor([...good, states[2]!], { country: 'PL', now: NOW }).responding.answeredByAgreedDate).to.include({ percent: 83.3, rating: 'good' })
  })

  it('counts sent and received per member state and per status, for the state and each authority', () => {
    const states = [
      req({ from: ['CZ', 'cz-brno'], to: ['PL', 'pl-krakow'] }),
      req({ from: ['CZ', 'cz-brno'], to: ['PL', 'pl-gdansk'], acceptedAfter: 1 }),
      req({ from: ['CZ', 'cz-praha'], to: ['DE', 'de-berlin'], acceptedAfter: 1, answeredAfter: 4 }),
      req({ from: ['RO', 'ro-iasi'], to: ['CZ', 'cz-brno'], status: 'closed', acceptedAfter: 2, answeredAfter: 5, closedAfter: 6 }),
      req({ from: ['PL', 'pl-krakow'], to: ['CZ', undefined] }), // with the Czech coordinator
      req({ from: ['DE', 'de-berlin'], to: ['PL', 'pl-krakow'] }) // neither side Czech: not ours
    ]
    const r = indicatorsFor(states, { country: 'CZ', now: NOW })
    expect(r).to.include({ country: 'CZ', sent: 3, received: 2, asOf: '2026-06-01' })
    expect(r.byCountry).to.deep.equal({ PL: { sent: 2, received: 1 }, DE: { sent: 1, received: 0 }, RO: { sent: 0, received: 1 } })
    expect(r.byStatus.sent).to.deep.equal({ sent: 1, accepted: 1, answered: 1, 'info-requested': 0, closed: 0, withdrawn: 0 })
    expect(r.byStatus.received).to.include({ sent: 1, closed: 1 })
    expect(Object.keys(r.authorities)).to.deep.equal(['cz-brno', 'cz-praha'])
    expect(r.authorities['cz-brno']).to.include({ sent: 2, received: 1 })
    expect(r.authorities['cz-brno']!.responding.averageAnswerDays).to.include({ days: 5 })
    expect(r.authorities['cz-praha']).to.include({ sent: 1, received: 0 })

    const brno = indicatorsFor(states, { country: 'CZ', authority: 'cz-brno', now: NOW })
    expect(brno).to.include({ authority: 'cz-brno', sent: 2, received: 1 })
    expect(Object.keys(brno.authorities)).to.deep.equal(['cz-brno'])
  })

  it('takes the requests sent in the period, by UTC day', () => {
    const states = [
      req({ sentAt: Date.UTC(2026, 2, 31, 23, 59) }),
      req({ sentAt: Date.UTC(2026, 3, 1) }),
      req({ sentAt: Date.UTC(2026, 3, 30, 23, 59) }),
      req({ sentAt: Date.UTC(2026, 4, 1) })
    ]
    const april = indicatorsFor(states, { country: 'PL', from: '2026-04-01', to: '2026-04-30', now: NOW })
    expect(april).to.include({ received: 2, from: '2026-04-01', to: '2026-04-30' })
    expect(indicatorsFor(states, { country: 'PL', from: '2026-04-15', now: NOW }).received).to.equal(2)
  })
})

describe('request supervision routes', () => {
  const clock = new ManualClock(NOW)
  const states = [
    // Received by Brno, overdue by 12 days and quiet since sending (61 days): escalated too.
    req({ from: ['PL', 'pl-krakow'], to: ['CZ', 'cz-brno'], neededBy: '2026-05-20', sentAt: NOW - 61 * DAY_MS, lastActivity: NOW - 61 * DAY_MS }),
    // Sent by Brno, due in 1 day: a reminder is due (on the Polish side).
    req({ from: ['CZ', 'cz-brno'], to: ['PL', 'pl-gdansk'], neededBy: '2026-06-02', sentAt: NOW - DAY_MS }),
    // Sent by Praha, due later.
    req({ from: ['CZ', 'cz-praha'], to: ['DE', 'de-berlin'], neededBy: '2026-07-01', sentAt: NOW - DAY_MS, acceptedAfter: 0.5 }),
    // Closed: nothing due.
    req({ from: ['CZ', 'cz-praha'], to: ['DE', 'de-berlin'], status: 'closed', acceptedAfter: 1, answeredAfter: 20, closedAfter: 21 })
  ]
  const ourAuthority = (s: RequestState): string | undefined => s.requester.country === 'CZ' ? s.requester.authority : s.responder.authority
  const node = {
    requests: {
      // As RequestService.list: the coordinator sees the state's requests, an official its authority's.
      list: async (actor: Actor): Promise<RequestState[]> => states.filter((s) => {
        const mine = ourAuthority(s)
        return isCoordinator(actor) || (mine !== undefined && maySeeWorkOf(actor, mine))
      })
    },
    requestDeadlines: new RequestDeadlines({ clock, log: { records: async function * () {} }, logger: silentLogger }, { country: 'CZ' })
  }
  const coordinator: UserActor = { kind: 'user', username: 'nimic', coordinator: true, grants: [] }
  const brno: UserActor = { kind: 'user', username: 'jana', authority: 'cz-brno', coordinator: false, grants: [{ area: 'services', role: 'request-handler' }] }
  const app = new Hono<ApiEnv>()
  app.onError(errorHandler(silentLogger))
  app.use('*', async (c, next) => {
    const who = c.req.header('x-who')
    const principal: Principal = who === undefined
      ? { kind: 'operator' }
      : { kind: 'user', auth: { actor: who === 'coordinator' ? coordinator : brno } as Authenticated, via: 'bearer' }
    c.set('principal', principal)
    await next()
  })
  app.route('/', requestIndicatorRoutes(node))
  const get = async (path: string, who?: string): Promise<{ status: number, body: Record<string, unknown> }> => {
    const res = await app.request(path, { headers: who === undefined ? {} : { 'x-who': who } })
    return { status: res.status, body: await res.json() as Record<string, unknown> }
  }

  it('gives the coordinator the whole state, with each authority, or one authority', async () => {
    const all = await get('/requests-indicators', 'coordinator')
    expect(all.status).to.equal(200)
    const r = all.body.indicators as IndicatorsReport
    expect(r).to.include({ country: 'CZ', sent: 3, received: 1 })
    expect(Object.keys(r.authorities)).to.deep.equal(['cz-brno', 'cz-praha'])
    const praha = (await get('/requests-indicators?authority=cz-praha', 'coordinator')).body.indicators as IndicatorsReport
    expect(praha).to.include({ authority: 'cz-praha', sent: 2, received: 0 })
    expect(praha.requesting.averageAnswerDays).to.include({ days: 20, rating: 'fair' })
  })

  it('gives an official its own authority only', async () => {
    const own = (await get('/requests-indicators', 'brno')).body.indicators as IndicatorsReport
    expect(own).to.include({ authority: 'cz-brno', sent: 1, received: 1 })
    expect(Object.keys(own.authorities)).to.deep.equal(['cz-brno'])
    const other = await get('/requests-indicators?authority=cz-praha', 'brno')
    expect(other.status).to.equal(403)
    expect((await get('/requests-deadlines?authority=cz-praha', 'brno')).status).to.equal(403)
    expect((await get('/requests-indicators')).status, 'the operator sees no officials\' work').to.equal(403)
  })

  it('checks the period', async () => {
    expect((await get('/requests-indicators?from=2026-02-30', 'coordinator')).status).to.equal(400)
    expect((await get('/requests-indicators?from=2026-05-01&to=2026-04-01', 'coordinator')).status).to.equal(400)
    const may = (await get('/requests-indicators?from=2026-05-01&to=2026-05-31', 'coordinator')).body.indicators as IndicatorsReport
    // The two sent on 2026-05-31; the received one and the closed one date from April.
    expect(may).to.include({ sent: 2, received: 0 })
  })

  it('lists overdue, escalated and upcoming requests the caller may see', async () => {
    const d = (await get('/requests-deadlines', 'coordinator')).body as { overdue: DeadlineItem[], escalated: DeadlineItem[], upcoming: DeadlineItem[] }
    expect(d.overdue.map((i) => [i.id, i.role, i.due, i.daysLate])).to.deep.equal([[states[0]!.id, 'responder', '2026-05-20', 12]])
    expect(d.escalated.map((i) => [i.id, i.inactiveDays])).to.deep.equal([[states[0]!.id, 61]])
    expect(d.upcoming.map((i) => [i.id, i.role, i.due, i.awaiting])).to.deep.equal([[states[1]!.id, 'requester', '2026-06-02', 'responder']])
    const praha = (await get('/requests-deadlines?authority=cz-praha', 'coordinator')).body as { overdue: unknown[], escalated: unknown[], upcoming: unknown[] }
    expect([praha.overdue.length, praha.escalated.length, praha.upcoming.length]).to.deep.equal([0, 0, 0])
    const own = (await get('/requests-deadlines', 'brno')).body as { authority: string, overdue: unknown[], upcoming: unknown[] }
    expect(own.authority).to.equal('cz-brno')
    expect([own.overdue.length, own.upcoming.length]).to.deep.equal([1, 1])
  })
})
