/** Every resource except health needs a started node: before that, its services do not exist. */
import type { MiddlewareHandler } from 'hono'
import { NotRunningError } from '../../errors.js'
import type { ApiNode } from '../api-node.js'

export function requireRunning (node: Pick<ApiNode, 'running'>): MiddlewareHandler {
  return async function requireRunningNode (_c, next) {
    if (!node.running) throw new NotRunningError()
    await next()
  }
}
