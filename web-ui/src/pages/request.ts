/**
 * One request as this official may see it: the questions in their own language (the node
 * renders them from the catalogue, `?lang=`), the latest answer under each question,
 * the subject once need-to-know allows it, what can be done now, and the history.
 */
import type { AuthorityEntry, Party } from '@imi/protocol'
import type { ActionBodies, EventView, RequestView, ShownAnswer, ShownQuestion } from '../api-types.js'
import { questionById, renderQuestion } from '../catalogue.js'
import type { Page, PageContext } from '../context.js'
import { h, type Child } from '../dom.js'
import { dueDate, formatDate, formatDateTime, isOverdue, localName } from '../format.js'
import { areaLabel, eventLabel, fieldLabel, partyLabel, statusLabel } from '../labels.js'
import { availableActions, type UiAction } from '../request-actions.js'
import { routeHref, type Route } from '../router.js'
import { actionForms } from './request-forms.js'

type RequestRoute = Extract<Route, { page: 'request' }>

function pair (label: string, ...value: Child[]): Child[] { return [h('dt', null, label), h('dd', null, ...value)] }

/** The question's text in the reader's language, for answers to questions no longer on the request (split off). */
function questionText (ctx: PageContext, questions: ReadonlyMap<string, ShownQuestion>, id: string): string {
  const shown = questions.get(id)
  if (shown !== undefined) return shown.text
  return questionById(id) === undefined ? id : renderQuestion(id, ctx.lang).text
}

function answerBlock (ctx: PageContext, a: ShownAnswer): HTMLElement {
  return h('div', { class: 'answer' },
    a.answer === undefined ? null : h('p', null, h('span', { class: 'label' }, `${ctx.t('answer.label')}: `),
      h('strong', { lang: a.answer.lang }, a.answer.original && /^\d{4}-\d{2}-\d{2}$/.test(a.answer.text) ? formatDate(a.answer.text, ctx.lang) : a.answer.text)),
    a.comment === undefined ? null : h('p', null, h('span', { class: 'label' }, `${ctx.t('answer.comment')}: `), a.comment))
}

function questionList (ctx: PageContext, view: RequestView, latest: ReadonlyMap<string, ShownAnswer>): HTMLElement {
  return h('ol', { class: 'questions' }, view.questions.map((q) => {
    const answer = latest.get(q.id)
    return h('li', null,
      h('p', { class: 'question', lang: 'lang' in q ? q.lang : undefined }, q.text),
      'notice' in q && q.notice !== undefined ? h('p', { class: 'hint' }, q.notice) : null,
      answer === undefined ? h('p', { class: 'muted' }, ctx.t('answer.none')) : answerBlock(ctx, answer))
  }))
}

function eventDetails (ctx: PageContext, e: EventView, questions: ReadonlyMap<string, ShownQuestion>): Child[] {
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
    out.push(h('dl', { class: 'answers' }, e.answers.map((a) => [h('dt', null, questionText(ctx, questions, a.question)), h('dd', null, answerBlock(ctx, a))])))
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
    eventDetails(ctx, e, questions))))
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

export const requestPage: Page<RequestRoute> = async (ctx, route) => {
  const { t, lang } = ctx
  let view: RequestView
  try {
    view = await ctx.api.request(route.id, lang)
  } catch (err) {
    return h('div', { class: 'page' }, h('h1', { tabindex: '-1' }, t('request.title')), ctx.failure(err))
  }
  const s = view.state
  const [requester, responder] = await Promise.all([partyName(ctx, s.requester), partyName(ctx, s.responder)])
  const questions = new Map(view.questions.map((q) => [q.id, q]))
  const overdue = isOverdue(s, ctx.today)
  const box = view.role === 'responder' ? 'inbox' : 'outbox'
  const actions = availableActions(view.role, s.status)
  const submit = async <A extends UiAction>(action: A, body: ActionBodies[A]): Promise<void> => {
    await ctx.api.act(route.id, action, body)
    ctx.announce(t('action.done'))
    ctx.navigate(route)
  }
  return h('div', { class: 'page page-request' },
    h('p', { class: 'back' }, h('a', { href: routeHref({ page: 'requests', box }) }, t(box === 'inbox' ? 'request.backInbox' : 'request.backOutbox'))),
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
    h('section', { 'aria-labelledby': 'subject-h' },
      h('h2', { id: 'subject-h' }, t('request.subject')),
      view.subject === undefined
        ? h('p', { class: 'muted' }, t(view.role === 'responder' ? 'request.subjectAfterAccept' : 'request.subjectHidden'))
        : h('dl', { class: 'summary' }, Object.entries(view.subject).map(([k, v]) => pair(fieldLabel(t, k), k === 'birthDate' ? formatDate(v, lang) : v)))),
    h('section', { 'aria-labelledby': 'questions-h' },
      h('h2', { id: 'questions-h' }, t('request.questions')),
      questionList(ctx, view, latestAnswers(view))),
    h('section', { 'aria-labelledby': 'actions-h', class: 'actions-area' },
      h('h2', { id: 'actions-h' }, t('request.actions')),
      actions.length === 0 ? h('p', { class: 'muted' }, t('request.noActions')) : actionForms(ctx, view, actions, submit)),
    h('section', { 'aria-labelledby': 'history-h' },
      h('h2', { id: 'history-h' }, t('request.history')),
      history(ctx, view, questions)))
}
