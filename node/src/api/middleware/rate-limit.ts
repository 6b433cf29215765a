/**
 * Per-caller request budgets: every authenticated caller (a session, or the operator)
 * has its own, and log-in attempts have one per client address, so spraying passwords
 * over many accounts is slowed as well as guessing one (which the account lock-out stops).
 */
import type { Context, MiddlewareHandler } from 'hono'
import { RateLimitedError } from '../../errors.js'
import type { RateLimiter } from '../../rate-limit.js'
import type { ApiEnv } from '../principal.js'

/** The socket's address when served by @hono/node-server; in-process calls share one key. */
export function clientAddress (c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
  return incoming?.socket?.remoteAddress ?? 'in-process'
}

function limited (limiter: RateLimiter, key: string): never {
  throw new RateLimitedError(limiter.retryAfter(key) * 1000)
}

export function limitPerPrincipal (limiter: RateLimiter): MiddlewareHandler<ApiEnv> {
  return async function perPrincipalBudget (c, next) {
    const p = c.get('principal')
    const key = p.kind === 'operator' ? 'operator' : `session:${p.auth.sessionId}`
    if (!limiter.take(key)) limited(limiter, key)
    await next()
  }
}

export function limitPerClient (limiter: RateLimiter): MiddlewareHandler {
  return async function perClientBudget (c, next) {
    const key = clientAddress(c)
    if (!limiter.take(key)) limited(limiter, key)
    await next()
  }
}
