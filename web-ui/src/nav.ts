/**
 * Which main navigation entries a user gets, from the account alone: an official sees
 * the work of its authority (and, as a local data administrator, its users); the
 * national coordinator supervises the state (its requests, indicators, authorities and
 * audit trail, the register of data subject requests without personal data, retention)
 * and sends no requests of its own. Local data administrators also handle data subject
 * requests and see what retention will block and delete. Pure, so it is unit-tested; the node
 * still checks every call, so a hidden entry is a convenience, never the protection.
 */
import type { MessageKey } from './i18n/index.js'
import type { NavSection, Route } from './router.js'

export interface NavUser {
  readonly coordinator: boolean
  readonly authority?: string
  readonly grants: ReadonlyArray<{ readonly area: string, readonly role: string }>
}

export interface NavItem {
  readonly section: NavSection
  readonly label: MessageKey
  readonly route: Route
}

const hasRole = (u: NavUser, role: string): boolean => u.grants.some((g) => g.role === role)

export function navItems (user: NavUser): NavItem[] {
  if (user.coordinator) {
    return [
      { section: 'oversight', label: 'nav.oversight', route: { page: 'oversight' } },
      { section: 'indicators', label: 'nav.indicators', route: { page: 'indicators' } },
      { section: 'authorities', label: 'nav.authorities', route: { page: 'authorities' } },
      { section: 'alerts', label: 'nav.alerts', route: { page: 'alerts' } },
      { section: 'notifications', label: 'nav.notifications', route: { page: 'notifications' } },
      { section: 'directory', label: 'nav.directory', route: { page: 'directory' } },
      { section: 'audit', label: 'nav.audit', route: { page: 'audit' } },
      { section: 'subjects', label: 'nav.subjects', route: { page: 'subject-requests' } },
      { section: 'retention', label: 'nav.retention', route: { page: 'retention' } }
    ]
  }
  const handler = hasRole(user, 'request-handler')
  const items: NavItem[] = [
    { section: 'inbox', label: 'nav.inbox', route: { page: 'requests', box: 'inbox' } },
    { section: 'outbox', label: 'nav.outbox', route: { page: 'requests', box: 'outbox' } }
  ]
  if (handler) {
    items.push({ section: 'compose', label: 'nav.compose', route: { page: 'compose' } })
    items.push({ section: 'drafts', label: 'nav.drafts', route: { page: 'drafts' } })
  }
  items.push({ section: 'alerts', label: 'nav.alerts', route: { page: 'alerts' } })
  if (user.grants.some((g) => g.area === 'services')) items.push({ section: 'notifications', label: 'nav.notifications', route: { page: 'notifications' } })
  items.push({ section: 'directory', label: 'nav.directory', route: { page: 'directory' } })
  if (hasRole(user, 'local-data-admin')) {
    items.push({ section: 'users', label: 'nav.users', route: { page: 'users' } })
    items.push({ section: 'subjects', label: 'nav.subjects', route: { page: 'subject-requests' } })
    items.push({ section: 'retention', label: 'nav.retention', route: { page: 'retention' } })
  }
  return items
}

/** Where a user lands after logging in, or on `#/`. */
export function homeRoute (user: NavUser): Route {
  return user.coordinator ? { page: 'oversight' } : { page: 'requests', box: 'inbox' }
}
