/**
 * The state's authorities, for the national coordinator: those waiting for approval
 * first, then all (or one status), each with the actions its status allows. An action
 * opens a confirmation panel that says what it does and takes a reason (kept on this
 * node, shown to the coordinator); Cancel returns focus to the button.
 */
import { actOnAuthority, type AuthorityAction } from '../api-accounts.js'
import type { LocalAuthority } from '../api-client.js'
import type { Page, PageContext } from '../context.js'
import { field, h, replace, select } from '../dom.js'
import { formatDateTime, localName } from '../format.js'
import type { MessageKey } from '../i18n/index.js'
import { areaLabel, authorityStatusLabel } from '../labels.js'
import { AUTHORITY_STATUSES, routeHref, type AuthorityStatus, type Route } from '../router.js'
import { badge, dataTable, failedPage, handleSubmit, pageOf, section } from '../widgets.js'

type AuthoritiesRoute = Extract<Route, { page: 'authorities' }>

/** Which actions each status allows (as the node's registry does). */
export const AUTHORITY_ACTIONS: Readonly<Record<AuthorityStatus, readonly AuthorityAction[]>> = {
  pending: ['approve', 'remove'],
  active: ['suspend', 'remove'],
  suspended: ['reinstate', 'remove'],
  removed: []
}

const STATUS_BADGE: Readonly<Record<AuthorityStatus, string>> = {
  pending: 'status-info-requested', active: 'alert-active', suspended: 'badge-overdue', removed: 'status-withdrawn'
}

/** The panel that confirms one action on one authority. */
function confirmPanel (ctx: PageContext, panel: HTMLElement, a: LocalAuthority, action: AuthorityAction, opener: HTMLButtonElement, done: () => void): void {
  const { t, lang } = ctx
  const name = localName(a.entry.names, lang)
  const reason = h('input', { name: 'reason', maxlength: 500, autocomplete: 'off' })
  const errors = h('div', { class: 'form-errors' })
  const cancel = h('button', { type: 'button' }, t('common.cancel'))
  const form = h('form', { novalidate: true, 'aria-labelledby': 'confirm-h' },
    errors,
    h('p', null, t(`authorities.hint.${action}` satisfies MessageKey)),
    action === 'approve' || action === 'reinstate' ? null : field(t('common.reasonOptional'), reason),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: action === 'approve' || action === 'reinstate' ? 'primary' : 'danger' }, t('authorities.confirm')),
      cancel))
  cancel.addEventListener('click', () => { replace(panel); opener.focus() })
  handleSubmit(ctx, form, errors, async () => {
    const after = await actOnAuthority(ctx.api, a.entry.id, action, reason.value.trim() === '' ? undefined : reason.value.trim())
    ctx.announce(t('authorities.done', { name, status: authorityStatusLabel(t, after.status) }))
    done()
  })
  replace(panel, h('section', { class: 'action-panel', 'aria-labelledby': 'confirm-h' },
    h('h2', { id: 'confirm-h', tabindex: '-1' }, t('authorities.actionOn', { action: t(`authorities.action.${action}` satisfies MessageKey), name })),
    form))
  const first = panel.querySelector<HTMLElement>('input[name="reason"]') ?? panel.querySelector<HTMLElement>('h2')
  first?.focus()
}

function authorityRows (ctx: PageContext, list: readonly LocalAuthority[], panel: HTMLElement, done: () => void): HTMLTableRowElement[] {
  const { t, lang } = ctx
  return list.map((a) => {
    const name = localName(a.entry.names, lang)
    const buttons = AUTHORITY_ACTIONS[a.status].map((action) => {
      const b = h('button', { type: 'button', class: 'small-button', 'aria-label': t('authorities.actionOn', { action: t(`authorities.action.${action}` satisfies MessageKey), name }) },
        t(`authorities.action.${action}` satisfies MessageKey))
      b.addEventListener('click', () => { confirmPanel(ctx, panel, a, action, b, done) })
      return b
    })
    return h('tr', null,
      h('th', { scope: 'row' }, h('span', { class: 'hit-name' }, name), h('span', { class: 'muted small' }, ` · ${a.entry.id}`)),
      h('td', null, a.entry.areas.map((x) => areaLabel(t, x)).join(', ')),
      h('td', null, badge(STATUS_BADGE[a.status], authorityStatusLabel(t, a.status)), a.reason === undefined ? null : h('p', { class: 'small muted' }, a.reason)),
      h('td', null, a.updated === undefined ? '–' : formatDateTime(a.updated, lang)),
      h('td', { class: 'row-actions' }, buttons,
        a.status === 'removed' ? null : h('a', { href: routeHref({ page: 'users', authority: a.entry.id }), 'aria-label': t('authorities.usersOf', { name }) }, t('authorities.users'))))
  })
}

function table (ctx: PageContext, caption: string, list: readonly LocalAuthority[], panel: HTMLElement, done: () => void): HTMLElement {
  const { t } = ctx
  if (list.length === 0) return h('p', { class: 'empty' }, t('authorities.empty'))
  return dataTable(caption, [t('authorities.col.authority'), t('authorities.col.areas'), t('authorities.col.status'), t('authorities.col.changed'), t('authorities.col.actions')],
    authorityRows(ctx, list, panel, done), { hiddenCaption: true })
}

export const authoritiesPage: Page<AuthoritiesRoute> = async (ctx, route) => {
  const { t } = ctx
  let all: LocalAuthority[]
  try {
    all = await ctx.api.authorities()
  } catch (err) {
    return failedPage(ctx, t('authorities.title'), err)
  }
  const status = select({ name: 'status', id: 'authority-status' },
    [['', t('common.all')], ...AUTHORITY_STATUSES.map((s): [string, string] => [s, authorityStatusLabel(t, s)])], route.status ?? '')
  const filter = h('form', { class: 'filters', role: 'search', 'aria-label': t('authorities.filter.label') },
    h('div', { class: 'field inline' }, h('label', { for: 'authority-status' }, t('authorities.filter.status')), status),
    h('button', { type: 'submit' }, t('authorities.filter.apply')))
  filter.addEventListener('submit', (e) => {
    e.preventDefault()
    ctx.navigate({ page: 'authorities', ...(status.value !== '' && { status: status.value as AuthorityStatus }) })
  })
  const panel = h('div', { class: 'confirm-area' })
  const done = (): void => { ctx.navigate(route) }
  const pending = all.filter((a) => a.status === 'pending')
  const shown = route.status === undefined ? all.filter((a) => a.status !== 'pending') : all.filter((a) => a.status === route.status)
  return pageOf('page-authorities', t('authorities.title'),
    h('p', null, h('a', { href: routeHref({ page: 'authority-new' }), class: 'button-link' }, t('authorities.register'))),
    route.status === undefined && pending.length > 0
      ? section('pending-h', `${t('authorities.pending.title')} (${pending.length})`, table(ctx, t('authorities.pending.title'), pending, panel, done))
      : null,
    section('list-h', t('authorities.caption'), filter, table(ctx, t('authorities.caption'), shown, panel, done)),
    panel)
}
