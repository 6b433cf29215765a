/**
 * The state of a request from its events, in one order both nodes agree on: by `base`
 * (how many events the author knew), then by envelope id. An event that does not fit the
 * state it meets in that order (the loser of two concurrent, conflicting actions) is
 * refused on both nodes alike, with its code, and counts towards `version` all the same,
 * so the authors' bases stay comparable.
 */
import { ImiError } from '../../errors.js'
import { applyRequestEvent, applySplitChild } from './machine.js'
import type { RequestEvent, RequestState } from './types.js'

export interface ReplayOutcome {
  readonly id: string
  /** 'applied', or the code of the refusal. */
  readonly outcome: string
}

export interface Replayed {
  readonly state: RequestState | undefined
  readonly outcomes: readonly ReplayOutcome[]
  /** First states of the requests that applied splits created, by child id. */
  readonly children: ReadonlyMap<string, RequestState>
}

export function orderRequestEvents (events: readonly RequestEvent[]): RequestEvent[] {
  return [...events].sort((a, b) => a.body.base - b.body.base || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/**
 * `origin` is a split child's first state (from its parent); its own log then holds
 * only the events that came after.
 */
export function replayRequest (requestId: string, events: readonly RequestEvent[], origin?: RequestState): Replayed {
  let state = origin
  const outcomes: ReplayOutcome[] = []
  const children = new Map<string, RequestState>()
  for (const e of orderRequestEvents(events)) {
    try {
      const next = applyRequestEvent(state, e, requestId)
      if (e.body.action === 'split' && state !== undefined) children.set(e.body.child!, applySplitChild(state, e))
      state = next
      outcomes.push({ id: e.id, outcome: 'applied' })
    } catch (err) {
      if (!(err instanceof ImiError)) throw err
      if (state !== undefined) state = { ...state, version: state.version + 1 }
      outcomes.push({ id: e.id, outcome: err.code })
    }
  }
  return { state, outcomes, children }
}
