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

export interface DirectoryRoute {
  readonly page: 'directory'
  readonly q?: string
  readonly country?: string
  readonly area?: LegislativeArea
  readonly kind?: DirectoryKind
}

export type Route =
  | { readonly page: 'login' }
  | { readonly page: 'requests', readonly box: RequestBox, readonly status?: RequestStatus }
  | { readonly page: 'request', readonly id: string }
  | { readonly page: 'compose' }
  | DirectoryRoute
  | { readonly page: 'alerts' }
  | { readonly page: 'alert', readonly id: string }
  | { readonly page: 'not-found', readonly path: string }

/** Request and alert ids: 16 random bytes, base64url. */
const RECORD_ID = /^[A-Za-z0-9_-]{22}$/
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
  const [first, second, ...rest] = parts
  if (rest.length > 0) return notFound
  switch (first) {
    case 'login': return second === undefined ? { page: 'login' } : notFound
    case 'inbox':
    case 'outbox': {
      if (second !== undefined) return notFound
      const status = oneOf(query.get('status'), REQUEST_STATUSES)
      return { page: 'requests', box: first, ...(status !== undefined && { status }) }
    }
    case 'requests': return second !== undefined && RECORD_ID.test(second) ? { page: 'request', id: second } : notFound
    case 'compose': return second === undefined ? { page: 'compose' } : notFound
    case 'directory': {
      if (second !== undefined) return notFound
      const q = query.get('q')?.trim()
      const country = query.get('country')
      const area = oneOf(query.get('area'), AREAS)
      const kind = oneOf(query.get('kind'), DIRECTORY_KINDS)
      return {
        page: 'directory',
        ...(q !== undefined && q !== '' && { q: q.slice(0, MAX_QUERY) }),
        ...(country !== null && COUNTRY.test(country) && { country }),
        ...(area !== undefined && { area }),
        ...(kind !== undefined && { kind })
      }
    }
    case 'alerts':
      if (second === undefined) return { page: 'alerts' }
      return RECORD_ID.test(second) ? { page: 'alert', id: second } : notFound
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
    case 'requests': return withQuery(route.box, { status: route.status })
    case 'request': return `#/requests/${route.id}`
    case 'compose': return '#/compose'
    case 'directory': return withQuery('directory', { q: route.q, country: route.country, area: route.area, kind: route.kind })
    case 'alerts': return '#/alerts'
    case 'alert': return `#/alerts/${route.id}`
    case 'not-found': return `#/${route.path}`
  }
}

/** Which navigation entry a route belongs to, for aria-current. */
export function navSection (route: Route): 'inbox' | 'outbox' | 'compose' | 'directory' | 'alerts' | undefined {
  switch (route.page) {
    case 'requests': return route.box
    case 'compose': return 'compose'
    case 'directory': return 'directory'
    case 'alerts':
    case 'alert': return 'alerts'
    default: return undefined
  }
}
