/**
 * Shapes of the request and alert resources as the node's API returns them. They mirror
 * node/src/services/requests/request-service.ts (RequestView, EventView),
 * node/src/services/requests/questions.ts (ShownQuestion, ShownAnswer) and
 * node/src/services/alerts/alert-service.ts (AlertRecord, AlertView), which the UI may not
 * import; they belong in protocol/src/api-types.ts beside NodeStatus, and move there when
 * those files are free to change.
 */
import type {
  AlertContent, AlertState, LegislativeArea, Rating, RenderedAnswer, RenderedQuestion, RequestAction, RequestEventBody,
  RequestPersonalData, RequestState, SubjectData
} from '@imi/protocol'

export type ShownQuestion = RenderedQuestion | { readonly id: string, readonly text: string, readonly original: true }

export interface ShownAnswer {
  readonly question: string
  readonly answer?: RenderedAnswer
  readonly comment?: string
}

export interface EventView {
  readonly id: string
  readonly action: RequestAction
  readonly from: string
  readonly fromAuthority?: string
  readonly coordinator: boolean
  readonly created: number
  /** 'applied', or the code that refused the event. */
  readonly outcome: string
  readonly body: RequestEventBody
  readonly personalData?: RequestPersonalData
  readonly answers?: readonly ShownAnswer[]
}

export interface RequestView {
  readonly state: RequestState
  readonly role: 'requester' | 'responder'
  readonly questions: readonly ShownQuestion[]
  readonly subject?: SubjectData
  readonly events: readonly EventView[]
}

export interface NewRequestInput {
  readonly area: LegislativeArea
  readonly to: { readonly country: string, readonly authority: string }
  readonly questions: readonly string[]
  readonly neededBy: string
  readonly subject: SubjectData
}

/** One answer as the API takes it: a value fitting the question's type, a comment, or both. */
export interface AnswerInput {
  readonly question: string
  readonly value?: { type: 'yes-no', value: boolean } | { type: 'choice', option: string } | { type: 'date', date: string } | { type: 'text', text: string }
  readonly comment?: string
}

/** The body of each workflow action this UI sends. */
export interface ActionBodies {
  readonly accept: { answerBy?: string }
  readonly answer: { answers: AnswerInput[], final: boolean }
  readonly 'request-info': { text: string }
  readonly close: { rating: Rating }
  readonly withdraw: { reason?: string }
  readonly message: { text: string }
}

export interface AlertRecord {
  readonly state: AlertState
  readonly routedTo: readonly string[]
  readonly addressedHere: boolean
}

export interface AlertView extends AlertRecord {
  readonly content?: AlertContent
  readonly delivery?: Readonly<Record<string, 'received' | 'pending'>>
}
