/**
 * The shape of the pre-translated question catalogue. A request carries question ids (and
 * optionally `set@version`), never question text: each reader renders the text in their own
 * language from the catalogue, and the answer travels as an AnswerValue.
 */
import type { LegislativeArea } from '../directory/areas.js'

export const ANSWER_TYPES = ['yes-no', 'choice', 'date', 'text', 'attachment'] as const
export type AnswerType = typeof ANSWER_TYPES[number]

export interface CatalogueQuestion {
  /** Stable id, `<set>.<name>`, e.g. 'pq.diploma-authentic'. Never reused with another meaning. */
  readonly id: string
  /** Id of the set the question belongs to, e.g. 'pq'. */
  readonly set: string
  readonly type: AnswerType
  /** Only for 'choice': stable option ids, `<question id>.<name>`, e.g. 'pq.sanction-kind.disciplinary'. */
  readonly options?: readonly string[]
}

export interface QuestionSet {
  /** Stable id, e.g. 'pq' or 'services'. */
  readonly id: string
  readonly area: LegislativeArea
  /** Bumped whenever a question is added or retired or a text changes meaning; a request may cite `id@version`. */
  readonly version: number
  readonly questions: readonly CatalogueQuestion[]
}

/**
 * An answer to one catalogue question. Yes/no, choice and date answers are language-neutral;
 * free text (and attachments) stay in the language they were written in.
 */
export type AnswerValue =
  | { readonly type: 'yes-no', readonly value: boolean }
  | { readonly type: 'choice', readonly option: string }
  | { readonly type: 'date', readonly date: string /* YYYY-MM-DD */ }
  | { readonly type: 'text', readonly text: string }
  | { readonly type: 'attachment', readonly attachment: string /* sha256, base64url, of an attachment listed in the message */ }

/** One language's strings, keyed by catalogue key (question ids, option ids, 'set.<id>.title', 'answer.*', 'ui.*'). */
export type CatalogueTexts = Readonly<Record<string, string>>

/** The translation tables, by language code. Partial so that tests can render from an incomplete table. */
export type CatalogueTables = Readonly<Partial<Record<string, CatalogueTexts>>>
