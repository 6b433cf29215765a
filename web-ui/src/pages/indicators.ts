/**
 * The Commission's performance indicators, with charts: for the whole state (the
 * coordinator) or one authority, over a period of sending dates. Accepted within 7 days
 * and answered by the agreed date as percentage bars against their targets, coloured
 * and worded by rating; the average answer time in days; requests by status and by
 * member state; and, for the whole state, each authority side by side.
 */
import type { RequestStatus } from '@imi/protocol'
import { indicators, type IndicatorSet, type IndicatorsReport, type Performance, type RateIndicator } from '../api-supervision.js'
import type { LocalAuthority } from '../api-client.js'
import { barChart } from '../chart.js'
import type { Page, PageContext } from '../context.js'
import { field, h, select } from '../dom.js'
import { countryName, formatDate, formatNumber, localName } from '../format.js'
import type { MessageKey } from '../i18n/index.js'
import { statusLabel } from '../labels.js'
import { REQUEST_STATUSES, type Route } from '../router.js'
import { failedPage, pageOf, pair, section } from '../widgets.js'

type IndicatorsRoute = Extract<Route, { page: 'indicators' }>

/** The targets the node rates against (node/src/services/requests/indicators.ts). */
const TARGET_PERCENT = 80

function percentText (ctx: PageContext, n: number): string {
  return new Intl.NumberFormat(ctx.lang, { maximumFractionDigits: 1 }).format(n) + '\u00a0%'
}

function rateLine (ctx: PageContext, label: MessageKey, r: RateIndicator): HTMLElement {
  const { t } = ctx
  return h('li', null, `${t(label)}: `, h('strong', null, r.percent === null ? '–' : percentText(ctx, r.percent)),
    ` (${t('indicators.counted', { met: formatNumber(r.met, ctx.lang), counted: formatNumber(r.counted, ctx.lang) })}, `,
    h('span', { class: `rating rating-${r.rating === 'n/a' ? 'na' : r.rating}` }, t(`indicators.rating.${r.rating}` satisfies MessageKey)), ')')
}

function performance (ctx: PageContext, id: string, title: MessageKey, hint: MessageKey, p: Performance): HTMLElement {
  const { t } = ctx
  const rows = ([['indicators.accepted7', p.acceptedWithin7Days], ['indicators.answeredByDate', p.answeredByAgreedDate]] as const)
  return section(id, t(title),
    h('p', { class: 'muted' }, t(hint)),
    h('ul', { class: 'plain indicator-list' },
      rateLine(ctx, 'indicators.accepted7', p.acceptedWithin7Days),
      rateLine(ctx, 'indicators.answeredByDate', p.answeredByAgreedDate),
      h('li', null, `${t('indicators.averageDays')}: `, h('strong', null, p.averageAnswerDays.days === null ? '–' : t('indicators.days', { days: formatNumber(p.averageAnswerDays.days, ctx.lang) })),
        ' (', h('span', { class: `rating rating-${p.averageAnswerDays.rating === 'n/a' ? 'na' : p.averageAnswerDays.rating}` }, t(`indicators.rating.${p.averageAnswerDays.rating}` satisfies MessageKey)), ')')),
    barChart({
      caption: t('indicators.percentChart', { title: t(title) }),
      rows: rows.map(([key, r]) => ({ label: t(key), values: [r.percent], cls: `bar-${r.rating === 'n/a' ? 'na' : r.rating}` })),
      series: [{ name: t('indicators.share'), cls: 'bar-sent' }],
      max: 100,
      marks: [{ value: TARGET_PERCENT, label: t('indicators.target', { value: TARGET_PERCENT }) }],
      format: (n) => percentText(ctx, n),
      tableHeaders: [t('indicators.indicator'), t('indicators.share')],
      tableLabel: t('common.figures'),
      cell: (row) => { const r = rows[row]![1]; return r.percent === null ? '–' : `${percentText(ctx, r.percent)} (${t('indicators.counted', { met: r.met, counted: r.counted })})` }
    }))
}

function sentReceived (ctx: PageContext, caption: string, header: string, rows: Array<{ label: string, sent: number, received: number }>): HTMLElement {
  const { t } = ctx
  return barChart({
    caption,
    rows: rows.map((r) => ({ label: r.label, values: [r.sent, r.received] })),
    series: [{ name: t('indicators.series.sent'), cls: 'bar-sent' }, { name: t('indicators.series.received'), cls: 'bar-received' }],
    format: (n) => formatNumber(n, ctx.lang),
    tableHeaders: [header, t('indicators.series.sent'), t('indicators.series.received')],
    tableLabel: t('common.figures')
  })
}

function byAuthority (ctx: PageContext, report: IndicatorsReport, names: ReadonlyMap<string, string>): HTMLElement | null {
  const { t } = ctx
  const entries = Object.entries(report.authorities).sort((a, b) => (names.get(a[0]) ?? a[0]).localeCompare(names.get(b[0]) ?? b[0], ctx.lang))
  if (report.authority !== undefined || entries.length === 0) return null
  const rate = (s: IndicatorSet): RateIndicator => s.responding.acceptedWithin7Days
  return section('authorities-h', t('indicators.byAuthority.title'), barChart({
    caption: t('indicators.byAuthority.chart'),
    rows: entries.map(([id, s]) => ({ label: names.get(id) ?? id, values: [rate(s).percent], cls: `bar-${rate(s).rating === 'n/a' ? 'na' : rate(s).rating}` })),
    series: [{ name: t('indicators.accepted7'), cls: 'bar-sent' }],
    max: 100,
    marks: [{ value: TARGET_PERCENT, label: t('indicators.target', { value: TARGET_PERCENT }) }],
    format: (n) => percentText(ctx, n),
    tableHeaders: [t('indicators.col.authority'), t('indicators.accepted7')],
    tableLabel: t('common.figures'),
    cell: (row) => { const s = entries[row]![1]; return rate(s).percent === null ? '–' : `${percentText(ctx, rate(s).percent!)} (${t('indicators.counted', { met: rate(s).met, counted: rate(s).counted })})` }
  }))
}

export const indicatorsPage: Page<IndicatorsRoute> = async (ctx, route) => {
  const { t, lang } = ctx
  const coordinator = ctx.session.user.coordinator
  let report: IndicatorsReport
  let authorities: LocalAuthority[]
  try {
    [report, authorities] = await Promise.all([
      indicators(ctx.api, { ...(route.authority !== undefined && { authority: route.authority }), ...(route.from !== undefined && { from: route.from }), ...(route.to !== undefined && { to: route.to }) }),
      coordinator ? ctx.api.authorities() : Promise.resolve([])
    ])
  } catch (err) {
    return failedPage(ctx, t('indicators.title'), err)
  }
  const names = new Map(authorities.map((a) => [a.entry.id, localName(a.entry.names, lang)]))
  const authority = select({ name: 'authority' }, [['', t('indicators.wholeState')], ...authorities.map((a): [string, string] => [a.entry.id, names.get(a.entry.id)!])], route.authority ?? '')
  const from = h('input', { type: 'date', name: 'from', value: route.from ?? '' })
  const to = h('input', { type: 'date', name: 'to', value: route.to ?? '' })
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('indicators.scope') },
    coordinator ? field(t('indicators.authority'), authority) : null,
    field(t('indicators.from'), from), field(t('indicators.to'), to),
    h('div', { class: 'field button-field' }, h('button', { type: 'submit' }, t('indicators.apply'))))
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    ctx.navigate({ page: 'indicators', ...(authority.value !== '' && { authority: authority.value }), ...(from.value !== '' && { from: from.value }), ...(to.value !== '' && { to: to.value }) })
  })
  const statuses = REQUEST_STATUSES.map((s: RequestStatus) => ({ label: statusLabel(t, s), sent: report.byStatus.sent[s] ?? 0, received: report.byStatus.received[s] ?? 0 }))
  const countries = Object.entries(report.byCountry).map(([c, n]) => ({ label: countryName(c, lang), ...n })).sort((a, b) => a.label.localeCompare(b.label, lang))
  const empty = report.sent + report.received === 0
  return pageOf('page-indicators', t('indicators.title'),
    form,
    h('dl', { class: 'summary' },
      pair(t('indicators.sent'), formatNumber(report.sent, lang)),
      pair(t('indicators.received'), formatNumber(report.received, lang)),
      pair(t('indicators.asOf'), formatDate(report.asOf, lang))),
    empty ? h('p', { class: 'empty' }, t('indicators.none')) : [
      performance(ctx, 'responding-h', 'indicators.responding.title', 'indicators.responding.hint', report.responding),
      performance(ctx, 'requesting-h', 'indicators.requesting.title', 'indicators.requesting.hint', report.requesting),
      section('status-h', t('indicators.byStatus.title'), sentReceived(ctx, t('indicators.byStatus.title'), t('indicators.col.status'), statuses)),
      countries.length === 0 ? null : section('country-h', t('indicators.byCountry.title'), sentReceived(ctx, t('indicators.byCountry.title'), t('indicators.col.country'), countries)),
      byAuthority(ctx, report, names)
    ])
}
