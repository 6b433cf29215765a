/**
 * The four properties every structural decoder gets (issue 9, part 6):
 *
 * 1. totality: hostile JSON, arbitrary JavaScript values and near misses of valid values
 *    are either decoded or refused with an ImiError carrying the decoder's code;
 * 2. acceptance: valid values decode to what they say, and the decoded value is a fixpoint
 *    (its JSON decodes to itself, with the same canonical JSON);
 * 3. mutation: a valid value with one value's type changed, one unknown field added, or
 *    one required field removed is refused with the decoder's code;
 * 4. limits: a field at each documented limit is accepted, one unit over it refused.
 */
import { expect } from 'chai'
import fc from 'fast-check'
import { canonicalJson, type Json } from '../../src/index.js'
import { schemaMutation, totalityInputs, updateAt, type Path, type SchemaMutation } from './arbitraries.js'
import { accepted, refused, total, type Properties } from './harness.js'

export interface Limit {
  readonly what: string
  /** A valid value to put the field into. */
  readonly base: fc.Arbitrary<unknown>
  /** `base` with the limited field at size (or value) `n`. */
  readonly at: (base: never, n: number) => unknown
  readonly max?: number
  readonly min?: number
}

export interface DecoderSpec<V> {
  readonly name: string
  readonly decode: (v: unknown) => unknown
  /** Codes a refusal may carry. */
  readonly codes: readonly string[]
  readonly valid: fc.Arbitrary<V>
  /** What `decode` returns for a valid value (the value itself by default). */
  readonly expected?: (v: V) => unknown
  /** The decoder's input again, from its (JSON round-tripped) output: for the fixpoint check. */
  readonly refeed?: (decoded: unknown, original: V) => unknown
  /** Inputs of the totality property (hostile JSON, anything, near misses of `valid` by default). */
  readonly hostile?: fc.Arbitrary<unknown>
  /** Objects that (knowingly) admit unknown fields: no extra field is added there. */
  readonly open?: (p: Path) => boolean
  /** Free-form subtrees that schema mutations leave alone. */
  readonly skip?: (p: Path) => boolean
  /** Top-level fields of `v` whose absence the decoder must refuse. */
  readonly required?: (v: V) => readonly string[]
  /** Body validators registered for the same kind: they must accept what the decoder accepts. */
  readonly validators?: ReadonlyArray<(v: Json) => void>
  readonly limits?: readonly Limit[]
  readonly runs?: { readonly total?: number, readonly valid?: number, readonly mutation?: number, readonly limits?: number }
}

/** A number near each end of a limit: what `at` is called with. */
function around (limit: Limit): fc.Arbitrary<number> {
  const ends: Array<fc.Arbitrary<number>> = []
  if (limit.max !== undefined) ends.push(fc.integer({ min: Math.max(0, limit.max - 2), max: limit.max + 3 }))
  if (limit.min !== undefined) ends.push(fc.integer({ min: Math.max(0, limit.min - 3), max: limit.min + 2 }))
  return fc.oneof(...ends)
}

export function decoderProperties<V> (p: Properties, spec: DecoderSpec<V>): void {
  const { name, decode, codes } = spec
  const runs = { total: 1500, valid: 1000, mutation: 1200, limits: 500, ...spec.runs }

  p.check(`${name}: total over hostile and mutated inputs`, runs.total, spec.hostile ?? totalityInputs(spec.valid as fc.Arbitrary<unknown>), (input) => {
    total(() => decode(input), codes)
  })

  p.check(`${name}: accepts every valid value; the result is a fixpoint`, runs.valid, spec.valid, (v) => {
    const decoded = accepted(() => decode(v))
    expect(decoded).to.deep.equal(spec.expected === undefined ? v : spec.expected(v))
    if (decoded !== undefined) {
      const refeed = spec.refeed ?? ((d: unknown) => d)
      const again = accepted(() => decode(refeed(JSON.parse(JSON.stringify(decoded)) as unknown, v)))
      expect(again).to.deep.equal(decoded)
      expect(canonicalJson(again)).to.equal(canonicalJson(decoded))
    }
    for (const validate of spec.validators ?? []) validate(v as Json)
  })

  const mutations: fc.Arbitrary<SchemaMutation> = spec.valid.chain((v) => {
    const required = spec.required?.(v) ?? []
    const drop = required.length === 0
      ? []
      : [fc.constantFrom(...required).map((k) => ({ what: `${k} removed`, value: updateAt(v, [k], () => undefined) }))]
    return fc.oneof(schemaMutation(v, spec.skip, spec.open), ...drop)
  })
  p.check(`${name}: refuses every schema mutation of a valid value`, runs.mutation, mutations, (m) => {
    refused(() => decode(m.value), codes)
    for (const validate of spec.validators ?? []) {
      try {
        validate(m.value as Json)
      } catch {
        continue
      }
      throw new Error(`a body validator accepted ${m.what}`)
    }
  })

  if (spec.limits !== undefined && spec.limits.length > 0) {
    const limits = spec.limits
    // The counterexample names the limit by its description, not by its (unprintable) arbitraries.
    const cases = fc.integer({ min: 0, max: limits.length - 1 }).chain((i) =>
      fc.tuple(fc.constant(limits[i]!.what), limits[i]!.base, around(limits[i]!)))
    p.check(`${name}: ${limits.length} size limits, accepted iff within`, runs.limits, cases, ([what, base, n]) => {
      const limit = limits.find((l) => l.what === what)!
      const value = limit.at(base as never, n)
      const within = (limit.min === undefined || n >= limit.min) && (limit.max === undefined || n <= limit.max)
      if (within) {
        accepted(() => decode(value))
      } else {
        refused(() => decode(value), codes)
      }
    }, { budgetMs: 3000 })
  }
}

/** `n` UTF-16 code units of text that starts with a visible character, using `unit` as filler. */
export function textOf (n: number, unit = 'x'): string {
  if (n <= 0) return ''
  return ('x' + unit.repeat(Math.ceil(n / unit.length))).slice(0, n)
}

/** Filler units: one code unit, accented, a surrogate pair (two code units), a space. */
export const fillUnit = fc.constantFrom('x', 'é', '\ud83d\ude00', ' y', 'Ω')
