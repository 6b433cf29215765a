/**
 * The one authentication step for every route but health, log-in and join requests.
 * `Authorization: Bearer` carries either the operator's API token or an official's
 * session token (for back-office clients); a browser sends the session in the
 * `imi_session` cookie instead. A cookie rides along with any request the browser makes,
 * so a state-changing call on a cookie must also carry the session's CSRF token in
 * X-CSRF-Token, which another site cannot read.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import type { UserAccounts } from '../../services/accounts/user-accounts.js'
import { ForbiddenError, UnauthorizedError } from '../errors.js'
import type { ApiEnv } from '../principal.js'

export const SESSION_COOKIE = 'imi_session'
export const CSRF_HEADER = 'X-CSRF-Token'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest()
const sameSecret = (a: string, b: Buffer): boolean => timingSafeEqual(digest(a), b)

export interface AuthenticateInit {
  /** The operator's API token (see token.ts). */
  readonly operatorToken: string
  readonly accounts?: Pick<UserAccounts, 'authenticate'>
}

export function authenticate (init: AuthenticateInit): MiddlewareHandler<ApiEnv> {
  if (init.operatorToken.length < 16) throw new Error('the API token is too short')
  const operator = digest(init.operatorToken)
  return async function authenticateCaller (c, next) {
    const header = c.req.header('Authorization')
    if (header !== undefined) {
      const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header)
      if (match === null) throw new UnauthorizedError()
      const token = match[1]!
      if (sameSecret(token, operator)) {
        c.set('principal', { kind: 'operator' })
      } else {
        if (init.accounts === undefined) throw new UnauthorizedError()
        c.set('principal', { kind: 'user', auth: await init.accounts.authenticate(token), via: 'bearer' })
      }
      await next()
      return
    }
    const cookie = getCookie(c, SESSION_COOKIE)
    if (cookie === undefined || init.accounts === undefined) throw new UnauthorizedError('log in, or send a bearer token')
    const auth = await init.accounts.authenticate(cookie)
    if (!SAFE_METHODS.has(c.req.method)) {
      const sent = c.req.header(CSRF_HEADER)
      if (sent === undefined || !sameSecret(sent, digest(auth.csrf))) throw new ForbiddenError(`${CSRF_HEADER} is missing or wrong`, 'ERR_CSRF')
    }
    c.set('principal', { kind: 'user', auth, via: 'cookie' })
    await next()
  }
}
