/**
 * Which actions a request page offers, by this node's side and the request's status.
 * It mirrors the protocol's machine (protocol/src/workflows/request/machine.ts) so the
 * page shows only buttons that can succeed; the node still decides, and a refusal is
 * shown by its code. Pure, so it is unit-tested against the same table.
 */
import type { RequestStatus } from '@imi/protocol'

/** The actions this UI has forms for (forward and split come with a later page). */
export type UiAction = 'accept' | 'answer' | 'request-info' | 'close' | 'withdraw' | 'message'

const OPEN: readonly RequestStatus[] = ['sent', 'accepted', 'answered', 'info-requested']

const RULES: Readonly<Record<UiAction, { side: 'requester' | 'responder' | 'either', from: readonly RequestStatus[] }>> = {
  accept: { side: 'responder', from: ['sent'] },
  answer: { side: 'responder', from: ['accepted', 'info-requested'] },
  'request-info': { side: 'requester', from: ['answered'] },
  close: { side: 'requester', from: ['answered'] },
  withdraw: { side: 'requester', from: ['sent'] },
  message: { side: 'either', from: OPEN }
}

/** In the order the page shows them: the expected next step first, messages last. */
const ORDER: readonly UiAction[] = ['accept', 'answer', 'close', 'request-info', 'withdraw', 'message']

export function availableActions (role: 'requester' | 'responder', status: RequestStatus): UiAction[] {
  return ORDER.filter((a) => {
    const rule = RULES[a]
    return (rule.side === 'either' || rule.side === role) && rule.from.includes(status)
  })
}
