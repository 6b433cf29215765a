/**
 * Which actions a request page offers, by this node's side, the request's status and
 * whether the reader is the national coordinator. It mirrors the protocol's machine
 * (protocol/src/workflows/request/machine.ts) so the page shows only buttons that can
 * succeed; the node still decides, and a refusal is shown by its code. Pure, so it is
 * unit-tested against the same table.
 */
import type { RequestStatus } from '@imi/protocol'

export type UiAction = 'accept' | 'forward' | 'split' | 'answer' | 'request-info' | 'close' | 'withdraw' | 'message'

const OPEN: readonly RequestStatus[] = ['sent', 'accepted', 'answered', 'info-requested']

const RULES: Readonly<Record<UiAction, { side: 'requester' | 'responder' | 'either', from: readonly RequestStatus[] }>> = {
  accept: { side: 'responder', from: ['sent'] },
  forward: { side: 'responder', from: ['sent', 'accepted'] },
  split: { side: 'responder', from: ['sent', 'accepted'] },
  answer: { side: 'responder', from: ['accepted', 'info-requested'] },
  'request-info': { side: 'requester', from: ['answered'] },
  close: { side: 'requester', from: ['answered'] },
  withdraw: { side: 'requester', from: ['sent'] },
  message: { side: 'either', from: OPEN }
}

/** The coordinator acts only on the responding side, and only to forward (allocate) and to write. */
const COORDINATOR: readonly UiAction[] = ['forward', 'message']

/** In the order the page shows them: the expected next step first, messages last. */
const ORDER: readonly UiAction[] = ['accept', 'answer', 'close', 'request-info', 'forward', 'split', 'withdraw', 'message']

export function availableActions (role: 'requester' | 'responder', status: RequestStatus, coordinator = false): UiAction[] {
  if (coordinator && role === 'requester') return []
  return ORDER.filter((a) => {
    const rule = RULES[a]
    if (coordinator && !COORDINATOR.includes(a)) return false
    return (rule.side === 'either' || rule.side === role) && rule.from.includes(status)
  })
}
