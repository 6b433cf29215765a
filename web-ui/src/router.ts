/**
 * Routes live in the URL's hash (`#/inbox?status=sent`), so the node serves one page and
 * every view can be bookmarked, reloaded and reached with Back. Pure: parsing and
 * building never touch the DOM, and anything unexpected becomes `not-found`, never a
 * value a page would trust.
 */
import type { LegislativeArea, RequestStatus } from '@imi/protocol'

export const REQUEST_STATUSES: readonly RequestStatus[] = ['sent', 'accepted', 'answered', 'info-requested', 'closed', 'withdrawn']
export const AREAS: readonly LegislativeArea[] = [
  'professional-qualifications', 'services', 'posting-of-workers', 'patients-rights', 'e-commerce', 'gdpr-cooperation'
]
export const DIRECTORY_KINDS = ['authorities', 'registers'] as const
export type DirectoryKind = typeof DIRECTORY_KINDS[number]
export type RequestBox = 'inbox' | 'outbox'

/** Authority ids (LOCAL_ID_PATTERN) and user names (USERNAME_PATTERN) as the node accepts them. */
const AUTHORITY_ID = /^[A-Za-z0-9._:-]{1,64}$/
const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/
const DAY = /^\d{4}-\d{2}-\d{2}$/
export const AUTHORITY_STATUSES = ['pending', 'active', 'suspended', 'removed'] as const
export type AuthorityStatus = typeof AUTHORITY_STATUSES[number]
export const NOTIFICATION_STATUSES = ['open', 'closed', 'withdrawn'] as const
export type NotificationStatus = typeof NOTIFICATION_STATUSES[number]
export const AUDIT_KINDS = ['request', 'alert', 'notification', 'subject-request'] as const
export type AuditKind = typeof AUDIT_KINDS[number]

export interface DirectoryRoute {
  readonly page: 'directory'
  readonly q?: string
  readonly country?: string
  readonly area?: LegislativeArea
  readonly kind?: DirectoryKind
}

export const SUBJECT_REQUEST_STATUSES = ['open', 'done', 'refused'] as const
export type SubjectRequestStatus = typeof SUBJECT_REQUEST_STATUSES[number]

export interface AuditRoute {
  readonly page: 'audit'
  readonly procedure?: string
  readonly kind?: AuditKind
  /** Whose entries: an official's user name, an authority's id. */
  readonly user?: string
  readonly authority?: string
  /** Local calendar days, both inclusive. */
  readonly from?: string
  readonly to?: string
}

export type Route =
  | { readonly page: 'login' }
  /** `q` and `overdue` filter the list in the browser; `status` asks the node. */
  | { readonly page: 'requests', readonly box: RequestBox, readonly status?: RequestStatus, readonly q?: string, readonly overdue?: true }
  | { readonly page: 'request', readonly id: string }
  | { readonly page: 'compose', readonly draft?: string }
  | { readonly page: 'drafts' }
  | DirectoryRoute
  | { readonly page: 'alerts' }
  | { readonly page: 'alert', readonly id: string }
  | { readonly page: 'alert-new' }
  | { readonly page: 'notifications', readonly status?: NotificationStatus }
  | { readonly page: 'notification', readonly id: string }
  | { readonly page: 'notification-new' }
  | { readonly page: 'users', readonly authority?: string }
  | { readonly page: 'user', readonly authority: string, readonly username: string }
  | { readonly page: 'authorities', readonly status?: AuthorityStatus }
  | { readonly page: 'authority-new' }
  | { readonly page: 'oversight', readonly status?: RequestStatus, readonly q?: string }
  | { readonly page: 'indicators', readonly authority?: string, readonly from?: string, readonly to?: string }
  | AuditRoute
  | { readonly page: 'subject-requests', readonly status?: SubjectRequestStatus }
  | { readonly page: 'subject-request', readonly id: string }
  | { readonly page: 'retention' }
  | { readonly page: 'settings' }
  | { readonly page: 'not-found', readonly path: string }

/** Request and alert ids: 16 random bytes, base64url. */
const RECORD_ID = /^[A-Za-z0-9_-]{22}$/
/** Data subject requests: sr- and 12 random bytes, base64url. */
const SUBJECT_REQUEST_ID = /^sr-[A-Za-z0-9_-]{16}$/
const COUNTRY = /^[A-Z]{2}$/
/** Longer than the API accepts: not a search someone typed. */
const MAX_QUERY = 200

export const DEFAULT_ROUTE: Route = { page: 'requests', box: 'inbox' }

function oneOf<T extends string> (value: string | null, allowed: readonly T[]): T | undefined {
  return value !== null && (allowed as readonly string[]).includes(value) ? value as T : undefined
}

export function parseRoute (hash: string): Route {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash
  if (raw === '' || raw === '/') return DEFAULT_ROUTE
  const [pathPart = '', queryPart = ''] = raw.split('?', 2)
  const query = new URLSearchParams(queryPart)
  const parts = pathPart.split('/').filter((p) => p !== '')
  const notFound: Route = { page: 'not-found', path: pathPart.slice(0, 100) }
  const [first, second, third, ...rest] = parts
  if (rest.length > 0) return notFound
  // Only a user's page has three parts: #/users/<authority>/<username>.
  if (third !== undefined) {
    return first === 'users' && second !== undefined && AUTHORITY_ID.test(second) && USERNAME.test(third)
      ? { page: 'user', authority: second, username: third }
      : notFound
  }
  const q = query.get('q')?.trim().slice(0, MAX_QUERY)
  const withQ = q !== undefined && q !== '' ? { q } : {}
  const authority = query.get('authority')
  const withAuthority = authority !== null && AUTHORITY_ID.test(authority) ? { authority } : {}
  const day = (name: string): Record<string, string> => { const v = query.get(name); return v !== null && DAY.test(v) ? { [name]: v } : {} }
  switch (first) {
    case 'login': return second === undefined ? { page: 'login' } : notFound
    case 'inbox':
    case 'outbox': {
      if (second !== undefined) return notFound
      const status = oneOf(query.get('status'), REQUEST_STATUSES)
      return { page: 'requests', box: first, ...(status !== undefined && { status }), ...withQ, ...(query.get('overdue') === '1' && { overdue: true as const }) }
    }
    case 'requests': return second !== undefined && RECORD_ID.test(second) ? { page: 'request', id: second } : notFound
    case 'compose': {
      if (second !== undefined) return notFound
      const draft = query.get('draft')
      return { page: 'compose', ...(draft !== null && RECORD_ID.test(draft) && { draft }) }
    }
    case 'drafts': return second === undefined ? { page: 'drafts' } : notFound
    case 'directory': {
      if (second !== undefined) return notFound
      const country = query.get('country')
      const area = oneOf(query.get('area'), AREAS)
      const kind = oneOf(query.get('kind'), DIRECTORY_KINDS)
      return {
        page: 'directory',
        ...withQ,
        ...(country !== null && COUNTRY.test(country) && { country }),
        ...(area !== undefined && { area }),
        ...(kind !== undefined && { kind })
      }
    }
    case 'alerts':
      if (second === undefined) return { page: 'alerts' }
      if (second === 'new') return { page: 'alert-new' }
      return RECORD_ID.test(second) ? { page: 'alert', id: second } : notFound
    case 'notifications': {
      if (second === 'new') return { page: 'notification-new' }
      if (second !== undefined) return RECORD_ID.test(second) ? { page: 'notification', id: second } : notFound
      const status = oneOf(query.get('status'), NOTIFICATION_STATUSES)
      return { page: 'notifications', ...(status !== undefined && { status }) }
    }
    case 'users': return second === undefined ? { page: 'users', ...withAuthority } : notFound
    case 'authorities': {
      if (second === 'new') return { page: 'authority-new' }
      if (second !== undefined) return notFound
      const status = oneOf(query.get('status'), AUTHORITY_STATUSES)
      return { page: 'authorities', ...(status !== undefined && { status }) }
    }
    case 'oversight': {
      if (second !== undefined) return notFound
      const status = oneOf(query.get('status'), REQUEST_STATUSES)
      return { page: 'oversight', ...(status !== undefined && { status }), ...withQ }
    }
    case 'indicators': return second === undefined ? { page: 'indicators', ...withAuthority, ...day('from'), ...day('to') } : notFound
    case 'audit': {
      if (second !== undefined) return notFound
      const procedure = query.get('procedure')
      const kind = oneOf(query.get('kind'), AUDIT_KINDS)
      const user = query.get('user')
      return {
        page: 'audit', ...(procedure !== null && AUTHORITY_ID.test(procedure) && { procedure }), ...(kind !== undefined && { kind }),
        ...(user !== null && USERNAME.test(user) && { user }), ...withAuthority, ...day('from'), ...day('to')
      }
    }
    case 'subject-requests': {
      if (second !== undefined) return SUBJECT_REQUEST_ID.test(second) ? { page: 'subject-request', id: second } : notFound
      const status = oneOf(query.get('status'), SUBJECT_REQUEST_STATUSES)
      return { page: 'subject-requests', ...(status !== undefined && { status }) }
    }
    case 'retention': return second === undefined ? { page: 'retention' } : notFound
    case 'settings': return second === undefined ? { page: 'settings' } : notFound
    default: return notFound
  }
}

/** The hash for a route: what links and navigation use, so parse(href(r)) gives r back. */
export function routeHref (route: Route): string {
  const withQuery = (path: string, params: Record<string, string | undefined>): string => {
    const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''))
    const s = q.toString()
    return s === '' ? `#/${path}` : `#/${path}?${s}`
  }
  switch (route.page) {
    case 'login': return '#/login'
    case 'requests': return withQuery(route.box, { status: route.status, q: route.q, overdue: route.overdue === true ? '1' : undefined })
    case 'request': return `#/requests/${route.id}`
    case 'compose': return withQuery('compose', { draft: route.draft })
    case 'drafts': return '#/drafts'
    case 'directory': return withQuery('directory', { q: route.q, country: route.country, area: route.area, kind: route.kind })
    case 'alerts': return '#/alerts'
    case 'alert': return `#/alerts/${route.id}`
    case 'alert-new': return '#/alerts/new'
    case 'notifications': return withQuery('notifications', { status: route.status })
    case 'notification': return `#/notifications/${route.id}`
    case 'notification-new': return '#/notifications/new'
    case 'users': return withQuery('users', { authority: route.authority })
    case 'user': return `#/users/${route.authority}/${route.username}`
    case 'authorities': return withQuery('authorities', { status: route.status })
    case 'authority-new': return '#/authorities/new'
    case 'oversight': return withQuery('oversight', { status: route.status, q: route.q })
    case 'indicators': return withQuery('indicators', { authority: route.authority, from: route.from, to: route.to })
    case 'audit': return withQuery('audit', { procedure: route.procedure, kind: route.kind, user: route.user, authority: route.authority, from: route.from, to: route.to })
    case 'subject-requests': return withQuery('subject-requests', { status: route.status })
    case 'subject-request': return `#/subject-requests/${route.id}`
    case 'retention': return '#/retention'
    case 'settings': return '#/settings'
    case 'not-found': return `#/${route.path}`
  }
}

export type NavSection = 'inbox' | 'outbox' | 'compose' | 'drafts' | 'directory' | 'alerts' | 'notifications' | 'users' | 'authorities' | 'oversight' | 'indicators' | 'audit' | 'subjects' | 'retention'

/** Which navigation entry a route belongs to, for aria-current. */
export function navSection (route: Route): NavSection | undefined {
  switch (route.page) {
    case 'requests': return route.box
    case 'compose': return 'compose'
    case 'drafts': return 'drafts'
    case 'directory': return 'directory'
    case 'alerts':
    case 'alert':
    case 'alert-new': return 'alerts'
    case 'notifications':
    case 'notification':
    case 'notification-new': return 'notifications'
    case 'users':
    case 'user': return 'users'
    case 'authorities':
    case 'authority-new': return 'authorities'
    case 'oversight': return 'oversight'
    case 'indicators': return 'indicators'
    case 'audit': return 'audit'
    case 'subject-requests':
    case 'subject-request': return 'subjects'
    case 'retention': return 'retention'
    default: return undefined
  }
}
