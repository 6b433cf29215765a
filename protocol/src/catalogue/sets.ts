/**
 * The structure of the question sets: ids, answer types, option ids and versions. The texts
 * live apart, one file per language in translations/, keyed by the same ids, so that a
 * translator works on one file and a reviewer sees the structure in one place.
 *
 * Versioning rules (ids are part of the wire format):
 * - a question id or option id is never reused with another meaning; a question whose
 *   meaning changes gets a new id, and the old one is retired;
 * - a set's `version` is bumped whenever a question or option is added or retired, or a
 *   text is reworded in a way that changes what is asked; fixing a translation does not
 *   bump it;
 * - a request names question ids and may cite the set as `id@version` (see questionSet()).
 */
import type { AnswerType, CatalogueQuestion, QuestionSet } from './types.js'
import type { LegislativeArea } from '../directory/areas.js'

type QuestionSpec = readonly [id: string, type: AnswerType, options?: readonly string[]]

function defineSet (id: string, area: LegislativeArea, version: number, specs: readonly QuestionSpec[]): QuestionSet {
  const questions = specs.map(([qid, type, options]): CatalogueQuestion => Object.freeze(
    options === undefined ? { id: qid, set: id, type } : { id: qid, set: id, type, options: Object.freeze([...options]) }
  ))
  return Object.freeze({ id, area, version, questions: Object.freeze(questions) })
}

/** Professional Qualifications, Directive 2005/36/EC. */
export const PROFESSIONAL_QUALIFICATIONS_SET = defineSet('pq', 'professional-qualifications', 1, [
  ['pq.diploma-authentic', 'yes-no'],
  ['pq.awarding-body-competent', 'yes-no'],
  ['pq.qualification-date', 'date'],
  ['pq.qualification-level', 'choice', [
    'pq.qualification-level.a',
    'pq.qualification-level.b',
    'pq.qualification-level.c',
    'pq.qualification-level.d',
    'pq.qualification-level.e'
  ]],
  ['pq.minimum-training', 'yes-no'],
  ['pq.professional-experience', 'yes-no'],
  ['pq.legally-established-on-date', 'yes-no'],
  ['pq.registration-date', 'date'],
  ['pq.registered', 'yes-no'],
  ['pq.good-standing-genuine', 'yes-no'],
  ['pq.sanctions', 'yes-no'],
  ['pq.sanction-kind', 'choice', [
    'pq.sanction-kind.disciplinary',
    'pq.sanction-kind.criminal',
    'pq.sanction-kind.administrative',
    'pq.sanction-kind.other'
  ]],
  ['pq.sanction-details', 'text'],
  ['pq.suspended-or-prohibited', 'yes-no'],
  ['pq.supporting-document', 'attachment']
])

/** Services, Directive 2006/123/EC (administrative cooperation, Articles 28 to 33). */
export const SERVICES_SET = defineSet('services', 'services', 1, [
  ['services.legally-established', 'yes-no'],
  ['services.establishment-date', 'date'],
  ['services.legal-form', 'choice', [
    'services.legal-form.natural-person',
    'services.legal-form.company',
    'services.legal-form.partnership',
    'services.legal-form.other'
  ]],
  ['services.registered', 'yes-no'],
  ['services.pursuing-activity', 'yes-no'],
  ['services.authorisation-required', 'yes-no'],
  ['services.authorisation-valid', 'yes-no'],
  ['services.authorisation-expiry', 'date'],
  ['services.suspension-or-ban', 'yes-no'],
  ['services.measure-kind', 'choice', [
    'services.measure-kind.suspension',
    'services.measure-kind.withdrawal',
    'services.measure-kind.prohibition',
    'services.measure-kind.fine'
  ]],
  ['services.sanctions', 'yes-no'],
  ['services.insurance', 'yes-no'],
  ['services.inspection-findings', 'text'],
  ['services.supporting-document', 'attachment']
])

/**
 * Posting of Workers, Directive 2014/67/EU (the Enforcement Directive; administrative
 * cooperation, Articles 6 and 7): the undertaking and the posting as the state of
 * establishment can confirm them. Article 4 gives the elements of a genuine posting
 * (substantial activities, where the worker habitually works); Article 9(1)(b) names the
 * documents a host state may ask for.
 */
export const POSTING_OF_WORKERS_SET = defineSet('posting', 'posting-of-workers', 1, [
  ['posting.registered', 'yes-no'],
  ['posting.registration-date', 'date'],
  ['posting.substantial-activities', 'yes-no'],
  ['posting.contributions-paid', 'yes-no'],
  ['posting.activity-details', 'text'],
  ['posting.habitually-works', 'yes-no'],
  ['posting.employment-relationship', 'yes-no'],
  ['posting.a1-valid', 'yes-no'],
  ['posting.penalties', 'yes-no'],
  ['posting.penalty-kind', 'choice', [
    'posting.penalty-kind.fine',
    'posting.penalty-kind.suspension',
    'posting.penalty-kind.criminal',
    'posting.penalty-kind.other'
  ]],
  ['posting.documents', 'attachment']
])

/**
 * Patients' rights in cross-border healthcare, Directive 2011/24/EU: a health
 * professional's right to practise (Article 10(4)), a provider's authorisation and
 * liability cover (Article 4(2)(b) and (d)), and prescriptions issued in another state
 * (Article 11(1)).
 */
export const PATIENTS_RIGHTS_SET = defineSet('patients', 'patients-rights', 1, [
  ['patients.right-to-practise', 'yes-no'],
  ['patients.registered', 'yes-no'],
  ['patients.registration-date', 'date'],
  ['patients.restrictions', 'yes-no'],
  ['patients.measure-kind', 'choice', [
    'patients.measure-kind.restriction',
    'patients.measure-kind.suspension',
    'patients.measure-kind.withdrawal',
    'patients.measure-kind.disciplinary'
  ]],
  ['patients.measure-details', 'text'],
  ['patients.provider-authorised', 'yes-no'],
  ['patients.liability-insurance', 'yes-no'],
  ['patients.prescription-authentic', 'yes-no'],
  ['patients.prescriber-entitled', 'yes-no'],
  ['patients.supporting-document', 'attachment']
])

export const QUESTION_SETS: readonly QuestionSet[] = Object.freeze([
  PROFESSIONAL_QUALIFICATIONS_SET, SERVICES_SET, POSTING_OF_WORKERS_SET, PATIENTS_RIGHTS_SET
])

/** Key of a set's title in the translation tables. */
export function setTitleKey (setId: string): string {
  return `set.${setId}.title`
}

/** Labels of the two answers to a yes-no question, in rendering order. */
export const YES_NO_KEYS = Object.freeze({ yes: 'answer.yes', no: 'answer.no' } as const)

/** Interface strings that go with the catalogue. */
export const UI_KEYS = Object.freeze([
  'ui.fallback-notice',
  'ui.original-language-notice',
  'ui.answer-type.yes-no',
  'ui.answer-type.choice',
  'ui.answer-type.date',
  'ui.answer-type.text',
  'ui.answer-type.attachment'
] as const)

/** Key of the label of an answer type, e.g. 'ui.answer-type.date'. */
export function answerTypeKey (type: AnswerType): string {
  return `ui.answer-type.${type}`
}

/** Every key the catalogue uses, in a stable order: each language file must translate exactly these. */
export const CATALOGUE_KEYS: readonly string[] = Object.freeze([
  ...QUESTION_SETS.map((s) => setTitleKey(s.id)),
  YES_NO_KEYS.yes,
  YES_NO_KEYS.no,
  ...UI_KEYS,
  ...QUESTION_SETS.flatMap((s) => s.questions.flatMap((q) => [q.id, ...(q.options ?? [])]))
])
