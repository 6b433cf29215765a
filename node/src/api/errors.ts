/**
 * The one place errors become HTTP responses. Codes are the protocol's stable codes;
 * anything unexpected is a 500 that says nothing about internals.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ImiError } from '@imi/protocol'

export class HttpError extends ImiError {
  override name = 'HttpError'
  constructor (readonly status: ContentfulStatusCode, code: string, message: string) { super(code, message) }
}

const STATUS_BY_CODE: Record<string, ContentfulStatusCode> = {
  ERR_NOT_FOUND: 404,
  ERR_UNAUTHORIZED: 401,
  ERR_FORBIDDEN: 403,
  ERR_PAYLOAD_TOO_LARGE: 413,
  ERR_NOT_RUNNING: 503,
  ERR_ROSTER_QUORUM: 422,
  ERR_ROSTER_CHAIN: 422,
  ERR_ROSTER_SIGNATURE: 422,
  ERR_ROSTER_VERSION: 409
}

export function statusFor (err: ImiError): ContentfulStatusCode {
  if (err instanceof HttpError) return err.status
  // Everything else a caller sent that failed validation (schema, envelope, body) is a 400.
  return STATUS_BY_CODE[err.code] ?? (err.code === 'ERR_INTERNAL' ? 500 : 400)
}

export function errorResponse (err: unknown, c: Context): Response {
  if (err instanceof ImiError) return c.json({ error: { code: err.code, message: err.message } }, statusFor(err))
  return c.json({ error: { code: 'ERR_INTERNAL', message: 'internal error' } }, 500)
}
