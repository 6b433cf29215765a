/** Schemas of notification events: structure only (who may do what is the machine's). */
import type { Json } from '../../encoding.js'
import { BodySchemaError } from '../../errors.js'
import { LANGUAGES, type Language } from '../../member-states.js'
import { ID_PATTERN, expectInteger, expectObject, expectString, onlyKeys, type Obj, type SchemaFail } from '../../schema.js'
import type { Multilingual } from '../../directory/index.js'
import { isCalendarDate } from '../request/body.js'
import {
  MAX_COMMENT_CHARS, MAX_DRAFT_CHARS, MAX_LEGAL_BASIS_CHARS, MAX_REASON_CHARS, MAX_SUMMARY_CHARS, MAX_TITLE_CHARS, NOTIFICATION_AREAS,
  type NotificationAction, type NotificationEventBody
} from './types.js'

const fail: SchemaFail = (message) => { throw new BodySchemaError(message) }

const TEXT_FIELDS = ['title', 'language', 'summary', 'draftRequirement', 'legalBasis', 'plannedAdoption'] as const

const FIELDS: Readonly<Record<NotificationAction, readonly string[]>> = {
  create: ['area', 'closesAt', ...TEXT_FIELDS],
  modify: TEXT_FIELDS,
  withdraw: ['reason'],
  comment: ['text', 'language', 'replyTo']
}

function language (v: unknown, path: string): Language {
  if (!(LANGUAGES as readonly unknown[]).includes(v)) fail(`${path} is not an IMI language`)
  return v as Language
}

function multilingual (v: unknown, path: string, max: number): Multilingual {
  const o = expectObject(v, path, fail)
  const out: Partial<Record<Language, string>> = {}
  for (const [lang, text] of Object.entries(o)) out[language(lang, `${path} key ${lang.slice(0, 8)}`)] = expectString(text, `${path}.${lang}`, fail, /\S/, max)
  if (Object.keys(out).length === 0) fail(`${path} needs at least one language`)
  return out
}

/** The text fields present in `o`, checked; a creation needs the mandatory ones. */
function textFields (o: Obj, out: Record<string, unknown>): void {
  if (o.title !== undefined) out.title = multilingual(o.title, 'body.title', MAX_TITLE_CHARS)
  if (o.language !== undefined) out.language = language(o.language, 'body.language')
  if (o.summary !== undefined) out.summary = expectString(o.summary, 'body.summary', fail, /\S/, MAX_SUMMARY_CHARS)
  if (o.draftRequirement !== undefined) out.draftRequirement = expectString(o.draftRequirement, 'body.draftRequirement', fail, /\S/, MAX_DRAFT_CHARS)
  if (o.legalBasis !== undefined) out.legalBasis = expectString(o.legalBasis, 'body.legalBasis', fail, /\S/, MAX_LEGAL_BASIS_CHARS)
  if (o.plannedAdoption !== undefined) {
    const d = expectString(o.plannedAdoption, 'body.plannedAdoption', fail, /^\d{4}-\d{2}-\d{2}$/, 10)
    if (!isCalendarDate(d)) fail('body.plannedAdoption is not a calendar date')
    out.plannedAdoption = d
  }
}

export function decodeNotificationEventBody (body: unknown): NotificationEventBody {
  const o = expectObject(body, 'body', fail)
  const action = o.action as NotificationAction
  if (typeof action !== 'string' || !Object.hasOwn(FIELDS, action)) fail('body.action must be create, modify, withdraw or comment')
  onlyKeys(o, ['notification', 'action', ...FIELDS[action]], 'body', fail)
  const out: Record<string, unknown> = { notification: expectString(o.notification, 'body.notification', fail, ID_PATTERN), action }
  switch (action) {
    case 'create':
      if (!(NOTIFICATION_AREAS as readonly unknown[]).includes(o.area)) fail(`body.area must be one of ${NOTIFICATION_AREAS.join(', ')}`)
      out.area = o.area
      out.closesAt = expectInteger(o.closesAt, 'body.closesAt', fail, 1)
      for (const f of ['title', 'language', 'summary', 'draftRequirement'] as const) if (o[f] === undefined) fail(`body.${f} is required`)
      textFields(o, out)
      break
    case 'modify':
      if (!TEXT_FIELDS.some((f) => o[f] !== undefined)) fail('a modification changes at least one field')
      textFields(o, out)
      break
    case 'withdraw':
      if (o.reason !== undefined) out.reason = expectString(o.reason, 'body.reason', fail, /\S/, MAX_REASON_CHARS)
      break
    case 'comment':
      out.text = expectString(o.text, 'body.text', fail, /\S/, MAX_COMMENT_CHARS)
      if (o.language !== undefined) out.language = language(o.language, 'body.language')
      if (o.replyTo !== undefined) out.replyTo = expectString(o.replyTo, 'body.replyTo', fail, ID_PATTERN)
      break
  }
  return out as unknown as NotificationEventBody
}

export function validateNotificationEventBody (body: Json): void { decodeNotificationEventBody(body) }
