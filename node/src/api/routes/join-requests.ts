/**
 * POST /join-requests: an authority asks to join IMI through this node. Registration is
 * open only to authorities and a coordinator approves it; until then the authority is
 * pending, unpublished, and its administrator cannot log in. No authentication, so the
 * body is small and the number of waiting requests is capped by the service.
 */
import { Hono } from 'hono'
import type { UserAccounts } from '../../services/accounts/user-accounts.js'
import { parseNewUser } from '../accounts-input.js'
import { bodyLimit } from '../middleware/body-limit.js'
import { expectObject, onlyKeys, readJson } from '../input.js'
import type { ApiEnv } from '../principal.js'

const MAX_JOIN_BYTES = 32 * 1024

export function joinRequestRoutes (node: { readonly accounts: Pick<UserAccounts, 'requestToJoin'> }): Hono<ApiEnv> {
  return new Hono<ApiEnv>().post('/join-requests', bodyLimit(MAX_JOIN_BYTES), async (c) => {
    const o = expectObject(await readJson(c), 'request body')
    onlyKeys(o, ['authority', 'admin'], 'request body')
    const joined = await node.accounts.requestToJoin(expectObject(o.authority, 'authority'), parseNewUser(o.admin, 'admin'))
    return c.json({ authority: joined.authority, status: 'pending', admin: joined.admin }, 202)
  })
}
