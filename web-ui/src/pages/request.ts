/**
 * One request as this official may see it: the questions in their own language (the node
 * renders them from the catalogue, `?lang=`), the latest answer under each question,
 * the subject once need-to-know allows it, attachments and messages, what can be done
 * now, and the history. Retention-blocked data are read only with a stated reason.
 */
import type { AuthorityEntry, Party } from '@imi/protocol'
import { attachmentHref, readBlockedRequest } from '../api-requests.js'
import type { ActionBodies, EventView, RequestView, ShownAnswer, ShownQuestion } from '../api-types.js'
import { questionById, renderQuestion } from '../catalogue.js'
import type { Page, PageContext } from '../context.js'
import { h, replace, type Child } from '../dom.js'
import { dueDate, formatDate, formatDateTime, isOverdue, localName } from '../format.js'
import { areaLabel, eventLabel, fieldLabel, partyLabel, statusLabel } from '../labels.js'
import { availableActions, type UiAction } from '../request-actions.js'
import { routeHref, type Route } from '../router.js'
import { blockedReader } from './blocked.js'
import { actionForms } from './request-forms.js'
import { attachmentsSection, erasureNotices, messagesSection, seesPersonalData } from './request-parts.js'

type RequestRoute = Extract<Route, { page: 'request' }>

function pair (label: string, ...value: Child[]): Child[] { return [h('dt', null, label), h('dd', null, ...value)] }

/** The question's text in the reader's language, for answers to questions no longer on the request (split off). */
function questionText (ctx: PageContext, questions: ReadonlyMap<string, ShownQuestion>, id: string): string {
  const shown = questions.get(id)
  if (shown !== undefined) return shown.text
  return questionById(id) === undefined ? id : renderQuestion(id, ctx.lang).text
}

/** A file answer names its attachment by hash: shown as the file, downloadable where personal data may be seen. */
function fileAnswer (ctx: PageContext, view: RequestView, a: ShownAnswer): Child {
  const text = a.answer?.text ?? ''
  if (a.answer?.original !== true || questionById(a.question)?.type !== 'attachment' || !/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined
  const names: Record<string, string> = {}
  for (const e of view.events) Object.assign(names, e.personalData?.attachmentNames ?? {})
  const name = names[text] ?? ctx.t('answer.file')
  return seesPersonalData(ctx, view) ? h('a', { href: attachmentHref(view.state.id, text), download: name }, name) : name
}

function answerBlock (ctx: PageContext, view: RequestView, a: ShownAnswer): HTMLElement {
  const file = fileAnswer(ctx, view, a)
  return h('div', { class: 'answer' },
    a.answer === undefined ? null : h('p', null, h('span', { class: 'label' }, `${ctx.t('answer.label')}: `),
      file !== undefined ? h('strong', null, file)
        : h('strong', { lang: a.answer.lang }, a.answer.original && /^\d{4}-\d{2}-\d{2}$/.test(a.answer.text) ? formatDate(a.answer.text, ctx.lang) : a.answer.text)),
    a.comment === undefined ? null : h('p', null, h('span', { class: 'label' }, `${ctx.t('answer.comment')}: `), a.comment))
}

function questionList (ctx: PageContext, view: RequestView, latest: ReadonlyMap<string, ShownAnswer>): HTMLElement {
  return h('ol', { class: 'questions' }, view.questions.map((q) => {
    const answer = latest.get(q.id)
    return h('li', null,
      h('p', { class: 'question', lang: 'lang' in q ? q.lang : undefined }, q.text),
      'notice' in q && q.notice !== undefined ? h('p', { class: 'hint' }, q.notice) : null,
      answer === undefined ? h('p', { class: 'muted' }, ctx.t('answer.none')) : answerBlock(ctx, view, answer))
  }))
}

function eventDetails (ctx: PageContext, view: RequestView, e: EventView, questions: ReadonlyMap<string, ShownQuestion>): Child[] {
  const { t, lang } = ctx
  const b = e.body
  const out: Child[] = []
  if (e.outcome !== 'applied') out.push(h('p', { class: 'notice-inline' }, t('event.refused', { code: e.outcome })))
  if (b.neededBy !== undefined) out.push(h('p', null, t('event.neededBy', { date: formatDate(b.neededBy, lang) })))
  if (b.answerBy !== undefined) out.push(h('p', null, t('event.answerBy', { date: formatDate(b.answerBy, lang) })))
  if (b.toAuthority !== undefined) out.push(h('p', null, t('event.toAuthority', { authority: b.toAuthority })))
  if (b.action === 'answer') out.push(h('p', null, t(b.final === true ? 'event.final' : 'event.partial')))
  if (b.rating !== undefined) out.push(h('p', null, t('event.rating', { timeliness: b.rating.timeliness, effort: b.rating.effort })))
  if (b.reason !== undefined) out.push(h('p', null, t('event.reason', { reason: b.reason })))
  if (e.personalData?.text !== undefined) out.push(h('blockquote', null, e.personalData.text))
  if (e.answers !== undefined) {
    out.push(h('dl', { class: 'answers' }, e.answers.map((a) => [h('dt', null, questionText(ctx, questions, a.question)), h('dd', null, answerBlock(ctx, view, a))])))
  }
  return out
}

function history (ctx: PageContext, view: RequestView, questions: ReadonlyMap<string, ShownQuestion>): HTMLElement {
  const { t, lang } = ctx
  return h('ol', { class: 'timeline' }, view.events.map((e) => h('li', { class: e.outcome === 'applied' ? null : 'refused' },
    h('p', { class: 'event-head' },
      h('time', { datetime: new Date(e.created).toISOString() }, formatDateTime(e.created, lang)), ' · ',
      h('strong', null, eventLabel(t, e.action)), ' · ',
      e.coordinator ? `${partyLabel(t, lang, { country: e.from })}` : partyLabel(t, lang, { country: e.from, ...(e.fromAuthority !== undefined && { authority: e.fromAuthority }) })),
    eventDetails(ctx, view, e, questions))))
}

/** The latest answer to each question, from applied answer events in order. */
function latestAnswers (view: RequestView): Map<string, ShownAnswer> {
  const latest = new Map<string, ShownAnswer>()
  for (const e of view.events) if (e.outcome === 'applied') for (const a of e.answers ?? []) latest.set(a.question, a)
  return latest
}

/** "Urząd Miasta Krakowa (Poland)" where the directory knows the authority, else its id. */
async function partyName (ctx: PageContext, party: Party): Promise<string> {
  if (party.authority === undefined) return partyLabel(ctx.t, ctx.lang, party)
  const entry: AuthorityEntry | undefined = await ctx.api.directoryAuthority(party.country, party.authority).catch(() => undefined)
  return entry === undefined ? partyLabel(ctx.t, ctx.lang, party) : `${localName(entry.names, ctx.lang)} · ${partyLabel(ctx.t, ctx.lang, party)}`
}

/** This state's active authorities, named in the reader's language, for forwarding and splitting. */
async function allocationTargets (ctx: PageContext, actions: readonly UiAction[]): Promise<Array<{ id: string, name: string }>> {
  if (!actions.includes('forward') && !actions.includes('split')) return []
  const list = await ctx.api.authorities('active').catch(() => [])
  return list.map((a) => ({ id: a.entry.id, name: localName(a.entry.names, ctx.lang) })).sort((a, b) => a.name.localeCompare(b.name, ctx.lang))
}

export const requestPage: Page<RequestRoute> = async (ctx, route) => {
  const { t, lang } = ctx
  let view: RequestView
  try {
    view = await ctx.api.request(route.id, lang)
  } catch (err) {
    return h('div', { class: 'page' }, h('h1', { tabindex: '-1' }, t('request.title')), ctx.failure(err))
  }
  const page = h('div', { class: 'page page-request' })
  replace(page, ...await requestContent(ctx, route, view, page))
  return page
}

/** The page's content for `view`; a read of blocked data draws it again with what the node returned. */
async function requestContent (ctx: PageContext, route: RequestRoute, view: RequestView, page: HTMLElement): Promise<Child[]> {
  const { t, lang } = ctx
  const s = view.state
  const [requester, responder] = await Promise.all([partyName(ctx, s.requester), partyName(ctx, s.responder)])
  const questions = new Map(view.questions.map((q) => [q.id, q]))
  const overdue = isOverdue(s, ctx.today)
  const box = view.role === 'responder' ? 'inbox' : 'outbox'
  const coordinator = ctx.session.user.coordinator
  const actions = availableActions(view.role, s.status, coordinator)
  const targets = await allocationTargets(ctx, actions)
  const submit = async <A extends UiAction>(action: A, body: ActionBodies[A]): Promise<void> => {
    await ctx.api.act(route.id, action, body)
    ctx.announce(t('action.done'))
    // A forwarded request is another authority's now (this one no longer sees it): back to the list.
    if (action === 'forward') ctx.navigate(coordinator ? { page: 'oversight' } : { page: 'requests', box: 'inbox' })
    else ctx.navigate(route)
  }
  const blocked = view.blocked === true && view.subject === undefined
    ? blockedReader(ctx, async (reason) => {
      const read = await readBlockedRequest(ctx.api, route.id, reason, lang)
      replace(page, h('p', { class: 'notice', role: 'status' }, t('blocked.shown')), ...await requestContent(ctx, route, read, page))
      page.querySelector<HTMLElement>('h1')?.focus()
    })
    : null
  return [
    h('p', { class: 'back' }, h('a', { href: routeHref(coordinator ? { page: 'oversight' } : { page: 'requests', box }) }, t(coordinator ? 'nav.oversight' : box === 'inbox' ? 'request.backInbox' : 'request.backOutbox'))),
    h('h1', { tabindex: '-1' }, `${t(view.role === 'responder' ? 'request.incoming' : 'request.outgoing')}: ${areaLabel(t, s.area)}`),
    h('dl', { class: 'summary' },
      pair(t('request.status'), h('span', { class: `badge status-${s.status}` }, statusLabel(t, s.status)),
        overdue ? [' ', h('strong', { class: 'badge badge-overdue' }, t('requests.overdue'))] : null),
      pair(t('request.requester'), requester),
      pair(t('request.responder'), responder),
      pair(t('request.sentAt'), formatDateTime(s.sentAt, lang)),
      pair(t('request.neededBy'), formatDate(s.neededBy, lang)),
      s.answerBy === undefined ? null : pair(t('request.answerBy'), formatDate(s.answerBy, lang)),
      overdue ? pair(t('request.due'), formatDate(dueDate(s), lang)) : null,
      s.rating === undefined ? null : pair(t('request.rating'), t('event.rating', { timeliness: s.rating.timeliness, effort: s.rating.effort }))),
    erasureNotices(ctx, view),
    blocked,
    h('section', { 'aria-labelledby': 'subject-h' },
      h('h2', { id: 'subject-h' }, t('request.subject')),
      view.subject === undefined
        ? h('p', { class: 'muted' }, t(view.role === 'responder' && !coordinator && view.blocked !== true ? 'request.subjectAfterAccept' : 'request.subjectHidden'))
        : h('dl', { class: 'summary' }, Object.entries(view.subject).map(([k, v]) => pair(fieldLabel(t, k), k === 'birthDate' ? formatDate(v, lang) : v)))),
    h('section', { 'aria-labelledby': 'questions-h' },
      h('h2', { id: 'questions-h' }, t('request.questions')),
      questionList(ctx, view, latestAnswers(view))),
    attachmentsSection(ctx, view),
    messagesSection(ctx, view),
    h('section', { 'aria-labelledby': 'actions-h', class: 'actions-area' },
      h('h2', { id: 'actions-h' }, t('request.actions')),
      actions.length === 0 ? h('p', { class: 'muted' }, t('request.noActions')) : actionForms(ctx, view, actions, submit, targets)),
    h('section', { 'aria-labelledby': 'history-h' },
      h('h2', { id: 'history-h' }, t('request.history')),
      history(ctx, view, questions))
  ]
}
