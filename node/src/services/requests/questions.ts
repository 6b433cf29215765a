/**
 * The catalogue's side of a request on this node: which question ids a request in an
 * area may ask, whether an answer fits its question, and how both read in the
 * official's language (English, and saying so, where a translation is missing).
 */
import {
  InvalidAnswerError, questionById, questionSetsFor, renderAnswer, renderQuestion,
  type AnswerItem, type AnswerValue, type RenderedAnswer, type RenderedQuestion, type RequestState
} from '@imi/protocol'
import { InvalidRequestError } from '../../errors.js'

/** Catalogue questions of the area's sets; free questions come as texts, not ids. */
export function checkQuestionIds (area: string, ids: readonly string[]): void {
  const sets = new Set(questionSetsFor(area).map((s) => s.id))
  for (const id of ids) {
    const q = questionById(id)
    if (q === undefined || !sets.has(q.set)) throw new InvalidRequestError(`${id} is not a standard question of ${area}`)
  }
}

/**
 * Checks each answer against its question's type. An id this node's catalogue does not
 * know (a newer catalogue version) passes: its reader sees the raw value.
 */
export function checkAnswers (answers: readonly AnswerItem[]): void {
  for (const a of answers) {
    if (a.value === undefined) continue
    if (a.question.startsWith('free.')) {
      const v = a.value as { type?: unknown, text?: unknown }
      if (v.type !== 'text' || typeof v.text !== 'string') throw new InvalidAnswerError(`answer to ${a.question}: a free question takes a text`)
      continue
    }
    if (questionById(a.question) !== undefined) renderAnswer(a.question, a.value as unknown as AnswerValue, 'en')
  }
}

export type ShownQuestion = RenderedQuestion | { readonly id: string, readonly text: string, readonly original: true }

export function showQuestions (s: Pick<RequestState, 'questions' | 'freeQuestions'>, lang: string): ShownQuestion[] {
  return [
    ...s.questions.map((id) => questionById(id) === undefined ? { id, text: id, original: true as const } : renderQuestion(id, lang)),
    ...s.freeQuestions.map((text, i) => ({ id: `free.${i + 1}`, text, original: true as const }))
  ]
}

export interface ShownAnswer {
  readonly question: string
  readonly answer?: RenderedAnswer
  readonly comment?: string
}

export function showAnswers (answers: readonly AnswerItem[], lang: string): ShownAnswer[] {
  return answers.map((a) => {
    let answer: RenderedAnswer | undefined
    if (a.value !== undefined) {
      const v = a.value as unknown as AnswerValue
      answer = questionById(a.question) === undefined
        ? { text: v.type === 'text' ? v.text : JSON.stringify(v), fallback: false, original: true }
        : renderAnswer(a.question, v, lang)
    }
    return { question: a.question, ...(answer !== undefined && { answer }), ...(a.comment !== undefined && { comment: a.comment }) }
  })
}
