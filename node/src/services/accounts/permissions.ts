/**
 * Who may do what, in one file. An official acts for one authority and holds roles per
 * legislative area; the national coordinator manages the state's authorities; the
 * operator (the national IT team, with the API token) runs the node but sees no one's
 * work. Every service and route asks these functions, never the roles directly.
 */
import { LEGISLATIVE_AREAS, type LegislativeArea } from '@imi/protocol'
import { PermissionDeniedError } from '../../errors.js'

export const AREA_ROLES = ['request-handler', 'allocator', 'alert-handler', 'viewer', 'local-data-admin'] as const
export type AreaRole = typeof AREA_ROLES[number]

export interface RoleGrant {
  readonly area: LegislativeArea
  readonly role: AreaRole
}

/** What an authenticated caller is, as every permission check sees it. */
export type Actor =
  | { readonly kind: 'operator' }
  | {
    readonly kind: 'user'
    readonly username: string
    /** The authority this official works for; absent for a national coordinator. */
    readonly authority?: string
    readonly coordinator: boolean
    readonly grants: readonly RoleGrant[]
  }

export type UserActor = Extract<Actor, { kind: 'user' }>

export function isRole (v: unknown): v is AreaRole {
  return typeof v === 'string' && (AREA_ROLES as readonly string[]).includes(v)
}

export function isArea (v: unknown): v is LegislativeArea {
  return typeof v === 'string' && (LEGISLATIVE_AREAS as readonly string[]).includes(v)
}

export function isCoordinator (actor: Actor): boolean {
  return actor.kind === 'user' && actor.coordinator
}

/** Registers, approves, suspends and removes authorities; manages registers. */
export function mayManageAuthorities (actor: Actor): boolean {
  return isCoordinator(actor)
}

/** A local data administrator manages the users of its own authority only. */
export function mayManageUsersOf (actor: Actor, authority: string): boolean {
  if (isCoordinator(actor)) return true
  return actor.kind === 'user' && actor.authority === authority && actor.grants.some((g) => g.role === 'local-data-admin')
}

/** Edits the authority's own directory entry (contact details, names, competences). */
export function mayEditAuthority (actor: Actor, authority: string): boolean {
  return mayManageUsersOf(actor, authority)
}

/** Acts in `area` with `role` for `authority`: the check every workflow step makes. */
export function mayActFor (actor: Actor, authority: string, area: LegislativeArea, role: AreaRole): boolean {
  return actor.kind === 'user' && actor.authority === authority && actor.grants.some((g) => g.area === area && g.role === role)
}

/**
 * Sees an authority's work (its requests, alerts, messages): its own officials, and the
 * coordinator of this state, who supervises the state's exchanges. Never another authority.
 */
export function maySeeWorkOf (actor: Actor, authority: string): boolean {
  if (isCoordinator(actor)) return true
  return actor.kind === 'user' && actor.authority === authority
}

/**
 * Handles requests from data subjects (Art 19) for `authority`: finds, exports, corrects
 * and erases the person's data in the authority's procedures. Its local data
 * administrators only (in any area); the coordinator sees no personal data.
 */
export function mayHandleSubjectRequests (actor: Actor, authority: string): boolean {
  return actor.kind === 'user' && !actor.coordinator && actor.authority === authority && actor.grants.some((g) => g.role === 'local-data-admin')
}

/** Runs the node: roster, evidence, outbox, status, coordinator accounts. */
export function mayOperate (actor: Actor): boolean {
  return actor.kind === 'operator'
}

/** Throws ERR_FORBIDDEN unless `allowed`. */
export function demand (allowed: boolean, what: string): void {
  if (!allowed) throw new PermissionDeniedError(`not allowed to ${what}`)
}
