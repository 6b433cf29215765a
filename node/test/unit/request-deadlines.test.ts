/**
 * Request deadlines on a manual clock: the reminder before the agreed date, the overdue
 * notice the day after it, the escalation after 60 days of inactivity, each once, and
 * not again after a restart on the same LevelDB. Request states come from the protocol's
 * own machine, over signed-event bodies as both nodes would replay them.
 */
import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { applyRequestEvent, decodeRequestEventBody, type RequestEvent, type RequestEventBody, type RequestState } from '@imi/protocol'
import { ManualClock } from '../../src/index.js'
import { silentLogger } from '../../src/services/logger.js'
import {
  DAY_MS, RequestDeadlines, deadlineOf,
  type EscalatedDetail, type OverdueDetail, type ReminderDetail, type RequestDeadlinesInit
} from '../../src/services/requests/deadlines.js'
import type { RequestRecord } from '../../src/services/requests/request-log.js'
import { Bucket, Store } from '../../src/storage/index.js'

const HOUR = 3_600_000
const T0 = Date.UTC(2026, 2, 2, 9) // 2026-03-02T09:00Z
const CZ = { country: 'CZ', authority: 'cz-brno' }
const PL = { country: 'PL', authority: 'pl-krakow' }
const R1 = 'req_aaaaaaaaaaaaaaaaaa'
const R2 = 'req_bbbbbbbbbbbbbbbbbb'
// Stands in for the bucket the node will give the deadlines (any existing bucket of a fresh store will do).
const BUCKET = Bucket.meta

let n = 0
function ev (request: string, who: { country: string, authority?: string }, body: Omit<RequestEventBody, 'request'>, at: number): RequestEvent {
  n++
  return { id: `ev_${String(n).padStart(19, '0')}`, from: who.country, ...(who.authority !== undefined && { fromAuthority: who.authority }), created: at, body: decodeRequestEventBody({ request, ...body }) }
}

/** The request's states as the node's log holds them, changed by applying events. */
class FakeLog {
  readonly states = new Map<string, RequestState>()
  apply (request: string, e: RequestEvent): RequestState {
    const next = applyRequestEvent(this.states.get(request), e, request)
    this.states.set(request, next)
    return next
  }

  async * records (): AsyncGenerator<RequestRecord> {
    for (const state of this.states.values()) yield { state, outcomes: [] }
  }
}

const send = (log: FakeLog, id: string, neededBy: string, at: number): RequestState =>
  log.apply(id, ev(id, CZ, { base: 0, action: 'send', area: 'services', to: PL, questions: ['services.established'], neededBy }, at))

interface Heard { reminder: ReminderDetail[], overdue: OverdueDetail[], escalated: EscalatedDetail[] }

function listen (d: RequestDeadlines): Heard {
  const heard: Heard = { reminder: [], overdue: [], escalated: [] }
  for (const type of ['reminder', 'overdue', 'escalated'] as const) {
    d.addEventListener(type, (e) => { (heard[type] as unknown[]).push((e as CustomEvent).detail) })
  }
  return heard
}

describe('request deadlines', function () {
  this.timeout(30_000)
  let dir: string
  let store: Store
  let clock: ManualClock
  let log: FakeLog
  let deadlines: RequestDeadlines | undefined

  const make = (init: Partial<RequestDeadlinesInit> = {}, persist = true): RequestDeadlines => new RequestDeadlines(
    { clock, log, logger: silentLogger, ...(persist && { store }) },
    { country: 'PL', ...(persist && { bucket: BUCKET }), ...init })

  /** Moves the clock hour by hour, letting each scheduled check finish. */
  const pass = async (ms: number): Promise<void> => {
    const end = clock.now() + ms
    while (clock.now() < end) {
      clock.advance(Math.min(HOUR, end - clock.now()))
      await deadlines!.settled()
    }
  }
  const passTo = async (at: number): Promise<void> => { await pass(at - clock.now()) }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imi-deadlines-'))
    store = new Store(dir, { sync: false })
    await store.open()
    clock = new ManualClock(T0)
    log = new FakeLog()
  })

  afterEach(async () => {
    deadlines?.stop()
    deadlines = undefined
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })

  describe('deadlineOf (pure)', () => {
    it('runs from the needed-by date, then the agreed date, in whole UTC days', () => {
      const sent = send(new FakeLog(), R1, '2026-03-20', T0)
      expect(deadlineOf(sent, T0)).to.include({ due: '2026-03-20', awaiting: 'responder', answerPending: true, overdue: false, remind: false, escalate: false })
      expect(deadlineOf(sent, T0).remindAt).to.equal(Date.UTC(2026, 2, 18))
      expect(deadlineOf(sent, Date.UTC(2026, 2, 18) - 1).remind).to.equal(false)
      expect(deadlineOf(sent, Date.UTC(2026, 2, 18)).remind).to.equal(true)
      // The last second of the due day is still on time; the next day is late.
      expect(deadlineOf(sent, Date.UTC(2026, 2, 21) - 1000)).to.include({ overdue: false, remind: true })
      expect(deadlineOf(sent, Date.UTC(2026, 2, 21))).to.include({ overdue: true, remind: false, daysLate: 1 })
      expect(deadlineOf(sent, Date.UTC(2026, 2, 25, 18))).to.include({ daysLate: 5 })
      const accepted = applyRequestEvent(sent, ev(R1, PL, { base: 1, action: 'accept', answerBy: '2026-03-25' }, T0 + DAY_MS), R1)
      expect(deadlineOf(accepted, Date.UTC(2026, 2, 22))).to.include({ due: '2026-03-25', overdue: false })
    })

    it('stops counting lateness once answered, and waits for the requester then', () => {
      const l = new FakeLog()
      send(l, R1, '2026-03-20', T0)
      l.apply(R1, ev(R1, PL, { base: 1, action: 'accept' }, T0 + DAY_MS))
      const answered = l.apply(R1, ev(R1, PL, { base: 2, action: 'answer', questions: ['services.established'], final: true }, T0 + 30 * DAY_MS))
      const later = T0 + 40 * DAY_MS
      expect(deadlineOf(answered, later)).to.include({ due: '2026-03-20', awaiting: 'requester', answerPending: false, overdue: false, remind: false, remindAt: undefined })
      const more = l.apply(R1, ev(R1, CZ, { base: 3, action: 'request-info' }, later))
      // Further information has no date of its own: only inactivity chases it.
      expect(deadlineOf(more, later + DAY_MS)).to.include({ awaiting: 'responder', overdue: false })
      expect(deadlineOf(more, later + 61 * DAY_MS)).to.include({ escalate: true, inactiveForMs: 61 * DAY_MS })
      const talked = l.apply(R1, ev(R1, CZ, { base: 4, action: 'message' }, later + DAY_MS))
      expect(deadlineOf(talked, later + 61 * DAY_MS).escalate, 'a message is activity').to.equal(false)
    })

    it('has nothing due on a closed or withdrawn request', () => {
      const l = new FakeLog()
      send(l, R1, '2026-03-20', T0)
      const withdrawn = l.apply(R1, ev(R1, CZ, { base: 1, action: 'withdraw' }, T0 + HOUR))
      expect(deadlineOf(withdrawn, T0 + 100 * DAY_MS)).to.include({ due: undefined, awaiting: undefined, overdue: false, escalate: false, remind: false })
    })
  })

  it('reminds two days ahead, declares overdue the day after, escalates after 60 quiet days: each once, not again after a restart', async () => {
    send(log, R1, '2026-03-20', T0)
    log.apply(R1, ev(R1, PL, { base: 1, action: 'accept', answerBy: '2026-03-15' }, T0 + DAY_MS))
    deadlines = make()
    let heard = listen(deadlines)
    await deadlines.start()
    expect(heard.reminder).to.have.length(0)

    await passTo(Date.UTC(2026, 2, 13) - 1)
    expect(heard.reminder, 'before the reminder point').to.have.length(0)
    await pass(HOUR)
    expect(heard.reminder).to.deep.equal([{ id: R1, due: '2026-03-15', side: 'responder', country: 'PL', authority: 'pl-krakow' }])
    expect(deadlines.flags(R1)).to.include({ remind: true, overdue: false })

    await passTo(Date.UTC(2026, 2, 16) - 1)
    expect(heard.overdue, 'the due day itself is on time').to.have.length(0)
    await pass(HOUR)
    expect(heard.overdue).to.deep.equal([{ id: R1, due: '2026-03-15', side: 'responder', country: 'PL', authority: 'pl-krakow', local: true, daysLate: 1 }])
    expect(deadlines.overdue()).to.deep.equal([R1])
    expect(deadlines.escalated()).to.deep.equal([])

    // Last activity: the acceptance on 2026-03-03T09:00Z; 60 days later, 2026-05-02T09:00Z.
    await passTo(T0 + DAY_MS + 60 * DAY_MS)
    expect(heard.escalated, 'exactly 60 days is not yet more than 2 months').to.have.length(0)
    await pass(HOUR)
    expect(heard.escalated).to.have.length(1)
    expect(heard.escalated[0]).to.include({ id: R1, side: 'responder', country: 'PL', authority: 'pl-krakow', local: true })
    expect(deadlines.escalated()).to.deep.equal([R1])
    await pass(10 * DAY_MS)
    expect([heard.reminder.length, heard.overdue.length, heard.escalated.length]).to.deep.equal([1, 1, 1])

    // A restart, on the same database: nothing repeats.
    deadlines.stop()
    await store.close()
    store = new Store(dir, { sync: false })
    await store.open()
    deadlines = make()
    heard = listen(deadlines)
    await deadlines.start()
    await pass(2 * DAY_MS)
    expect([heard.reminder.length, heard.overdue.length, heard.escalated.length]).to.deep.equal([0, 0, 0])
    expect(deadlines.overdue()).to.deep.equal([R1])
    expect(deadlines.escalated()).to.deep.equal([R1])

    // New activity ends that period of inactivity; 60 more quiet days escalate again.
    log.apply(R1, ev(R1, CZ, { base: 2, action: 'message' }, clock.now()))
    await pass(HOUR)
    expect(deadlines.escalated()).to.deep.equal([])
    await pass(61 * DAY_MS)
    expect(heard.escalated).to.have.length(1)
    expect(heard.overdue, 'still the same due date').to.have.length(0)
  })

  it('without a store, remembers in memory only: a restart notifies again', async () => {
    send(log, R1, '2026-03-04', T0)
    deadlines = make({}, false)
    const first = listen(deadlines)
    await deadlines.start()
    expect(first.reminder).to.have.length(1)
    deadlines.stop()
    deadlines = make({}, false)
    const second = listen(deadlines)
    await deadlines.start()
    expect(second.reminder).to.have.length(1)
  })

  it('reminds again for a new due date, and forgets a request once it is closed', async () => {
    send(log, R1, '2026-03-04', T0)
    deadlines = make()
    const heard = listen(deadlines)
    await deadlines.start()
    expect(heard.reminder.map((r) => r.due)).to.deep.equal(['2026-03-04'])
    log.apply(R1, ev(R1, CZ, { base: 1, action: 'modify', neededBy: '2026-03-10' }, clock.now()))
    await pass(HOUR)
    expect(heard.reminder).to.have.length(1)
    await passTo(Date.UTC(2026, 2, 8))
    expect(heard.reminder.map((r) => r.due)).to.deep.equal(['2026-03-04', '2026-03-10'])
    expect(await store.get(BUCKET, R1)).to.deep.equal({ reminded: '2026-03-10' })

    log.apply(R1, ev(R1, CZ, { base: 2, action: 'withdraw' }, clock.now()))
    await pass(HOUR)
    expect(deadlines.flags(R1)).to.equal(undefined)
    expect(await store.get(BUCKET, R1)).to.equal(undefined)
    await pass(70 * DAY_MS)
    expect([heard.overdue.length, heard.escalated.length]).to.deep.equal([0, 0])
  })

  it('forgets what it notified for requests no longer in the log', async () => {
    await store.commit([{ type: 'put', bucket: BUCKET, key: R2, value: { reminded: '2026-03-04' } }])
    send(log, R1, '2026-03-04', T0)
    deadlines = make()
    await deadlines.start()
    expect(await store.get(BUCKET, R2)).to.equal(undefined)
    expect(await store.get(BUCKET, R1)).to.deep.equal({ reminded: '2026-03-04' })
  })

  it('on the requesting node: no reminder (no one here can answer), but overdue and escalation for its coordinator', async () => {
    send(log, R1, '2026-03-04', T0)
    deadlines = make({ country: 'CZ' })
    const heard = listen(deadlines)
    await deadlines.start()
    await pass(65 * DAY_MS)
    expect(heard.reminder).to.have.length(0)
    expect(heard.overdue).to.deep.equal([{ id: R1, due: '2026-03-04', side: 'responder', country: 'PL', authority: 'pl-krakow', local: false, daysLate: 1 }])
    expect(heard.escalated).to.have.length(1)
    expect(heard.escalated[0]).to.include({ side: 'responder', local: false })
  })

  it('escalates an answered request the requester leaves unclosed to the requesting side', async () => {
    send(log, R2, '2026-03-20', T0)
    log.apply(R2, ev(R2, PL, { base: 1, action: 'accept' }, T0 + HOUR))
    log.apply(R2, ev(R2, PL, { base: 2, action: 'answer', questions: ['services.established'], final: true }, T0 + 2 * HOUR))
    deadlines = make({ country: 'CZ' })
    const heard = listen(deadlines)
    await deadlines.start()
    await pass(61 * DAY_MS)
    expect(heard.overdue).to.have.length(0)
    expect(heard.escalated).to.have.length(1)
    expect(heard.escalated[0]).to.include({ id: R2, side: 'requester', country: 'CZ', authority: 'cz-brno', local: true })
  })

  it('takes its settings from init and stops checking when stopped', async () => {
    send(log, R1, '2026-03-20', T0)
    deadlines = make({ reminderBeforeMs: 10 * DAY_MS, escalateAfterMs: 5 * DAY_MS, checkEveryMs: DAY_MS })
    const heard = listen(deadlines)
    await deadlines.start()
    expect(deadlines.assess(log.states.get(R1)!).remindAt).to.equal(Date.UTC(2026, 2, 10))
    deadlines.stop()
    clock.advance(30 * DAY_MS)
    await deadlines.settled()
    expect([heard.reminder.length, heard.overdue.length, heard.escalated.length]).to.deep.equal([0, 0, 0])
    expect(() => new RequestDeadlines({ clock, log, logger: silentLogger }, { country: 'PL', bucket: BUCKET })).to.throw(/store and a bucket/)
  })

  it('checks on the clock: daily checks notice the reminder point the morning it passes', async () => {
    send(log, R1, '2026-03-20', T0)
    deadlines = make({ checkEveryMs: DAY_MS })
    const heard = listen(deadlines)
    await deadlines.start()
    // Checks at 09:00Z each day; the reminder point is 2026-03-18T00:00Z.
    for (let day = 3; day <= 17; day++) { clock.advance(DAY_MS); await deadlines.settled() }
    expect(clock.now()).to.equal(Date.UTC(2026, 2, 17, 9))
    expect(heard.reminder).to.have.length(0)
    clock.advance(DAY_MS)
    await deadlines.settled()
    expect(heard.reminder).to.have.length(1)
  })
})
