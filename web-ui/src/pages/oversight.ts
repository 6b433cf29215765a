/**
 * The national coordinator's view of the state's requests: those overdue, escalated
 * (quiet for two months) and soon due, from the node's deadline checks, then every
 * request of the state with a status filter (asked of the node) and a text filter (in
 * the browser). The coordinator sees parties, dates and statuses, never personal data.
 */
import type { RequestState, RequestStatus } from '@imi/protocol'
import { allRequests, deadlines, type DeadlineItem, type Deadlines } from '../api-supervision.js'
import type { Page, PageContext } from '../context.js'
import { h, replace, select } from '../dom.js'
import { dueDate, formatDate, formatDateTime, formatNumber, isOverdue } from '../format.js'
import { filterBox, requestSearchText } from '../list-filter.js'
import { areaLabel, partyLabel, statusLabel } from '../labels.js'
import { REQUEST_STATUSES, routeHref, type Route } from '../router.js'
import { badge, dataTable, pageOf, section } from '../widgets.js'

type OversightRoute = Extract<Route, { page: 'oversight' }>

/** "Services · AbCdEfGh": a request named by its area and the start of its id. */
export function requestLink (ctx: PageContext, r: { id: string, area: RequestState['area'] }): HTMLElement {
  return h('a', { href: routeHref({ page: 'request', id: r.id }) }, areaLabel(ctx.t, r.area), h('span', { class: 'muted small' }, ` · ${r.id.slice(0, 8)}`))
}

function deadlineTable (ctx: PageContext, caption: string, items: readonly DeadlineItem[], extra: 'late' | 'quiet' | 'due'): HTMLElement {
  const { t, lang } = ctx
  if (items.length === 0) return h('p', { class: 'empty' }, t('oversight.none'))
  const extraColumn = extra === 'late' ? t('oversight.col.late') : extra === 'quiet' ? t('oversight.col.quiet') : t('oversight.col.awaiting')
  return dataTable(caption, [t('oversight.col.request'), t('oversight.col.requester'), t('oversight.col.responder'), t('oversight.col.status'), t('oversight.col.due'),
    { label: extraColumn, num: extra !== 'due' }],
  items.map((d) => h('tr', { class: extra === 'late' ? 'overdue' : null },
    h('th', { scope: 'row' }, requestLink(ctx, d)),
    h('td', null, partyLabel(t, lang, d.requester)),
    h('td', null, partyLabel(t, lang, d.responder)),
    h('td', null, badge(`status-${d.status}`, statusLabel(t, d.status))),
    h('td', null, d.due === undefined ? '–' : formatDate(d.due, lang)),
    extra === 'due'
      ? h('td', null, d.awaiting === undefined ? '–' : t(d.awaiting === 'requester' ? 'oversight.awaiting.requester' : 'oversight.awaiting.responder'))
      : h('td', { class: 'num' }, formatNumber(extra === 'late' ? d.daysLate : d.inactiveDays, lang)))), { hiddenCaption: true })
}

function deadlineSections (ctx: PageContext, d: Deadlines): HTMLElement[] {
  const { t } = ctx
  return [
    section('overdue-h', t('oversight.overdue.title', { count: d.overdue.length }), deadlineTable(ctx, t('oversight.overdue.title', { count: d.overdue.length }), d.overdue, 'late')),
    section('escalated-h', t('oversight.escalated.title', { count: d.escalated.length }), deadlineTable(ctx, t('oversight.escalated.title', { count: d.escalated.length }), d.escalated, 'quiet')),
    section('upcoming-h', t('oversight.upcoming.title', { count: d.upcoming.length }), deadlineTable(ctx, t('oversight.upcoming.title', { count: d.upcoming.length }), d.upcoming, 'due'))
  ]
}

function requestsTable (ctx: PageContext, requests: readonly RequestState[]): HTMLElement {
  const { t, lang } = ctx
  if (requests.length === 0) return h('p', { class: 'empty' }, t('requests.empty'))
  return dataTable(t('oversight.all.caption'), [t('oversight.col.request'), t('oversight.col.requester'), t('oversight.col.responder'), t('oversight.col.status'), t('oversight.col.due'), t('oversight.col.activity')],
    requests.map((r) => {
      const overdue = isOverdue(r, ctx.today)
      return h('tr', { class: overdue ? 'overdue' : null, 'data-search': requestSearchText(t, lang, r) },
        h('th', { scope: 'row' }, requestLink(ctx, r)),
        h('td', null, partyLabel(t, lang, r.requester)),
        h('td', null, partyLabel(t, lang, r.responder)),
        h('td', null, badge(`status-${r.status}`, statusLabel(t, r.status))),
        h('td', null, formatDate(dueDate(r), lang), overdue ? [' ', h('strong', { class: 'badge badge-overdue' }, t('requests.overdue'))] : null),
        h('td', null, formatDateTime(r.lastActivity, lang)))
    }), { hiddenCaption: true })
}

export const oversightPage: Page<OversightRoute> = async (ctx, route) => {
  const { t, lang } = ctx
  const [due, requests] = await Promise.all([deadlines(ctx.api).catch((err: unknown) => err), allRequests(ctx.api, route.status).catch((err: unknown) => err)])
  const status = select({ name: 'status', id: 'oversight-status' },
    [['', t('requests.filter.any')], ...REQUEST_STATUSES.map((s): [string, string] => [s, statusLabel(t, s)])], route.status ?? '')
  const box = filterBox(t, route.q, (q) => {
    history.replaceState(null, '', routeHref({ page: 'oversight', ...(route.status !== undefined && { status: route.status }), ...(q !== '' && { q }) }))
  })
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('oversight.filter.label') },
    h('div', { class: 'field inline' }, h('label', { for: 'oversight-status' }, t('requests.filter.status')), status),
    h('button', { type: 'submit' }, t('requests.filter.apply')))
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    ctx.navigate({ page: 'oversight', ...(status.value !== '' && { status: status.value as RequestStatus }), ...(box.input.value.trim() !== '' && { q: box.input.value.trim() }) })
  })
  const list = h('div', { class: 'results' })
  if (Array.isArray(requests)) {
    replace(list, requestsTable(ctx, requests as RequestState[]))
    box.apply(list)
  } else {
    replace(list, ctx.failure(requests))
  }
  const dueParts = due instanceof Error ? [ctx.failure(due)] : [h('p', { class: 'muted' }, t('oversight.asOf', { date: formatDate((due as Deadlines).asOf.slice(0, 10), lang) })), ...deadlineSections(ctx, due as Deadlines)]
  return pageOf('page-oversight', t('oversight.title'),
    ...dueParts,
    section('all-h', t('oversight.all.title'), form, box.element, list))
}
