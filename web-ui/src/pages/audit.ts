/**
 * The audit trail of personal data, for the national coordinator investigating an
 * incident: who read, exported, changed or deleted which procedure's data, when and
 * why, newest first, filtered by procedure, kind, official, authority and days; and a check of the whole
 * hash chain that names the first broken entry. Entries hold ids only.
 */
import { AUDIT_ACTIONS, auditEntries, verifyAudit, type AuditEntry } from '../api-supervision.js'
import type { Page, PageContext } from '../context.js'
import { field, h, notice, replace, select } from '../dom.js'
import { formatDateTime, formatNumber } from '../format.js'
import type { MessageKey } from '../i18n/index.js'
import { AUDIT_KINDS, routeHref, type AuditKind, type AuditRoute } from '../router.js'
import { dataTable, failedPage, pageOf } from '../widgets.js'

const LIMIT = 200
const PROCEDURE_ID = /^[A-Za-z0-9._:-]{1,64}$/
const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/

function actorText (ctx: PageContext, e: AuditEntry): string {
  const a = e.actor
  if (a.kind === 'operator') return ctx.t('audit.actor.operator')
  if (a.kind === 'system') return ctx.t('audit.actor.system')
  return a.authority === undefined ? `${a.username} (${ctx.t('nav.coordinator')})` : `${a.username} (${a.authority})`
}

function procedureCell (ctx: PageContext, e: AuditEntry): HTMLElement {
  const { kind, id } = e.procedure
  const label = `${ctx.t(`audit.kind.${kind}` satisfies MessageKey)} · ${id.slice(0, 8)}`
  const href = kind === 'request' ? routeHref({ page: 'request', id }) : kind === 'alert' ? routeHref({ page: 'alert', id }) : undefined
  return h('td', null, href === undefined ? label : h('a', { href }, label))
}

const actionLabel = (ctx: PageContext, action: string): string =>
  (AUDIT_ACTIONS as readonly string[]).includes(action) ? ctx.t(`audit.action.${action as typeof AUDIT_ACTIONS[number]}` satisfies MessageKey) : action

/** A local calendar day as the first or last millisecond of it. */
function dayBound (day: string, end: boolean): number {
  return new Date(`${day}T${end ? '23:59:59.999' : '00:00:00'}`).getTime()
}

function verifier (ctx: PageContext): HTMLElement {
  const { t } = ctx
  const result = h('div', { class: 'form-errors', tabindex: '-1' })
  const button = h('button', { type: 'button' }, t('audit.verify'))
  button.addEventListener('click', () => {
    button.disabled = true
    verifyAudit(ctx.api).then((r) => {
      replace(result, r.ok
        ? notice('success', t('audit.verify.ok', { count: formatNumber(r.entries, ctx.lang) }))
        : notice('error', t('audit.verify.broken', { seq: r.firstBroken?.seq ?? '?', reason: r.firstBroken?.reason ?? '', count: formatNumber(r.entries, ctx.lang) })))
    }, (err: unknown) => { replace(result, ctx.failure(err)) }).finally(() => { button.disabled = false; result.focus() })
  })
  return h('div', { class: 'verify' }, button, result)
}

export const auditPage: Page<AuditRoute> = async (ctx, route) => {
  const { t, lang } = ctx
  let entries: AuditEntry[]
  try {
    entries = await auditEntries(ctx.api, {
      limit: LIMIT, ...(route.procedure !== undefined && { procedure: route.procedure }), ...(route.kind !== undefined && { kind: route.kind }),
      ...(route.user !== undefined && { user: route.user }), ...(route.authority !== undefined && { authority: route.authority }),
      ...(route.from !== undefined && { from: dayBound(route.from, false) }), ...(route.to !== undefined && { to: dayBound(route.to, true) })
    })
  } catch (err) {
    return failedPage(ctx, t('audit.title'), err)
  }
  const procedure = h('input', { name: 'procedure', value: route.procedure ?? '', autocomplete: 'off', maxlength: 64, spellcheck: 'false' })
  const kind = select({ name: 'kind' }, [['', t('audit.kind.any')], ...AUDIT_KINDS.map((k): [string, string] => [k, t(`audit.kind.${k}` satisfies MessageKey)])], route.kind ?? '')
  const user = h('input', { name: 'user', value: route.user ?? '', autocomplete: 'off', autocapitalize: 'none', maxlength: 64, spellcheck: 'false' })
  const authority = h('input', { name: 'authority', value: route.authority ?? '', autocomplete: 'off', maxlength: 64, spellcheck: 'false' })
  const from = h('input', { type: 'date', name: 'from', value: route.from ?? '' })
  const to = h('input', { type: 'date', name: 'to', value: route.to ?? '' })
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('audit.filter.label') },
    field(t('audit.procedure'), procedure), field(t('audit.kind'), kind), field(t('audit.user'), user), field(t('audit.authority'), authority),
    field(t('audit.from'), from), field(t('audit.to'), to),
    h('div', { class: 'field button-field' }, h('button', { type: 'submit' }, t('audit.apply'))))
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    const p = procedure.value.trim()
    const u = user.value.trim().toLowerCase()
    const a = authority.value.trim()
    ctx.navigate({
      page: 'audit', ...(PROCEDURE_ID.test(p) && { procedure: p }), ...(kind.value !== '' && { kind: kind.value as AuditKind }),
      ...(USERNAME.test(u) && { user: u }), ...(PROCEDURE_ID.test(a) && { authority: a }),
      ...(from.value !== '' && { from: from.value }), ...(to.value !== '' && { to: to.value })
    })
  })
  const table = entries.length === 0 ? h('p', { class: 'empty' }, t('audit.empty')) : dataTable(t('audit.caption'),
    [{ label: t('audit.col.seq'), num: true }, t('audit.col.at'), t('audit.col.actor'), t('audit.col.action'), t('audit.col.procedure'), t('audit.col.reason')],
    entries.map((e) => h('tr', null,
      h('th', { scope: 'row', class: 'num' }, formatNumber(e.seq, lang)),
      h('td', null, h('time', { datetime: new Date(e.at).toISOString() }, formatDateTime(e.at, lang))),
      h('td', null, actorText(ctx, e)),
      h('td', null, actionLabel(ctx, e.action)),
      procedureCell(ctx, e),
      h('td', null, e.reason ?? '–'))), { compact: true })
  return pageOf('page-audit', t('audit.title'),
    h('p', { class: 'lead' }, t('audit.intro')),
    verifier(ctx),
    form,
    h('div', { class: 'results' }, table),
    entries.length >= LIMIT ? h('p', { class: 'muted' }, t('audit.limit', { count: LIMIT })) : null)
}
