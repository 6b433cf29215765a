/**
 * Logging in and out. A browser gets the session in an HttpOnly, SameSite=Strict cookie
 * (Secure when the node is reached over TLS) plus a CSRF token in the body; a
 * back-office client that asks for `bearer: true` gets the token in the body instead.
 * Both the log-in and GET /session say which member state the node serves (`country`)
 * and, for an official, the names of their authority (`authorityNames`, by language).
 * A wrong current password on PUT /session/password is 403 ERR_WRONG_PASSWORD: a 401
 * would tell the UI the session had lapsed.
 */
import { Hono, type Context } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import type { AuthorityRegistry } from '../../services/authorities/authority-registry.js'
import type { UserAccounts } from '../../services/accounts/user-accounts.js'
import { InvalidRequestError } from '../../errors.js'
import { ForbiddenError } from '../errors.js'
import { bodyLimit } from '../middleware/body-limit.js'
import { SESSION_COOKIE } from '../middleware/authenticate.js'
import { requireUser } from '../middleware/guards.js'
import { expectObject, expectString, onlyKeys, readJson } from '../input.js'
import { principalOf, type ApiEnv } from '../principal.js'

const MAX_LOGIN_BYTES = 4096
export type SessionApi = Pick<UserAccounts, 'login' | 'logout' | 'setPassword' | 'updatePreferences'>

/** What the session routes read of the node besides the accounts. */
export interface SessionNode {
  readonly accounts: SessionApi
  readonly authorities: Pick<AuthorityRegistry, 'get'>
  status(): { readonly country: string }
}

/** Where the official works: the node's state, and the authority's names as this node registered them. */
function whereabouts (node: SessionNode, authority: string | undefined): { country: string, authorityNames?: Readonly<Record<string, string>> } {
  const names = authority === undefined ? undefined : node.authorities.get(authority)?.entry.names
  return { country: node.status().country, ...(names !== undefined && { authorityNames: names }) }
}

function secure (c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true
  return trustProxy && c.req.header('X-Forwarded-Proto') === 'https'
}

export interface SessionRoutesInit {
  /** The node sits behind a TLS reverse proxy that sets X-Forwarded-Proto. */
  readonly trustProxy?: boolean
}

/** POST /session: no authentication (it is the log-in). */
export function loginRoutes (node: SessionNode, init: SessionRoutesInit = {}): Hono<ApiEnv> {
  return new Hono<ApiEnv>().post('/session', bodyLimit(MAX_LOGIN_BYTES), async (c) => {
    const o = expectObject(await readJson(c), 'request body')
    onlyKeys(o, ['username', 'password', 'bearer'], 'request body')
    if (o.bearer !== undefined && typeof o.bearer !== 'boolean') throw new InvalidRequestError('bearer must be true or false')
    const session = await node.accounts.login(expectString(o.username, 'username'), expectString(o.password, 'password'))
    const body = { user: session.user, csrfToken: session.csrf, expires: session.expires, ...whereabouts(node, session.user.authority) }
    if (o.bearer === true) return c.json({ ...body, token: session.token }, 201)
    setCookie(c, SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'Strict', secure: secure(c, init.trustProxy ?? false), path: '/api' })
    return c.json(body, 201)
  })
}

/** The session of the logged-in user: who am I, log out, change my password. */
export function sessionRoutes (node: SessionNode): Hono<ApiEnv> {
  return new Hono<ApiEnv>()
    .use('/session', requireUser())
    .use('/session/*', requireUser())
    .get('/session', (c) => {
      const p = principalOf(c)
      if (p.kind !== 'user') throw new InvalidRequestError('no session')
      return c.json({ user: p.auth.user, csrfToken: p.auth.csrf, expires: p.auth.expires, ...whereabouts(node, p.auth.user.authority) })
    })
    .delete('/session', async (c) => {
      const p = principalOf(c)
      if (p.kind === 'user') await node.accounts.logout(p.auth.sessionId)
      deleteCookie(c, SESSION_COOKIE, { path: '/api' })
      return c.body(null, 204)
    })
    .put('/session/preferences', bodyLimit(4096), async (c) => {
      const p = principalOf(c)
      if (p.kind !== 'user') throw new InvalidRequestError('no session')
      const o = expectObject(await readJson(c), 'request body')
      onlyKeys(o, ['language', 'notify'], 'request body')
      const notify = o.notify === undefined ? undefined : expectObject(o.notify, 'notify')
      if (notify !== undefined) {
        onlyKeys(notify, ['requests', 'deadlines', 'alerts'], 'notify')
        for (const [k, v] of Object.entries(notify)) if (typeof v !== 'boolean') throw new InvalidRequestError(`notify.${k} must be true or false`)
      }
      const user = await node.accounts.updatePreferences(p.auth.actor, {
        ...(o.language !== undefined && { language: expectString(o.language, 'language') as never }),
        ...(notify !== undefined && { notify: notify as Record<string, boolean> })
      })
      return c.json({ user })
    })
    .put('/session/password', bodyLimit(MAX_LOGIN_BYTES), async (c) => {
      const p = principalOf(c)
      if (p.kind !== 'user') throw new InvalidRequestError('no session')
      const o = expectObject(await readJson(c), 'request body')
      onlyKeys(o, ['current', 'password'], 'request body')
      const user = p.auth.user
      try {
        await node.accounts.setPassword(p.auth.actor, user.authority ?? '', user.username, expectString(o.password, 'password'), expectString(o.current, 'current'))
      } catch (err) {
        if ((err as { code?: unknown }).code === 'ERR_INVALID_CREDENTIALS') throw new ForbiddenError('the current password is wrong', 'ERR_WRONG_PASSWORD')
        throw err
      }
      deleteCookie(c, SESSION_COOKIE, { path: '/api' })
      return c.body(null, 204)
    })
}
