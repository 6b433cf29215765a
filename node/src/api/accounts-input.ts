/** Shapes of account bodies, checked at the edge; the services check their content. */
import type { NewUser, UserChanges } from '../services/accounts/user-accounts.js'
import type { RoleGrant } from '../services/accounts/permissions.js'
import { InvalidRequestError } from '../errors.js'
import { expectObject, expectString, onlyKeys } from './input.js'

function optionalString (v: unknown, field: string): string | undefined {
  if (v === undefined) return undefined
  return expectString(v, field)
}

export function parseGrants (v: unknown): RoleGrant[] {
  if (!Array.isArray(v)) throw new InvalidRequestError('grants must be a list of { area, role }')
  return v.map((g, i) => {
    const o = expectObject(g, `grants[${i}]`)
    onlyKeys(o, ['area', 'role'], `grants[${i}]`)
    return { area: expectString(o.area, `grants[${i}].area`), role: expectString(o.role, `grants[${i}].role`) } as RoleGrant
  })
}

export function parseNewUser (raw: unknown, what = 'request body'): NewUser {
  const o = expectObject(raw, what)
  onlyKeys(o, ['username', 'displayName', 'password', 'email', 'language', 'grants'], what)
  const email = optionalString(o.email, 'email')
  const language = optionalString(o.language, 'language')
  return {
    username: expectString(o.username, 'username'),
    displayName: expectString(o.displayName, 'displayName'),
    password: expectString(o.password, 'password'),
    ...(email !== undefined && { email }),
    ...(language !== undefined && { language: language as NewUser['language'] & string }),
    ...(o.grants !== undefined && { grants: parseGrants(o.grants) })
  }
}

export function parseUserChanges (raw: unknown): UserChanges {
  const o = expectObject(raw, 'request body')
  onlyKeys(o, ['displayName', 'email', 'language', 'grants', 'disabled'], 'request body')
  if (o.disabled !== undefined && typeof o.disabled !== 'boolean') throw new InvalidRequestError('disabled must be true or false')
  const displayName = optionalString(o.displayName, 'displayName')
  const language = optionalString(o.language, 'language')
  return {
    ...(displayName !== undefined && { displayName }),
    ...(o.email === null ? { email: null } : o.email !== undefined && { email: expectString(o.email, 'email') }),
    ...(language !== undefined && { language: language as NonNullable<UserChanges['language']> }),
    ...(o.grants !== undefined && { grants: parseGrants(o.grants) }),
    ...(typeof o.disabled === 'boolean' && { disabled: o.disabled })
  }
}
