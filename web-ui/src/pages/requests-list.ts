/**
 * The inbox (requests to this authority) and the outbox (its own requests): status, the
 * date that counts (agreed, else needed-by), an overdue mark computed from that date,
 * a status filter asked of the node, and in the browser a text filter (ids, authorities,
 * states, status) and "overdue only", all kept in the URL. Refreshes itself while open,
 * so an incoming request shows up without a reload.
 */
import type { RequestState, RequestStatus } from '@imi/protocol'
import type { Page, PageContext } from '../context.js'
import { h, replace, select } from '../dom.js'
import { filterBox, requestSearchText } from '../list-filter.js'
import { dueDate, formatDate, formatDateTime, isOverdue } from '../format.js'
import { areaLabel, partyLabel, statusLabel } from '../labels.js'
import { REQUEST_STATUSES, routeHref, type Route } from '../router.js'

type ListRoute = Extract<Route, { page: 'requests' }>
const REFRESH_MS = 20_000

function row (ctx: PageContext, box: ListRoute['box'], r: RequestState): HTMLTableRowElement {
  const { t, lang } = ctx
  const overdue = isOverdue(r, ctx.today)
  const counterpart = box === 'inbox' ? r.requester : r.responder
  const due = h('td', null, formatDate(dueDate(r), lang),
    r.answerBy === undefined ? null : h('span', { class: 'muted' }, ` (${t('requests.agreed')})`),
    overdue ? [' ', h('strong', { class: 'badge badge-overdue' }, t('requests.overdue'))] : null)
  return h('tr', { class: overdue ? 'overdue' : null, 'data-search': requestSearchText(t, lang, r), 'data-overdue': overdue ? '1' : null },
    h('th', { scope: 'row' }, h('a', { href: routeHref({ page: 'request', id: r.id }) }, areaLabel(t, r.area)),
      h('span', { class: 'muted small' }, ` · ${t('requests.questionCount', { count: r.questions.length + r.freeQuestions.length })}`)),
    h('td', null, partyLabel(t, lang, counterpart)),
    h('td', null, h('span', { class: `badge status-${r.status}` }, statusLabel(t, r.status))),
    due,
    h('td', null, formatDateTime(r.lastActivity, lang)))
}

function table (ctx: PageContext, box: ListRoute['box'], requests: readonly RequestState[]): HTMLElement {
  const { t } = ctx
  if (requests.length === 0) return h('p', { class: 'empty' }, t('requests.empty'))
  return h('table', { class: 'data' },
    h('caption', { class: 'sr-only' }, t(box === 'inbox' ? 'requests.inbox.caption' : 'requests.outbox.caption')),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, t('requests.col.request')),
      h('th', { scope: 'col' }, t(box === 'inbox' ? 'requests.col.from' : 'requests.col.to')),
      h('th', { scope: 'col' }, t('requests.col.status')),
      h('th', { scope: 'col' }, t('requests.col.due')),
      h('th', { scope: 'col' }, t('requests.col.activity')))),
    h('tbody', null, requests.map((r) => row(ctx, box, r))))
}

export const requestsListPage: Page<ListRoute> = async (ctx, route) => {
  const { t } = ctx
  const title = t(route.box === 'inbox' ? 'requests.inbox.title' : 'requests.outbox.title')
  const status = select({ name: 'status', id: 'status-filter' },
    [['', t('requests.filter.any')], ...REQUEST_STATUSES.map((s): [string, string] => [s, statusLabel(t, s)])], route.status ?? '')
  const filter = h('form', { class: 'filters', role: 'search', 'aria-label': t('requests.filter.label') },
    h('div', { class: 'field inline' }, h('label', { for: 'status-filter' }, t('requests.filter.status')), status),
    h('button', { type: 'submit' }, t('requests.filter.apply')))
  filter.addEventListener('submit', (e) => {
    e.preventDefault()
    const q = box.input.value.trim()
    ctx.navigate({ page: 'requests', box: route.box, ...(status.value !== '' && { status: status.value as RequestStatus }), ...(q !== '' && { q }), ...(overdueOnly.checked && { overdue: true as const }) })
  })
  const results = h('div', { class: 'results' })
  const refresh = h('button', { type: 'button', class: 'secondary' }, t('requests.refresh'))
  const overdueOnly = h('input', { type: 'checkbox', id: 'overdue-only', name: 'overdue', checked: route.overdue === true })
  const remember = (): void => {
    const q = box.input.value.trim()
    history.replaceState(null, '', routeHref({ page: 'requests', box: route.box, ...(route.status !== undefined && { status: route.status }), ...(q !== '' && { q }), ...(overdueOnly.checked && { overdue: true as const }) }))
  }
  const box = filterBox(t, route.q, remember, (row) => !overdueOnly.checked || row.dataset.overdue === '1')
  overdueOnly.addEventListener('change', () => { box.refresh(); remember() })

  let loading: Promise<void> | undefined
  let shown: string | undefined
  const load = async (): Promise<void> => {
    if (loading !== undefined) return await loading
    loading = ctx.api.requests(route.box, route.status).then(
      (requests) => {
        // Unchanged lists are left alone, so a refresh never moves anyone's focus or place for nothing.
        const signature = JSON.stringify(requests.map((r) => [r.id, r.status, r.lastActivity]))
        if (signature === shown) return
        shown = signature
        replace(results, table(ctx, route.box, requests))
        box.apply(results)
      },
      (err: unknown) => { shown = undefined; replace(results, ctx.failure(err)) }
    ).finally(() => { loading = undefined })
    await loading
  }
  refresh.addEventListener('click', () => { void load() })
  // Automatic refreshes wait while the official is working inside the list (focus would be lost).
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible' && !results.contains(document.activeElement)) void load()
  }, REFRESH_MS)
  ctx.onLeave(() => { clearInterval(timer) })
  await load()
  return h('div', { class: 'page page-requests' },
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, title), refresh),
    filter,
    h('div', { class: 'filters' }, box.element, h('div', { class: 'field checkbox' }, overdueOnly, h('label', { for: 'overdue-only' }, t('requests.overdueOnly')))),
    results)
}
