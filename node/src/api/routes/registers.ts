/**
 * This state's national registers, published to the directory: every official reads
 * them, the coordinator maintains them (one, or a whole list in one write).
 */
import { Hono } from 'hono'
import { LOCAL_ID_PATTERN } from '@imi/protocol'
import { InvalidRequestError, NotFoundError } from '../../errors.js'
import type { AuthorityRegistry } from '../../services/authorities/authority-registry.js'
import { demand, mayManageAuthorities } from '../../services/accounts/permissions.js'
import { bodyLimit } from '../middleware/body-limit.js'
import { requireUser } from '../middleware/guards.js'
import { expectArray, expectObject, expectString, onlyKeys, readJson } from '../input.js'
import { actorOf, type ApiEnv } from '../principal.js'

export type RegistersApi = Pick<AuthorityRegistry, 'listRegisters' | 'getRegister' | 'putRegisters' | 'removeRegister'>

export function registerRoutes (node: { readonly authorities: RegistersApi }): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>()
  app.use('/registers', requireUser())
  app.use('/registers/*', requireUser())
  const id = (v: string): string => expectString(v, 'id', LOCAL_ID_PATTERN)
  return app
    .get('/registers', (c) => c.json({ registers: node.authorities.listRegisters() }))
    .post('/registers', bodyLimit(4 * 1024 * 1024), async (c) => {
      demand(mayManageAuthorities(actorOf(c)), 'maintain registers')
      const o = expectObject(await readJson(c), 'request body')
      onlyKeys(o, ['registers'], 'request body')
      return c.json({ registers: await node.authorities.putRegisters(expectArray(o.registers, 'registers', 1000)) })
    })
    .get('/registers/:id', (c) => {
      const entry = node.authorities.getRegister(id(c.req.param('id')))
      if (entry === undefined) throw new NotFoundError('no such register on this node')
      return c.json(entry)
    })
    .put('/registers/:id', bodyLimit(64 * 1024), async (c) => {
      demand(mayManageAuthorities(actorOf(c)), 'maintain registers')
      const key = id(c.req.param('id'))
      const body = expectObject(await readJson(c), 'request body')
      if (body.id !== key) throw new InvalidRequestError('the register\'s id must match the path')
      const [entry] = await node.authorities.putRegisters([body])
      return c.json(entry)
    })
    .delete('/registers/:id', async (c) => {
      demand(mayManageAuthorities(actorOf(c)), 'maintain registers')
      await node.authorities.removeRegister(id(c.req.param('id')))
      return c.body(null, 204)
    })
}
