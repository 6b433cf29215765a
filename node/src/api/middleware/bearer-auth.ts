/**
 * Operator authentication: `Authorization: Bearer <token>`. Both sides are hashed before
 * the constant-time comparison, so neither the token's content nor its length leaks
 * through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { UnauthorizedError } from '../errors.js'

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest()

export function bearerAuth (token: string): MiddlewareHandler {
  if (token.length < 16) throw new Error('the API token is too short')
  const expected = digest(token)
  return async function requireBearerToken (c, next) {
    const header = c.req.header('Authorization') ?? ''
    const match = /^Bearer ([\x21-\x7e]+)$/.exec(header)
    if (match === null || !timingSafeEqual(digest(match[1]!), expected)) throw new UnauthorizedError()
    await next()
  }
}
