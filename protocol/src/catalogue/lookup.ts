/** Finding questions and sets by id, by legislative area and by `set@version` reference. */
import { QUESTION_SETS } from './sets.js'
import type { CatalogueQuestion, QuestionSet } from './types.js'

const QUESTIONS = new Map<string, CatalogueQuestion>(QUESTION_SETS.flatMap((s) => s.questions.map((q) => [q.id, q] as const)))
const SETS = new Map<string, QuestionSet>(QUESTION_SETS.map((s) => [s.id, s]))

export function questionById (id: string): CatalogueQuestion | undefined {
  return QUESTIONS.get(id)
}

/** The sets of standard questions for a legislative area (empty for an area without any yet). */
export function questionSetsFor (area: string): readonly QuestionSet[] {
  return QUESTION_SETS.filter((s) => s.area === area)
}

export const SET_REF_PATTERN = /^([a-z][a-z0-9-]{0,31})(?:@([1-9][0-9]{0,5}))?$/

/** A set and version as a request cites them: 'pq@1'. */
export function questionSetRef (set: QuestionSet): string {
  return `${set.id}@${set.version}`
}

/**
 * The set named by `ref`: 'pq' (the current version) or 'pq@1' (only if that is the
 * version this catalogue holds). Undefined for an unknown set or version.
 */
export function questionSet (ref: string): QuestionSet | undefined {
  const m = SET_REF_PATTERN.exec(ref)
  if (m === null) return undefined
  const set = SETS.get(m[1]!)
  if (set === undefined) return undefined
  if (m[2] !== undefined && Number(m[2]) !== set.version) return undefined
  return set
}
