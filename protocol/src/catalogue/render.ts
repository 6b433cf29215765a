/**
 * Rendering catalogue texts in a reader's language. A text missing in that language falls
 * back to English and says so (`fallback: true`, `lang: 'en'`), so that the interface can
 * show the "shown in English: no translation yet" notice in the reader's own language.
 */
import { UnknownQuestionError, UnknownQuestionSetError } from '../errors.js'
import { validateAnswerValue } from './answers.js'
import { questionById, questionSet } from './lookup.js'
import { LANGUAGES } from '../member-states.js'
import { CATALOGUE_KEYS, YES_NO_KEYS, setTitleKey } from './sets.js'
import { TRANSLATIONS } from './translations/index.js'
import type { AnswerValue, CatalogueTables } from './types.js'

/** The source language of the catalogue, and the fallback for every other. */
export const FALLBACK_LANGUAGE = 'en'

export interface CatalogueText {
  readonly key: string
  readonly text: string
  /** The language `text` is in: the requested one, or 'en' when it fell back. */
  readonly lang: string
  readonly fallback: boolean
}

export interface RenderedOption {
  /** The option id ('yes' / 'no' for a yes-no question, meaning value true / false). */
  readonly id: string
  readonly text: string
  readonly fallback: boolean
}

export interface RenderedQuestion {
  readonly id: string
  readonly text: string
  readonly lang: string
  /** True when the question text is shown in English because `lang` lacks it. */
  readonly fallback: boolean
  /** For 'choice' the question's options, for 'yes-no' the two answers, otherwise empty. */
  readonly options: readonly RenderedOption[]
  /** Set when the text or an option fell back: the fallback notice in the reader's language. */
  readonly notice?: string
}

export interface RenderedSetTitle {
  readonly id: string
  readonly text: string
  readonly lang: string
  readonly fallback: boolean
}

export interface RenderedAnswer {
  readonly text: string
  /** The language of `text` when it comes from the catalogue; absent for dates, free text and attachments. */
  readonly lang?: string
  readonly fallback: boolean
  /** True when `text` is shown as the answerer gave it (date, free text in its own language, attachment digest). */
  readonly original: boolean
}

const KNOWN_KEYS = new Set(CATALOGUE_KEYS)

function own (table: Readonly<Record<string, string>> | undefined, key: string): string | undefined {
  if (table === undefined || !Object.hasOwn(table, key)) return undefined
  const text = table[key]
  return typeof text === 'string' && text.trim() !== '' ? text : undefined
}

function ownTable (tables: CatalogueTables, lang: string): Readonly<Record<string, string>> | undefined {
  return Object.hasOwn(tables, lang) ? tables[lang] : undefined
}

/** `key` in `lang` from `tables`, else in English; throws for a key the catalogue does not have. */
export function catalogueTextFrom (tables: CatalogueTables, key: string, lang: string): CatalogueText {
  if (!KNOWN_KEYS.has(key)) throw new UnknownQuestionError(`unknown catalogue key ${JSON.stringify(key)}`)
  const text = own(ownTable(tables, lang), key)
  if (text !== undefined) return { key, text, lang, fallback: false }
  const english = own(ownTable(tables, FALLBACK_LANGUAGE), key)
  if (english === undefined) throw new UnknownQuestionError(`catalogue key ${JSON.stringify(key)} has no English text`)
  return { key, text: english, lang: FALLBACK_LANGUAGE, fallback: lang !== FALLBACK_LANGUAGE }
}

export function renderQuestionFrom (tables: CatalogueTables, id: string, lang: string): RenderedQuestion {
  const question = questionById(id)
  if (question === undefined) throw new UnknownQuestionError(`unknown question ${JSON.stringify(id)}`)
  const text = catalogueTextFrom(tables, id, lang)
  const optionKeys: ReadonlyArray<readonly [string, string]> =
    question.type === 'choice'
      ? (question.options ?? []).map((o) => [o, o] as const)
      : question.type === 'yes-no' ? [['yes', YES_NO_KEYS.yes], ['no', YES_NO_KEYS.no]] : []
  const options = optionKeys.map(([optionId, key]): RenderedOption => {
    const t = catalogueTextFrom(tables, key, lang)
    return { id: optionId, text: t.text, fallback: t.fallback }
  })
  const rendered = { id, text: text.text, lang: text.lang, fallback: text.fallback, options }
  if (!text.fallback && options.every((o) => !o.fallback)) return rendered
  return { ...rendered, notice: catalogueTextFrom(tables, 'ui.fallback-notice', lang).text }
}

export function renderSetTitleFrom (tables: CatalogueTables, setId: string, lang: string): RenderedSetTitle {
  const set = questionSet(setId)
  if (set === undefined) throw new UnknownQuestionSetError(`unknown question set ${JSON.stringify(setId)}`)
  const t = catalogueTextFrom(tables, setTitleKey(set.id), lang)
  return { id: set.id, text: t.text, lang: t.lang, fallback: t.fallback }
}

/** Any catalogue string ('answer.yes', 'ui.fallback-notice', a question or option id...) in `lang`, or English. */
export function catalogueText (key: string, lang: string): CatalogueText {
  return catalogueTextFrom(TRANSLATIONS, key, lang)
}

/** A question and its options in `lang`; throws ERR_UNKNOWN_QUESTION for an id the catalogue does not have. */
export function renderQuestion (id: string, lang: string): RenderedQuestion {
  return renderQuestionFrom(TRANSLATIONS, id, lang)
}

/** A set's title in `lang` ('pq' or 'pq@1'); throws ERR_UNKNOWN_QUESTION_SET for an unknown set or version. */
export function renderSetTitle (setId: string, lang: string): RenderedSetTitle {
  return renderSetTitleFrom(TRANSLATIONS, setId, lang)
}

/**
 * An answer for a reader in `lang`: yes/no and options from the catalogue; dates, free text
 * and attachment digests as given (free text stays in the language it was written in).
 * Throws like validateAnswerValue() when the value does not fit the question.
 */
export function renderAnswer (questionId: string, answer: AnswerValue, lang: string): RenderedAnswer {
  const value = validateAnswerValue(questionId, answer)
  switch (value.type) {
    case 'yes-no': {
      const t = catalogueText(value.value ? YES_NO_KEYS.yes : YES_NO_KEYS.no, lang)
      return { text: t.text, lang: t.lang, fallback: t.fallback, original: false }
    }
    case 'choice': {
      const t = catalogueText(value.option, lang)
      return { text: t.text, lang: t.lang, fallback: t.fallback, original: false }
    }
    case 'date': return { text: value.date, fallback: false, original: true }
    case 'text': return { text: value.text, fallback: false, original: true }
    case 'attachment': return { text: value.attachment, fallback: false, original: true }
  }
}

/** Catalogue keys that a language lacks (absent or blank). Empty when every language is complete. */
export function missingTranslations (tables: CatalogueTables = TRANSLATIONS, langs: readonly string[] = LANGUAGES): Array<{ lang: string, key: string }> {
  return langs.flatMap((lang) => CATALOGUE_KEYS
    .filter((key) => own(ownTable(tables, lang), key) === undefined)
    .map((key) => ({ lang, key })))
}

/** Keys in a language file that the catalogue does not use (typos, retired questions). */
export function unusedTranslations (tables: CatalogueTables = TRANSLATIONS): Array<{ lang: string, key: string }> {
  return Object.entries(tables).flatMap(([lang, table]) => Object.keys(table ?? {})
    .filter((key) => !KNOWN_KEYS.has(key))
    .map((key) => ({ lang, key })))
}
