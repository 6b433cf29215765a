/**
 * The register of requests from data subjects (Art 19): open ones first by their 30-day
 * deadline, with overdue marks, a status filter kept in the address, and (for local data
 * administrators) a form to register a new one, which opens its page. The coordinator
 * sees the state's register to supervise deadlines and nothing personal; the node
 * refuses everyone else, which the page shows.
 */
import { SUBJECT_REQUEST_KINDS, registerSubjectRequest, subjectRequests, type SubjectRequest, type SubjectRequestKind } from '../api-subjects.js'
import type { Page, PageContext } from '../context.js'
import { field, h, select } from '../dom.js'
import { formatDay, formatInDays, localName } from '../format.js'
import type { MessageKey } from '../i18n/index.js'
import { SUBJECT_REQUEST_STATUSES, routeHref, type Route, type SubjectRequestStatus } from '../router.js'
import { badge, dataTable, failedPage, handleSubmit, pageOf, section } from '../widgets.js'

type ListRoute = Extract<Route, { page: 'subject-requests' }>

export const subjectKindLabel = (ctx: PageContext, k: SubjectRequestKind): string => ctx.t(`subjects.kind.${k}` satisfies MessageKey)
export const subjectStatusLabel = (ctx: PageContext, s: SubjectRequestStatus): string => ctx.t(`subjects.status.${s}` satisfies MessageKey)
const STATUS_BADGE: Readonly<Record<SubjectRequestStatus, string>> = { open: 'alert-active', done: 'status-closed', refused: 'status-withdrawn' }

/** Who handles data subject requests: an authority's local data administrators (the node decides). */
export function handlesSubjects (ctx: PageContext): boolean {
  const u = ctx.session.user
  return !u.coordinator && u.grants.some((g) => g.role === 'local-data-admin')
}

/** The status badge, and for an open request its deadline relative to today, marked when past. */
export function deadlineCell (ctx: PageContext, r: SubjectRequest): HTMLElement {
  const { t, lang } = ctx
  const due = h('time', { datetime: new Date(r.dueAt).toISOString().slice(0, 10) }, formatDay(r.dueAt, lang))
  if (r.status !== 'open') {
    return h('td', null, due, ' ', r.handledInTime === undefined ? null : h('span', { class: 'muted small' }, r.handledInTime ? t('subjects.inTime') : t('subjects.late')))
  }
  return h('td', null, due, ' ', h('span', { class: 'small' }, `(${formatInDays(r.daysLeft ?? 0, lang)})`),
    r.overdue ? [' ', h('strong', { class: 'badge badge-overdue' }, t('subjects.overdue'))] : null)
}

/** Names this state's authorities in the reader's language: all of them for the coordinator, one's own for an official; the id where unknown. */
export async function authorityNamer (ctx: PageContext): Promise<(id: string) => string> {
  const names = new Map<string, string>()
  const own = ctx.session.user.authority
  if (own !== undefined && ctx.session.authorityNames !== undefined) names.set(own, localName(ctx.session.authorityNames, ctx.lang))
  if (ctx.session.user.coordinator) for (const a of await ctx.api.authorities().catch(() => [])) names.set(a.entry.id, localName(a.entry.names, ctx.lang))
  return (id) => names.get(id) ?? id
}

export const statusBadge = (ctx: PageContext, s: SubjectRequestStatus): HTMLElement => badge(STATUS_BADGE[s], subjectStatusLabel(ctx, s))

function table (ctx: PageContext, list: readonly SubjectRequest[], authority: (id: string) => string): HTMLElement {
  const { t, lang } = ctx
  if (list.length === 0) return h('p', { class: 'empty' }, t('subjects.empty'))
  const coordinator = ctx.session.user.coordinator
  return dataTable(t('subjects.caption'), [
    t('subjects.col.request'), t('subjects.col.kind'), ...(coordinator ? [t('subjects.col.authority')] : []),
    t('subjects.col.received'), t('subjects.col.due'), t('subjects.col.status')
  ], list.map((r) => h('tr', { class: r.overdue ? 'overdue' : null },
    h('th', { scope: 'row' }, h('a', { href: routeHref({ page: 'subject-request', id: r.id }) }, r.id)),
    h('td', null, subjectKindLabel(ctx, r.kind)),
    coordinator ? h('td', null, authority(r.authority)) : null,
    h('td', null, formatDay(r.receivedAt, lang)),
    deadlineCell(ctx, r),
    h('td', null, statusBadge(ctx, r.status)))), { hiddenCaption: true })
}

function registerForm (ctx: PageContext): HTMLElement {
  const { t } = ctx
  const kind = select({ name: 'kind' }, SUBJECT_REQUEST_KINDS.map((k): [string, string] => [k, subjectKindLabel(ctx, k)]), 'access')
  const received = h('input', { type: 'date', name: 'receivedAt', value: ctx.today, max: ctx.today, required: true })
  const notes = h('textarea', { name: 'notes', rows: 2, maxlength: 200 })
  const errors = h('div', { class: 'form-errors' })
  const form = h('form', { novalidate: true, 'aria-labelledby': 'register-h' },
    errors,
    h('div', { class: 'row' }, field(t('subjects.new.kind'), kind), field(t('subjects.new.received'), received, t('subjects.new.receivedHint'))),
    field(t('subjects.new.notes'), notes, t('subjects.new.notesHint')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('subjects.new.submit'))))
  handleSubmit(ctx, form, errors, async () => {
    const created = await registerSubjectRequest(ctx.api, {
      kind: kind.value as SubjectRequestKind,
      // Today means now (the node's clock); an earlier day is that day's midnight UTC.
      ...(received.value !== '' && received.value !== ctx.today && { receivedAt: received.value }),
      ...(notes.value.trim() !== '' && { notes: notes.value.trim() })
    })
    ctx.navigate({ page: 'subject-request', id: created.id })
  }, () => received.value > ctx.today ? t('subjects.new.future') : undefined)
  return section('register-h', t('subjects.new.title'), form)
}

export const subjectRequestsPage: Page<ListRoute> = async (ctx, route) => {
  const { t } = ctx
  let list: SubjectRequest[]
  let authority: (id: string) => string
  try {
    [list, authority] = await Promise.all([subjectRequests(ctx.api, route.status), authorityNamer(ctx)])
  } catch (err) {
    return failedPage(ctx, t('subjects.title'), err)
  }
  const status = select({ name: 'status' }, [['', t('subjects.filter.any')], ...SUBJECT_REQUEST_STATUSES.map((s): [string, string] => [s, subjectStatusLabel(ctx, s)])], route.status ?? '')
  const filter = h('form', { class: 'filters', role: 'search', 'aria-label': t('subjects.filter.label') },
    field(t('subjects.col.status'), status),
    h('div', { class: 'field button-field' }, h('button', { type: 'submit' }, t('subjects.filter.apply'))))
  filter.addEventListener('submit', (e) => {
    e.preventDefault()
    ctx.navigate({ page: 'subject-requests', ...(status.value !== '' && { status: status.value as SubjectRequestStatus }) })
  })
  return pageOf('page-subjects', t('subjects.title'),
    h('p', { class: 'lead' }, t('subjects.intro')),
    handlesSubjects(ctx) ? registerForm(ctx) : h('p', { class: 'muted' }, t('subjects.readOnly')),
    filter,
    h('div', { class: 'results' }, table(ctx, list, authority)))
}
