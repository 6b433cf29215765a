/**
 * Property tests of the catalogue's answer validator, the date and digest predicates,
 * question set references, the retention policy decoder, and the byte encodings every
 * decoder stands on (issue 9, part 6).
 */
import { expect } from 'chai'
import fc from 'fast-check'
import {
  DEFAULT_BLOCK_AFTER_DAYS, DEFAULT_DELETE_AFTER_DAYS, LEGISLATIVE_AREAS, MAX_ANSWER_TEXT_LENGTH, MAX_BLOCK_AFTER_DAYS,
  MAX_DELETE_AFTER_DAYS, PROCEDURE_KINDS, QUESTION_SETS, decodeRetentionPolicy, fromBase64url, fromUtf8, isAnswerDate,
  isAttachmentRef, isCalendarDate, isObject, questionById, questionSet, toBase64url, validateAnswerValue, type CatalogueQuestion
} from '../../src/index.js'
import { anyValue, canonicalDigest, hostileBytes, hostileJson, shallowJson } from './arbitraries.js'
import { decoderProperties, textOf } from './decoder-suite.js'
import { accepted, properties, refused, total } from './harness.js'

const QUESTIONS: CatalogueQuestion[] = QUESTION_SETS.flatMap((s) => [...s.questions])
const ANSWER = ['ERR_INVALID_ANSWER', 'ERR_UNKNOWN_QUESTION']
// The control characters free text must not hold (tab, line feed and carriage return are allowed).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

/** Free text as an answer takes it: visible, well-formed, no control characters but tab and line breaks. */
const answerText = fc.string({ unit: fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\t', '\n', '\r', ' ') }
), minLength: 1, maxLength: 40 }).filter((t) => t.length <= MAX_ANSWER_TEXT_LENGTH && t.trim() !== '' && t.isWellFormed() && !CONTROL.test(t))

function answerFor (q: CatalogueQuestion): fc.Arbitrary<Record<string, unknown>> {
  switch (q.type) {
    case 'yes-no': return fc.boolean().map((value) => ({ type: 'yes-no', value }))
    case 'choice': return fc.constantFrom(...q.options!).map((option) => ({ type: 'choice', option }))
    case 'date': return fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => ({ type: 'date', date: d.toISOString().slice(0, 10) }))
    case 'text': return answerText.map((text) => ({ type: 'text', text }))
    case 'attachment': return canonicalDigest.map((attachment) => ({ type: 'attachment', attachment }))
  }
}

/** A question id and a valid answer to it. */
const answered = fc.constantFrom(...QUESTIONS).chain((q) => answerFor(q).map((a) => ({ q: q.id, a })))

/** validateAnswerValue takes a question id and a value; inputs that are not such a pair are answers to a text question. */
function validatePair (v: unknown): unknown {
  if (isObject(v) && typeof v.q === 'string' && Object.keys(v).every((k) => k === 'q' || k === 'a')) return validateAnswerValue(v.q, v.a)
  return validateAnswerValue('pq.sanction-details', v)
}

/** The proleptic Gregorian calendar, from JavaScript's Date (which knows it). */
function realDate (y: number, m: number, d: number): boolean {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false
  const date = new Date(0)
  date.setUTCFullYear(y, m - 1, d)
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

const dateLike = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
    .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc.constantFrom('2024-02-29', '2023-02-29', '1900-02-29', '2000-02-29', '0000-01-01', '0001-01-01', '9999-12-31', '2024-04-31', '+02024-01-01', '2024-1-01', ' 2024-01-01', '2024-01-01\n'),
  fc.string({ maxLength: 12 })
)

describe('property: catalogue answers, predicates, retention policy, encodings', function () {
  const p = properties('catalogue, retention, encodings')

  decoderProperties(p, {
    name: 'validateAnswerValue',
    decode: validatePair,
    codes: ANSWER,
    valid: answered,
    expected: (v) => v.a,
    refeed: (a, v) => ({ q: v.q, a }),
    // The question id is the caller's (a decoded event's), not part of the answer.
    skip: (path) => path[0] === 'q',
    limits: [
      { what: 'text length', base: fc.constantFrom('x', 'é', 'Ω', ' y'), at: (u: string, n: number) => ({ q: 'pq.sanction-details', a: { type: 'text', text: textOf(n, u) } }), min: 1, max: MAX_ANSWER_TEXT_LENGTH }
    ]
  })

  p.check('validateAnswerValue: an answer of another type, or to an unknown question, is refused', 3000,
    fc.tuple(fc.constantFrom(...QUESTIONS), answered, fc.oneof(fc.constantFrom(...QUESTIONS.map((q) => q.id)), fc.string({ maxLength: 30 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'pq', 'pq.'))),
    ([q, other, id]) => {
      const otherType = questionById(other.q)!.type
      const out = total(() => validateAnswerValue(q.id, other.a), ANSWER)
      if (otherType !== q.type) expect(out.ok ? 'accepted' : out.error.code).to.equal('ERR_INVALID_ANSWER')
      if (questionById(id) === undefined) refused(() => validateAnswerValue(id, other.a), ['ERR_UNKNOWN_QUESTION'])
    })

  p.check('validateAnswerValue: a choice is accepted iff it is one of the question\'s options', 2000,
    fc.tuple(fc.constantFrom(...QUESTIONS.filter((q) => q.type === 'choice')), fc.oneof(fc.constantFrom(...QUESTIONS.flatMap((q) => q.options ?? [])), fc.string({ maxLength: 40 }))),
    ([q, option]) => {
      const out = total(() => validateAnswerValue(q.id, { type: 'choice', option }), ANSWER)
      expect(out.ok).to.equal(q.options!.includes(option))
    })

  p.check('validateAnswerValue: free text is accepted iff visible, well-formed, free of control characters and short enough', 3000,
    fc.oneof(answerText, fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: fc.constantFrom('a', ' ', '\u0000', '\u0007', '\t', '\n', '\r', '\u007f', '\ud800', '\udc00', '\u200b'), maxLength: 10 })),
    (text) => {
      const out = total(() => validateAnswerValue('services.inspection-findings', { type: 'text', text }), ANSWER)
      expect(out.ok).to.equal(text.length <= MAX_ANSWER_TEXT_LENGTH && text.trim() !== '' && text.isWellFormed() && !CONTROL.test(text))
    })

  p.check('isAnswerDate: exactly the real dates of years 0001 to 9999, written YYYY-MM-DD', 5000, fc.oneof(dateLike, anyValue), (s) => {
    const m = typeof s === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) : null
    const real = m !== null && realDate(Number(m[1]), Number(m[2]), Number(m[3]))
    expect(isAnswerDate(s)).to.equal(real)
  })

  p.check('isCalendarDate (request, alert and notification dates) agrees with isAnswerDate from year 0001 on', 5000, dateLike, (s) => {
    const out = isCalendarDate(s)
    if (!s.startsWith('0000')) expect(out).to.equal(isAnswerDate(s))
    else expect(out).to.equal(/^0000-\d{2}-\d{2}$/.test(s) && realDate(2000, Number(s.slice(5, 7)), Number(s.slice(8, 10))))
  })

  p.check('isAttachmentRef: exactly the canonical base64url of 32 bytes', 5000,
    fc.oneof(canonicalDigest, fc.stringMatching(/^[A-Za-z0-9_-]{43}$/), fc.string({ maxLength: 50 }), anyValue), (s) => {
      const canonical = typeof s === 'string' && s.length === 43 && /^[A-Za-z0-9_-]+$/.test(s) && Buffer.from(s, 'base64url').toString('base64url') === s
      expect(isAttachmentRef(s)).to.equal(canonical)
    })

  p.check('questionSet: total over references; a set and its own version resolve, nothing else', 3000,
    fc.oneof(fc.constantFrom(...QUESTION_SETS.flatMap((s) => [s.id, `${s.id}@${s.version}`, `${s.id}@${s.version + 1}`, `${s.id}@0`, `${s.id}@01`])), fc.string({ maxLength: 20 }), fc.constantFrom('__proto__', 'constructor', 'pq@', '@1', 'pq@1@1')),
    (ref) => {
      const set = questionSet(ref)
      const known = QUESTION_SETS.find((s) => ref === s.id || ref === `${s.id}@${s.version}`)
      expect(set).to.equal(known)
    })

  // --- Retention policy (a node's settings file) -------------------------------------

  const days = fc.oneof(fc.integer({ min: 0, max: 1200 }), fc.constantFrom(0, MAX_BLOCK_AFTER_DAYS, MAX_BLOCK_AFTER_DAYS + 1, MAX_DELETE_AFTER_DAYS, MAX_DELETE_AFTER_DAYS + 1))
  const partialRule = fc.record({ blockAfterDays: fc.option(days, { nil: undefined }), deleteAfterDays: fc.option(days, { nil: undefined }) })
    .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as { blockAfterDays?: number, deleteAfterDays?: number })
  const partialKinds = fc.dictionary(fc.constantFrom(...PROCEDURE_KINDS), partialRule, { maxKeys: 3 })
  const policyDoc = fc.record({
    default: fc.option(partialKinds, { nil: undefined }),
    areas: fc.option(fc.dictionary(fc.constantFrom(...LEGISLATIVE_AREAS), partialKinds, { maxKeys: 3 }), { nil: undefined })
  }).map((d) => ({ version: 1, ...Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)) }))

  /** The policy a document means, or undefined when a rule it states is out of bounds: an independent model. */
  function model (doc: { default?: Record<string, { blockAfterDays?: number, deleteAfterDays?: number }>, areas?: Record<string, Record<string, { blockAfterDays?: number, deleteAfterDays?: number }>> }): Record<string, Record<string, { blockAfterDays: number, deleteAfterDays: number }>> | undefined {
    const ok = (r: { blockAfterDays: number, deleteAfterDays: number }): boolean =>
      r.blockAfterDays <= MAX_BLOCK_AFTER_DAYS && r.deleteAfterDays <= MAX_DELETE_AFTER_DAYS && r.deleteAfterDays >= r.blockAfterDays
    const base = { blockAfterDays: DEFAULT_BLOCK_AFTER_DAYS, deleteAfterDays: DEFAULT_DELETE_AFTER_DAYS }
    const defaults: Record<string, { blockAfterDays: number, deleteAfterDays: number }> = {}
    for (const k of PROCEDURE_KINDS) {
      const stated = doc.default?.[k]
      defaults[k] = stated === undefined ? base : { ...base, ...stated }
      if (stated !== undefined && !ok(defaults[k])) return undefined
    }
    const out: Record<string, Record<string, { blockAfterDays: number, deleteAfterDays: number }>> = {}
    for (const a of LEGISLATIVE_AREAS) {
      out[a] = {}
      for (const k of PROCEDURE_KINDS) {
        const stated = doc.areas?.[a]?.[k]
        out[a][k] = stated === undefined ? defaults[k]! : { ...defaults[k]!, ...stated }
        if (stated !== undefined && !ok(out[a][k])) return undefined
      }
    }
    return out
  }

  p.check('decodeRetentionPolicy: agrees with an independent model of defaults, overrides and bounds', 3000, policyDoc, (doc) => {
    const expected = model(doc as Parameters<typeof model>[0])
    const out = total(() => decodeRetentionPolicy(doc), ['ERR_RETENTION_POLICY'])
    if (expected === undefined) expect(out.ok ? 'accepted' : out.error.code).to.equal('ERR_RETENTION_POLICY')
    else expect(out.ok ? out.value.areas : out.error.message).to.deep.equal(expected)
  })

  p.check('decodeRetentionPolicy: total over hostile documents; refuses unknown areas, kinds and fields', 3000,
    fc.oneof(hostileJson, anyValue, policyDoc.chain((d) => fc.tuple(fc.constant(d), shallowJson, fc.constantFrom('retention', 'default', 'areas', 'rule')).map(([doc, x, where]) => ({ doc, x, where })))),
    (v) => {
      if (isObject(v) && 'where' in v && 'doc' in v) {
        const { doc, x, where } = v as { doc: Record<string, unknown>, x: unknown, where: string }
        const bad = where === 'retention'
          ? { ...doc, extra: x }
          : where === 'default' ? { ...doc, default: { ...(doc.default as object), nope: x } }
            : where === 'areas' ? { ...doc, areas: { ...(doc.areas as object), 'no-such-area': {} } }
              : { ...doc, default: { request: { blockAfterDays: 1, keepForever: x } } }
        refused(() => decodeRetentionPolicy(bad), ['ERR_RETENTION_POLICY'])
      } else {
        total(() => decodeRetentionPolicy(v), ['ERR_RETENTION_POLICY'])
      }
    })

  // --- Encodings ---------------------------------------------------------------------

  p.check('toBase64url/fromBase64url: round trip; fromBase64url accepts exactly canonical unpadded base64url and never throws', 5000,
    fc.oneof(hostileBytes.map((b) => ({ bytes: b })), fc.string({ maxLength: 60 }).map((s) => ({ text: s })), fc.stringMatching(/^[A-Za-z0-9_-]{0,60}$/).map((s) => ({ text: s }))),
    (v) => {
      if ('bytes' in v) {
        const text = toBase64url(v.bytes)
        expect(text).to.equal(Buffer.from(v.bytes).toString('base64url'))
        expect(fromBase64url(text)).to.deep.equal(v.bytes)
        return
      }
      const out = fromBase64url(v.text)
      const canonical = /^[A-Za-z0-9_-]*$/.test(v.text) && v.text.length % 4 !== 1 && Buffer.from(v.text, 'base64url').toString('base64url') === v.text
      expect(out !== undefined).to.equal(canonical)
      if (out !== undefined) expect(Buffer.from(out).toString('base64url')).to.equal(v.text)
    })

  p.check('fromUtf8: decodes exactly the well-formed UTF-8 (as Node does), and throws TypeError otherwise', 5000, hostileBytes, (bytes) => {
    let valid = true
    try { new TextDecoder('utf-8', { fatal: true }).decode(bytes) } catch { valid = false }
    if (valid) {
      expect(fromUtf8(bytes)).to.equal(Buffer.from(bytes).toString('utf8'))
    } else {
      // A primitive with a documented contract: every decoder that reads bytes catches this and refuses with its own code.
      expect(() => fromUtf8(bytes)).to.throw(TypeError)
    }
  })

  p.check('validateAnswerValue: the value returned is a frozen copy holding only the known fields', 2000, answered, ({ q, a }) => {
    const out = accepted(() => validateAnswerValue(q, { ...a }))
    expect(Object.isFrozen(out)).to.equal(true)
    expect(out).to.not.equal(a)
  })
})
