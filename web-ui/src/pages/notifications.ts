/**
 * Services Directive notifications from every member state, newest first: title in the
 * reader's language where given, who notified, status and when the comment period ends,
 * and how many comments; a status filter, and notifying a new draft requirement.
 */
import { notifications, type NotificationSummary } from '../api-notifications.js'
import type { Page, PageContext } from '../context.js'
import { h, select } from '../dom.js'
import { formatDateTime, formatNumber, localName } from '../format.js'
import { notificationStatusLabel, partyLabel } from '../labels.js'
import { NOTIFICATION_STATUSES, routeHref, type NotificationStatus, type Route } from '../router.js'
import { badge, dataTable, failedPage } from '../widgets.js'

type NotificationsRoute = Extract<Route, { page: 'notifications' }>

export const NOTIFICATION_BADGE: Readonly<Record<NotificationStatus, string>> = { open: 'alert-active', closed: 'status-closed', withdrawn: 'status-withdrawn' }

/** Who may notify and comment: the coordinator, or a request handler in services. */
export function mayTakePart (ctx: PageContext): boolean {
  const u = ctx.session.user
  return u.coordinator || u.grants.some((g) => g.area === 'services' && g.role === 'request-handler')
}

function table (ctx: PageContext, list: readonly NotificationSummary[]): HTMLElement {
  const { t, lang } = ctx
  if (list.length === 0) return h('p', { class: 'empty' }, t('notifications.empty'))
  return dataTable(t('notifications.caption'), [t('notifications.col.title'), t('notifications.col.from'), t('notifications.col.status'), t('notifications.col.closes'),
    { label: t('notifications.col.comments'), num: true }],
  list.map((n) => {
    const title = n.title[lang] ?? localName(n.title, lang)
    return h('tr', null,
      h('th', { scope: 'row' }, h('a', { href: routeHref({ page: 'notification', id: n.id }), lang: n.title[lang] === undefined ? Object.keys(n.title).find((l) => n.title[l] === title) : lang }, title)),
      h('td', null, partyLabel(t, lang, { country: n.from, ...(n.fromAuthority !== undefined && { authority: n.fromAuthority }) })),
      h('td', null, badge(NOTIFICATION_BADGE[n.status], notificationStatusLabel(t, n.status))),
      h('td', null, formatDateTime(n.closesAt, lang)),
      h('td', { class: 'num' }, formatNumber(n.comments, lang)))
  }), { hiddenCaption: true })
}

export const notificationsPage: Page<NotificationsRoute> = async (ctx, route) => {
  const { t } = ctx
  let list: NotificationSummary[]
  try {
    list = await notifications(ctx.api, route.status)
  } catch (err) {
    return failedPage(ctx, t('notifications.title'), err)
  }
  const status = select({ name: 'status', id: 'notification-status' },
    [['', t('common.all')], ...NOTIFICATION_STATUSES.map((s): [string, string] => [s, notificationStatusLabel(t, s)])], route.status ?? '')
  const filter = h('form', { class: 'filters', role: 'search', 'aria-label': t('notifications.filter.label') },
    h('div', { class: 'field inline' }, h('label', { for: 'notification-status' }, t('notifications.filter.status')), status),
    h('button', { type: 'submit' }, t('notifications.filter.apply')))
  filter.addEventListener('submit', (e) => {
    e.preventDefault()
    ctx.navigate({ page: 'notifications', ...(status.value !== '' && { status: status.value as NotificationStatus }) })
  })
  return h('div', { class: 'page page-notifications' },
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t('notifications.title')),
      mayTakePart(ctx) ? h('a', { href: routeHref({ page: 'notification-new' }), class: 'button-link' }, t('notifications.new')) : null),
    h('p', { class: 'lead' }, t('notifications.intro')),
    filter,
    h('div', { class: 'results' }, table(ctx, list)))
}
