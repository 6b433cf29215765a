/**
 * The request workflow as one pure function: `apply(state, event)` returns the next
 * state or throws (ERR_TRANSITION_NOT_ALLOWED, ERR_NOT_PARTY, ERR_INVALID_REQUEST_EVENT)
 * and changes nothing. Both nodes run it on the same signed events. Who acted is read
 * from the envelope (country, authority) that the receiving node has already verified;
 * roles inside an authority are checked by the acting node before it signs.
 */
import { InvalidRequestEventError, NotPartyError, TransitionNotAllowedError } from './errors.js'
import { OPEN_STATUSES, type Party, type RequestAction, type RequestEvent, type RequestState, type RequestStatus } from './types.js'

const DAY_MS = 86_400_000

/** From which statuses each action may start (split and disclose keep the status). */
const FROM: Readonly<Record<Exclude<RequestAction, 'send'>, readonly RequestStatus[]>> = {
  modify: ['sent'],
  withdraw: ['sent'],
  accept: ['sent'],
  forward: ['sent', 'accepted'],
  split: ['sent', 'accepted'],
  disclose: ['accepted', 'answered', 'info-requested'],
  answer: ['accepted', 'info-requested'],
  'request-info': ['answered'],
  close: ['answered'],
  message: OPEN_STATUSES
}

type Side = 'requester' | 'responder' | 'either'
const SIDE: Readonly<Record<Exclude<RequestAction, 'send'>, Side>> = {
  modify: 'requester',
  withdraw: 'requester',
  'request-info': 'requester',
  close: 'requester',
  disclose: 'requester',
  accept: 'responder',
  forward: 'responder',
  split: 'responder',
  answer: 'responder',
  message: 'either'
}

function isoDay (ms: number): string { return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10) }

function isRequester (s: RequestState, e: RequestEvent): boolean {
  return e.from === s.requester.country && e.fromAuthority === s.requester.authority && e.body.coordinator !== true
}

/** The responding authority, or (for forwarding and messages) its state's coordinator. */
function isResponder (s: RequestState, e: RequestEvent, coordinatorMay: boolean): boolean {
  if (e.from !== s.responder.country) return false
  if (e.body.coordinator === true) return coordinatorMay
  return s.responder.authority !== undefined && e.fromAuthority === s.responder.authority
}

function checkParty (s: RequestState, e: RequestEvent, action: Exclude<RequestAction, 'send'>): void {
  const side = SIDE[action]
  const coordinatorMay = action === 'forward' || action === 'message'
  const ok = side === 'requester'
    ? isRequester(s, e)
    : side === 'responder' ? isResponder(s, e, coordinatorMay) : isRequester(s, e) || isResponder(s, e, coordinatorMay)
  if (!ok) throw new NotPartyError(`${e.from}${e.fromAuthority === undefined ? '' : `/${e.fromAuthority}`} may not ${action} this request`)
}

function checkQuestions (ids: readonly string[], freeCount: number): void {
  for (const id of ids) {
    const free = /^free\.(\d+)$/.exec(id)
    if (free !== null && Number(free[1]) > freeCount) throw new InvalidRequestEventError(`${id} names no free question of this request`)
  }
}

function allQuestions (s: Pick<RequestState, 'questions' | 'freeQuestions'>): string[] {
  return [...s.questions, ...s.freeQuestions.map((_, i) => `free.${i + 1}`)]
}

/** A request comes into being with `send`, or as the child of a `split`. */
function create (e: RequestEvent, requestId: string): RequestState {
  const b = e.body
  if (b.action === 'split') throw new InvalidRequestEventError('a split creates its child from the parent\'s state: use applySplitChild')
  if (b.action !== 'send') throw new TransitionNotAllowedError(`${b.action} on a request that was never sent`)
  if (b.request !== requestId) throw new InvalidRequestEventError('the event is for another request')
  if (e.fromAuthority === undefined || b.coordinator === true) throw new NotPartyError('only an authority sends requests')
  if (b.to!.country === e.from) throw new InvalidRequestEventError('a request goes to another member state')
  if (b.neededBy! < isoDay(e.created)) throw new InvalidRequestEventError('needed-by date is in the past')
  if (b.base !== 0) throw new InvalidRequestEventError('a send is the first event of its request')
  const freeQuestions = b.freeQuestions ?? []
  checkQuestions(b.questions!, freeQuestions.length)
  return {
    id: requestId,
    area: b.area!,
    status: 'sent',
    requester: { country: e.from, authority: e.fromAuthority },
    responder: { country: b.to!.country, authority: b.to!.authority },
    questions: b.questions!,
    freeQuestions,
    ...(b.note !== undefined && { note: b.note }),
    neededBy: b.neededBy!,
    attachments: b.attachments ?? [],
    answered: [],
    disclosed: false,
    children: [],
    sentAt: e.created,
    lastActivity: e.created,
    version: 1
  }
}

export function applyRequestEvent (state: RequestState | undefined, e: RequestEvent, requestId: string): RequestState {
  if (state === undefined) return create(e, requestId)
  const b = e.body
  if (b.request !== state.id) throw new InvalidRequestEventError('the event is for another request')
  if (b.action === 'send') throw new TransitionNotAllowedError('the request was already sent')
  const action = b.action
  // Whose action it is comes first: the other side gets "not yours", not "not now".
  checkParty(state, e, action)
  if (!FROM[action].includes(state.status)) throw new TransitionNotAllowedError(`cannot ${action} a request that is ${state.status}`)
  const base = { ...state, lastActivity: e.created, version: state.version + 1 }
  switch (action) {
    case 'modify': {
      const freeQuestions = b.freeQuestions ?? state.freeQuestions
      checkQuestions(b.questions ?? state.questions, freeQuestions.length)
      if (b.neededBy !== undefined && b.neededBy < isoDay(e.created)) throw new InvalidRequestEventError('needed-by date is in the past')
      return { ...base, questions: b.questions ?? state.questions, freeQuestions, neededBy: b.neededBy ?? state.neededBy, ...(b.note !== undefined && { note: b.note }) }
    }
    case 'withdraw':
      return { ...base, status: 'withdrawn', closedAt: e.created }
    case 'accept': {
      if (b.answerBy !== undefined && b.answerBy < isoDay(e.created)) throw new InvalidRequestEventError('the proposed answer date is in the past')
      return { ...base, status: 'accepted', answerBy: b.answerBy ?? state.neededBy, acceptedAt: e.created, firstAcceptedAt: state.firstAcceptedAt ?? e.created }
    }
    case 'forward': {
      if (b.toAuthority !== undefined && b.toAuthority === state.responder.authority) throw new InvalidRequestEventError('the request is already with that authority')
      if (b.toAuthority === undefined && state.responder.authority === undefined) throw new InvalidRequestEventError('the request is already with the coordinator')
      const { acceptedAt: _a, answerBy: _d, ...rest } = base
      // The new authority accepts afresh; until then it sees no personal data.
      return { ...rest, status: 'sent', responder: { country: state.responder.country, ...(b.toAuthority !== undefined && { authority: b.toAuthority }) } }
    }
    case 'split': {
      const moved = b.questions!
      const current = allQuestions(state)
      if (moved.some((q) => !current.includes(q))) throw new InvalidRequestEventError('a split moves only questions of this request')
      if (moved.some((q) => state.answered.includes(q))) throw new InvalidRequestEventError('an answered question cannot be split off')
      if (moved.some((q) => q.startsWith('free.'))) throw new InvalidRequestEventError('free questions stay with the request')
      if (moved.length >= state.questions.length && state.freeQuestions.length === 0) throw new InvalidRequestEventError('a split leaves at least one question')
      if (b.toAuthority === state.responder.authority) throw new InvalidRequestEventError('a split goes to another authority')
      // A child is a new request: naming this one or an earlier child would make the family a cycle.
      if (b.child === state.id || state.children.includes(b.child!)) throw new InvalidRequestEventError('a split creates a new request')
      return { ...base, questions: state.questions.filter((q) => !moved.includes(q)), children: [...state.children, b.child!] }
    }
    case 'disclose':
      if (state.disclosed) throw new TransitionNotAllowedError('personal data were already disclosed')
      return { ...base, disclosed: true, attachments: b.attachments ?? state.attachments }
    case 'answer': {
      const current = allQuestions(state)
      if (b.questions!.some((q) => !current.includes(q))) throw new InvalidRequestEventError('an answer names a question the request does not ask')
      const answered = [...new Set([...state.answered, ...b.questions!])]
      const attachments = b.attachments === undefined ? {} : { answerAttachments: [...(state.answerAttachments ?? []), ...b.attachments] }
      return b.final === true
        ? { ...base, ...attachments, answered, status: 'answered', answeredAt: e.created, firstAnsweredAt: state.firstAnsweredAt ?? e.created }
        : { ...base, ...attachments, answered }
    }
    case 'request-info':
      return { ...base, status: 'info-requested' }
    case 'close':
      return { ...base, status: 'closed', rating: b.rating!, closedAt: e.created }
    case 'message':
      return base
  }
}

/**
 * The first state of the request a split creates: the parent's requester, subject and
 * dates, the moved questions, addressed to the authority named in the split.
 */
export function applySplitChild (parent: RequestState, e: RequestEvent): RequestState {
  const b = e.body
  if (b.action !== 'split') throw new InvalidRequestEventError('not a split')
  const party: Party = { country: parent.responder.country, authority: b.toAuthority! }
  return {
    id: b.child!,
    area: parent.area,
    status: 'sent',
    requester: parent.requester,
    responder: party,
    questions: b.questions!,
    freeQuestions: [],
    neededBy: parent.neededBy,
    attachments: parent.attachments,
    answered: [],
    disclosed: false,
    parent: parent.id,
    children: [],
    sentAt: e.created,
    lastActivity: e.created,
    version: 1
  }
}
