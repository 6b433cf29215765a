/**
 * Who is calling, decided once by the authenticate middleware and read by every route:
 * the operator (API token) or an official (session). Routes turn it into the Actor that
 * the services' permission checks take.
 */
import type { Context } from 'hono'
import type { Authenticated } from '../services/accounts/user-accounts.js'
import type { Actor } from '../services/accounts/permissions.js'

export type Principal =
  | { readonly kind: 'operator' }
  | { readonly kind: 'user', readonly auth: Authenticated, readonly via: 'cookie' | 'bearer' }

export interface ApiEnv { Variables: { principal: Principal } }

export function principalOf (c: Context<ApiEnv>): Principal {
  return c.get('principal')
}

export function actorOf (c: Context<ApiEnv>): Actor {
  const p = c.get('principal')
  return p.kind === 'operator' ? { kind: 'operator' } : p.auth.actor
}
