/**
 * Checking that an answer fits its question. Answers are language-neutral except free text,
 * which travels untranslated in the language it was written in.
 */
import { InvalidAnswerError, UnknownQuestionError } from '../errors.js'
import { DIGEST_PATTERN, expectObject, expectString, onlyKeys, type SchemaFail } from '../schema.js'
import { questionById } from './lookup.js'
import type { AnswerValue } from './types.js'

/** Longest free-text answer, in UTF-16 code units (JavaScript string length). */
export const MAX_ANSWER_TEXT_LENGTH = 4000

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/
// Tab, line feed and carriage return are allowed in free text; other control characters are not.
// eslint-disable-next-line no-control-regex
const CONTROL_PATTERN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
// The last of 43 base64url characters carries 4 bits of a 32-byte digest and 2 zero bits.
const DIGEST_LAST_CHAR = /[AEIMQUYcgkosw048]$/

function daysInMonth (year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** True for a real calendar date written YYYY-MM-DD (proleptic Gregorian, years 0001 to 9999). */
export function isAnswerDate (value: unknown): value is string {
  if (typeof value !== 'string') return false
  const m = DATE_PATTERN.exec(value)
  if (m === null) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}

/** True for the base64url (unpadded) SHA-256 digest that names an attachment. */
export function isAttachmentRef (value: unknown): value is string {
  return typeof value === 'string' && DIGEST_PATTERN.test(value) && DIGEST_LAST_CHAR.test(value)
}

/**
 * The answer `value` to question `questionId`, checked and copied (unknown fields refused).
 * Throws ERR_UNKNOWN_QUESTION for a question the catalogue does not have, and
 * ERR_INVALID_ANSWER when the value does not fit the question's answer type.
 */
export function validateAnswerValue (questionId: string, value: unknown): AnswerValue {
  const question = questionById(questionId)
  if (question === undefined) throw new UnknownQuestionError(`unknown question ${JSON.stringify(questionId)}`)
  const fail: SchemaFail = (message) => { throw new InvalidAnswerError(`answer to ${questionId}: ${message}`) }
  const o = expectObject(value, 'answer', fail)
  if (o.type !== question.type) fail(`answer.type must be '${question.type}'`)
  switch (question.type) {
    case 'yes-no': {
      onlyKeys(o, ['type', 'value'], 'answer', fail)
      if (typeof o.value !== 'boolean') fail('answer.value must be true or false')
      return Object.freeze({ type: 'yes-no', value: o.value as boolean })
    }
    case 'choice': {
      onlyKeys(o, ['type', 'option'], 'answer', fail)
      const option = expectString(o.option, 'answer.option', fail, undefined, 200)
      if (!(question.options ?? []).includes(option)) fail(`answer.option ${JSON.stringify(option)} is not an option of this question`)
      return Object.freeze({ type: 'choice', option })
    }
    case 'date': {
      onlyKeys(o, ['type', 'date'], 'answer', fail)
      if (!isAnswerDate(o.date)) fail('answer.date must be a calendar date written YYYY-MM-DD')
      return Object.freeze({ type: 'date', date: o.date as string })
    }
    case 'text': {
      onlyKeys(o, ['type', 'text'], 'answer', fail)
      const text = expectString(o.text, 'answer.text', fail, undefined, MAX_ANSWER_TEXT_LENGTH)
      if (text.trim() === '') fail('answer.text must not be empty')
      if (!text.isWellFormed()) fail('answer.text is not well-formed Unicode')
      if (CONTROL_PATTERN.test(text)) fail('answer.text contains control characters')
      return Object.freeze({ type: 'text', text })
    }
    case 'attachment': {
      onlyKeys(o, ['type', 'attachment'], 'answer', fail)
      if (!isAttachmentRef(o.attachment)) fail('answer.attachment must be the base64url SHA-256 digest (43 characters) of an attachment')
      return Object.freeze({ type: 'attachment', attachment: o.attachment as string })
    }
  }
}
