/**
 * Property tests of the message body decoders: every kind a node accepts as a direct
 * message or broadcast, and the personal-data documents beside them (issue 9, part 6).
 */
import fc from 'fast-check'
import {
  MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES, MAX_COMMENT_CHARS, MAX_DRAFT_CHARS, MAX_ERASURE_DIGESTS, MAX_FREE_QUESTIONS,
  MAX_FREE_QUESTION_CHARS, MAX_LEGAL_BASIS_CHARS, MAX_MESSAGE_CHARS, MAX_QUESTIONS, MAX_REASON_CHARS, MAX_SUMMARY_CHARS,
  MAX_TITLE_CHARS, MEMBER_STATES, decodeAlertContent, decodeAlertEventBody, decodeAlertReceiptBody, decodeAttachmentChunkBody,
  decodeAttachmentChunkData, decodeErasureBody, decodeErasureReceiptBody, decodeNotificationEventBody, decodeRequestEventBody,
  decodeRequestPersonalData, decodeSubject, validateAlertEventBody, validateAlertReceiptBody, validateAttachmentChunkBody,
  validateErasureBody, validateErasureReceiptBody, validateNotificationEventBody, validateNoteBody, validateReceiptBody,
  validateRequestEventBody, decodeSubjectCorrectionBody, decodeSubjectCorrectionData, validateSubjectCorrectionBody, isObject,
  type Json, type RequestAction, type SubjectCorrectionKind
} from '../../src/index.js'
import { MAX_NOTE_CHARS as MAX_REQUEST_NOTE_CHARS } from '../../src/workflows/request/body.js'
import { MAX_NOTE_CHARS } from '../../src/messages/note.js'
import {
  alertContent, alertEventBody, alertReceiptBody, attachmentChunkBody, attachmentChunkData, digest, erasureBody,
  erasureReceiptBody, fieldMap, hostileJson, messageId, noteBody, notificationEventBody, receiptBody, requestBodies,
  requestEventBody, requestPersonalData, REQUEST_ACTIONS, subjectCorrectionBody, subjectCorrectionData, type Path
} from './arbitraries.js'
import { decoderProperties, fillUnit, textOf, type Limit } from './decoder-suite.js'
import { accepted, properties, refused, total } from './harness.js'

const BODY = ['ERR_BODY_SCHEMA']
const COUNTRIES = MEMBER_STATES.map((s) => s.code)

type Body = Record<string, unknown>

/** A valid body of one request action, with a filler unit for text limits. */
function requestOf (action: string): fc.Arbitrary<[Body, string]> {
  return fc.tuple(requestEventBody.filter((b) => b.action === action), fillUnit)
}

const REQUIRED_BY_ACTION: Readonly<Record<string, readonly string[]>> = {
  send: ['area', 'to', 'questions', 'neededBy'],
  split: ['child', 'questions', 'toAuthority'],
  answer: ['questions', 'final'],
  close: ['rating']
}

function questions (n: number): string[] {
  return Array.from({ length: n }, (_, i) => `pq.q${i}`)
}

function digests (n: number): string[] {
  return Array.from({ length: n }, (_, i) => i.toString(36).padStart(43, 'A').slice(-43))
}

function refs (n: number): Array<{ sha256: string, size: number, type: string }> {
  return digests(n).map((sha256) => ({ sha256, size: 1, type: 'application/pdf' }))
}

const requestLimits: Limit[] = [
  { what: 'send: questions count', base: requestOf('send'), at: ([b]: [Body], n: number) => ({ ...b, questions: questions(n) }), min: 1, max: MAX_QUESTIONS },
  { what: 'split: questions count', base: requestOf('split'), at: ([b]: [Body], n: number) => ({ ...b, questions: questions(n) }), min: 1, max: MAX_QUESTIONS },
  { what: 'send: free questions count', base: requestOf('send'), at: ([b]: [Body], n: number) => ({ ...b, freeQuestions: Array.from({ length: n }, () => 'Why?') }), max: MAX_FREE_QUESTIONS },
  { what: 'modify: free question length', base: requestOf('modify'), at: ([b, u]: [Body, string], n: number) => ({ ...b, freeQuestions: [textOf(n, u)] }), min: 1, max: MAX_FREE_QUESTION_CHARS },
  { what: 'send: note length', base: requestOf('send'), at: ([b, u]: [Body, string], n: number) => ({ ...b, note: textOf(n, u) }), min: 1, max: MAX_REQUEST_NOTE_CHARS },
  { what: 'send: attachments count', base: requestOf('send'), at: ([b]: [Body], n: number) => ({ ...b, attachments: refs(n) }), max: MAX_ATTACHMENTS },
  { what: 'answer: attachments count', base: requestOf('answer'), at: ([b]: [Body], n: number) => ({ ...b, attachments: refs(n) }), max: MAX_ATTACHMENTS },
  { what: 'disclose: attachment size', base: requestOf('disclose'), at: ([b]: [Body], n: number) => ({ ...b, attachments: [{ ...refs(1)[0]!, size: n }] }), min: 1, max: MAX_ATTACHMENT_BYTES },
  { what: 'send: attachment type length', base: requestOf('send'), at: ([b]: [Body], n: number) => ({ ...b, attachments: [{ ...refs(1)[0]!, type: n >= 3 ? 'a'.repeat(n - 2) + '/x' : '/x'.slice(0, n) }] }), min: 3, max: 120 },
  { what: 'withdraw: reason length', base: requestOf('withdraw'), at: ([b, u]: [Body, string], n: number) => ({ ...b, reason: textOf(n, u) }), min: 1, max: 500 },
  { what: 'forward: reason length', base: requestOf('forward'), at: ([b, u]: [Body, string], n: number) => ({ ...b, reason: textOf(n, u) }), min: 1, max: 500 },
  { what: 'forward: authority id length', base: requestOf('forward'), at: ([b]: [Body], n: number) => ({ ...b, toAuthority: 'a'.repeat(n) }), min: 1, max: 64 },
  { what: 'close: timeliness', base: requestOf('close'), at: ([b]: [Body], n: number) => ({ ...b, rating: { timeliness: n, effort: 3 } }), min: 1, max: 5 },
  { what: 'close: effort', base: requestOf('close'), at: ([b]: [Body], n: number) => ({ ...b, rating: { timeliness: 3, effort: n } }), min: 1, max: 5 },
  { what: 'request id length', base: requestOf('message'), at: ([b]: [Body], n: number) => ({ ...b, request: 'A'.repeat(n) }), min: 22, max: 22 }
]

/**
 * decodeRequestPersonalData takes the action of an already decoded event and a sidecar's
 * data. The properties feed it `{ action, data }` pairs; anything that is not such a pair
 * is fed whole as the data of a `message` (which allows only `text`).
 */
function decodePersonalDataPair (v: unknown): unknown {
  const pair = v as { action?: unknown, data?: unknown }
  const isPair = isObject(v) && Object.keys(v).every((k) => k === 'action' || k === 'data') && REQUEST_ACTIONS.includes(pair.action as string)
  return isPair ? decodeRequestPersonalData(pair.action as RequestAction, pair.data) : decodeRequestPersonalData('message', v)
}

const withFill = <T> (arb: fc.Arbitrary<T>): fc.Arbitrary<[T, string]> => fc.tuple(arb, fillUnit)

describe('property: message body decoders', function () {
  const p = properties('message bodies')

  decoderProperties(p, {
    name: 'decodeRequestEventBody',
    decode: decodeRequestEventBody,
    codes: BODY,
    valid: requestEventBody,
    validators: [validateRequestEventBody],
    required: (b) => ['request', 'base', 'action', ...(REQUIRED_BY_ACTION[b.action as string] ?? [])],
    limits: requestLimits,
    runs: { total: 3000, valid: 2000, mutation: 2000 }
  })

  // Each action alone: the schema is exactly that action's fields.
  p.check('decodeRequestEventBody: a field of another action is refused', 2000,
    fc.tuple(requestEventBody, fc.constantFrom(...Object.keys(requestBodies))).chain(([b, other]) =>
      requestBodies[other]!.map((fields) => [b, fields] as const)),
    ([b, fields]) => {
      const FIELDS: Readonly<Record<string, readonly string[]>> = {
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
      const own = FIELDS[b.action as string]!
      const foreign = Object.entries(fields).filter(([k, v]) => v !== undefined && !own.includes(k))
      if (foreign.length === 0) return
      const mixed = { ...b, ...Object.fromEntries(foreign) }
      const out = total(() => decodeRequestEventBody(mixed), BODY)
      if (out.ok) throw new Error(`accepted ${foreign.map(([k]) => k).join(', ')} in a ${String(b.action)} event`)
    })

  decoderProperties(p, {
    name: 'decodeAttachmentChunkBody',
    decode: decodeAttachmentChunkBody,
    codes: BODY,
    valid: attachmentChunkBody,
    validators: [validateAttachmentChunkBody],
    required: () => ['request', 'sha256', 'index', 'count'],
    limits: [
      { what: 'count', base: attachmentChunkBody, at: (b: Body, n: number) => ({ ...b, index: 0, count: n }), min: 1, max: 228 },
      { what: 'index below count', base: attachmentChunkBody, at: (b: Body, n: number) => ({ ...b, index: n, count: 7 }), max: 6 },
      { what: 'sha256 length', base: attachmentChunkBody, at: (b: Body, n: number) => ({ ...b, sha256: 'A'.repeat(n) }), min: 43, max: 43 }
    ]
  })

  decoderProperties(p, {
    name: 'decodeAttachmentChunkData',
    decode: decodeAttachmentChunkData,
    codes: BODY,
    valid: attachmentChunkData,
    expected: (v) => v.data,
    refeed: (data) => ({ data }),
    required: () => ['data'],
    limits: [{ what: 'data length', base: fc.constant({}), at: (_b: Body, n: number) => ({ data: 'A'.repeat(n) }), min: 1, max: 61440 }]
  })

  const issue = alertEventBody.filter((b) => b.action === 'issue')
  const ending = alertEventBody.filter((b) => b.action !== 'issue')
  decoderProperties(p, {
    name: 'decodeAlertEventBody',
    decode: decodeAlertEventBody,
    codes: BODY,
    valid: alertEventBody,
    validators: [validateAlertEventBody],
    required: (b) => (b.action === 'issue' ? ['alert', 'action', 'area', 'type', 'addressed'] : ['alert', 'action']),
    limits: [
      { what: 'addressed count', base: issue, at: (b: Body, n: number) => ({ ...b, addressed: Array.from({ length: n }, (_, i) => COUNTRIES[i % COUNTRIES.length]!) }), min: 1, max: 30 },
      { what: 'reason length', base: withFill(ending), at: ([b, u]: [Body, string], n: number) => ({ ...b, reason: textOf(n, u) }), min: 1, max: 500 }
    ]
  })

  decoderProperties(p, {
    name: 'decodeAlertContent',
    decode: decodeAlertContent,
    codes: BODY,
    valid: alertContent,
    required: () => ['description', 'concerned'],
    limits: [
      { what: 'description length', base: withFill(alertContent), at: ([b, u]: [Body, string], n: number) => ({ ...b, description: textOf(n, u) }), min: 1, max: 8000 },
      { what: 'decision length', base: withFill(alertContent), at: ([b, u]: [Body, string], n: number) => ({ ...b, decision: textOf(n, u) }), min: 1, max: 4000 },
      { what: 'profession length', base: withFill(alertContent), at: ([b, u]: [Body, string], n: number) => ({ ...b, profession: textOf(n, u) }), min: 1, max: 200 },
      { what: 'concerned fields', base: alertContent, at: (b: Body, n: number) => ({ ...b, concerned: Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, 'x'])) }), min: 1, max: 20 },
      { what: 'concerned value length', base: withFill(alertContent), at: ([b, u]: [Body, string], n: number) => ({ ...b, concerned: { name: textOf(n, u) } }), min: 1, max: 500 },
      { what: 'concerned field name length', base: alertContent, at: (b: Body, n: number) => ({ ...b, concerned: { ['n'.repeat(n)]: 'x' } }), min: 1, max: 40 }
    ]
  })

  decoderProperties(p, {
    name: 'decodeAlertReceiptBody',
    decode: decodeAlertReceiptBody,
    codes: BODY,
    valid: alertReceiptBody,
    validators: [validateAlertReceiptBody],
    required: () => ['alert', 'event', 'digest'],
    limits: [
      { what: 'event id length', base: alertReceiptBody, at: (b: Body, n: number) => ({ ...b, event: 'E'.repeat(n) }), min: 22, max: 22 },
      { what: 'digest length', base: alertReceiptBody, at: (b: Body, n: number) => ({ ...b, digest: 'd'.repeat(n) }), min: 43, max: 43 }
    ]
  })

  const ofAction = (action: string): fc.Arbitrary<[Body, string]> => withFill(notificationEventBody.filter((b) => b.action === action))
  decoderProperties(p, {
    name: 'decodeNotificationEventBody',
    decode: decodeNotificationEventBody,
    codes: BODY,
    valid: notificationEventBody,
    validators: [validateNotificationEventBody],
    required: (b) => (b.action === 'create'
      ? ['notification', 'action', 'area', 'closesAt', 'title', 'language', 'summary', 'draftRequirement']
      : b.action === 'comment' ? ['notification', 'action', 'text'] : ['notification', 'action']),
    limits: [
      { what: 'title length', base: ofAction('create'), at: ([b, u]: [Body, string], n: number) => ({ ...b, title: { en: textOf(n, u) } }), min: 1, max: MAX_TITLE_CHARS },
      { what: 'summary length', base: ofAction('create'), at: ([b, u]: [Body, string], n: number) => ({ ...b, summary: textOf(n, u) }), min: 1, max: MAX_SUMMARY_CHARS },
      { what: 'draft length', base: ofAction('modify'), at: ([b, u]: [Body, string], n: number) => ({ ...b, draftRequirement: textOf(n, u) }), min: 1, max: MAX_DRAFT_CHARS },
      { what: 'legal basis length', base: ofAction('create'), at: ([b, u]: [Body, string], n: number) => ({ ...b, legalBasis: textOf(n, u) }), min: 1, max: MAX_LEGAL_BASIS_CHARS },
      { what: 'comment length', base: ofAction('comment'), at: ([b, u]: [Body, string], n: number) => ({ ...b, text: textOf(n, u) }), min: 1, max: MAX_COMMENT_CHARS },
      { what: 'withdrawal reason length', base: ofAction('withdraw'), at: ([b, u]: [Body, string], n: number) => ({ ...b, reason: textOf(n, u) }), min: 1, max: MAX_REASON_CHARS },
      { what: 'closesAt', base: ofAction('create'), at: ([b]: [Body, string], n: number) => ({ ...b, closesAt: n }), min: 1 }
    ]
  })

  decoderProperties(p, {
    name: 'decodeErasureBody',
    decode: decodeErasureBody,
    codes: BODY,
    valid: erasureBody,
    validators: [validateErasureBody],
    required: () => ['request', 'reason', 'deletedAt', 'digests', 'attachments'],
    limits: [
      { what: 'digests count', base: erasureBody, at: (b: Body, n: number) => ({ ...b, digests: digests(n) }), max: MAX_ERASURE_DIGESTS },
      { what: 'attachments count', base: erasureBody, at: (b: Body, n: number) => ({ ...b, attachments: digests(n) }), max: MAX_ERASURE_DIGESTS }
    ],
    runs: { limits: 200 }
  })

  decoderProperties(p, {
    name: 'decodeErasureReceiptBody',
    decode: decodeErasureReceiptBody,
    codes: BODY,
    valid: erasureReceiptBody,
    validators: [validateErasureReceiptBody],
    required: () => ['request', 'for', 'deletedAt', 'held', 'digests', 'attachments'],
    limits: [{ what: 'digests count', base: erasureReceiptBody, at: (b: Body, n: number) => ({ ...b, digests: digests(n) }), max: MAX_ERASURE_DIGESTS }],
    runs: { limits: 200 }
  })

  decoderProperties(p, {
    name: 'validateNoteBody',
    decode: (v) => validateNoteBody(v as Json),
    codes: BODY,
    valid: noteBody,
    expected: () => undefined,
    required: () => ['text'],
    limits: [{ what: 'text length', base: fillUnit, at: (u: string, n: number) => ({ text: textOf(n, u) }), max: MAX_NOTE_CHARS }]
  })

  decoderProperties(p, {
    name: 'validateReceiptBody',
    decode: (v) => validateReceiptBody(v as Json),
    codes: BODY,
    valid: receiptBody,
    expected: () => undefined,
    required: () => ['for', 'digest'],
    limits: [
      { what: 'for length', base: receiptBody, at: (b: Body, n: number) => ({ ...b, for: 'f'.repeat(n) }), min: 22, max: 22 },
      { what: 'pd length', base: receiptBody, at: (b: Body, n: number) => ({ ...b, pd: 'p'.repeat(n) }), min: 43, max: 43 }
    ]
  })

  // Personal data: the action decides which fields the sidecar may hold.
  const pdOf = (action: string): fc.Arbitrary<[{ action: string, data: Body }, string]> =>
    withFill(requestPersonalData.filter((x) => x.action === action))
  decoderProperties(p, {
    name: 'decodeRequestPersonalData',
    decode: decodePersonalDataPair,
    codes: BODY,
    valid: requestPersonalData,
    expected: (v) => v.data,
    refeed: (data, v) => ({ action: v.action, data }),
    // The action is the caller's (a decoded event's), not the sidecar's; answer values are free-form JSON.
    skip: (path: Path) => path[0] === 'action' || (path[0] === 'data' && path[1] === 'answers' && path[3] === 'value'),
    limits: [
      { what: 'subject fields', base: pdOf('disclose'), at: ([x]: [{ data: Body }], n: number) => ({ ...x, data: { subject: Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, 'x'])) } }), min: 1, max: 30 },
      { what: 'subject value length', base: pdOf('disclose'), at: ([x, u]: [{ data: Body }, string], n: number) => ({ ...x, data: { subject: { name: textOf(n, u) } } }), min: 1, max: 2000 },
      { what: 'attachment name length', base: pdOf('disclose'), at: ([x]: [{ data: Body }], n: number) => ({ ...x, data: { attachmentNames: { [digests(1)[0]!]: 'n'.repeat(n) } } }), min: 1, max: 200 },
      { what: 'answers count', base: pdOf('answer'), at: ([x]: [{ data: Body }], n: number) => ({ ...x, data: { answers: Array.from({ length: n }, () => ({ question: 'pq.x', value: true })) } }), min: 1, max: 60 },
      { what: 'answer comment length', base: pdOf('answer'), at: ([x, u]: [{ data: Body }, string], n: number) => ({ ...x, data: { answers: [{ question: 'pq.x', comment: textOf(n, u) }] } }), min: 1, max: MAX_MESSAGE_CHARS },
      { what: 'message text length', base: pdOf('message'), at: ([x, u]: [{ data: Body }, string], n: number) => ({ ...x, data: { text: textOf(n, u) } }), min: 1, max: MAX_MESSAGE_CHARS }
    ]
  })

  decoderProperties(p, {
    name: 'decodeSubjectCorrectionBody',
    decode: decodeSubjectCorrectionBody,
    codes: BODY,
    valid: subjectCorrectionBody,
    validators: [validateSubjectCorrectionBody],
    required: () => ['request', 'kind', 'at'],
    limits: [{ what: 'request id length', base: subjectCorrectionBody, at: (b: Body, n: number) => ({ ...b, request: 'R'.repeat(n) }), min: 22, max: 22 }]
  })

  decoderProperties(p, {
    name: 'decodeSubjectCorrectionData',
    decode: (v) => {
      // As for request personal data: the kind is the decoded body's; anything not a pair is a contest's data.
      const pair = v as { kind?: unknown, data?: unknown }
      const isPair = isObject(v) && Object.keys(v).every((k) => k === 'kind' || k === 'data') && (pair.kind === 'rectification' || pair.kind === 'contest')
      return isPair ? decodeSubjectCorrectionData(pair.kind as SubjectCorrectionKind, pair.data) : decodeSubjectCorrectionData('contest', v)
    },
    codes: BODY,
    valid: subjectCorrectionData,
    expected: (v) => v.data,
    refeed: (data, v) => ({ kind: v.kind, data }),
    skip: (path: Path) => path[0] === 'kind',
    limits: [
      { what: 'note length', base: withFill(subjectCorrectionData), at: ([x, u]: [{ kind: string, data: Body }, string], n: number) => ({ ...x, data: { ...x.data, note: textOf(n, u) } }), min: 1, max: MAX_MESSAGE_CHARS },
      { what: 'subject fields', base: subjectCorrectionData.filter((x) => x.kind === 'rectification'), at: (x: { kind: string }, n: number) => ({ ...x, data: { subject: Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, 'x'])) } }), min: 1, max: 30 }
    ]
  })

  p.check('decodeSubjectCorrectionData: a rectification needs a subject; a contest carries none', 1000, subjectCorrectionData, ({ kind, data }) => {
    if (kind === 'rectification') refused(() => decodeSubjectCorrectionData('rectification', { ...data, subject: undefined }), BODY)
    else refused(() => decodeSubjectCorrectionData('contest', { ...data, subject: { name: 'Jan' } }), BODY)
  })

  decoderProperties(p, {
    name: 'decodeSubject',
    decode: decodeSubject,
    codes: BODY,
    valid: fieldMap(1, 6, 2000),
    limits: [{ what: 'field name length', base: fc.constant(null), at: (_: null, n: number) => ({ ['s'.repeat(n)]: 'x' }), min: 1, max: 40 }]
  })

  // Every decoder meets every other kind's valid bodies: refused or decoded, never a crash.
  p.check('body decoders: total over the valid bodies of every other kind', 2000,
    fc.oneof(requestEventBody, alertEventBody, alertReceiptBody, notificationEventBody, erasureBody, erasureReceiptBody, noteBody, receiptBody, attachmentChunkBody, subjectCorrectionBody, hostileJson),
    (body) => {
      for (const decode of [decodeRequestEventBody, decodeAlertEventBody, decodeAlertReceiptBody, decodeNotificationEventBody, decodeErasureBody,
        decodeErasureReceiptBody, validateNoteBody, validateReceiptBody, decodeAttachmentChunkBody, decodeAlertContent, decodeSubject, decodeSubjectCorrectionBody]) {
        total(() => decode(body as never), BODY)
      }
    })

  p.check('decodeRequestEventBody: ids are exactly 22 base64url characters', 1000, fc.tuple(requestEventBody, messageId, digest), ([b, id, d]) => {
    refused(() => decodeRequestEventBody({ ...b, request: d }), BODY)
    refused(() => decodeRequestEventBody({ ...b, request: id + '=' }), BODY)
    accepted(() => decodeRequestEventBody({ ...b, request: id }))
  })
})
