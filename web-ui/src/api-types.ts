/**
 * Shapes of the request and alert resources as the node's API returns them. They mirror
 * node/src/services/requests/request-service.ts (RequestView, EventView),
 * node/src/services/requests/questions.ts (ShownQuestion, ShownAnswer) and
 * node/src/services/alerts/alert-service.ts (AlertRecord, AlertView) and
 * node/src/services/requests/drafts.ts (Draft), which the UI may not
 * import; they belong in protocol/src/api-types.ts beside NodeStatus, and move there when
 * those files are free to change.
 */
import type {
  AlertContent, AlertState, AlertType, LegislativeArea, Rating, RenderedAnswer, RenderedQuestion, RequestAction, RequestEventBody,
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

/** Retention deleted the personal data here; the counterpart node's signed statement once it deleted its copy. */
export interface ErasureView {
  readonly local: number
  readonly counterpart?: { readonly at: number, readonly from: string, readonly kind: string, readonly receipt: string }
}

export interface RequestView {
  readonly state: RequestState
  readonly role: 'requester' | 'responder'
  readonly questions: readonly ShownQuestion[]
  readonly subject?: SubjectData
  /** The subject was corrected (Art 19): the latest correction, which `subject` shows. */
  readonly corrected?: { readonly at: number, readonly from: string }
  /** The data subject contests the accuracy of the subject's data (Art 19). */
  readonly contested?: { readonly at: number, readonly from: string, readonly note?: string, readonly resolvedAt?: number }
  readonly events: readonly EventView[]
  /** Retention blocked the personal data: only a read with a stated reason shows them. */
  readonly blocked?: true
  readonly erasure?: ErasureView
}

/** A file as the API takes it: base64 in the JSON body. */
export interface AttachmentInput {
  readonly name: string
  readonly type: string
  readonly data: string
}

export interface NewRequestInput {
  readonly area: LegislativeArea
  readonly to: { readonly country: string, readonly authority: string }
  readonly questions: readonly string[]
  readonly freeQuestions?: readonly string[]
  readonly note?: string
  readonly neededBy: string
  readonly subject: SubjectData
  readonly attachments?: readonly AttachmentInput[]
}

/** One answer as the API takes it: a value fitting the question's type, a comment, or both. */
export interface AnswerInput {
  readonly question: string
  readonly value?: { type: 'yes-no', value: boolean } | { type: 'choice', option: string } | { type: 'date', date: string } | { type: 'text', text: string } |
  { type: 'attachment', attachment: string }
  readonly comment?: string
}

/** The body of each workflow action this UI sends. */
export interface ActionBodies {
  readonly accept: { answerBy?: string }
  readonly forward: { toAuthority?: string, reason?: string }
  readonly split: { questions: string[], toAuthority: string }
  readonly answer: { answers: AnswerInput[], final: boolean, attachments?: AttachmentInput[] }
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
  /** Issuing side: for each state the alert went to, whether its signed receipt is in. */
  readonly delivery?: Readonly<Record<string, 'received' | 'pending'>>
  /** Retention blocked the content: only a read with a stated reason shows it. */
  readonly blocked?: true
  /** Retention deleted the content on this node at this instant. */
  readonly deletedAt?: number
}

export interface NewAlertInput {
  readonly area: LegislativeArea
  readonly type: AlertType
  readonly to: 'all' | readonly string[]
  readonly decisionDate?: string
  readonly content: AlertContent
}

/** A request being written: kept on the node, for the request handlers of its authority. */
export interface Draft {
  readonly id: string
  readonly authority: string
  readonly createdBy: string
  readonly created: number
  readonly updated: number
  /** When the node deletes it unless it is changed or sent before (drafts hold personal data). */
  readonly expires: number
  readonly content: Partial<NewRequestInput>
}
