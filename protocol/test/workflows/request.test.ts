import { expect } from 'chai'
import {
  applyRequestEvent, decodeRequestEventBody, replayRequest,
  type RequestAction, type RequestEvent, type RequestEventBody, type RequestState, type RequestStatus
} from '../../src/index.js'

const T0 = Date.UTC(2026, 2, 2, 9)
const DAY = 86_400_000
const REQ = 'req_aaaaaaaaaaaaaaaaaa'
const CHILD = 'req_bbbbbbbbbbbbbbbbbb'
// The Czech trade licensing office asks the Polish authority that issued an authorisation.
const CZ = { country: 'CZ', authority: 'cz-brno' }
const PL = { country: 'PL', authority: 'pl-krakow' }
let n = 0

function ev (who: { country: string, authority?: string }, body: Omit<RequestEventBody, 'request'> & { request?: string }, at = T0 + n * 1000, id?: string): RequestEvent {
  n++
  const full = decodeRequestEventBody({ request: REQ, ...body })
  return { id: id ?? `ev_${String(n).padStart(19, '0')}`, from: who.country, ...(who.authority !== undefined && { fromAuthority: who.authority }), created: at, body: full }
}

const send = (): RequestEvent => ev(CZ, {
  base: 0, action: 'send', area: 'services', to: PL, questions: ['services.established', 'services.authorisation-valid'],
  freeQuestions: ['Which activities does the authorisation cover?'], neededBy: '2026-03-20'
})

function run (events: RequestEvent[]): RequestState {
  let s: RequestState | undefined
  for (const e of events) s = applyRequestEvent(s, e, REQ)
  return s!
}

function refuses (state: RequestState | undefined, e: RequestEvent, code: string): void {
  try {
    applyRequestEvent(state, e, REQ)
  } catch (err) {
    expect((err as { code: string }).code, (err as Error).message).to.equal(code)
    return
  }
  throw new Error(`expected ${code}`)
}

describe('request workflow (pure state machine)', () => {
  it('runs the Czech-Polish example from send to closed, with a partial answer and further information', () => {
    const sent = run([send()])
    expect(sent).to.include({ status: 'sent', neededBy: '2026-03-20', disclosed: false, version: 1 })
    expect(sent.requester).to.deep.equal(CZ)
    const accepted = applyRequestEvent(sent, ev(PL, { base: 1, action: 'accept', answerBy: '2026-03-15' }, T0 + DAY), REQ)
    expect(accepted).to.include({ status: 'accepted', answerBy: '2026-03-15', acceptedAt: T0 + DAY })
    const disclosed = applyRequestEvent(accepted, ev(CZ, { base: 2, action: 'disclose' }), REQ)
    const partly = applyRequestEvent(disclosed, ev(PL, { base: 3, action: 'answer', questions: ['services.established'], final: false }), REQ)
    expect(partly).to.include({ status: 'accepted' })
    expect(partly.answered).to.deep.equal(['services.established'])
    const answered = applyRequestEvent(partly, ev(PL, { base: 4, action: 'answer', questions: ['services.authorisation-valid', 'free.1'], final: true }), REQ)
    expect(answered.status).to.equal('answered')
    const more = applyRequestEvent(answered, ev(CZ, { base: 5, action: 'request-info', questions: ['free.1'] }), REQ)
    expect(more.status).to.equal('info-requested')
    const again = applyRequestEvent(more, ev(PL, { base: 6, action: 'answer', questions: ['free.1'], final: true }), REQ)
    const closed = applyRequestEvent(again, ev(CZ, { base: 7, action: 'close', rating: { timeliness: 5, effort: 4 } }), REQ)
    expect(closed).to.include({ status: 'closed', version: 8 })
    expect(closed.rating).to.deep.equal({ timeliness: 5, effort: 4 })
  })

  // Every action against every status: allowed exactly where the workflow says.
  const ALLOWED: Record<Exclude<RequestAction, 'send'>, RequestStatus[]> = {
    modify: ['sent'], withdraw: ['sent'], accept: ['sent'], forward: ['sent', 'accepted'], split: ['sent', 'accepted'],
    disclose: ['accepted', 'answered', 'info-requested'], answer: ['accepted', 'info-requested'], 'request-info': ['answered'],
    close: ['answered'], message: ['sent', 'accepted', 'answered', 'info-requested']
  }
  const reach: Record<RequestStatus, () => RequestState> = {
    sent: () => run([send()]),
    accepted: () => run([send(), ev(PL, { base: 1, action: 'accept' })]),
    answered: () => run([send(), ev(PL, { base: 1, action: 'accept' }), ev(PL, { base: 2, action: 'answer', questions: ['services.established'], final: true })]),
    'info-requested': () => run([send(), ev(PL, { base: 1, action: 'accept' }), ev(PL, { base: 2, action: 'answer', questions: ['services.established'], final: true }), ev(CZ, { base: 3, action: 'request-info' })]),
    closed: () => run([send(), ev(PL, { base: 1, action: 'accept' }), ev(PL, { base: 2, action: 'answer', questions: ['services.established'], final: true }), ev(CZ, { base: 3, action: 'close', rating: { timeliness: 3, effort: 3 } })]),
    withdrawn: () => run([send(), ev(CZ, { base: 1, action: 'withdraw' })])
  }
  const make: Record<Exclude<RequestAction, 'send'>, (base: number) => RequestEvent> = {
    modify: (base) => ev(CZ, { base, action: 'modify', neededBy: '2026-03-25' }),
    withdraw: (base) => ev(CZ, { base, action: 'withdraw', reason: 'no longer needed' }),
    accept: (base) => ev(PL, { base, action: 'accept' }),
    forward: (base) => ev(PL, { base, action: 'forward', toAuthority: 'pl-warszawa' }),
    split: (base) => ev(PL, { base, action: 'split', child: CHILD, questions: ['services.authorisation-valid'], toAuthority: 'pl-gdansk' }),
    disclose: (base) => ev(CZ, { base, action: 'disclose' }),
    answer: (base) => ev(PL, { base, action: 'answer', questions: ['free.1'], final: false }),
    'request-info': (base) => ev(CZ, { base, action: 'request-info' }),
    close: (base) => ev(CZ, { base, action: 'close', rating: { timeliness: 2, effort: 5 } }),
    message: (base) => ev(CZ, { base, action: 'message' })
  }
  for (const [action, allowed] of Object.entries(ALLOWED) as Array<[Exclude<RequestAction, 'send'>, RequestStatus[]]>) {
    it(`allows ${action} only from ${allowed.join(', ')}`, () => {
      for (const status of Object.keys(reach) as RequestStatus[]) {
        const state = reach[status]()
        const e = make[action](state.version)
        if (allowed.includes(status)) expect(() => applyRequestEvent(state, e, REQ), `${action} from ${status}`).not.to.throw()
        else refuses(state, e, 'ERR_TRANSITION_NOT_ALLOWED')
      }
    })
  }

  it('lets only the right party act: the other side, another authority and a third state are refused', () => {
    const sent = reach.sent()
    refuses(sent, ev(CZ, { base: 1, action: 'accept' }), 'ERR_NOT_PARTY')
    refuses(sent, ev({ country: 'PL', authority: 'pl-other' }, { base: 1, action: 'accept' }), 'ERR_NOT_PARTY')
    refuses(sent, ev({ country: 'AT', authority: 'pl-krakow' }, { base: 1, action: 'accept' }), 'ERR_NOT_PARTY')
    refuses(sent, ev(PL, { base: 1, action: 'withdraw' }), 'ERR_NOT_PARTY')
    refuses(sent, ev({ country: 'CZ', authority: 'cz-praha' }, { base: 1, action: 'modify', note: 'x' }), 'ERR_NOT_PARTY')
    refuses(sent, ev({ country: 'PL' }, { base: 1, action: 'accept', coordinator: true }), 'ERR_NOT_PARTY')
    // The responding state's coordinator may forward and write messages, nothing else.
    expect(applyRequestEvent(sent, ev({ country: 'PL' }, { base: 1, action: 'forward', toAuthority: 'pl-warszawa', coordinator: true }), REQ).responder)
      .to.deep.equal({ country: 'PL', authority: 'pl-warszawa' })
  })

  it('refuses what does not fit: a past date, a question the request lacks, a send to oneself', () => {
    refuses(undefined, ev(CZ, { base: 0, action: 'send', area: 'services', to: PL, questions: ['services.established'], neededBy: '2026-03-01' }), 'ERR_INVALID_REQUEST_EVENT')
    refuses(undefined, ev(CZ, { base: 0, action: 'send', area: 'services', to: { country: 'CZ', authority: 'cz-praha' }, questions: ['services.established'], neededBy: '2026-04-01' }), 'ERR_INVALID_REQUEST_EVENT')
    refuses(undefined, ev(CZ, { base: 0, action: 'send', area: 'services', to: PL, questions: ['free.2'], freeQuestions: ['only one'], neededBy: '2026-04-01' }), 'ERR_INVALID_REQUEST_EVENT')
    refuses(reach.accepted(), ev(PL, { base: 2, action: 'answer', questions: ['pq.diploma-authentic'], final: true }), 'ERR_INVALID_REQUEST_EVENT')
    refuses(reach.sent(), ev(PL, { base: 1, action: 'accept', answerBy: '2026-01-01' }), 'ERR_INVALID_REQUEST_EVENT')
    refuses(reach.sent(), send(), 'ERR_TRANSITION_NOT_ALLOWED')
    refuses(undefined, ev(PL, { base: 1, action: 'accept' }), 'ERR_TRANSITION_NOT_ALLOWED')
  })

  it('decodes only the fields of each action', () => {
    const bad = [
      { request: REQ, base: 1, action: 'accept', rating: { timeliness: 1, effort: 1 } },
      { request: REQ, base: 1, action: 'close', rating: { timeliness: 6, effort: 1 } },
      { request: REQ, base: 0, action: 'send', area: 'services', to: PL, questions: ['services.x'], neededBy: '2026-02-30' },
      { request: REQ, base: 1, action: 'modify' },
      { request: REQ, base: -1, action: 'message' },
      { request: 'short', base: 1, action: 'message' },
      { request: REQ, base: 1, action: 'teleport' }
    ]
    for (const b of bad) expect(() => decodeRequestEventBody(b), JSON.stringify(b)).to.throw().with.property('code', 'ERR_BODY_SCHEMA')
  })

  it('forwarding after acceptance makes the new authority accept afresh', () => {
    const fwd = applyRequestEvent(reach.accepted(), ev(PL, { base: 2, action: 'forward', toAuthority: 'pl-warszawa' }), REQ)
    expect(fwd).to.include({ status: 'sent' }).and.not.have.property('acceptedAt')
    refuses(fwd, ev(PL, { base: 3, action: 'answer', questions: ['free.1'], final: true }), 'ERR_NOT_PARTY')
    refuses(fwd, ev({ country: 'PL', authority: 'pl-warszawa' }, { base: 3, action: 'answer', questions: ['free.1'], final: true }), 'ERR_TRANSITION_NOT_ALLOWED')
    const accepted = applyRequestEvent(fwd, ev({ country: 'PL', authority: 'pl-warszawa' }, { base: 3, action: 'accept' }), REQ)
    expect(accepted.firstAcceptedAt).to.be.lessThan(accepted.acceptedAt!)
  })

  it('splits questions off to a child request for another authority', () => {
    const split = ev(PL, { base: 1, action: 'split', child: CHILD, questions: ['services.authorisation-valid'], toAuthority: 'pl-gdansk' })
    const { state, children } = replayRequest(REQ, [send(), split])
    expect(state!.questions).to.deep.equal(['services.established'])
    expect(state!.children).to.deep.equal([CHILD])
    const child = children.get(CHILD)!
    expect(child).to.include({ id: CHILD, status: 'sent', parent: REQ, neededBy: '2026-03-20' })
    expect(child.responder).to.deep.equal({ country: 'PL', authority: 'pl-gdansk' })
    expect(child.questions).to.deep.equal(['services.authorisation-valid'])
    const childLog = replayRequest(CHILD, [{ ...ev({ country: 'PL', authority: 'pl-gdansk' }, { base: 1, action: 'accept' }), body: decodeRequestEventBody({ request: CHILD, base: 1, action: 'accept' }) }], child)
    expect(childLog.state!.status).to.equal('accepted')
  })

  it('refuses a split whose child is the request itself or one of its children (a family is a tree)', () => {
    const s = send()
    const sent = applyRequestEvent(undefined, s, REQ)
    refuses(sent, ev(PL, { base: 1, action: 'split', child: REQ, questions: ['services.authorisation-valid'], toAuthority: 'pl-gdansk' }), 'ERR_INVALID_REQUEST_EVENT')
    const once = applyRequestEvent(sent, ev(PL, { base: 1, action: 'split', child: CHILD, questions: ['services.authorisation-valid'], toAuthority: 'pl-gdansk' }), REQ)
    refuses({ ...once, questions: [...once.questions, 'services.authorisation-valid'] }, ev(PL, { base: 2, action: 'split', child: CHILD, questions: ['services.authorisation-valid'], toAuthority: 'pl-gdansk' }), 'ERR_INVALID_REQUEST_EVENT')
    const { state, children } = replayRequest(REQ, [s, ev(PL, { base: 1, action: 'split', child: REQ, questions: ['services.authorisation-valid'], toAuthority: 'pl-gdansk' })])
    expect(state!.children).to.deep.equal([])
    expect(children.size).to.equal(0)
  })

  it('ends two concurrent conflicting actions in the same state, whatever order they arrive in', () => {
    const s = send()
    // Both sides act on version 1 at once: the requester withdraws, the responder accepts.
    const withdraw = ev(CZ, { base: 1, action: 'withdraw' }, T0 + 5000, 'ev_zzzzzzzzzzzzzzzzzzz')
    const accept = ev(PL, { base: 1, action: 'accept' }, T0 + 5000, 'ev_aaaaaaaaaaaaaaaaaaa')
    const answer = ev(PL, { base: 2, action: 'answer', questions: ['services.established'], final: false })
    const onCz = replayRequest(REQ, [s, withdraw, accept, answer])
    const onPl = replayRequest(REQ, [answer, accept, s, withdraw])
    expect(onCz.state).to.deep.equal(onPl.state)
    expect(onCz.outcomes).to.deep.equal(onPl.outcomes)
    // The lower id won; the loser and nothing built on it is refused, on both sides alike.
    expect(onCz.state!.status).to.equal('accepted')
    expect(onCz.outcomes.find((o) => o.id === withdraw.id)!.outcome).to.equal('ERR_TRANSITION_NOT_ALLOWED')
    expect(onCz.state!.version).to.equal(4)
  })

  it('converges for every permutation of a conflicting log', () => {
    const events = [send(), ev(CZ, { base: 1, action: 'modify', neededBy: '2026-03-30' }), ev(PL, { base: 1, action: 'forward', toAuthority: 'pl-warszawa' }),
      ev(PL, { base: 1, action: 'accept' }), ev(CZ, { base: 1, action: 'withdraw' }), ev(CZ, { base: 2, action: 'message' })]
    const reference = replayRequest(REQ, events)
    const permute = (a: RequestEvent[]): RequestEvent[][] => a.length <= 1 ? [a] : a.flatMap((x, i) => permute([...a.slice(0, i), ...a.slice(i + 1)]).map((p) => [x, ...p]))
    for (const p of permute(events)) expect(replayRequest(REQ, p).state).to.deep.equal(reference.state)
  })
})
