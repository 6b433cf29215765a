/**
 * Property tests of the HTTP API's edge checks (node/src/api/input.ts and the account
 * bodies built on them): every input is either taken or refused with an ImiError
 * (ERR_INVALID_REQUEST, ERR_INVALID_JSON, ERR_UNSUPPORTED_MEDIA_TYPE), never a crash
 * that would become a 500 (issue 9, part 6).
 */
import { expect } from 'chai'
import fc from 'fast-check'
import { Hono } from 'hono'
import { isCountryCode } from '@imi/protocol'
import {
  expectArray, expectCountry, expectIntegerParam, expectObject, expectOneOf, expectString, onlyKeys, readJson
} from '../../src/api/input.js'
import { parseGrants, parseNewUser, parseUserChanges } from '../../src/api/accounts-input.js'
import { anyValue, hostileBytes, hostileJson, shallowJsonText, stringMutation } from '../../../protocol/test/property/arbitraries.js'
import { decoderProperties } from '../../../protocol/test/property/decoder-suite.js'
import { outcome, properties, total, type Outcome } from '../../../protocol/test/property/harness.js'

const INVALID = ['ERR_INVALID_REQUEST']

/** Runs readJson inside a real Hono request, as the API does, and reports what it did. */
async function readJsonVia (contentType: string | undefined, body: Uint8Array): Promise<Outcome<unknown>> {
  let value: unknown
  let error: unknown
  let ran = false
  const app = new Hono()
  app.post('/', async (c) => {
    ran = true
    try { value = await readJson(c) } catch (err) { error = err }
    return c.text('')
  })
  await app.request('/', { method: 'POST', body, headers: contentType === undefined ? {} : { 'Content-Type': contentType } })
  expect(ran).to.equal(true)
  return outcome(() => {
    if (error !== undefined) throw error
    return value
  })
}

const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'Application/Json;charset=UTF-8', 'application/json;',
  'application/json ;x=1', 'application/jsonx', 'application/json-patch+json', 'text/plain', 'text/json', 'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x', ' application/json', 'application/json\t', ''
]

const nonEmpty = fc.string({ unit: 'binary', minLength: 1, maxLength: 30 })

const grants = fc.array(fc.record({ area: nonEmpty, role: nonEmpty }), { maxLength: 4 })
const newUser = fc.record({
  username: nonEmpty,
  displayName: nonEmpty,
  password: nonEmpty,
  email: fc.option(nonEmpty, { nil: undefined }),
  language: fc.option(nonEmpty, { nil: undefined }),
  grants: fc.option(grants, { nil: undefined })
}).map(dropUndefined)
const userChanges = fc.record({
  displayName: fc.option(nonEmpty, { nil: undefined }),
  email: fc.option(fc.oneof(nonEmpty, fc.constant(null)), { nil: undefined }),
  language: fc.option(nonEmpty, { nil: undefined }),
  grants: fc.option(grants, { nil: undefined }),
  disabled: fc.option(fc.boolean(), { nil: undefined })
}).map(dropUndefined)

function dropUndefined<T extends object> (o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}

describe('property: API input checks (node/src/api/input.ts, accounts-input.ts)', function () {
  const p = properties('API input')

  p.checkAsync('readJson: the body is JSON.parse of its text for application/json, else ERR_INVALID_JSON; other types ERR_UNSUPPORTED_MEDIA_TYPE', 1500,
    fc.tuple(
      fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }),
      fc.oneof(
        // Shallow JSON: the oracle compares values with a recursive deep equality.
        shallowJsonText.map((t) => new TextEncoder().encode(t)),
        shallowJsonText.chain((t) => stringMutation(t)).map((m) => new TextEncoder().encode(m.value)),
        hostileBytes,
        fc.constantFrom('', ' ', '\ufeff{}', '{"a":1}{"b":2}', '[1,]', 'NaN', '1e400', '"\\ud800"').map((t) => new TextEncoder().encode(t))
      )
    ), async ([type, body]) => {
      const out = await readJsonVia(type, body)
      // Headers strip leading and trailing HTTP whitespace from values before the node sees them.
      const seen = (type ?? '').replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '')
      if (!/^application\/json\s*(;|$)/i.test(seen)) {
        expect(out.ok ? 'accepted' : out.error.code).to.equal('ERR_UNSUPPORTED_MEDIA_TYPE')
        return
      }
      let expected: unknown
      let parses = true
      try { expected = JSON.parse(new TextDecoder().decode(body)) } catch { parses = false }
      if (!parses) {
        expect(out.ok ? 'accepted' : out.error.code).to.equal('ERR_INVALID_JSON')
        return
      }
      expect(out.ok, out.ok ? '' : out.error.message).to.equal(true)
      // Compared as JSON text (same key order from the same parser); values too deep to write are compared by shape only.
      const text = (v: unknown): string | undefined => { try { return JSON.stringify(v) } catch { return undefined } }
      if (out.ok) expect(text(out.value)).to.equal(text(expected))
    }, { budgetMs: 3000 })

  p.check('expectObject, onlyKeys: a JSON object is taken, anything else refused; a key outside the allowed ones refused', 3000,
    fc.tuple(fc.oneof(hostileJson, anyValue), fc.uniqueArray(fc.constantFrom('a', 'b', 'username', '__proto__', 'toString', ''), { maxLength: 4 })),
    ([v, allowed]) => {
      const out = total(() => expectObject(v, 'body'), INVALID)
      expect(out.ok).to.equal(typeof v === 'object' && v !== null && !Array.isArray(v))
      if (!out.ok) return
      const keys = total(() => onlyKeys(out.value, allowed, 'body'), INVALID)
      expect(keys.ok).to.equal(Object.keys(out.value).every((k) => (allowed as readonly string[]).includes(k)))
    })

  p.check('expectString: a non-empty string matching the pattern is taken, anything else refused', 3000,
    fc.tuple(fc.oneof(hostileJson, anyValue, fc.string({ maxLength: 20 })), fc.option(fc.constantFrom(/^[a-z]+$/, /\S/, /^.{0,5}$/u), { nil: undefined })),
    ([v, pattern]) => {
      const out = total(() => expectString(v, 'field', pattern), INVALID)
      expect(out.ok).to.equal(typeof v === 'string' && v.length > 0 && (pattern === undefined || pattern.test(v)))
    })

  p.check('expectCountry: exactly the member state codes', 3000, fc.oneof(hostileJson, anyValue, fc.constantFrom('PL', 'pl', 'EL', 'GR', 'UK', 'XX', ' PL')), (v) => {
    const out = total(() => expectCountry(v, 'country'), INVALID)
    expect(out.ok).to.equal(isCountryCode(v))
  })

  p.check('expectOneOf: the fallback when absent, a listed value as is, anything else refused', 3000,
    fc.tuple(fc.option(fc.oneof(fc.constantFrom('open', 'closed', 'all', 'OPEN', '__proto__', 'toString', ''), fc.string({ maxLength: 8 })), { nil: undefined })),
    ([v]) => {
      const out = total(() => expectOneOf(v, 'status', ['open', 'closed', 'all'] as const, 'all'), INVALID)
      if (v === undefined) expect(out.ok ? out.value : out.error.code).to.equal('all')
      else expect(out.ok ? out.value : 'refused').to.equal(['open', 'closed', 'all'].includes(v) ? v : 'refused')
    })

  p.check('expectIntegerParam: one to six digits within [min, max], the fallback when absent, anything else refused', 5000,
    fc.tuple(
      fc.option(fc.oneof(fc.nat({ max: 2_000_000 }).map(String), fc.string({ maxLength: 10 }), fc.constantFrom('0', '00', '007', '-1', '1e3', '1.0', ' 1', '1 ', '+1', '0x10', 'Infinity', 'NaN', '1000000', '999999', '')), { nil: undefined }),
      fc.nat({ max: 1000 }), fc.nat({ max: 1_000_000 })
    ), ([v, min, span]) => {
      const max = min + span
      const out = total(() => expectIntegerParam(v, 'limit', min, max, 42), INVALID)
      if (v === undefined) { expect(out.ok ? out.value : 'refused').to.equal(42); return }
      const ok = /^\d{1,6}$/.test(v) && Number(v) >= min && Number(v) <= max
      expect(out.ok ? out.value : 'refused').to.equal(ok ? Number(v) : 'refused')
    })

  p.check('expectArray: a list of at most max items is taken, anything else refused', 3000,
    fc.tuple(fc.oneof(hostileJson, anyValue, fc.array(fc.nat(), { maxLength: 12 })), fc.nat({ max: 10 })), ([v, max]) => {
      const out = total(() => expectArray(v, 'items', max), INVALID)
      expect(out.ok).to.equal(Array.isArray(v) && v.length <= max)
    })

  decoderProperties(p, {
    name: 'parseNewUser',
    decode: (v) => parseNewUser(v),
    codes: INVALID,
    valid: newUser,
    required: () => ['username', 'displayName', 'password']
  })

  decoderProperties(p, {
    name: 'parseUserChanges',
    decode: parseUserChanges,
    codes: INVALID,
    valid: userChanges,
    // email takes null (clear it) as well as a string: checked on its own below.
    skip: (path) => path.length === 1 && path[0] === 'email'
  })

  p.check('parseUserChanges: email is taken iff null or a non-empty string', 2000, fc.oneof(hostileJson, nonEmpty, fc.constant(null)), (email) => {
    const out = total(() => parseUserChanges({ email }), INVALID)
    expect(out.ok).to.equal(email === null || (typeof email === 'string' && email.length > 0))
  })

  decoderProperties(p, {
    name: 'parseGrants',
    decode: parseGrants,
    codes: INVALID,
    valid: grants
  })
})
