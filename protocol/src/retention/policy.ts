/**
 * Retention of personal data as data, not code (Regulation 1024/2012 Art 14): for each
 * legislative area and kind of procedure, how many days after formal closure personal
 * data are blocked (Art 14(1): as soon as not needed, at the latest 6 months, up to 18
 * where a Union act allows) and deleted (Art 14(4): automatically, 3 years after closure).
 *
 * A policy document names only what differs from the defaults: a `default` rule per kind
 * and, per area, rules per kind. The decoded policy is complete: every area and kind has
 * a rule. The older regime (personal data deleted 6 months after closure) is the policy
 * `{ version: 1, default: { request: { blockAfterDays: 183, deleteAfterDays: 183 } } }`.
 */
import { LEGISLATIVE_AREAS, type LegislativeArea } from '../directory/areas.js'
import { ImiError } from '../errors.js'
import { expectInteger, expectObject, onlyKeys, type SchemaFail } from '../schema.js'

export const PROCEDURE_KINDS = ['request', 'alert', 'notification'] as const
export type ProcedureKind = typeof PROCEDURE_KINDS[number]

export const RETENTION_DAY_MS = 86_400_000
/** Art 14(1): six months. */
export const DEFAULT_BLOCK_AFTER_DAYS = 183
/** Art 14(1): up to eighteen months where a Union act allows. */
export const MAX_BLOCK_AFTER_DAYS = 548
/** Art 14(4): three years (one of them a leap year). */
export const DEFAULT_DELETE_AFTER_DAYS = 1096
export const MAX_DELETE_AFTER_DAYS = DEFAULT_DELETE_AFTER_DAYS

export interface RetentionRule {
  /** Days after formal closure until personal data are blocked: 0 to 548. */
  readonly blockAfterDays: number
  /** Days after formal closure until blocked personal data are deleted: blockAfterDays to 1096. */
  readonly deleteAfterDays: number
}

export type KindRules = Readonly<Record<ProcedureKind, RetentionRule>>

/** A complete policy: a rule for every legislative area and procedure kind. */
export interface RetentionPolicy {
  readonly version: 1
  readonly areas: Readonly<Record<LegislativeArea, KindRules>>
}

export class RetentionPolicyError extends ImiError {
  override name = 'RetentionPolicyError'
  constructor (message: string) { super('ERR_RETENTION_POLICY', message) }
}

const fail: SchemaFail = (message) => { throw new RetentionPolicyError(message) }

export const DEFAULT_RULE: RetentionRule = Object.freeze({ blockAfterDays: DEFAULT_BLOCK_AFTER_DAYS, deleteAfterDays: DEFAULT_DELETE_AFTER_DAYS })

function kindRules (rule: (kind: ProcedureKind) => RetentionRule): KindRules {
  return Object.freeze(Object.fromEntries(PROCEDURE_KINDS.map((k) => [k, Object.freeze({ ...rule(k) })]))) as KindRules
}

/** Six months to blocking, three years to deletion, for every area and kind. */
export const DEFAULT_RETENTION_POLICY: RetentionPolicy = Object.freeze({
  version: 1,
  areas: Object.freeze(Object.fromEntries(LEGISLATIVE_AREAS.map((a) => [a, kindRules(() => DEFAULT_RULE)]))) as RetentionPolicy['areas']
})

function checkRule (rule: RetentionRule, path: string): RetentionRule {
  if (rule.blockAfterDays > MAX_BLOCK_AFTER_DAYS) fail(`${path}.blockAfterDays may be at most ${MAX_BLOCK_AFTER_DAYS} (18 months)`)
  if (rule.deleteAfterDays > MAX_DELETE_AFTER_DAYS) fail(`${path}.deleteAfterDays may be at most ${MAX_DELETE_AFTER_DAYS} (3 years)`)
  if (rule.deleteAfterDays < rule.blockAfterDays) fail(`${path}.deleteAfterDays must not come before blockAfterDays`)
  return rule
}

function partialRule (v: unknown, path: string, base: RetentionRule): RetentionRule {
  const o = expectObject(v, path, fail)
  onlyKeys(o, ['blockAfterDays', 'deleteAfterDays'], path, fail)
  return checkRule({
    blockAfterDays: o.blockAfterDays === undefined ? base.blockAfterDays : expectInteger(o.blockAfterDays, `${path}.blockAfterDays`, fail),
    deleteAfterDays: o.deleteAfterDays === undefined ? base.deleteAfterDays : expectInteger(o.deleteAfterDays, `${path}.deleteAfterDays`, fail)
  }, path)
}

function partialKinds (v: unknown, path: string, base: (kind: ProcedureKind) => RetentionRule): KindRules {
  const o = expectObject(v, path, fail)
  onlyKeys(o, PROCEDURE_KINDS, path, fail)
  return kindRules((k) => o[k] === undefined ? base(k) : partialRule(o[k], `${path}.${k}`, base(k)))
}

/**
 * Reads a policy document (from a node's settings file) into a complete policy. Unknown
 * areas, kinds and fields are refused, so a typo never silently keeps the default.
 */
export function decodeRetentionPolicy (doc: unknown): RetentionPolicy {
  const o = expectObject(doc, 'retention', fail)
  onlyKeys(o, ['version', 'default', 'areas'], 'retention', fail)
  if (o.version !== 1) fail('retention.version must be 1')
  const defaults = o.default === undefined ? kindRules(() => DEFAULT_RULE) : partialKinds(o.default, 'retention.default', () => DEFAULT_RULE)
  const areas = o.areas === undefined ? {} : expectObject(o.areas, 'retention.areas', fail)
  onlyKeys(areas, LEGISLATIVE_AREAS, 'retention.areas', fail)
  return Object.freeze({
    version: 1,
    areas: Object.freeze(Object.fromEntries(LEGISLATIVE_AREAS.map((a) => [a,
      areas[a] === undefined ? defaults : partialKinds(areas[a], `retention.areas.${a}`, (k) => defaults[k])
    ]))) as RetentionPolicy['areas']
  })
}

/** The rule for one kind of procedure in one area (the default rule for an area the policy predates). */
export function retentionRule (policy: RetentionPolicy, kind: ProcedureKind, area: string): RetentionRule {
  return (policy.areas as Readonly<Record<string, KindRules | undefined>>)[area]?.[kind] ?? DEFAULT_RULE
}

export interface RetentionDates {
  /** From this instant the personal data are blocked. */
  readonly blockAt: number
  /** From this instant the personal data are deleted. */
  readonly deleteAt: number
}

/** When a procedure formally closed at `closedAt` (ms) is blocked and deleted. */
export function retentionDates (policy: RetentionPolicy, kind: ProcedureKind, area: string, closedAt: number): RetentionDates {
  const rule = retentionRule(policy, kind, area)
  return { blockAt: closedAt + rule.blockAfterDays * RETENTION_DAY_MS, deleteAt: closedAt + rule.deleteAfterDays * RETENTION_DAY_MS }
}
