/**
 * Accounts and authorities: the local data administrator's users and roles, the
 * national coordinator's register of authorities, and each official's own settings.
 * Functions over ApiClient.json(); the node checks who may call each one.
 */
import type { AuthorityEntry } from '@imi/protocol'
import type { ApiClient, LocalAuthority, RoleGrant, User } from './api-client.js'

const seg = encodeURIComponent

export interface NewUserInput {
  readonly username: string
  readonly displayName: string
  readonly password: string
  readonly email?: string
  readonly language?: string
  readonly grants?: readonly RoleGrant[]
}

export interface UserChanges {
  readonly displayName?: string
  /** null removes the address. */
  readonly email?: string | null
  readonly language?: string
  readonly grants?: readonly RoleGrant[]
  readonly disabled?: boolean
}

export type AuthorityAction = 'approve' | 'suspend' | 'reinstate' | 'remove'

export interface Preferences {
  readonly language?: string
  readonly notify?: { readonly requests?: boolean, readonly deadlines?: boolean, readonly alerts?: boolean }
}

export async function authority (api: ApiClient, id: string): Promise<LocalAuthority> {
  return await api.json('GET', `/authorities/${seg(id)}`)
}

export async function createUser (api: ApiClient, authorityId: string, user: NewUserInput): Promise<User> {
  return await api.json('POST', `/authorities/${seg(authorityId)}/users`, user)
}

export async function user (api: ApiClient, authorityId: string, username: string): Promise<User> {
  return await api.json('GET', `/authorities/${seg(authorityId)}/users/${seg(username)}`)
}

export async function updateUser (api: ApiClient, authorityId: string, username: string, changes: UserChanges): Promise<User> {
  return await api.json('PATCH', `/authorities/${seg(authorityId)}/users/${seg(username)}`, changes)
}

export async function unlockUser (api: ApiClient, authorityId: string, username: string): Promise<User> {
  return await api.json('POST', `/authorities/${seg(authorityId)}/users/${seg(username)}/unlock`)
}

export async function setUserPassword (api: ApiClient, authorityId: string, username: string, password: string): Promise<void> {
  await api.json('PUT', `/authorities/${seg(authorityId)}/users/${seg(username)}/password`, { password })
}

/** Registers an authority, active at once, with its first local data administrator if given. */
export async function registerAuthority (api: ApiClient, entry: AuthorityEntry, admin?: NewUserInput): Promise<{ authority: LocalAuthority, admin?: User }> {
  return await api.json('POST', '/authorities', { authority: entry, ...(admin !== undefined && { admin }) })
}

export async function actOnAuthority (api: ApiClient, id: string, action: AuthorityAction, reason?: string): Promise<LocalAuthority> {
  return await api.json('POST', `/authorities/${seg(id)}/${action}`, reason === undefined ? {} : { reason })
}

/** The official's own language and e-mail choices; the node answers with the account as it now stands. */
export async function savePreferences (api: ApiClient, prefs: Preferences): Promise<User> {
  return (await api.json<{ user: User }>('PUT', '/session/preferences', prefs)).user
}

/** The official's own password; the node ends every session of the account. */
export async function changeOwnPassword (api: ApiClient, current: string, password: string): Promise<void> {
  await api.json('PUT', '/session/password', { current, password })
}
