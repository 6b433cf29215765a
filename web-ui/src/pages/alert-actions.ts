/**
 * What can be done with one alert: its issuer's alert handlers withdraw it (sent in
 * error) or close it (no longer applies), with an optional reason every state sees; the
 * national coordinator routes an incoming alert to the state's authorities that handle
 * it. The node checks both; these forms appear only where they can succeed.
 */
import { endAlert, routeAlert } from '../api-alerts.js'
import type { AlertView } from '../api-types.js'
import type { PageContext } from '../context.js'
import { field, h, uid } from '../dom.js'
import { localName } from '../format.js'
import { handleSubmit, section } from '../widgets.js'

function endForm (ctx: PageContext, view: AlertView, how: 'withdraw' | 'close'): HTMLElement {
  const { t } = ctx
  const reason = h('input', { name: `${how}-reason`, maxlength: 500, autocomplete: 'off' })
  const errors = h('div', { class: 'form-errors' })
  const headingId = uid('end')
  const form = h('form', { novalidate: true, 'aria-labelledby': headingId },
    errors, h('p', { class: 'hint' }, t(how === 'withdraw' ? 'alert.withdraw.hint' : 'alert.close.hint')),
    field(t('common.reasonOptional'), reason),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: how === 'withdraw' ? 'danger' : 'primary' }, t(how === 'withdraw' ? 'alert.withdraw' : 'alert.close'))))
  handleSubmit(ctx, form, errors, async () => {
    await endAlert(ctx.api, view.state.id, how, reason.value.trim() === '' ? undefined : reason.value.trim())
    ctx.announce(t(how === 'withdraw' ? 'alert.withdrawn' : 'alert.closed'))
    ctx.navigate({ page: 'alert', id: view.state.id })
  })
  return h('section', { class: 'action-panel', 'aria-labelledby': headingId }, h('h3', { id: headingId }, t(how === 'withdraw' ? 'alert.withdraw' : 'alert.close')), form)
}

async function routingForm (ctx: PageContext, view: AlertView): Promise<HTMLElement> {
  const { t, lang } = ctx
  const authorities = await ctx.api.authorities('active').catch(() => [])
  const boxes = authorities.map((a) => h('input', { type: 'checkbox', name: 'route', value: a.entry.id, id: uid('route'), checked: view.routedTo.includes(a.entry.id) }))
  const errors = h('div', { class: 'form-errors' })
  const form = h('form', { novalidate: true, 'aria-labelledby': 'routing-h' },
    errors,
    h('fieldset', { class: 'role-area' }, h('legend', null, t('alert.routing.hint')),
      h('div', { class: 'radios' }, boxes.map((b, i) => h('label', { for: b.id, class: 'checkbox' }, b, ` ${localName(authorities[i]!.entry.names, lang)}`, h('span', { class: 'muted small' }, ` · ${b.value}`))))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('alert.routing.submit'))))
  const chosen = (): string[] => boxes.filter((b) => b.checked).map((b) => b.value)
  handleSubmit(ctx, form, errors, async () => {
    await routeAlert(ctx.api, view.state.id, chosen())
    ctx.announce(t('alert.routing.saved'))
    ctx.navigate({ page: 'alert', id: view.state.id })
  }, () => chosen().length === 0 ? t('alert.routing.none') : undefined)
  return section('routing-h', t('alert.routing.title'), form)
}

export async function alertActions (ctx: PageContext, view: AlertView): Promise<HTMLElement | null> {
  const user = ctx.session.user
  const s = view.state
  if (s.status !== 'active') return null
  const issuer = view.delivery !== undefined && user.authority === s.fromAuthority && user.grants.some((g) => g.area === s.area && g.role === 'alert-handler')
  if (issuer) return section('end-h', ctx.t('alert.end.title'), endForm(ctx, view, 'close'), endForm(ctx, view, 'withdraw'))
  if (user.coordinator && view.delivery === undefined && view.addressedHere) return await routingForm(ctx, view)
  return null
}
