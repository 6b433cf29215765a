/**
 * The one place where errors become HTTP responses. Every error body has the same
 * shape, `{ error: { code, message } }`, and the code is the ImiError's stable code,
 * so clients branch on codes, never on message text. Anything unexpected becomes a
 * 500 that says nothing about the inside of the node.
 */
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ImiError } from '@imi/protocol'
import type { Logger } from '../services/logger.js'

/** An error that carries its own HTTP status, for the rare case no code mapping fits. */
export class HttpError extends ImiError {
  override name = 'HttpError'
  constructor (readonly status: ContentfulStatusCode, code: string, message: string) { super(code, message) }
}

export class InvalidJsonError extends ImiError {
  override name = 'InvalidJsonError'
  constructor () { super('ERR_INVALID_JSON', 'request body is not valid JSON') }
}

export class UnauthorizedError extends ImiError {
  override name = 'UnauthorizedError'
  constructor (message = 'a valid bearer token is required') { super('ERR_UNAUTHORIZED', message) }
}

export class ForbiddenError extends ImiError {
  override name = 'ForbiddenError'
  constructor (message: string, code = 'ERR_FORBIDDEN') { super(code, message) }
}

export class PayloadTooLargeError extends ImiError {
  override name = 'PayloadTooLargeError'
  constructor (maxBytes: number) { super('ERR_PAYLOAD_TOO_LARGE', `request body exceeds ${maxBytes} bytes`) }
}

export class UnsupportedMediaTypeError extends ImiError {
  override name = 'UnsupportedMediaTypeError'
  constructor () { super('ERR_UNSUPPORTED_MEDIA_TYPE', 'request body must be application/json') }
}

const STATUS_BY_CODE: Readonly<Record<string, ContentfulStatusCode>> = {
  ERR_NOT_FOUND: 404,
  ERR_INVALID_REQUEST: 400,
  ERR_UNKNOWN_AUTHORITY: 422,
  ERR_INVALID_JSON: 400,
  ERR_BODY_SCHEMA: 400,
  ERR_UNKNOWN_KIND: 400,
  ERR_ROSTER_SCHEMA: 400,
  ERR_UNAUTHORIZED: 401,
  ERR_FORBIDDEN: 403,
  ERR_CSRF: 403,
  ERR_WRONG_PASSWORD: 403,
  ERR_INVALID_CREDENTIALS: 401,
  ERR_ACCOUNT_LOCKED: 423,
  ERR_CONFLICT: 409,
  ERR_RATE_LIMITED: 429,
  ERR_TRANSITION_NOT_ALLOWED: 409,
  ERR_NOT_PARTY: 403,
  ERR_INVALID_REQUEST_EVENT: 422,
  ERR_INVALID_ANSWER: 400,
  ERR_UNKNOWN_QUESTION: 400,
  ERR_INVALID_STATE: 409,
  ERR_ROSTER_VERSION: 409,
  ERR_PAYLOAD_TOO_LARGE: 413,
  ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  ERR_ROSTER_QUORUM: 422,
  ERR_ROSTER_CHAIN: 422,
  ERR_ROSTER_SIGNATURE: 422,
  ERR_NOT_RUNNING: 503
}

/** The HTTP status for an error code; undefined for codes the API does not expose. */
export function statusForCode (code: string): ContentfulStatusCode | undefined {
  return STATUS_BY_CODE[code] ?? (code.startsWith('ERR_ENVELOPE_') ? 400 : undefined)
}

export interface ErrorBody {
  readonly error: { readonly code: string, readonly message: string }
}

export function errorBody (code: string, message: string): ErrorBody {
  return { error: { code, message } }
}

/** Hono's `onError`: maps `err` and logs what the client is not told. */
export function errorHandler (logger: Logger) {
  return function mapError (err: Error, c: Context): Response {
    if (err instanceof ImiError) {
      const status = err instanceof HttpError ? err.status : statusForCode(err.code)
      if (status !== undefined) {
        if (status === 401) c.header('WWW-Authenticate', 'Bearer')
        const retryAfterMs = (err as { retryAfterMs?: unknown }).retryAfterMs
        if (typeof retryAfterMs === 'number') c.header('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))))
        return c.json(errorBody(err.code, err.message), status)
      }
    } else if (err instanceof HTTPException && err.status < 500) {
      return c.json(errorBody(`ERR_HTTP_${err.status}`, err.message), err.status as ContentfulStatusCode)
    }
    // The route pattern, not the path: paths hold user names and other identifiers.
    logger.error('api request failed', { method: c.req.method, route: c.req.routePath, code: err instanceof ImiError ? err.code : err.name })
    return c.json(errorBody('ERR_INTERNAL', 'internal error'), 500)
  }
}

export function notFoundHandler (c: Context): Response {
  return c.json(errorBody('ERR_NOT_FOUND', 'no such route'), 404)
}
