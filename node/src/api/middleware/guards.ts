/** Route guards after authentication: which kind of caller a group of routes serves. */
import type { MiddlewareHandler } from 'hono'
import { ForbiddenError } from '../errors.js'
import type { ApiEnv } from '../principal.js'

/** The node's own operations (roster, evidence, outbox, status): the operator's token only. */
export function requireOperator (): MiddlewareHandler<ApiEnv> {
  return async function operatorOnly (c, next) {
    if (c.get('principal').kind !== 'operator') throw new ForbiddenError('this is for the node\'s operator (API token)')
    await next()
  }
}

/** Officials' work: a logged-in user, never the operator's token. */
export function requireUser (): MiddlewareHandler<ApiEnv> {
  return async function userOnly (c, next) {
    if (c.get('principal').kind !== 'user') throw new ForbiddenError('log in as an official: the operator\'s token does not give access to officials\' work')
    await next()
  }
}
