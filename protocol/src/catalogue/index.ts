/**
 * The pre-translated question catalogue (issue 4): sets of standard questions per legislative
 * area, with answer types and options, in all 26 languages. Requests carry ids, readers see
 * their own language, and a missing translation falls back to English and says so.
 */
export { ANSWER_TYPES, type AnswerType, type AnswerValue, type CatalogueQuestion, type CatalogueTables, type CatalogueTexts, type QuestionSet } from './types.js'
export {
  CATALOGUE_KEYS, PATIENTS_RIGHTS_SET, POSTING_OF_WORKERS_SET, PROFESSIONAL_QUALIFICATIONS_SET, QUESTION_SETS, SERVICES_SET, UI_KEYS, YES_NO_KEYS, answerTypeKey, setTitleKey
} from './sets.js'
export { SET_REF_PATTERN, questionById, questionSet, questionSetRef, questionSetsFor } from './lookup.js'
export {
  FALLBACK_LANGUAGE, catalogueText, missingTranslations, renderAnswer, renderQuestion, renderSetTitle, unusedTranslations,
  type CatalogueText, type RenderedAnswer, type RenderedOption, type RenderedQuestion, type RenderedSetTitle
} from './render.js'
export { MAX_ANSWER_TEXT_LENGTH, isAttachmentRef, isAnswerDate, validateAnswerValue } from './answers.js'
export { TRANSLATIONS } from './translations/index.js'
