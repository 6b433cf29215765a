/** Schemas of alert events and alert receipts: structure only. */
import type { Json } from '../../encoding.js'
import { BodySchemaError } from '../../errors.js'
import { isLegislativeArea } from '../../directory/areas.js'
import { DIGEST_PATTERN, ID_PATTERN, expectArray, expectCountry, expectObject, expectString, onlyKeys, type SchemaFail } from '../../schema.js'
import { isCalendarDate } from '../request/body.js'
import { ALERT_TYPES, type AlertAction, type AlertContent, type AlertEventBody } from './types.js'

const fail: SchemaFail = (message) => { throw new BodySchemaError(message) }

const FIELDS: Readonly<Record<AlertAction, readonly string[]>> = {
  issue: ['area', 'type', 'addressed', 'decisionDate'],
  withdraw: ['reason'],
  close: ['reason']
}

export function decodeAlertEventBody (body: unknown): AlertEventBody {
  const o = expectObject(body, 'body', fail)
  const action = o.action as AlertAction
  if (typeof action !== 'string' || !Object.hasOwn(FIELDS, action)) fail('body.action must be issue, withdraw or close')
  onlyKeys(o, ['alert', 'action', ...FIELDS[action]], 'body', fail)
  const out: Record<string, unknown> = { alert: expectString(o.alert, 'body.alert', fail, ID_PATTERN), action }
  if (action === 'issue') {
    if (!isLegislativeArea(o.area)) fail('body.area is not a legislative area')
    if (!(ALERT_TYPES as readonly unknown[]).includes(o.type)) fail(`body.type must be one of ${ALERT_TYPES.join(', ')}`)
    const addressed = expectArray(o.addressed, 'body.addressed', fail, 30, 1)
    if (!(addressed.length === 1 && addressed[0] === '*')) {
      addressed.forEach((c, i) => expectCountry(c, `body.addressed[${i}]`, fail))
      if (new Set(addressed).size !== addressed.length) fail('body.addressed repeats a state')
    }
    out.area = o.area
    out.type = o.type
    out.addressed = addressed
    if (o.decisionDate !== undefined) {
      const d = expectString(o.decisionDate, 'body.decisionDate', fail, /^\d{4}-\d{2}-\d{2}$/, 10)
      if (!isCalendarDate(d)) fail('body.decisionDate is not a calendar date')
      out.decisionDate = d
    }
  } else if (o.reason !== undefined) {
    out.reason = expectString(o.reason, 'body.reason', fail, /\S/, 500)
  }
  return out as unknown as AlertEventBody
}

export function validateAlertEventBody (body: Json): void { decodeAlertEventBody(body) }

export function decodeAlertContent (v: unknown): AlertContent {
  const o = expectObject(v, 'content', fail)
  onlyKeys(o, ['description', 'concerned', 'decision', 'periodFrom', 'periodTo', 'profession'], 'content', fail)
  const concerned = expectObject(o.concerned, 'content.concerned', fail)
  const fields = Object.entries(concerned)
  if (fields.length === 0 || fields.length > 20) fail('content.concerned must have 1 to 20 fields')
  for (const [k, val] of fields) {
    if (!/^[a-zA-Z][a-zA-Z0-9]{0,39}$/.test(k)) fail('content.concerned has a field name that is not one')
    expectString(val, `content.concerned.${k}`, fail, /\S/, 500)
  }
  const date = (v: unknown, p: string): string => {
    const d = expectString(v, p, fail, /^\d{4}-\d{2}-\d{2}$/, 10)
    if (!isCalendarDate(d)) fail(`${p} is not a calendar date`)
    return d
  }
  return {
    description: expectString(o.description, 'content.description', fail, /\S/, 8000),
    concerned: concerned as Record<string, string>,
    ...(o.decision !== undefined && { decision: expectString(o.decision, 'content.decision', fail, /\S/, 4000) }),
    ...(o.periodFrom !== undefined && { periodFrom: date(o.periodFrom, 'content.periodFrom') }),
    ...(o.periodTo !== undefined && { periodTo: date(o.periodTo, 'content.periodTo') }),
    ...(o.profession !== undefined && { profession: expectString(o.profession, 'content.profession', fail, /\S/, 200) })
  }
}

/** A receiving state's signed acknowledgement that it holds an alert event. */
export interface AlertReceiptBody {
  readonly alert: string
  readonly event: string
  readonly digest: string
}

export function decodeAlertReceiptBody (body: unknown): AlertReceiptBody {
  const o = expectObject(body, 'body', fail)
  onlyKeys(o, ['alert', 'event', 'digest'], 'body', fail)
  return {
    alert: expectString(o.alert, 'body.alert', fail, ID_PATTERN),
    event: expectString(o.event, 'body.event', fail, ID_PATTERN),
    digest: expectString(o.digest, 'body.digest', fail, DIGEST_PATTERN)
  }
}

export function validateAlertReceiptBody (body: Json): void { decodeAlertReceiptBody(body) }
