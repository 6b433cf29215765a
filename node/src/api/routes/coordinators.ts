/**
 * POST /coordinators: the operator creates the national coordinator's account, the one
 * thing the operator's token does with accounts. From then on, the coordinator manages
 * authorities and their administrators manage their users.
 */
import { Hono } from 'hono'
import type { UserAccounts } from '../../services/accounts/user-accounts.js'
import { parseNewUser } from '../accounts-input.js'
import { bodyLimit } from '../middleware/body-limit.js'
import { requireOperator } from '../middleware/guards.js'
import { readJson } from '../input.js'
import { actorOf, type ApiEnv } from '../principal.js'

export function coordinatorRoutes (node: { readonly accounts: Pick<UserAccounts, 'createCoordinator'> }): Hono<ApiEnv> {
  return new Hono<ApiEnv>().post('/coordinators', requireOperator(), bodyLimit(16 * 1024), async (c) => {
    return c.json(await node.accounts.createCoordinator(actorOf(c), parseNewUser(await readJson(c))), 201)
  })
}
