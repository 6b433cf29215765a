/**
 * Officials' accounts on this node: who works for which authority with which roles, and
 * logging in. Users log in to their own node only; nothing here leaves it. Five wrong
 * passwords within 15 minutes lock an account for 15 minutes (or until a local data
 * administrator unlocks it). An account of a suspended or removed authority cannot log
 * in, and its sessions end the moment the authority's status changes.
 */
import { LANGUAGES, type Language } from '@imi/protocol'
import type { Clock } from '../../clock.js'
import {
  AccountLockedError, ConflictError, InvalidCredentialsError, InvalidRequestError, InvalidStateError, NotFoundError, SessionRequiredError
} from '../../errors.js'
import { Bucket, type PutOp, type Store } from '../../storage/index.js'
import type { AuthorityRegistry, AuthorityStatusChange } from '../authorities/authority-registry.js'
import type { Logger } from '../logger.js'
import { checkPasswordPolicy, decoyHash, hashPassword, verifyPassword } from './passwords.js'
import { AREA_ROLES, demand, isArea, mayManageAuthorities, mayManageUsersOf, mayOperate, type Actor, type RoleGrant, type UserActor } from './permissions.js'
import { Sessions, type OpenedSession, type SessionsInit } from './sessions.js'
import { KeyedLock } from '../keyed-lock.js'

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/

export interface UserRecord {
  readonly username: string
  readonly displayName: string
  readonly email?: string
  readonly language?: Language
  /** The authority this official works for; absent for the national coordinator. */
  readonly authority?: string
  readonly coordinator: boolean
  readonly grants: readonly RoleGrant[]
  readonly disabled: boolean
  /** Which e-mails the official wants; each defaults to yes. */
  readonly notify?: NotifyPreferences
  readonly password: string
  /** Instants of recent failed log-ins, inside the lock-out window. */
  readonly failures: readonly number[]
  readonly lockedUntil?: number
  readonly created: number
  readonly updated: number
}

/** A user as the API shows it: no hash, no failure history. */
export type UserView = Omit<UserRecord, 'password' | 'failures'> & { readonly locked: boolean }

export interface NotifyPreferences {
  readonly requests?: boolean
  readonly deadlines?: boolean
  readonly alerts?: boolean
}

export interface NewUser {
  readonly username: string
  readonly displayName: string
  readonly password: string
  readonly email?: string
  readonly language?: Language
  readonly grants?: readonly RoleGrant[]
}

export interface UserChanges {
  readonly displayName?: string
  readonly email?: string | null
  readonly language?: Language
  readonly grants?: readonly RoleGrant[]
  readonly disabled?: boolean
}

export interface AccountsComponents {
  readonly store: Store
  readonly clock: Clock
  readonly randomBytes: (n: number) => Uint8Array
  readonly authorities: AuthorityRegistry
  readonly logger: Logger
}

export interface AccountsInit extends SessionsInit {
  readonly lockoutThreshold?: number
  readonly lockoutWindowMs?: number
  readonly lockoutMs?: number
  /** Join requests waiting for the coordinator; more are refused until some are handled. */
  readonly maxPendingJoins?: number
}

export interface Authenticated {
  readonly actor: UserActor
  readonly user: UserView
  readonly sessionId: string
  readonly csrf: string
  readonly expires: number
}

const LOCKOUT_WINDOW_MS = 15 * 60_000

export function viewOf (u: UserRecord, now: number): UserView {
  const { password: _p, failures: _f, ...rest } = u
  return { ...rest, locked: u.lockedUntil !== undefined && u.lockedUntil > now }
}

function actorOf (u: UserRecord): UserActor {
  return { kind: 'user', username: u.username, coordinator: u.coordinator, grants: u.grants, ...(u.authority !== undefined && { authority: u.authority }) }
}

function checkName (v: string, field: string, max = 200): string {
  if (typeof v !== 'string' || v.trim() === '' || v.length > max || /\p{Cc}/u.test(v)) throw new InvalidRequestError(`${field} must be 1 to ${max} printable characters`)
  return v.trim()
}

function checkEmail (v: string): string {
  if (typeof v !== 'string' || !/^[^\s@]{1,64}@[^\s@]{1,190}$/.test(v)) throw new InvalidRequestError('email is malformed')
  return v
}

function checkLanguage (v: string): Language {
  if (!(LANGUAGES as readonly string[]).includes(v)) throw new InvalidRequestError('language must be an IMI language code such as de')
  return v as Language
}

export class UserAccounts {
  readonly sessions: Sessions
  private readonly threshold: number
  private readonly windowMs: number
  private readonly lockoutMs: number
  private readonly maxPendingJoins: number
  /** Log-ins of one user run one at a time, so parallel guesses all count. */
  private readonly queues = new KeyedLock()

  constructor (private readonly components: AccountsComponents, init: AccountsInit = {}) {
    this.sessions = new Sessions(components, init)
    this.threshold = init.lockoutThreshold ?? 5
    this.windowMs = init.lockoutWindowMs ?? LOCKOUT_WINDOW_MS
    this.lockoutMs = init.lockoutMs ?? LOCKOUT_WINDOW_MS
    this.maxPendingJoins = init.maxPendingJoins ?? 200
  }

  async start (): Promise<void> {
    this.components.authorities.removeEventListener('status', this.onAuthorityStatus)
    this.components.authorities.addEventListener('status', this.onAuthorityStatus)
    await this.sessions.sweep()
  }

  stop (): void { this.components.authorities.removeEventListener('status', this.onAuthorityStatus) }

  // Log-in and sessions.

  async login (username: string, password: string): Promise<OpenedSession & { user: UserView }> {
    return await this.queues.run(username, async () => {
      const now = this.components.clock.now()
      const user = USERNAME_PATTERN.test(username) ? await this.find(username) : undefined
      if (user === undefined) {
        await verifyPassword(password, await decoyHash())
        throw new InvalidCredentialsError()
      }
      if (user.lockedUntil !== undefined && user.lockedUntil > now) throw new AccountLockedError(user.lockedUntil, user.lockedUntil - now)
      if (!await verifyPassword(password, user.password)) {
        await this.recordFailure(user, now)
        throw new InvalidCredentialsError()
      }
      if (user.disabled) throw new InvalidCredentialsError()
      this.requireActiveAuthority(user)
      if (user.failures.length > 0 || user.lockedUntil !== undefined) {
        const { lockedUntil: _l, ...rest } = user
        await this.save({ ...rest, failures: [] })
      }
      const session = await this.sessions.open(user.username)
      return { ...session, user: viewOf(user, now) }
    })
  }

  /** The user behind a session token, or ERR_UNAUTHORIZED. */
  async authenticate (token: string): Promise<Authenticated> {
    const session = await this.sessions.resolve(token)
    if (session === undefined) throw new SessionRequiredError('the session has expired or ended: log in again')
    const user = await this.find(session.record.username)
    if (user === undefined || user.disabled || !this.authorityActive(user)) {
      await this.sessions.end(session.id)
      throw new SessionRequiredError('this account can no longer log in')
    }
    return { actor: actorOf(user), user: viewOf(user, this.components.clock.now()), sessionId: session.id, csrf: session.record.csrf, expires: session.expires }
  }

  async logout (sessionId: string): Promise<void> { await this.sessions.end(sessionId) }

  // Accounts.

  /** The national coordinator's account: created by the operator, who otherwise sees no one's work. */
  async createCoordinator (actor: Actor, input: NewUser): Promise<UserView> {
    demand(mayOperate(actor), 'create a national coordinator')
    const user = await this.newRecord(input, { coordinator: true, grants: [] })
    await this.insert(user)
    return viewOf(user, user.created)
  }

  async createUser (actor: Actor, authority: string, input: NewUser): Promise<UserView> {
    demand(mayManageUsersOf(actor, authority), `manage the users of ${authority}`)
    const record = this.components.authorities.require(authority)
    if (record.status === 'removed') throw new InvalidStateError(`authority ${authority} was removed`)
    const user = await this.newRecord(input, { coordinator: false, authority, grants: this.checkGrants(input.grants ?? [], record.entry.areas) })
    await this.insert(user)
    return viewOf(user, user.created)
  }

  /**
   * An authority asks to join: it is stored as pending together with its first local
   * data administrator (in one write), who can log in once the coordinator approves.
   */
  async requestToJoin (authority: unknown, admin: NewUser): Promise<{ authority: string, admin: UserView }> {
    if (this.components.authorities.list({ status: 'pending' }).length >= this.maxPendingJoins) {
      throw new InvalidStateError('too many join requests are waiting for the coordinator: try again later')
    }
    const added = await this.addAuthority(authority, 'pending', admin)
    return { authority: added.authority, admin: added.admin! }
  }

  /** The coordinator registers an authority, active at once, with its first local data administrator if given. */
  async registerAuthority (actor: Actor, authority: unknown, admin?: NewUser): Promise<{ authority: string, admin?: UserView }> {
    demand(mayManageAuthorities(actor), 'register authorities')
    return await this.addAuthority(authority, 'active', admin)
  }

  private async addAuthority (authority: unknown, status: 'active' | 'pending', admin?: NewUser): Promise<{ authority: string, admin?: UserView }> {
    const id = (authority as { id?: unknown } | null)?.id
    if (typeof id !== 'string') throw new InvalidRequestError('authority.id must be a string')
    if (admin === undefined) {
      await this.components.authorities.add(authority, status)
      return { authority: id }
    }
    if (await this.find(admin.username) !== undefined) throw new ConflictError(`user name ${admin.username} is taken`)
    const areas = (authority as { areas?: unknown }).areas
    const grants = Array.isArray(areas) ? areas.filter(isArea).map((area) => ({ area, role: 'local-data-admin' as const })) : []
    const user = await this.newRecord(admin, { coordinator: false, authority: id, grants })
    const put: PutOp = { type: 'put', bucket: Bucket.users, key: user.username, value: user }
    await this.components.authorities.add(authority, status, [put])
    return { authority: id, admin: viewOf(user, user.created) }
  }

  async listUsers (actor: Actor, authority: string): Promise<UserView[]> {
    demand(mayManageUsersOf(actor, authority), `see the users of ${authority}`)
    this.components.authorities.require(authority)
    const now = this.components.clock.now()
    const out: UserView[] = []
    for await (const [, u] of this.components.store.entries<UserRecord>(Bucket.users)) if (u.authority === authority) out.push(viewOf(u, now))
    return out
  }

  async getUser (actor: Actor, authority: string, username: string): Promise<UserView> {
    return viewOf(await this.userOf(actor, authority, username), this.components.clock.now())
  }

  async updateUser (actor: Actor, authority: string, username: string, changes: UserChanges): Promise<UserView> {
    const user = await this.userOf(actor, authority, username)
    if (changes.grants !== undefined && actor.kind === 'user' && actor.username === username && !changes.grants.some((g) => g.role === 'local-data-admin') &&
        user.grants.some((g) => g.role === 'local-data-admin')) {
      // Someone else must take it away, so an authority is never left without an administrator by accident.
      throw new InvalidRequestError('you cannot remove your own local data administrator role')
    }
    const grants = changes.grants === undefined ? user.grants : this.checkGrants(changes.grants, this.components.authorities.require(authority).entry.areas)
    const { email: _e, language: _l, ...base } = user
    const email = changes.email === null ? undefined : changes.email === undefined ? user.email : checkEmail(changes.email)
    const language = changes.language === undefined ? user.language : checkLanguage(changes.language)
    const next: UserRecord = {
      ...base,
      grants,
      displayName: changes.displayName === undefined ? user.displayName : checkName(changes.displayName, 'displayName'),
      disabled: changes.disabled ?? user.disabled,
      updated: this.components.clock.now(),
      ...(email !== undefined && { email }),
      ...(language !== undefined && { language })
    }
    await this.save(next)
    if (next.disabled && !user.disabled) await this.sessions.endAllOf(new Set([username]))
    return viewOf(next, next.updated)
  }

  /** A local data administrator clears a lock-out. */
  async unlock (actor: Actor, authority: string, username: string): Promise<UserView> {
    const user = await this.userOf(actor, authority, username)
    const { lockedUntil: _l, ...rest } = user
    const next = { ...rest, failures: [], updated: this.components.clock.now() }
    await this.save(next)
    return viewOf(next, next.updated)
  }

  /** A new password, set by an administrator or by the user (who must give the current one); ends every session. */
  async setPassword (actor: Actor, authority: string, username: string, password: string, current?: string): Promise<void> {
    const self = actor.kind === 'user' && actor.username === username
    const user = self ? await this.find(username) : await this.userOf(actor, authority, username)
    if (user === undefined || (!self && user.authority !== authority)) throw new NotFoundError(`no user ${username} in ${authority}`)
    if (self && (current === undefined || !await verifyPassword(current, user.password))) throw new InvalidCredentialsError()
    checkPasswordPolicy(password, username)
    await this.save({ ...user, password: await hashPassword(password), updated: this.components.clock.now() })
    await this.sessions.endAllOf(new Set([username]))
  }

  /** An official's own settings: interface language and which e-mails to get. */
  async updatePreferences (actor: Actor, prefs: { language?: Language, notify?: NotifyPreferences }): Promise<UserView> {
    if (actor.kind !== 'user') throw new InvalidRequestError('preferences belong to a logged-in official')
    return await this.queues.run(actor.username, async () => {
      const user = await this.find(actor.username)
      if (user === undefined) throw new NotFoundError('no such user')
      const notify = prefs.notify === undefined ? user.notify : {
        ...user.notify,
        ...Object.fromEntries(Object.entries(prefs.notify).filter(([k, v]) => ['requests', 'deadlines', 'alerts'].includes(k) && typeof v === 'boolean'))
      }
      const language = prefs.language === undefined ? user.language : checkLanguage(prefs.language)
      const next: UserRecord = { ...user, updated: this.components.clock.now(), ...(notify !== undefined && { notify }), ...(language !== undefined && { language }) }
      await this.save(next)
      return viewOf(next, next.updated)
    })
  }

  /**
   * Who gets an e-mail about something for `authority` in `area`: active officials with
   * one of `roles` there, an address, and that kind of e-mail not switched off.
   */
  async mailRecipients (authority: string, area: string, roles: readonly string[], kind: keyof NotifyPreferences): Promise<Array<{ email: string, language?: Language }>> {
    const out: Array<{ email: string, language?: Language }> = []
    for await (const [, u] of this.components.store.entries<UserRecord>(Bucket.users)) {
      if (u.authority !== authority || u.disabled || u.email === undefined || u.notify?.[kind] === false) continue
      if (!u.grants.some((g) => g.area === area && roles.includes(g.role))) continue
      out.push({ email: u.email, ...(u.language !== undefined && { language: u.language }) })
    }
    return out
  }

  // Internals.

  private async userOf (actor: Actor, authority: string, username: string): Promise<UserRecord> {
    demand(mayManageUsersOf(actor, authority), `manage the users of ${authority}`)
    const user = await this.find(username)
    // Another authority's user is "not found", not "forbidden": its existence is not ours to reveal.
    if (user === undefined || user.authority !== authority) throw new NotFoundError(`no user ${username} in ${authority}`)
    return user
  }

  private async find (username: string): Promise<UserRecord | undefined> {
    if (!USERNAME_PATTERN.test(username)) return undefined
    return await this.components.store.get<UserRecord>(Bucket.users, username)
  }

  private async newRecord (input: NewUser, role: { coordinator: boolean, authority?: string, grants: readonly RoleGrant[] }): Promise<UserRecord> {
    if (typeof input.username !== 'string' || !USERNAME_PATTERN.test(input.username)) {
      throw new InvalidRequestError('username must be 3 to 64 lower-case letters, digits, dots, dashes or underscores')
    }
    checkPasswordPolicy(input.password, input.username)
    const now = this.components.clock.now()
    return {
      username: input.username,
      displayName: checkName(input.displayName, 'displayName'),
      ...(input.email !== undefined && { email: checkEmail(input.email) }),
      ...(input.language !== undefined && { language: checkLanguage(input.language) }),
      ...(role.authority !== undefined && { authority: role.authority }),
      coordinator: role.coordinator,
      grants: role.grants,
      disabled: false,
      password: await hashPassword(input.password),
      failures: [],
      created: now,
      updated: now
    }
  }

  private checkGrants (grants: readonly RoleGrant[], areas: readonly string[]): RoleGrant[] {
    if (!Array.isArray(grants) || grants.length > 64) throw new InvalidRequestError('grants must be a list of at most 64 { area, role }')
    const seen = new Set<string>()
    const out: RoleGrant[] = []
    for (const g of grants) {
      if (!isArea(g?.area)) throw new InvalidRequestError('grants: area must be a legislative area')
      if (!(AREA_ROLES as readonly string[]).includes(g.role)) throw new InvalidRequestError(`grants: role must be one of ${AREA_ROLES.join(', ')}`)
      if (!areas.includes(g.area)) throw new InvalidRequestError(`grants: the authority does not handle ${g.area}`)
      const key = `${g.area}/${g.role}`
      if (!seen.has(key)) out.push({ area: g.area, role: g.role })
      seen.add(key)
    }
    return out
  }

  private async insert (user: UserRecord): Promise<void> {
    await this.queues.run(user.username, async () => {
      if (await this.find(user.username) !== undefined) throw new ConflictError(`user name ${user.username} is taken`)
      await this.save(user)
    })
  }

  private async save (user: UserRecord): Promise<void> {
    await this.components.store.commit([{ type: 'put', bucket: Bucket.users, key: user.username, value: user }])
  }

  private async recordFailure (user: UserRecord, now: number): Promise<void> {
    const failures = [...user.failures.filter((t) => now - t < this.windowMs), now]
    if (failures.length >= this.threshold) {
      await this.save({ ...user, failures: [], lockedUntil: now + this.lockoutMs })
      this.components.logger.warn('account locked after repeated failed log-ins', { authority: user.authority ?? 'coordinator' })
      return
    }
    await this.save({ ...user, failures })
  }

  private authorityActive (user: UserRecord): boolean {
    return user.authority === undefined || this.components.authorities.get(user.authority)?.status === 'active'
  }

  private requireActiveAuthority (user: UserRecord): void {
    if (this.authorityActive(user)) return
    const status = this.components.authorities.get(user.authority ?? '')?.status ?? 'removed'
    throw new InvalidStateError(status === 'pending' ? 'your authority awaits the coordinator\'s approval' : `your authority is ${status}`)
  }

  private readonly onAuthorityStatus = (evt: Event): void => {
    const { id, status } = (evt as CustomEvent<AuthorityStatusChange>).detail
    if (status === 'active') return
    void this.endSessionsOfAuthority(id).catch((err: Error) => {
      this.components.logger.error('sessions of a suspended authority not ended', { authority: id, error: err.message })
    })
  }

  private async endSessionsOfAuthority (authority: string): Promise<void> {
    const names = new Set<string>()
    for await (const [, u] of this.components.store.entries<UserRecord>(Bucket.users)) if (u.authority === authority) names.add(u.username)
    if (names.size > 0) await this.sessions.endAllOf(names)
  }
}
