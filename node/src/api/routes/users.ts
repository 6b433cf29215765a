/**
 * An authority's users, managed by its local data administrators (and the coordinator).
 * Every route names the authority, and the service checks the caller administers it:
 * another authority's users are "not found", not merely forbidden.
 */
import { Hono } from 'hono'
import { LOCAL_ID_PATTERN } from '@imi/protocol'
import { USERNAME_PATTERN, type UserAccounts } from '../../services/accounts/user-accounts.js'
import { parseNewUser, parseUserChanges } from '../accounts-input.js'
import { bodyLimit } from '../middleware/body-limit.js'
import { requireUser } from '../middleware/guards.js'
import { expectObject, expectString, onlyKeys, readJson } from '../input.js'
import { actorOf, type ApiEnv } from '../principal.js'

const MAX_USER_BYTES = 16 * 1024
export type UsersApi = Pick<UserAccounts, 'listUsers' | 'createUser' | 'getUser' | 'updateUser' | 'unlock' | 'setPassword'>

export function userRoutes (node: { readonly accounts: UsersApi }): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>()
  app.use('/authorities/:id/users', requireUser())
  app.use('/authorities/:id/users/*', requireUser())
  const authority = (v: string): string => expectString(v, 'authority', LOCAL_ID_PATTERN)
  const username = (v: string): string => expectString(v, 'username', USERNAME_PATTERN)
  return app
    .get('/authorities/:id/users', async (c) => c.json({ users: await node.accounts.listUsers(actorOf(c), authority(c.req.param('id'))) }))
    .post('/authorities/:id/users', bodyLimit(MAX_USER_BYTES), async (c) => {
      const id = authority(c.req.param('id'))
      const user = await node.accounts.createUser(actorOf(c), id, parseNewUser(await readJson(c)))
      c.header('Location', `/api/v1/authorities/${id}/users/${user.username}`)
      return c.json(user, 201)
    })
    .get('/authorities/:id/users/:username', async (c) => {
      return c.json(await node.accounts.getUser(actorOf(c), authority(c.req.param('id')), username(c.req.param('username'))))
    })
    .patch('/authorities/:id/users/:username', bodyLimit(MAX_USER_BYTES), async (c) => {
      const changes = parseUserChanges(await readJson(c))
      return c.json(await node.accounts.updateUser(actorOf(c), authority(c.req.param('id')), username(c.req.param('username')), changes))
    })
    .post('/authorities/:id/users/:username/unlock', async (c) => {
      return c.json(await node.accounts.unlock(actorOf(c), authority(c.req.param('id')), username(c.req.param('username'))))
    })
    .put('/authorities/:id/users/:username/password', bodyLimit(4096), async (c) => {
      const o = expectObject(await readJson(c), 'request body')
      onlyKeys(o, ['password'], 'request body')
      await node.accounts.setPassword(actorOf(c), authority(c.req.param('id')), username(c.req.param('username')), expectString(o.password, 'password'))
      return c.body(null, 204)
    })
}
