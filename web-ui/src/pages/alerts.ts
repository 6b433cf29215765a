/**
 * Alerts issued by this authority or routed to it: the list, and one alert with its
 * content (where this official may read it, and once blocked, with a stated reason),
 * who it went to and, for the issuer, which states have confirmed receipt and the forms
 * to withdraw or close it; the coordinator routes an incoming alert (alert-actions.ts).
 */
import { readBlockedAlert } from '../api-alerts.js'
import type { AlertRecord, AlertView } from '../api-types.js'
import type { Page, PageContext } from '../context.js'
import { h, replace, type Child } from '../dom.js'
import { countryName, formatDate, formatDateTime } from '../format.js'
import { alertStatusLabel, alertTypeLabel, areaLabel, fieldLabel, partyLabel } from '../labels.js'
import { routeHref, type Route } from '../router.js'
import { alertActions } from './alert-actions.js'
import { blockedReader, deletedNotice } from './blocked.js'

function addressed (ctx: PageContext, states: readonly string[]): string {
  return states.includes('*') ? ctx.t('alert.addressed.all') : states.map((c) => countryName(c, ctx.lang)).join(', ')
}

function alertsTable (ctx: PageContext, alerts: readonly AlertRecord[]): HTMLElement {
  const { t, lang } = ctx
  if (alerts.length === 0) return h('p', { class: 'empty' }, t('alerts.empty'))
  return h('table', { class: 'data' },
    h('caption', { class: 'sr-only' }, t('alerts.caption')),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, t('alerts.col.type')),
      h('th', { scope: 'col' }, t('alerts.col.from')),
      h('th', { scope: 'col' }, t('alerts.col.area')),
      h('th', { scope: 'col' }, t('alerts.col.status')),
      h('th', { scope: 'col' }, t('alerts.col.issued')))),
    h('tbody', null, alerts.map(({ state: a }) => h('tr', null,
      h('th', { scope: 'row' }, h('a', { href: routeHref({ page: 'alert', id: a.id }) }, alertTypeLabel(t, a.type))),
      h('td', null, partyLabel(t, lang, { country: a.from, authority: a.fromAuthority })),
      h('td', null, areaLabel(t, a.area)),
      h('td', null, h('span', { class: `badge alert-${a.status}` }, alertStatusLabel(t, a.status))),
      h('td', null, formatDateTime(a.issuedAt, lang), a.late ? [' ', h('strong', { class: 'badge badge-overdue' }, t('alert.lateShort'))] : null)))))
}

export const alertsPage: Page = async (ctx) => {
  const { t } = ctx
  const body = await ctx.api.alerts().then((alerts) => alertsTable(ctx, alerts), (err: unknown) => ctx.failure(err))
  const mayIssue = ctx.session.user.grants.some((g) => g.role === 'alert-handler')
  return h('div', { class: 'page page-alerts' },
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t('alerts.title')),
      mayIssue ? h('a', { href: routeHref({ page: 'alert-new' }), class: 'button-link' }, t('alerts.new')) : null),
    body)
}

function pair (label: string, ...value: Child[]): Child[] { return [h('dt', null, label), h('dd', null, ...value)] }

function content (ctx: PageContext, view: AlertView): HTMLElement {
  const { t, lang } = ctx
  const c = view.content
  if (c === undefined && view.deletedAt !== undefined) return deletedNotice(ctx, view.deletedAt)
  if (c === undefined && view.blocked === true) {
    const holder = h('div', null)
    replace(holder, blockedReader(ctx, async (reason) => {
      const read = await readBlockedAlert(ctx.api, view.state.id, reason)
      replace(holder, h('p', { class: 'notice', role: 'status' }, t('blocked.shown')), read.content === undefined ? h('p', { class: 'muted' }, t('alert.contentHidden')) : content(ctx, read))
      holder.querySelector<HTMLElement>('p')?.focus()
    }))
    return holder
  }
  if (c === undefined) return h('p', { class: 'muted' }, t('alert.contentHidden'))
  return h('dl', { class: 'summary' },
    pair(t('alert.description'), c.description),
    pair(t('alert.concerned'), h('ul', { class: 'plain' }, Object.entries(c.concerned).map(([k, v]) => h('li', null, `${fieldLabel(t, k)}: ${v}`)))),
    c.profession === undefined ? null : pair(t('alert.profession'), c.profession),
    c.decision === undefined ? null : pair(t('alert.decision'), c.decision),
    c.periodFrom === undefined && c.periodTo === undefined ? null
      : pair(t('alert.period'), `${c.periodFrom === undefined ? '…' : formatDate(c.periodFrom, lang)} – ${c.periodTo === undefined ? '…' : formatDate(c.periodTo, lang)}`))
}

export const alertPage: Page<Extract<Route, { page: 'alert' }>> = async (ctx, route) => {
  const { t, lang } = ctx
  const back = h('p', { class: 'back' }, h('a', { href: routeHref({ page: 'alerts' }) }, t('alert.back')))
  let view: AlertView
  try {
    view = await ctx.api.alert(route.id)
  } catch (err) {
    return h('div', { class: 'page' }, back, h('h1', { tabindex: '-1' }, t('alert.title')), ctx.failure(err))
  }
  const a = view.state
  return h('div', { class: 'page page-alert' },
    back,
    h('h1', { tabindex: '-1' }, `${t('alert.title')}: ${alertTypeLabel(t, a.type)}`),
    h('dl', { class: 'summary' },
      pair(t('alerts.col.status'), h('span', { class: `badge alert-${a.status}` }, alertStatusLabel(t, a.status))),
      pair(t('alerts.col.from'), partyLabel(t, lang, { country: a.from, authority: a.fromAuthority })),
      pair(t('alerts.col.area'), areaLabel(t, a.area)),
      pair(t('alerts.col.issued'), formatDateTime(a.issuedAt, lang)),
      a.decisionDate === undefined ? null : pair(t('alert.decisionDate'), formatDate(a.decisionDate, lang), a.late ? [' ', h('strong', { class: 'badge badge-overdue' }, t('alert.late'))] : null),
      pair(t('alert.addressed'), addressed(ctx, a.addressed)),
      view.routedTo.length === 0 ? null : pair(t('alert.routedTo'), view.routedTo.join(', ')),
      a.withdrawnAt === undefined && a.closedAt === undefined ? null : pair(t('alert.endedAt'), formatDateTime(a.withdrawnAt ?? a.closedAt ?? 0, lang)),
      a.reason === undefined ? null : pair(t('alert.reason'), a.reason)),
    h('section', { 'aria-labelledby': 'content-h' }, h('h2', { id: 'content-h' }, t('alert.content')), content(ctx, view)),
    view.delivery === undefined ? null : h('section', { 'aria-labelledby': 'delivery-h' },
      h('h2', { id: 'delivery-h' }, t('alert.delivery')),
      h('p', null, t('alert.delivery.summary', { received: Object.values(view.delivery).filter((d) => d === 'received').length, total: Object.keys(view.delivery).length })),
      h('ul', { class: 'plain' }, Object.entries(view.delivery).sort().map(([c, d]) =>
        h('li', null, `${countryName(c, lang)}: `, h('span', { class: `badge delivery-${d}` }, t(d === 'received' ? 'alert.delivery.received' : 'alert.delivery.pending')))))),
    await alertActions(ctx, view))
}
