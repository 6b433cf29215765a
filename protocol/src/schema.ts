/**
 * Tiny structural checks shared by every decoder. Each failure names the path of the
 * offending field so that an operator reading a rejection log knows what was wrong.
 */
import { isCountryCode } from './member-states.js'

export type SchemaFail = (message: string) => never

export type Obj = Record<string, unknown>

export function isObject (v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function expectObject (v: unknown, path: string, fail: SchemaFail): Obj {
  if (!isObject(v)) fail(`${path} must be an object`)
  return v as Obj
}

/** Refuses fields nobody defined: a signed document means exactly what it says. */
export function onlyKeys (o: Obj, allowed: readonly string[], path: string, fail: SchemaFail): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) fail(`${path}.${k} is not allowed`)
  }
}

export function expectString (v: unknown, path: string, fail: SchemaFail, pattern?: RegExp, max = 1024): string {
  if (typeof v !== 'string') fail(`${path} must be a string`)
  const s = v as string
  if (s.length > max) fail(`${path} is longer than ${max} characters`)
  if (pattern !== undefined && !pattern.test(s)) fail(`${path} has an invalid format`)
  return s
}

export function expectInteger (v: unknown, path: string, fail: SchemaFail, min = 0): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) fail(`${path} must be an integer >= ${min}`)
  return v as number
}

export function expectCountry (v: unknown, path: string, fail: SchemaFail): string {
  if (!isCountryCode(v)) fail(`${path} must be a member state code`)
  return v as string
}

export function expectArray (v: unknown, path: string, fail: SchemaFail, max: number, min = 0): unknown[] {
  if (!Array.isArray(v)) fail(`${path} must be an array`)
  const a = v as unknown[]
  if (a.length < min || a.length > max) fail(`${path} must have ${min} to ${max} items`)
  return a
}

export const B64U_PATTERN = /^[A-Za-z0-9_-]*$/
export const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/
export const DIGEST_PATTERN = /^[A-Za-z0-9_-]{43}$/
export const KIND_PATTERN = /^[a-z][a-z0-9.-]{0,63}$/
export const LOCAL_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/
