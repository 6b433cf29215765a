/**
 * Input checks at the edge: every request body and parameter is checked here before a
 * service sees it, and every failure is a 400 with code ERR_INVALID_REQUEST naming the
 * field. Bodies of message kinds are then checked by the protocol's own validators.
 */
import type { Context } from 'hono'
import { isCountryCode } from '@imi/protocol'
import { InvalidRequestError } from '../errors.js'
import { InvalidJsonError, UnsupportedMediaTypeError } from './errors.js'

export type JsonObject = Record<string, unknown>

/** The parsed JSON body; the size limit has already been applied by middleware. */
export async function readJson (c: Context): Promise<unknown> {
  const type = c.req.header('Content-Type') ?? ''
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new UnsupportedMediaTypeError()
  const text = await c.req.text()
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new InvalidJsonError()
  }
}

export function expectObject (v: unknown, what: string): JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InvalidRequestError(`${what} must be a JSON object`)
  return v as JsonObject
}

export function onlyKeys (o: JsonObject, allowed: readonly string[], what: string): void {
  const extra = Object.keys(o).find((k) => !allowed.includes(k))
  if (extra !== undefined) throw new InvalidRequestError(`${what}: "${extra.slice(0, 40)}" is not allowed`)
}

export function expectString (v: unknown, field: string, pattern?: RegExp): string {
  if (typeof v !== 'string' || v.length === 0) throw new InvalidRequestError(`${field} must be a non-empty string`)
  if (pattern !== undefined && !pattern.test(v)) throw new InvalidRequestError(`${field} is malformed`)
  return v
}

export function expectCountry (v: unknown, field: string): string {
  if (!isCountryCode(v)) throw new InvalidRequestError(`${field} must be an EU/EEA member state code such as PL`)
  return v
}

/** One of `allowed`, or `fallback` when absent. */
export function expectOneOf<T extends string> (v: string | undefined, field: string, allowed: readonly T[], fallback: T): T {
  if (v === undefined) return fallback
  if (!(allowed as readonly string[]).includes(v)) throw new InvalidRequestError(`${field} must be one of ${allowed.join(', ')}`)
  return v as T
}

export function expectIntegerParam (v: string | undefined, field: string, min: number, max: number, fallback: number): number {
  if (v === undefined) return fallback
  const n = /^\d{1,6}$/.test(v) ? Number(v) : Number.NaN
  if (!(n >= min && n <= max)) throw new InvalidRequestError(`${field} must be an integer from ${min} to ${max}`)
  return n
}

export function expectArray (v: unknown, field: string, max: number): unknown[] {
  if (!Array.isArray(v)) throw new InvalidRequestError(`${field} must be a list`)
  if (v.length > max) throw new InvalidRequestError(`${field} must have at most ${max} items`)
  return v
}
