/**
 * Arbitraries shared by the property tests: hostile inputs (anything JSON.parse can
 * produce, and more), mutation operators, and generators of valid protocol values.
 */
import fc from 'fast-check'
import {
  ALERT_TYPES, ERASURE_REASONS, LANGUAGES, LEGISLATIVE_AREAS, MEMBER_STATES, NOTIFICATION_AREAS, QUESTION_ID_PATTERN,
  isObject, toBase64url, type Json
} from '../../src/index.js'
import { DIGEST_PATTERN, ID_PATTERN, KIND_PATTERN, LOCAL_ID_PATTERN } from '../../src/schema.js'

// ---------------------------------------------------------------------------------------
// Hostile inputs
// ---------------------------------------------------------------------------------------

/** Every field name the decoders know, so that random objects often look nearly right. */
export const FIELD_NAMES = [
  'v', 'fed', 'id', 'kind', 'from', 'fromAuthority', 'to', 'toAuthority', 'created', 'pd', 'hdr', 'body', 'alg', 'kid', 'typ',
  'jws', 'salt', 'data', 'receipt', 'error', 'code', 'message', 'text', 'for', 'digest', 'request', 'base', 'action',
  'coordinator', 'area', 'country', 'authority', 'questions', 'freeQuestions', 'note', 'neededBy', 'answerBy', 'attachments',
  'sha256', 'size', 'type', 'child', 'final', 'rating', 'timeliness', 'effort', 'reason', 'index', 'count', 'alert',
  'addressed', 'decisionDate', 'description', 'concerned', 'decision', 'periodFrom', 'periodTo', 'profession', 'event',
  'notification', 'closesAt', 'title', 'language', 'summary', 'draftRequirement', 'legalBasis', 'plannedAdoption', 'replyTo',
  'deletedAt', 'digests', 'held', 'subject', 'attachmentNames', 'answers', 'question', 'value', 'comment', 'name', 'shard',
  'shards', 'seq', 'expires', 'entries', 'names', 'areas', 'competences', 'contact', 'email', 'phone', 'website', 'address',
  'descriptions', 'registerAuthority', 'url', 'languages', 'version', 'previous', 'members', 'bootstraps', 'peerId',
  'addresses', 'keys', 'publicKey', 'notBefore', 'notAfter', 'payload', 'signatures', 'protected', 'signature',
  'recipients', 'iv', 'ciphertext', 'tag', 'aad', 'header', 'encrypted_key', 'epk', 'kty', 'crv', 'x', 'imi-country', 'enc',
  'option', 'date', 'attachment', 'default', 'request', 'alert', 'notification', 'blockAfterDays', 'deleteAfterDays',
  'username', 'displayName', 'password', 'grants', 'role', 'disabled', 'p2p', 'api', 'storage', 'delivery', 'directory',
  'requests', 'notifications', 'metrics', 'log', 'listen', 'announce', 'bootstrap', 'singleHost', 'host', 'port', 'tokenFile',
  'sync', 'retryInitialMs', 'retryMaxMs', 'refreshMs', 'republishMs', 'reminderBeforeMs', 'escalateAfterMs', 'closeAfterMs',
  'enabled', 'level', 'federationId', 'dataDir', 'keyFile', 'rosterFile', 'en', 'de', 'pl', 'fr'
] as const

/** Names that trip up code which treats objects as maps or calls methods of its input. */
export const DANGEROUS_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'toJSON', 'then', 'length', ''] as const

/** Tokens that are valid somewhere, so random values often pass the first checks. */
const TOKENS = [
  '*', 'EdDSA', 'none', 'imi-envelope+jws', 'imi-directory+jws', 'imi-roster+jws', 'imi-alert+jwe', 'ECDH-ES+A256KW', 'A256GCM',
  'OKP', 'X25519', 'Ed25519', 'imi', 'imi-test', 'note', 'request', 'receipt', 'alert', 'notification', 'authorities',
  'registers', 'send', 'modify', 'withdraw', 'accept', 'forward', 'split', 'disclose', 'answer', 'request-info', 'close',
  'message', 'issue', 'create', 'comment', 'services', 'professional-qualifications', 'services-risk', 'retention',
  'data-subject', 'yes-no', 'choice', 'date', 'text', 'attachment', '2026-02-29', '2028-02-29', '0000-01-01', '9999-12-31',
  '2026-13-01', 'pq.diploma-authentic', 'free.1', 'free.0', 'AAAAAAAAAAAAAAAAAAAAAA', 'A'.repeat(43), 'A'.repeat(42) + 'B',
  '/ip4/127.0.0.1/tcp/4001', 'https://example.eu/x', 'a@b', '+48 123 456', 'ERR_X', 'application/pdf', 'true', '1',
  ' ', '\n', '\t', '\u0000', '\u007f', '\ud800', '\udc00', '\ud83d\ude00', 'é', 'Ω', '\u202e', '\ufeff', '\u00a0', '\u2028'
] as const

const COUNTRY_CODES = MEMBER_STATES.map((s) => s.code)

const smallString = fc.string({ unit: 'binary', maxLength: 12 })

/** Object keys: known fields, dangerous names, country and language codes, random text. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FIELD_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...DANGEROUS_KEYS) },
  { weight: 1, arbitrary: fc.constantFrom(...COUNTRY_CODES, ...LANGUAGES) },
  { weight: 2, arbitrary: smallString }
)

/** Number literals as JSON text, including those JSON.parse turns into Infinity or imprecise integers. */
const numberText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '0', '-0', '1', '-1', '0.5', '1e400', '-1e400', '1e-400', '5e-324', '9007199254740991', '9007199254740992',
    '9007199254740993', '-9007199254740993', '8640000000000000', '8640000000000001', '9000000000000000',
    '1.7976931348623157e308', '1e21', '2147483648', '4294967296', '255', '256', '65535', '65536', '1000', '1001',
    '4000', '4001', '1.0', '1e3', '1E2', '100000000000000000000'
  ),
  fc.integer().map(String),
  fc.maxSafeInteger().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d))
)

/** String literals as JSON text: tokens, random text, escapes JSON.stringify would never write. */
const stringText: fc.Arbitrary<string> = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom(...TOKENS, ...COUNTRY_CODES, ...LANGUAGES, ...LEGISLATIVE_AREAS).map((s) => JSON.stringify(s)) },
  { weight: 30, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((s) => JSON.stringify(s)) },
  { weight: 5, arbitrary: fc.constantFrom('"\\ud800"', '"\\udfff\\ud800"', '"\\u0000"', '"a\\/b"', '"\\u00e9"') },
  { weight: 5, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{20,45}$/).map((s) => JSON.stringify(s)) },
  // Long strings: around the length limits (500, 1000, 2000, 4000, 8000 code units).
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', ' ', 'é', '\ud83d\ude00', 'A'), fc.integer({ min: 0, max: 8200 })).map(([c, n]) => JSON.stringify(c.repeat(n))) }
)

/** Deep nesting, as text: a decoder that recurses over input structure meets its stack here. */
const deepText: fc.Arbitrary<string> = fc.tuple(fc.constantFrom('[', '{"a":'), fc.integer({ min: 100, max: 20_000 })).map(([open, n]) =>
  open === '[' ? '['.repeat(n) + ']'.repeat(n) : '{"a":'.repeat(n) + '0' + '}'.repeat(n))

function jsonTextArbitrary (deep: boolean): fc.Arbitrary<string> {
  return fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', maxDepth: 5, withCrossShrink: true }, tie('scalar'), tie('array'), tie('object')),
    scalar: fc.oneof(
      { weight: 100, arbitrary: fc.constantFrom('null', 'true', 'false') },
      { weight: 200, arbitrary: numberText },
      { weight: 400, arbitrary: stringText },
      ...(deep ? [{ weight: 1, arbitrary: deepText }] : [])
    ),
    array: fc.array(tie('value'), { maxLength: 5 }).map((a) => '[' + (a as string[]).join(',') + ']'),
    object: fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 7 })
      .map((es) => '{' + (es as Array<[string, string]>).map(([k, v]) => JSON.stringify(k) + ':' + v).join(',') + '}')
  })).value as fc.Arbitrary<string>
}

/** The text of a JSON value: everything JSON.parse accepts, with the awkward corners weighted up (deep nesting included). */
export const hostileJsonText: fc.Arbitrary<string> = jsonTextArbitrary(true)
/** The same without deep nesting: values that JSON.stringify can still write back. */
export const shallowJsonText: fc.Arbitrary<string> = jsonTextArbitrary(false)

/** Values exactly as JSON.parse makes them (own `__proto__` keys, Infinity, -0, lone surrogates, deep nesting). */
export const hostileJson: fc.Arbitrary<unknown> = hostileJsonText.map((t) => JSON.parse(t) as unknown)
export const shallowJson: fc.Arbitrary<unknown> = shallowJsonText.map((t) => JSON.parse(t) as unknown)

/** Anything a JavaScript caller could pass, beyond what JSON can carry. */
export const anyValue: fc.Arbitrary<unknown> = fc.anything({
  maxDepth: 3,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withObjectString: true,
  withNullPrototype: true,
  withBigInt: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
  stringUnit: 'binary',
  key: hostileKey
})

/** Random bytes: arbitrary, UTF-8 of hostile JSON, and invalid UTF-8 around JSON. */
export const hostileBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  hostileJsonText.map((t) => new TextEncoder().encode(t)),
  fc.tuple(hostileJsonText, fc.uint8Array({ minLength: 1, maxLength: 4 }), fc.nat()).map(([t, junk, at]) => {
    const b = new TextEncoder().encode(t)
    const i = b.length === 0 ? 0 : at % b.length
    return new Uint8Array([...b.subarray(0, i), ...junk, ...b.subarray(i)])
  })
)

// ---------------------------------------------------------------------------------------
// Mutation operators
// ---------------------------------------------------------------------------------------

export type Path = ReadonlyArray<string | number>

export function jsonType (v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  return typeof v
}

/** Every path in a JSON value (the root included, at most 32 deep), leaving out subtrees `skip` names. */
export function pathsOf (v: unknown, skip: (p: Path) => boolean = () => false, here: Path = []): Path[] {
  if (skip(here)) return []
  const out: Path[] = [here]
  if (here.length >= 32) return out
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...pathsOf(x, skip, [...here, i])))
  else if (isObject(v)) for (const [k, x] of Object.entries(v)) out.push(...pathsOf(x, skip, [...here, k]))
  return out
}

export function getAt (v: unknown, path: Path): unknown {
  let cur = v
  for (const k of path) cur = (cur as Record<string | number, unknown>)[k]
  return cur
}

/** A deep copy of `v` with the value at `path` replaced by `f(old)` (deleted when `f` returns undefined). */
export function updateAt (v: unknown, path: Path, f: (old: unknown) => unknown): unknown {
  if (path.length === 0) return f(v)
  const copy = JSON.parse(JSON.stringify(v)) as unknown
  let parent = copy as Record<string | number, unknown>
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>
  const last = path[path.length - 1]!
  const next = f(parent[last])
  if (next === undefined) {
    if (Array.isArray(parent)) parent.splice(last as number, 1)
    else delete parent[last]
  } else {
    parent[last] = next
  }
  return copy
}

const TYPE_SAMPLES: readonly unknown[] = [null, true, false, 0, 1, -1, 1.5, 1e300, '', 'x', '1', 'true', [], ['x'], [1], {}, { x: 1 }]

/** Values whose JSON type differs from `old`'s. */
export function otherType (old: unknown): fc.Arbitrary<unknown> {
  const t = jsonType(old)
  return fc.constantFrom(...TYPE_SAMPLES.filter((s) => jsonType(s) !== t))
}

export interface SchemaMutation {
  readonly what: string
  readonly value: unknown
}

/**
 * A mutation of a valid value that no strict schema accepts: a value at some path
 * replaced by one of another JSON type, or a field nobody defined added to some object
 * (its name starts with '!', which no field, language, country or map key may).
 * `skip` leaves out free-form subtrees (a JSON answer value, a personal-data document).
 */
export function schemaMutation (valid: unknown, skip: (p: Path) => boolean = () => false, open: (p: Path) => boolean = () => false): fc.Arbitrary<SchemaMutation> {
  const paths = pathsOf(valid, skip)
  if (paths.length === 0) throw new Error('schemaMutation: every path is skipped')
  const objects = paths.filter((p) => isObject(getAt(valid, p)) && !open(p))
  const typeChange = fc.constantFrom(...paths).chain((p) =>
    otherType(getAt(valid, p)).map((nv) => ({ what: `${p.join('.') || '(root)'} := ${JSON.stringify(nv)}`, value: updateAt(valid, p, () => nv) })))
  if (objects.length === 0) return typeChange
  const extraField = fc.tuple(fc.constantFrom(...objects), fc.string({ maxLength: 6 }), shallowJson).map(([p, k, x]) => ({
    what: `${[...p, `!${k}`].join('.')} added`,
    value: updateAt(valid, p, (o) => ({ ...(o as object), [`!${k}`]: x ?? null }))
  }))
  return fc.oneof(typeChange, extraField)
}

/** Mutations of a valid value that may or may not stay valid: for totality, not rejection. */
export function looseMutation (valid: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(valid)
  return fc.tuple(fc.constantFrom(...paths), fc.oneof(shallowJson, anyValue, fc.constant(undefined))).map(([p, nv]) => {
    try {
      return updateAt(valid, p, () => nv)
    } catch {
      return nv
    }
  })
}

/** Inputs for a totality property: hostile JSON, anything, and near misses of valid values. */
export function totalityInputs (valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: hostileJson },
    { weight: 1, arbitrary: anyValue },
    { weight: 4, arbitrary: valid.chain((v) => looseMutation(v)) }
  )
}

export interface StringMutation {
  readonly what: string
  readonly value: string
}

const B64U_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const mutationChar = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...B64U_CHARS) },
  { weight: 1, arbitrary: fc.constantFrom('.', '=', '+', '/', ' ', '\n', '"', '\\', 'é', '\u0000') }
)

/**
 * Byte- or character-level mutations of a string: flip one character, delete, insert,
 * truncate, append, duplicate or swap a span. Never the identity.
 */
export function stringMutation (s: string): fc.Arbitrary<StringMutation> {
  const n = s.length
  const insert = fc.tuple(fc.integer({ min: 0, max: n }), fc.string({ unit: mutationChar, minLength: 1, maxLength: 4 }))
    .map(([i, t]) => ({ what: `${JSON.stringify(t)} inserted at ${i}`, value: s.slice(0, i) + t + s.slice(i) }))
  const append = fc.string({ unit: mutationChar, minLength: 1, maxLength: 8 }).map((t) => ({ what: `${JSON.stringify(t)} appended`, value: s + t }))
  if (n === 0) return fc.oneof(insert, append)
  const at = fc.integer({ min: 0, max: n - 1 })
  const ops: Array<fc.Arbitrary<StringMutation>> = [
    // Every filter below passes for most draws (a filter that can never pass would make fast-check spin).
    fc.tuple(at, mutationChar).map(([i, c]) => {
      const r = s[i] === c ? (c === 'A' ? 'B' : 'A') : c
      return { what: `char ${i} := ${JSON.stringify(r)}`, value: s.slice(0, i) + r + s.slice(i + 1) }
    }),
    fc.tuple(at, fc.integer({ min: 0, max: 5 })).map(([i, b]) => {
      // Flip one bit of one character's code (stays in the same 8-bit range).
      const code = s.charCodeAt(i) ^ (1 << b)
      return { what: `char ${i} bit ${b} flipped`, value: s.slice(0, i) + String.fromCharCode(code) + s.slice(i + 1) }
    }),
    at.map((i) => ({ what: `char ${i} deleted`, value: s.slice(0, i) + s.slice(i + 1) })),
    insert,
    at.map((i) => ({ what: `truncated to ${i}`, value: s.slice(0, i) })),
    append,
    fc.tuple(at, fc.integer({ min: 1, max: 40 })).map(([i, len]) => ({ what: `span ${i}+${len} duplicated`, value: s.slice(0, i + len) + s.slice(i, i + len) + s.slice(i + len) }))
  ]
  const distinct = [...new Set(s)]
  if (distinct.length > 1) {
    ops.push(fc.tuple(at, at).map(([i, j]) => {
      const [a, b] = i < j ? [i, j] : [j, i]
      return { what: `chars ${a} and ${b} swapped`, value: s.slice(0, a) + s[b]! + s.slice(a + 1, b) + s[a]! + s.slice(b + 1) }
    }))
  }
  // Only a swap of equal characters is the identity: drawn again, it rarely repeats.
  return fc.oneof(...ops).filter((m) => m.value !== s)
}

/**
 * Mutations of a JSON text that keep it JSON but change its bytes: a field duplicated
 * (JSON.parse keeps the last), keys reordered, whitespace added, a value's type
 * changed, two values swapped, an unknown field added. Never the identity.
 */
export function jsonTextMutation (text: string): fc.Arbitrary<StringMutation> {
  const value = JSON.parse(text) as unknown
  const paths = pathsOf(value)
  const objectPaths = paths.filter((p) => isObject(getAt(value, p)) && Object.keys(getAt(value, p) as object).length > 0)
  const ops: Array<fc.Arbitrary<StringMutation>> = [
    fc.constantFrom(...paths).chain((p) => otherType(getAt(value, p)).map((nv) => ({ what: `${p.join('.')} := ${JSON.stringify(nv)}`, value: JSON.stringify(updateAt(value, p, () => nv)) }))),
    fc.constantFrom(' ', '\n', '\t').chain((ws) => fc.integer({ min: 0, max: text.length }).map((i) => ({ what: 'whitespace inserted', value: insertWhitespace(text, i, ws) }))),
    fc.constantFrom(...paths).chain((p) => fc.constantFrom(...paths).map((q) => {
      const a = getAt(value, p)
      const b = getAt(value, q)
      if (p.length === 0 || q.length === 0 || isPrefix(p, q) || isPrefix(q, p)) return { what: 'no-op swap', value: text }
      return { what: `${p.join('.')} <-> ${q.join('.')}`, value: JSON.stringify(updateAt(updateAt(value, p, () => b), q, () => a)) }
    }))
  ]
  if (objectPaths.length > 0) {
    ops.push(
      fc.constantFrom(...objectPaths).chain((p) => {
        const o = getAt(value, p) as Record<string, unknown>
        return fc.constantFrom(...Object.keys(o)).chain((k) => shallowJson.map((dup) => ({
          what: `${[...p, k].join('.')} duplicated (first copy ${JSON.stringify(dup)})`,
          value: duplicateField(value, p, k, dup)
        })))
      }),
      fc.constantFrom(...objectPaths).map((p) => ({
        what: `keys of ${p.join('.') || '(root)'} reversed`,
        value: JSON.stringify(updateAt(value, p, (o) => Object.fromEntries(Object.entries(o as object).reverse())))
      })),
      fc.tuple(fc.constantFrom(...objectPaths), fc.string({ maxLength: 5 }), shallowJson).map(([p, k, x]) => ({
        what: `${[...p, `!${k}`].join('.')} added`,
        value: JSON.stringify(updateAt(value, p, (o) => ({ ...(o as object), [`!${k}`]: x ?? null })))
      }))
    )
  }
  return fc.oneof(...ops).filter((m) => m.value !== text)
}

function isPrefix (p: Path, q: Path): boolean {
  return p.length <= q.length && p.every((k, i) => q[i] === k)
}

/** Inserts whitespace at the first structural position at or after `i` (outside strings). */
function insertWhitespace (text: string, i: number, ws: string): string {
  let inString = false
  for (let j = 0; j < text.length; j++) {
    const c = text[j]!
    if (inString) {
      if (c === '\\') j++
      else if (c === '"') inString = false
      continue
    }
    if (c === '"') { inString = true }
    if (j >= i && (c === ',' || c === ':' || c === '{' || c === '[')) return text.slice(0, j + 1) + ws + text.slice(j + 1)
  }
  return text + ws
}

/** The JSON text of `value` with key `k` of the object at `p` written twice: first `dup`, then the real value. */
function duplicateField (value: unknown, p: Path, k: string, dup: unknown): string {
  const marker = '"\u0001dup\u0001":0,'
  const marked = updateAt(value, p, (o) => ({ '\u0001dup\u0001': 0, ...(o as object) }))
  return JSON.stringify(marked).replace(marker, `${JSON.stringify(k)}:${JSON.stringify(dup ?? null)},`)
}

// ---------------------------------------------------------------------------------------
// Valid values
// ---------------------------------------------------------------------------------------

export const country = fc.constantFrom(...COUNTRY_CODES)
export const language = fc.constantFrom(...LANGUAGES)
export const legislativeArea = fc.constantFrom(...LEGISLATIVE_AREAS)
export const messageId = fc.stringMatching(ID_PATTERN)
/** A 43-character base64url digest, as the patterns check it (not necessarily canonical). */
export const digest = fc.stringMatching(DIGEST_PATTERN)
/** The canonical base64url of 32 bytes (what SHA-256 digests and keys look like). */
export const canonicalDigest = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(toBase64url)
export const localId = fc.stringMatching(LOCAL_ID_PATTERN)
export const kind = fc.stringMatching(KIND_PATTERN)
export const federationId = fc.stringMatching(/^[a-z][a-z0-9-]{1,31}$/)
export const questionId = fc.stringMatching(QUESTION_ID_PATTERN).filter((s) => s.length <= 120)
export const timestamp = fc.integer({ min: 0, max: 8_640_000_000_000_000 })
export const safeInt = fc.maxSafeNat()

/** A real date, YYYY-MM-DD, years 0000 to 9999. */
export const calendarDate = fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10))

/** Text with a non-space character, at most `max` UTF-16 code units, often near the limit. */
export function text (max: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: Math.min(max, 30) }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: Math.min(max, 10) }) },
    {
      // Near the limit, one in fifteen: long texts are costly to sign and mutate, and the limit
      // properties test every limit exactly.
      weight: 1,
      arbitrary: fc.tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }), fc.integer({ min: Math.max(1, max - 3), max }))
        .map(([s, n]) => s.repeat(Math.ceil(n / s.length)).slice(0, n))
    }
  ).filter((s) => s.length >= 1 && s.length <= max && /\S/.test(s))
}

/** Any string up to `max` code units (empty included). */
export function anyText (max: number): fc.Arbitrary<string> {
  return fc.oneof(fc.string({ unit: 'binary', maxLength: Math.min(max, 30) }).filter((s) => s.length <= max), text(max))
}

export function multilingual (max: number): fc.Arbitrary<Record<string, string>> {
  return fc.uniqueArray(language, { minLength: 1, maxLength: 4 }).chain((langs) =>
    fc.tuple(...langs.map(() => text(max))).map((texts) => Object.fromEntries(langs.map((l, i) => [l, texts[i]!]))))
}

export function subsetOf<T> (values: readonly T[], min: number, max: number): fc.Arbitrary<T[]> {
  return fc.uniqueArray(fc.constantFrom(...values), { minLength: min, maxLength: Math.min(max, values.length) })
}

/** Field name of a subject or "concerned" map: a letter, then letters and digits. */
export const fieldName = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/)

export function fieldMap (min: number, max: number, valueMax: number): fc.Arbitrary<Record<string, string>> {
  return fc.uniqueArray(fieldName, { minLength: min, maxLength: max }).chain((keys) =>
    fc.tuple(...keys.map(() => text(valueMax))).map((vals) => Object.fromEntries(keys.map((k, i) => [k, vals[i]!]))))
}

export const attachmentRef = fc.record({
  sha256: digest,
  size: fc.integer({ min: 1, max: 10 * 1024 * 1024 }),
  type: fc.stringMatching(/^[a-z]+\/[a-z0-9.+-]{1,100}$/).filter((s) => s.length <= 120)
})
export const attachmentRefs = fc.uniqueArray(attachmentRef, { maxLength: 10, selector: (a) => a.sha256 })

/** `{ ...a, ...b }` without the keys whose value is undefined (exactOptionalPropertyTypes). */
export function defined<T extends Record<string, unknown>> (o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}

function opt<T> (arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined })
}

const requestCommon = fc.record({
  request: messageId,
  base: fc.oneof(fc.nat({ max: 100 }), safeInt),
  coordinator: opt(fc.constant(true as const))
})

const questionList = fc.uniqueArray(questionId, { minLength: 1, maxLength: 50 })
const freeQuestions = fc.array(text(1000), { maxLength: 10 })

/** Valid request event bodies, one arbitrary per action. */
export const requestBodies: Readonly<Record<string, fc.Arbitrary<Record<string, unknown>>>> = {
  send: fc.record({
    area: legislativeArea, to: fc.record({ country, authority: localId }), questions: questionList, freeQuestions: opt(freeQuestions),
    note: opt(text(2000)), neededBy: calendarDate, attachments: opt(attachmentRefs)
  }),
  modify: fc.record({ questions: opt(questionList), freeQuestions: opt(freeQuestions), note: opt(text(2000)), neededBy: opt(calendarDate) })
    .filter((b) => Object.values(b).some((v) => v !== undefined)),
  withdraw: fc.record({ reason: opt(text(500)) }),
  accept: fc.record({ answerBy: opt(calendarDate) }),
  forward: fc.record({ toAuthority: opt(localId), reason: opt(text(500)) }),
  split: fc.record({ child: messageId, questions: questionList, toAuthority: localId }),
  disclose: fc.record({ attachments: opt(attachmentRefs) }),
  answer: fc.record({ questions: questionList, final: fc.boolean(), attachments: opt(attachmentRefs) }),
  'request-info': fc.record({ questions: opt(questionList) }),
  close: fc.record({ rating: fc.record({ timeliness: fc.integer({ min: 1, max: 5 }), effort: fc.integer({ min: 1, max: 5 }) }) }),
  message: fc.constant({})
}
export const REQUEST_ACTIONS = Object.keys(requestBodies)

export const requestEventBody: fc.Arbitrary<Record<string, unknown>> = fc.constantFrom(...REQUEST_ACTIONS).chain((action) =>
  fc.tuple(requestCommon, requestBodies[action]!).map(([common, fields]) => defined({ ...common, action, ...fields })))

export const attachmentChunkBody = fc.integer({ min: 1, max: Math.ceil(10 * 1024 * 1024 / (45 * 1024)) }).chain((count) =>
  fc.record({ request: messageId, sha256: digest, index: fc.integer({ min: 0, max: count - 1 }), count: fc.constant(count) }))

export const attachmentChunkData = fc.oneof(
  fc.base64String({ minLength: 4, maxLength: 400 }),
  fc.integer({ min: 1, max: 61440 / 4 }).map((n) => 'QUJD'.repeat(n))
).map((data) => ({ data }))

const addressed = fc.oneof(fc.constant(['*']), subsetOf(COUNTRY_CODES, 1, 30))

export const alertEventBody: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ alert: messageId, action: fc.constant('issue'), area: legislativeArea, type: fc.constantFrom(...ALERT_TYPES), addressed, decisionDate: opt(calendarDate) }),
  fc.record({ alert: messageId, action: fc.constantFrom('withdraw', 'close'), reason: opt(text(500)) })
).map((b) => defined(b))

export const alertContent: fc.Arbitrary<Record<string, unknown>> = fc.record({
  description: text(8000),
  concerned: fieldMap(1, 5, 500),
  decision: opt(text(4000)),
  periodFrom: opt(calendarDate),
  periodTo: opt(calendarDate),
  profession: opt(text(200))
}).map((c) => defined(c))

export const alertReceiptBody = fc.record({ alert: messageId, event: messageId, digest })

const notificationText = {
  title: multilingual(300),
  language,
  summary: text(4000),
  draftRequirement: text(60_000),
  legalBasis: opt(text(500)),
  plannedAdoption: opt(calendarDate)
}
export const notificationEventBody: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ notification: messageId, action: fc.constant('create'), area: fc.constantFrom(...NOTIFICATION_AREAS), closesAt: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), ...notificationText }),
  fc.record({
    notification: messageId, action: fc.constant('modify'),
    title: opt(notificationText.title), language: opt(language), summary: opt(notificationText.summary),
    draftRequirement: opt(notificationText.draftRequirement), legalBasis: notificationText.legalBasis, plannedAdoption: notificationText.plannedAdoption
  }).filter((b) => ['title', 'language', 'summary', 'draftRequirement', 'legalBasis', 'plannedAdoption'].some((f) => (b as Record<string, unknown>)[f] !== undefined)),
  fc.record({ notification: messageId, action: fc.constant('withdraw'), reason: opt(text(500)) }),
  fc.record({ notification: messageId, action: fc.constant('comment'), text: text(8000), language: opt(language), replyTo: opt(messageId) })
).map((b) => defined(b as Record<string, unknown>))

const digestList = fc.array(digest, { maxLength: 20 })
export const erasureBody = fc.record({ request: messageId, reason: fc.constantFrom(...ERASURE_REASONS), deletedAt: safeInt, digests: digestList, attachments: digestList })
export const erasureReceiptBody = fc.record({ request: messageId, for: messageId, deletedAt: safeInt, held: fc.boolean(), digests: digestList, attachments: digestList })

export const subjectCorrectionBody = fc.record({ request: messageId, kind: fc.constantFrom('rectification', 'contest'), at: safeInt })
export const subjectCorrectionData: fc.Arbitrary<{ kind: string, data: Record<string, unknown> }> = fc.oneof(
  fc.record({ kind: fc.constant('rectification'), data: fc.record({ subject: fieldMap(1, 5, 2000), note: opt(text(4000)) }).map((d) => defined(d)) }),
  fc.record({ kind: fc.constant('contest'), data: fc.record({ note: opt(text(4000)) }).map((d) => defined(d)) })
)

export const noteBody = fc.record({ text: anyText(4000) })
export const receiptBody = fc.record({ for: messageId, digest, pd: opt(digest) }).map((b) => defined(b))

/** JSON values without the corners (finite numbers, shallow): what honest senders put in free-form fields. */
export const plainJson: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as Json)
export const plainJsonObject: fc.Arbitrary<Record<string, Json>> = fc.dictionary(fc.string({ maxLength: 10 }), plainJson, { maxKeys: 5 })

const attachmentNames = fc.dictionary(digest, fc.stringMatching(/^[^/\\\p{Cc}]{1,200}$/u).filter((s) => s.length <= 200), { minKeys: 0, maxKeys: 4 })
const answerItem = fc.record({
  question: fc.stringMatching(/^[a-z][a-z0-9.-]{1,119}$/),
  value: opt(plainJson.filter((v) => v !== null)),
  comment: opt(text(4000))
}).map((a) => defined(a)).filter((a) => a.value !== undefined || a.comment !== undefined)

/** Valid request personal data, per action (the actions that carry none take `{}`). */
export const requestPersonalData: fc.Arbitrary<{ action: string, data: Record<string, unknown> }> = fc.oneof(
  fc.record({ action: fc.constant('disclose'), data: fc.record({ subject: opt(fieldMap(1, 5, 2000)), attachmentNames: opt(attachmentNames) }).map((d) => defined(d)) }),
  fc.record({ action: fc.constant('answer'), data: fc.record({ answers: opt(fc.array(answerItem, { minLength: 1, maxLength: 60 })), attachmentNames: opt(attachmentNames) }).map((d) => defined(d)) }),
  fc.record({ action: fc.constantFrom('request-info', 'message'), data: fc.record({ text: opt(text(4000)) }).map((d) => defined(d)) }),
  fc.record({ action: fc.constantFrom('send', 'modify', 'withdraw', 'accept', 'forward', 'split', 'close'), data: fc.constant({}) })
)
