/**
 * Retention of personal data, read-only (Art 14): the node's policy per legislative area
 * and kind of procedure (days after formal closure until blocking and deletion), and the
 * closed procedures still holding personal data here, the next to fall due first, with
 * a mark on what falls due within 30 days. For the coordinator and local data
 * administrators; the node refuses everyone else, which the page shows.
 */
import { PROCEDURE_KINDS, retentionDue, retentionPolicy, type DueProcedure, type RetentionPolicy } from '../api-subjects.js'
import type { Page, PageContext } from '../context.js'
import { h, type Child } from '../dom.js'
import { formatDay, formatInDays, formatNumber } from '../format.js'
import type { MessageKey } from '../i18n/index.js'
import { areaLabel } from '../labels.js'
import { routeHref, type Route } from '../router.js'
import { dataTable, failedPage, pageOf, section } from '../widgets.js'
import { authorityNamer } from './subject-requests.js'
import type { LegislativeArea } from '@imi/protocol'

type RetentionRoute = Extract<Route, { page: 'retention' }>
const DAY_MS = 86_400_000
const SOON_DAYS = 30

function policyTable (ctx: PageContext, policy: RetentionPolicy): HTMLElement {
  const { t, lang } = ctx
  const n = (v: number): string => formatNumber(v, lang)
  const areas = Object.keys(policy.areas).map((a) => [a, areaLabel(t, a as LegislativeArea)] as const).sort((a, b) => a[1].localeCompare(b[1], lang))
  return dataTable(t('retention.policy.caption'), [t('retention.col.area'), ...PROCEDURE_KINDS.map((k) => t(`retention.kind.${k}` satisfies MessageKey))],
    areas.map(([area, label]) => h('tr', null,
      h('th', { scope: 'row' }, label),
      PROCEDURE_KINDS.map((k) => {
        const rule = policy.areas[area]![k]
        return h('td', null, t('retention.rule', { block: n(rule.blockAfterDays), delete: n(rule.deleteAfterDays) }))
      }))), { compact: true })
}

/** A date with how far it is from now; marked when it falls within 30 days. */
function when (ctx: PageContext, at: number, now: number): Child {
  const days = Math.ceil((at - now) / DAY_MS)
  return [h('time', { datetime: new Date(at).toISOString() }, formatDay(at, ctx.lang)), ' ', h('span', { class: 'small' }, `(${formatInDays(days, ctx.lang)})`),
    days <= SOON_DAYS ? [' ', h('strong', { class: 'badge badge-soon' }, ctx.t('retention.soon'))] : null]
}

function dueTable (ctx: PageContext, due: { now: number, total: number, procedures: DueProcedure[] }, authority: (id: string) => string): Child {
  const { t, lang } = ctx
  if (due.procedures.length === 0) return h('p', { class: 'empty' }, t('retention.empty'))
  return [dataTable(t('retention.due.caption'), [t('retention.col.procedure'), t('retention.col.authority'), t('retention.col.closed'), t('retention.col.block'), t('retention.col.delete')],
    due.procedures.map((p) => {
      const label = `${t(`audit.kind.${p.kind}` satisfies MessageKey)} · ${areaLabel(t, p.area as LegislativeArea)} · ${p.id.slice(0, 8)}`
      const href = routeHref(p.kind === 'request' ? { page: 'request', id: p.id } : { page: 'alert', id: p.id })
      return h('tr', null,
        h('th', { scope: 'row' }, h('a', { href }, label)),
        h('td', null, p.authority === undefined ? '–' : authority(p.authority)),
        h('td', null, formatDay(p.closedAt, lang)),
        h('td', null, p.blockedAt === undefined ? when(ctx, p.blockAt, due.now) : h('span', { class: 'badge status-withdrawn' }, t('retention.blocked'))),
        h('td', null, when(ctx, p.deleteAt, due.now)))
    }), { hiddenCaption: true }),
  due.total > due.procedures.length ? h('p', { class: 'muted' }, t('retention.more', { shown: formatNumber(due.procedures.length, lang), total: formatNumber(due.total, lang) })) : null]
}

export const retentionPage: Page<RetentionRoute> = async (ctx) => {
  const { t } = ctx
  let policy: RetentionPolicy
  let due: Awaited<ReturnType<typeof retentionDue>>
  let authority: (id: string) => string
  try {
    [policy, due, authority] = await Promise.all([retentionPolicy(ctx.api), retentionDue(ctx.api), authorityNamer(ctx)])
  } catch (err) {
    return failedPage(ctx, t('retention.title'), err)
  }
  return pageOf('page-retention', t('retention.title'),
    h('p', { class: 'lead' }, t('retention.intro')),
    section('due-h', t('retention.due.title'), h('p', null, t('retention.due.intro')), dueTable(ctx, due, authority)),
    section('policy-h', t('retention.policy.title'), policyTable(ctx, policy)))
}
