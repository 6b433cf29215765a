/**
 * The schema of a `request` direct message body: common fields, then exactly the fields
 * of its action. Structure only; whether the action fits the request is the machine's call.
 */
import type { Json } from '../../encoding.js'
import { BodySchemaError } from '../../errors.js'
import { isLegislativeArea } from '../../directory/areas.js'
import {
  DIGEST_PATTERN, ID_PATTERN, LOCAL_ID_PATTERN, expectArray, expectCountry, expectInteger, expectObject, expectString, onlyKeys, type Obj, type SchemaFail
} from '../../schema.js'
import type { AttachmentRef, RequestAction, RequestEventBody } from './types.js'

const fail: SchemaFail = (message) => { throw new BodySchemaError(message) }

export const MAX_QUESTIONS = 50
export const MAX_FREE_QUESTIONS = 10
export const MAX_FREE_QUESTION_CHARS = 1000
export const MAX_NOTE_CHARS = 2000
export const MAX_ATTACHMENTS = 10
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
export const QUESTION_ID_PATTERN = /^(?:[a-z][a-z0-9-]{0,31}\.[a-z0-9.-]{1,80}|free\.[1-9][0-9]?)$/
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/
const MEDIA_TYPE_PATTERN = /^[a-z]+\/[a-z0-9.+-]{1,100}$/

const FIELDS: Readonly<Record<RequestAction, readonly string[]>> = {
  send: ['area', 'to', 'questions', 'freeQuestions', 'note', 'neededBy', 'attachments'],
  modify: ['questions', 'freeQuestions', 'note', 'neededBy'],
  withdraw: ['reason'],
  accept: ['answerBy'],
  forward: ['toAuthority', 'reason'],
  split: ['child', 'questions', 'toAuthority'],
  disclose: ['attachments'],
  answer: ['questions', 'final', 'attachments'],
  'request-info': ['questions'],
  close: ['rating'],
  message: []
}
const REQUIRED: Readonly<Partial<Record<RequestAction, readonly string[]>>> = {
  send: ['area', 'to', 'questions', 'neededBy'],
  split: ['child', 'questions', 'toAuthority'],
  answer: ['questions', 'final'],
  close: ['rating']
}
const COMMON = ['request', 'base', 'action', 'coordinator']

/** A real calendar date, YYYY-MM-DD. */
export function isCalendarDate (s: string): boolean {
  if (!DATE_PATTERN.test(s)) return false
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
}

function date (v: unknown, path: string): string {
  const s = expectString(v, path, fail, DATE_PATTERN, 10)
  if (!isCalendarDate(s)) fail(`${path} is not a calendar date`)
  return s
}

function questions (v: unknown, path: string): string[] {
  const ids = expectArray(v, path, fail, MAX_QUESTIONS, 1).map((q, i) => expectString(q, `${path}[${i}]`, fail, QUESTION_ID_PATTERN, 120))
  if (new Set(ids).size !== ids.length) fail(`${path} repeats a question`)
  return ids
}

function attachments (v: unknown, path: string): AttachmentRef[] {
  const list = expectArray(v, path, fail, MAX_ATTACHMENTS).map((a, i) => {
    const o = expectObject(a, `${path}[${i}]`, fail)
    onlyKeys(o, ['sha256', 'size', 'type'], `${path}[${i}]`, fail)
    const size = expectInteger(o.size, `${path}[${i}].size`, fail, 1)
    if (size > MAX_ATTACHMENT_BYTES) fail(`${path}[${i}].size is over ${MAX_ATTACHMENT_BYTES} bytes`)
    return { sha256: expectString(o.sha256, `${path}[${i}].sha256`, fail, DIGEST_PATTERN), size, type: expectString(o.type, `${path}[${i}].type`, fail, MEDIA_TYPE_PATTERN, 120) }
  })
  if (new Set(list.map((a) => a.sha256)).size !== list.length) fail(`${path} repeats an attachment`)
  return list
}

function text (v: unknown, path: string, max: number): string {
  return expectString(v, path, fail, /\S/, max)
}

export function decodeRequestEventBody (body: unknown): RequestEventBody {
  const o = expectObject(body, 'body', fail)
  const action = o.action as RequestAction
  if (typeof action !== 'string' || !Object.hasOwn(FIELDS, action)) fail('body.action is not a request action')
  onlyKeys(o, [...COMMON, ...FIELDS[action]], 'body', fail)
  for (const f of REQUIRED[action] ?? []) if (o[f] === undefined) fail(`body.${f} is required for ${action}`)
  if (o.coordinator !== undefined && o.coordinator !== true) fail('body.coordinator can only be true')
  const out: Record<string, unknown> = {
    request: expectString(o.request, 'body.request', fail, ID_PATTERN),
    base: expectInteger(o.base, 'body.base', fail, 0),
    action
  }
  if (o.coordinator === true) out.coordinator = true
  decodeFields(o, out)
  if (action === 'modify' && Object.keys(out).length === 3) fail('body: modify changes at least one field')
  return out as unknown as RequestEventBody
}

function decodeFields (o: Obj, out: Record<string, unknown>): void {
  if (o.area !== undefined) {
    if (!isLegislativeArea(o.area)) fail('body.area is not a legislative area')
    out.area = o.area
  }
  if (o.to !== undefined) {
    const to = expectObject(o.to, 'body.to', fail)
    onlyKeys(to, ['country', 'authority'], 'body.to', fail)
    out.to = { country: expectCountry(to.country, 'body.to.country', fail), authority: expectString(to.authority, 'body.to.authority', fail, LOCAL_ID_PATTERN) }
  }
  if (o.questions !== undefined) out.questions = questions(o.questions, 'body.questions')
  if (o.freeQuestions !== undefined) {
    out.freeQuestions = expectArray(o.freeQuestions, 'body.freeQuestions', fail, MAX_FREE_QUESTIONS).map((q, i) => text(q, `body.freeQuestions[${i}]`, MAX_FREE_QUESTION_CHARS))
  }
  if (o.note !== undefined) out.note = text(o.note, 'body.note', MAX_NOTE_CHARS)
  if (o.neededBy !== undefined) out.neededBy = date(o.neededBy, 'body.neededBy')
  if (o.answerBy !== undefined) out.answerBy = date(o.answerBy, 'body.answerBy')
  if (o.attachments !== undefined) out.attachments = attachments(o.attachments, 'body.attachments')
  if (o.toAuthority !== undefined) out.toAuthority = expectString(o.toAuthority, 'body.toAuthority', fail, LOCAL_ID_PATTERN)
  if (o.child !== undefined) out.child = expectString(o.child, 'body.child', fail, ID_PATTERN)
  if (o.final !== undefined) {
    if (typeof o.final !== 'boolean') fail('body.final must be true or false')
    out.final = o.final
  }
  if (o.rating !== undefined) {
    const r = expectObject(o.rating, 'body.rating', fail)
    onlyKeys(r, ['timeliness', 'effort'], 'body.rating', fail)
    const score = (v: unknown, p: string): number => {
      const n = expectInteger(v, p, fail, 1)
      if (n > 5) fail(`${p} must be 1 to 5`)
      return n
    }
    out.rating = { timeliness: score(r.timeliness, 'body.rating.timeliness'), effort: score(r.effort, 'body.rating.effort') }
  }
  if (o.reason !== undefined) out.reason = text(o.reason, 'body.reason', 500)
}

/** The direct-message body validator for kind `request`. */
export function validateRequestEventBody (body: Json): void {
  decodeRequestEventBody(body)
}
