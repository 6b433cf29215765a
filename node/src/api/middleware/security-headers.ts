/**
 * Headers for a JSON-only API: nothing it returns may be sniffed into HTML, framed,
 * cached by a proxy or followed by a referrer. Applied to error responses too.
 */
import type { MiddlewareHandler } from 'hono'

const HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin'
}

export function securityHeaders (): MiddlewareHandler {
  return async function setSecurityHeaders (c, next) {
    await next()
    for (const [name, value] of Object.entries(HEADERS)) c.res.headers.set(name, value)
  }
}
