/** Small middleware factories; each returns a named function so stack traces say which. */
import { timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { HttpError } from './errors.js'

/** Headers for a JSON API that no browser should ever render, frame or cache. */
export function securityHeaders (): MiddlewareHandler {
  return async function securityHeadersMiddleware (c, next) {
    await next()
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Referrer-Policy', 'no-referrer')
    c.header('Cache-Control', 'no-store')
    c.header('X-Frame-Options', 'DENY')
    c.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'")
  }
}

/** Refuses bodies over `maxBytes` before reading them (declared length) and while reading. */
export function bodyLimit (maxBytes: number): MiddlewareHandler {
  return async function bodyLimitMiddleware (c, next) {
    const declared = Number(c.req.header('content-length') ?? '0')
    if (declared > maxBytes) throw new HttpError(413, 'ERR_PAYLOAD_TOO_LARGE', `body exceeds ${maxBytes} bytes`)
    await next()
  }
}

/** The operator's bearer token, compared in constant time. */
export function operatorAuth (token: string): MiddlewareHandler {
  const expected = Buffer.from(token)
  return async function operatorAuthMiddleware (c, next) {
    const given = Buffer.from((c.req.header('authorization') ?? '').replace(/^Bearer /, ''))
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new HttpError(401, 'ERR_UNAUTHORIZED', 'a valid bearer token is required')
    }
    await next()
  }
}

/** Reads a JSON body of at most `maxBytes`, whatever the client declared. */
export async function jsonBody (req: Request, maxBytes: number): Promise<unknown> {
  const text = await req.text()
  if (Buffer.byteLength(text) > maxBytes) throw new HttpError(413, 'ERR_PAYLOAD_TOO_LARGE', `body exceeds ${maxBytes} bytes`)
  try {
    return JSON.parse(text)
  } catch {
    throw new HttpError(400, 'ERR_INVALID_JSON', 'body is not JSON')
  }
}
