/**
 * One data subject request: what is asked, when it arrived, its 30-day deadline (marked
 * when past), the procedures found holding the person's data (where they are named,
 * whether the data are held, blocked or deleted, and the other node's receipt), what
 * was done, and, for the authority's local data administrators while it is open, the
 * steps: find, correct / contest / erase per request, export, close. Each step draws
 * the page again from the node's answer, with what it did said on top.
 */
import { subjectRequest, type ProcedureView, type SubjectRequest } from '../api-subjects.js'
import type { Page, PageContext } from '../context.js'
import { h, notice, replace, type Child } from '../dom.js'
import { formatDateTime, formatDay } from '../format.js'
import type { MessageKey } from '../i18n/index.js'
import { routeHref, type Route } from '../router.js'
import { dataTable, failedPage, pair, section } from '../widgets.js'
import { authorityNamer, deadlineCell, handlesSubjects, statusBadge, subjectKindLabel } from './subject-requests.js'
import { closeSection, exportSection, findForm, requestSteps, type Redraw } from './subject-steps.js'

type DetailRoute = Extract<Route, { page: 'subject-request' }>

/** Where in a procedure the person was named, from the field paths (never values). */
function whereNamed (ctx: PageContext, p: ProcedureView): string {
  const keys = new Set<MessageKey>()
  for (const f of p.fields) {
    if (p.kind === 'alert') keys.add('subject.where.alert')
    else if (f === 'subject' || f.startsWith('subject.') || /^events\.[^.]+\.subject/.test(f)) keys.add('subject.where.subject')
    else if (f.startsWith('corrections.')) keys.add('subject.where.correction')
    else if (/\.answers\./.test(f)) keys.add('subject.where.answer')
    else if (f.endsWith('.text')) keys.add('subject.where.message')
    else if (f.includes('.attachmentNames.')) keys.add('subject.where.file')
  }
  return [...keys].map((k) => ctx.t(k)).join(', ')
}

function dataState (ctx: PageContext, p: ProcedureView): Child {
  const { t, lang } = ctx
  if (p.erasure !== undefined) {
    return [t('subject.data.deleted', { date: formatDateTime(p.erasure.local, lang) }),
      p.erasure.counterpart === undefined ? null : h('span', { class: 'small muted' }, ` ${t('subject.data.counterpart', { date: formatDateTime(p.erasure.counterpart.at, lang) })}`)]
  }
  return p.blocked === true ? h('span', { class: 'badge status-withdrawn' }, t('subject.data.blocked')) : t('subject.data.held')
}

function proceduresSection (ctx: PageContext, sr: SubjectRequest, redraw: Redraw, acting: boolean): HTMLElement {
  const { t } = ctx
  if (sr.procedures.length === 0) return section('procedures-h', t('subject.procedures.title'), h('p', { class: 'empty' }, t('subject.procedures.none')))
  const table = dataTable(t('subject.procedures.caption'), [t('subject.col.procedure'), t('subject.col.where'), t('subject.col.data')],
    sr.procedures.map((p) => {
      const label = `${t(`audit.kind.${p.kind}` satisfies MessageKey)} · ${p.id.slice(0, 8)}`
      return h('tr', null,
        h('th', { scope: 'row' }, ctx.session.user.coordinator ? label : h('a', { href: routeHref(p.kind === 'request' ? { page: 'request', id: p.id } : { page: 'alert', id: p.id }) }, label)),
        h('td', null, whereNamed(ctx, p)),
        h('td', null, dataState(ctx, p)))
    }), { hiddenCaption: true })
  const steps = acting ? sr.procedures.filter((p) => p.kind === 'request' && p.erasure === undefined).map((p) => requestSteps(ctx, sr, p.id, redraw)) : []
  return section('procedures-h', t('subject.procedures.title'), table, steps)
}

function historySection (ctx: PageContext, sr: SubjectRequest): HTMLElement {
  const { t, lang } = ctx
  return section('history-h', t('subject.history.title'), dataTable(t('subject.history.caption'), [t('subject.col.when'), t('subject.col.who'), t('subject.col.step')],
    sr.steps.map((s) => h('tr', null,
      h('td', null, formatDateTime(s.at, lang)),
      h('td', null, s.by),
      h('td', null, t(`subject.step.${s.step}` satisfies MessageKey), s.procedure === undefined ? null : ` · ${s.procedure.id.slice(0, 8)}`))), { hiddenCaption: true, compact: true }))
}

function content (ctx: PageContext, sr: SubjectRequest, authority: (id: string) => string, redraw: Redraw, done?: string): Child[] {
  const { t, lang } = ctx
  const acting = sr.status === 'open' && handlesSubjects(ctx)
  return [
    h('p', { class: 'back' }, h('a', { href: routeHref({ page: 'subject-requests' }) }, t('subjects.title'))),
    h('h1', { tabindex: '-1' }, `${t('subject.title')}: ${subjectKindLabel(ctx, sr.kind)}`),
    done === undefined ? null : notice('success', done),
    h('dl', { class: 'summary' },
      pair(t('subject.id'), sr.id),
      ctx.session.user.coordinator ? pair(t('subjects.col.authority'), authority(sr.authority)) : null,
      pair(t('subjects.col.received'), formatDay(sr.receivedAt, lang)),
      pair(t('subject.deadline'), ...deadlineCell(ctx, sr).childNodes),
      pair(t('subjects.col.status'), statusBadge(ctx, sr.status)),
      sr.notes === undefined ? null : pair(t('subjects.new.notes'), sr.notes),
      sr.handledAt === undefined ? null : pair(t('subject.close.title'), t('subject.handled', { date: formatDateTime(sr.handledAt, lang), user: sr.handledBy ?? '–' }))),
    acting ? findForm(ctx, sr, redraw) : null,
    proceduresSection(ctx, sr, redraw, acting),
    acting && sr.procedures.length > 0 ? exportSection(ctx, sr, redraw) : null,
    acting ? closeSection(ctx, sr, redraw) : null,
    historySection(ctx, sr)
  ]
}

export const subjectRequestPage: Page<DetailRoute> = async (ctx, route) => {
  const { t } = ctx
  let sr: SubjectRequest
  let authority: (id: string) => string
  try {
    [sr, authority] = await Promise.all([subjectRequest(ctx.api, route.id), authorityNamer(ctx)])
  } catch (err) {
    return failedPage(ctx, t('subject.title'), err)
  }
  const page = h('div', { class: 'page page-subject' })
  const redraw: Redraw = (done) => {
    subjectRequest(ctx.api, route.id).then((next) => {
      replace(page, ...content(ctx, next, authority, redraw, done))
      page.querySelector<HTMLElement>('h1')?.focus()
      ctx.announce(done)
    }, (err: unknown) => { replace(page, h('h1', { tabindex: '-1' }, t('subject.title')), ctx.failure(err)) })
  }
  replace(page, ...content(ctx, sr, authority, redraw))
  return page
}
