/**
 * This state's authorities, as its coordinator manages them. Officials read the active
 * ones (and their own); the coordinator sees every status and changes them; a local data
 * administrator edits its own authority's entry. Nothing here is another state's: that
 * is the directory.
 */
import { Hono } from 'hono'
import { LOCAL_ID_PATTERN } from '@imi/protocol'
import { NotFoundError } from '../../errors.js'
import type { AuthorityAction, AuthorityRecord, AuthorityRegistry, AuthorityStatus } from '../../services/authorities/authority-registry.js'
import { demand, isCoordinator, mayEditAuthority, mayManageAuthorities, type Actor } from '../../services/accounts/permissions.js'
import type { UserAccounts } from '../../services/accounts/user-accounts.js'
import { parseNewUser } from '../accounts-input.js'
import { InvalidJsonError } from '../errors.js'
import { bodyLimit } from '../middleware/body-limit.js'
import { requireUser } from '../middleware/guards.js'
import { expectArray, expectObject, expectOneOf, expectString, onlyKeys, readJson } from '../input.js'
import { actorOf, type ApiEnv } from '../principal.js'

const MAX_AUTHORITY_BYTES = 32 * 1024
/** A whole state's authorities in one import: the largest hold about 2,000. */
const MAX_IMPORT_BYTES = 8 * 1024 * 1024
const STATUSES = ['any', 'pending', 'active', 'suspended', 'removed'] as const
const ACTIONS: readonly AuthorityAction[] = ['approve', 'suspend', 'reinstate', 'remove']

export interface AuthoritiesApiNode {
  readonly authorities: Pick<AuthorityRegistry, 'list' | 'get' | 'update' | 'act' | 'importAuthorities'>
  readonly accounts: Pick<UserAccounts, 'registerAuthority'>
}

/** Coordinators see everything; others see active authorities and their own. */
function visible (actor: Actor, r: AuthorityRecord): boolean {
  if (isCoordinator(actor)) return true
  return r.status === 'active' || (actor.kind === 'user' && actor.authority === r.entry.id)
}

/** What an official who is not the coordinator may see of an authority: no status history. */
function shown (actor: Actor, r: AuthorityRecord): object {
  return isCoordinator(actor) ? r : { entry: r.entry, status: r.status }
}

export function authorityRoutes (node: AuthoritiesApiNode): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>()
  app.use('/authorities', requireUser())
  app.use('/authorities/*', requireUser())
  return app
    .get('/authorities', (c) => {
      const actor = actorOf(c)
      const status = expectOneOf(c.req.query('status'), 'status', STATUSES, 'any')
      const records = node.authorities.list(status === 'any' ? {} : { status: status as AuthorityStatus })
      return c.json({ authorities: records.filter((r) => visible(actor, r)).map((r) => shown(actor, r)) })
    })
    .post('/authorities', bodyLimit(MAX_AUTHORITY_BYTES), async (c) => {
      const o = expectObject(await readJson(c), 'request body')
      onlyKeys(o, ['authority', 'admin'], 'request body')
      const added = await node.accounts.registerAuthority(actorOf(c), expectObject(o.authority, 'authority'), o.admin === undefined ? undefined : parseNewUser(o.admin, 'admin'))
      c.header('Location', `/api/v1/authorities/${added.authority}`)
      return c.json({ authority: node.authorities.get(added.authority), ...(added.admin !== undefined && { admin: added.admin }) }, 201)
    })
    .post('/authorities/import', bodyLimit(MAX_IMPORT_BYTES), async (c) => {
      demand(mayManageAuthorities(actorOf(c)), 'import authorities')
      const o = expectObject(await readJson(c), 'request body')
      onlyKeys(o, ['authorities'], 'request body')
      return c.json({ imported: await node.authorities.importAuthorities(expectArray(o.authorities, 'authorities', 5000)) })
    })
    .get('/authorities/:id', (c) => {
      const actor = actorOf(c)
      const id = expectString(c.req.param('id'), 'id', LOCAL_ID_PATTERN)
      const record = node.authorities.get(id)
      if (record === undefined || !visible(actor, record)) throw new NotFoundError(`no authority ${id} on this node`)
      return c.json(shown(actor, record))
    })
    .put('/authorities/:id', bodyLimit(MAX_AUTHORITY_BYTES), async (c) => {
      const id = expectString(c.req.param('id'), 'id', LOCAL_ID_PATTERN)
      demand(mayEditAuthority(actorOf(c), id), `edit authority ${id}`)
      return c.json(await node.authorities.update(id, await readJson(c)))
    })
    .post('/authorities/:id/:action{approve|suspend|reinstate|remove}', bodyLimit(4096), async (c) => {
      demand(mayManageAuthorities(actorOf(c)), 'change the status of authorities')
      const id = expectString(c.req.param('id'), 'id', LOCAL_ID_PATTERN)
      const action = c.req.param('action') as AuthorityAction
      if (!ACTIONS.includes(action)) throw new NotFoundError('no such action')
      const text = await c.req.text()
      let reason: string | undefined
      if (text !== '') {
        let parsed: unknown
        try { parsed = JSON.parse(text) } catch { throw new InvalidJsonError() }
        const o = expectObject(parsed, 'request body')
        onlyKeys(o, ['reason'], 'request body')
        if (o.reason !== undefined) reason = expectString(o.reason, 'reason').slice(0, 500)
      }
      return c.json(await node.authorities.act(id, action, reason))
    })
}
