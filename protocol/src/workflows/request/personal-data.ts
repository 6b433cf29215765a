/**
 * What a request event's personal-data sidecar may hold, per action. Everything about
 * the person, every answer and every free message travels here, beside the signature,
 * so retention can delete it and leave the signed evidence verifiable.
 */
import type { Json } from '../../encoding.js'
import { BodySchemaError } from '../../errors.js'
import { DIGEST_PATTERN, expectArray, expectObject, expectString, onlyKeys, type SchemaFail } from '../../schema.js'
import type { RequestAction } from './types.js'

const fail: SchemaFail = (message) => { throw new BodySchemaError(message) }

/** The subject of a request: named fields (name, birthDate, registrationNumber...), short texts. */
export type SubjectData = Readonly<Record<string, string>>

export interface AnswerItem {
  readonly question: string
  /** Checked against the catalogue question's type by the node that renders it. */
  readonly value?: Json
  readonly comment?: string
}

export interface RequestPersonalData {
  readonly subject?: SubjectData
  readonly attachmentNames?: Readonly<Record<string, string>>
  readonly answers?: readonly AnswerItem[]
  readonly text?: string
}

const SUBJECT_KEY = /^[a-zA-Z][a-zA-Z0-9]{0,39}$/
export const MAX_MESSAGE_CHARS = 4000

/** Which sidecar field each action carries, if any. */
const CARRIES: Readonly<Partial<Record<RequestAction, keyof RequestPersonalData | Array<keyof RequestPersonalData>>>> = {
  disclose: ['subject', 'attachmentNames'],
  answer: ['answers', 'attachmentNames'],
  'request-info': 'text',
  message: 'text'
}

export function decodeSubject (v: unknown, path = 'subject'): SubjectData {
  const o = expectObject(v, path, fail)
  const entries = Object.entries(o)
  if (entries.length === 0 || entries.length > 30) fail(`${path} must have 1 to 30 fields`)
  for (const [k, val] of entries) {
    if (!SUBJECT_KEY.test(k)) fail(`${path}.${k.slice(0, 40)} is not a field name`)
    expectString(val, `${path}.${k}`, fail, /\S/, 2000)
  }
  return o as SubjectData
}

export function decodeRequestPersonalData (action: RequestAction, data: unknown): RequestPersonalData {
  const allowed = [CARRIES[action] ?? []].flat()
  const o = expectObject(data, 'pd', fail)
  onlyKeys(o, allowed, 'pd', fail)
  const out: Record<string, unknown> = {}
  if (o.subject !== undefined) out.subject = decodeSubject(o.subject, 'pd.subject')
  if (o.attachmentNames !== undefined) {
    const names = expectObject(o.attachmentNames, 'pd.attachmentNames', fail)
    for (const [k, v] of Object.entries(names)) {
      if (!DIGEST_PATTERN.test(k)) fail('pd.attachmentNames keys are attachment hashes')
      expectString(v, `pd.attachmentNames.${k}`, fail, /^[^/\\\p{Cc}]{1,200}$/u, 200)
    }
    out.attachmentNames = names
  }
  if (o.answers !== undefined) {
    out.answers = expectArray(o.answers, 'pd.answers', fail, 60, 1).map((a, i) => {
      const item = expectObject(a, `pd.answers[${i}]`, fail)
      onlyKeys(item, ['question', 'value', 'comment'], `pd.answers[${i}]`, fail)
      if (item.value === undefined && item.comment === undefined) fail(`pd.answers[${i}] needs a value or a comment`)
      return {
        question: expectString(item.question, `pd.answers[${i}].question`, fail, /^[a-z][a-z0-9.-]{1,119}$/, 120),
        ...(item.value !== undefined && { value: item.value as Json }),
        ...(item.comment !== undefined && { comment: expectString(item.comment, `pd.answers[${i}].comment`, fail, /\S/, MAX_MESSAGE_CHARS) })
      }
    })
  }
  if (o.text !== undefined) out.text = expectString(o.text, 'pd.text', fail, /\S/, MAX_MESSAGE_CHARS)
  return out as RequestPersonalData
}
