/**
 * A bilateral information request, as both nodes see it. The request is the result of
 * its events (signed direct messages of kind `request`), replayed in one deterministic
 * order, so the requesting and the responding node compute the same state from the same
 * events, whatever order the network delivered them in.
 */
import type { LegislativeArea } from '../../directory/areas.js'

export const REQUEST_EVENT_KIND = 'request'

export type RequestStatus = 'sent' | 'accepted' | 'answered' | 'info-requested' | 'closed' | 'withdrawn'
export const OPEN_STATUSES: readonly RequestStatus[] = ['sent', 'accepted', 'answered', 'info-requested']

export type RequestAction =
  | 'send' | 'modify' | 'withdraw' | 'accept' | 'forward' | 'split' | 'disclose' | 'answer' | 'request-info' | 'close' | 'message'

/** An attachment as the signed event names it: its hash binds the bytes; its name is personal data and travels apart. */
export interface AttachmentRef {
  readonly sha256: string
  readonly size: number
  readonly type: string
}

export interface Rating {
  /** 1 (very late) to 5 (on time). */
  readonly timeliness: number
  /** 1 (little) to 5 (thorough). */
  readonly effort: number
}

/** Fields each action may carry; the decoder admits exactly those of its action. */
export interface RequestEventBody {
  readonly request: string
  /** How many events of this request its author knew when it acted: the replay order. */
  readonly base: number
  readonly action: RequestAction
  /** The author acts as its state's national coordinator, not for an authority. */
  readonly coordinator?: true
  readonly area?: LegislativeArea
  readonly to?: { readonly country: string, readonly authority: string }
  /** Catalogue question ids (`pq.diploma-authentic`) and free questions (`free.1`). */
  readonly questions?: readonly string[]
  /** Texts of free questions, in their author's language; `free.<n>` names the n-th. Never personal data. */
  readonly freeQuestions?: readonly string[]
  readonly note?: string
  /** YYYY-MM-DD. */
  readonly neededBy?: string
  /** YYYY-MM-DD: the date the responder proposes on accepting. */
  readonly answerBy?: string
  readonly attachments?: readonly AttachmentRef[]
  readonly toAuthority?: string
  /** The request that a split creates. */
  readonly child?: string
  readonly final?: boolean
  readonly rating?: Rating
  readonly reason?: string
}

/** One event as the machine takes it: the verified envelope's header fields and body. */
export interface RequestEvent {
  /** The envelope id. */
  readonly id: string
  readonly from: string
  readonly fromAuthority?: string
  readonly created: number
  readonly body: RequestEventBody
}

export interface Party {
  readonly country: string
  /** Absent while the request waits with the responding state's coordinator. */
  readonly authority?: string
}

export interface RequestState {
  readonly id: string
  readonly area: LegislativeArea
  readonly status: RequestStatus
  readonly requester: Required<Party>
  readonly responder: Party
  readonly questions: readonly string[]
  readonly freeQuestions: readonly string[]
  readonly note?: string
  readonly neededBy: string
  /** The date agreed on acceptance: the responder's proposal, or the needed-by date. */
  readonly answerBy?: string
  readonly attachments: readonly AttachmentRef[]
  /** Attachments the responder sent with its answers. */
  readonly answerAttachments?: readonly AttachmentRef[]
  /** Question ids answered so far (partial answers add to it). */
  readonly answered: readonly string[]
  /** The requester's node has sent the subject's personal data and attachments. */
  readonly disclosed: boolean
  readonly parent?: string
  readonly children: readonly string[]
  readonly rating?: Rating
  readonly sentAt: number
  readonly acceptedAt?: number
  /** First acceptance: the performance indicators count from it. */
  readonly firstAcceptedAt?: number
  readonly answeredAt?: number
  /** The first final answer: answer times count to it, not to the answer after further information. */
  readonly firstAnsweredAt?: number
  readonly closedAt?: number
  readonly lastActivity: number
  /** Events in the log, applied or refused: the next event's base. */
  readonly version: number
}
