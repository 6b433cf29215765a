/**
 * One notification: who notified it, its status and when the comment period ends (or
 * ended), the current text in its own language with earlier versions below, every
 * member state's comments in order (with what each answers), and the forms this official
 * may use: comment while it is open; for the notifying authority, a new version or the
 * withdrawal.
 */
import { commentOn, modifyNotification, notification, withdrawNotification, type NotificationComment, type NotificationVersion, type NotificationView } from '../api-notifications.js'
import { LANGUAGES } from '../catalogue.js'
import type { Page, PageContext } from '../context.js'
import { field, h, select, type Child } from '../dom.js'
import { formatDate, formatDateTime, localName } from '../format.js'
import { notificationStatusLabel, partyLabel } from '../labels.js'
import { routeHref, type Route } from '../router.js'
import { badge, failedPage, handleSubmit, languageSelect, pair, section } from '../widgets.js'
import { NOTIFICATION_BADGE, mayTakePart } from './notifications.js'

type NotificationRoute = Extract<Route, { page: 'notification' }>

function versionText (ctx: PageContext, v: NotificationVersion): HTMLElement {
  const { t, lang } = ctx
  return h('dl', { class: 'summary' },
    pair(t('notification.summary'), h('div', { lang: v.language, class: 'prose' }, v.summary)),
    pair(t('notification.draft'), h('blockquote', { lang: v.language }, v.draftRequirement)),
    v.legalBasis === undefined ? null : pair(t('notification.legalBasis'), h('span', { lang: v.language }, v.legalBasis)),
    v.plannedAdoption === undefined ? null : pair(t('notification.plannedAdoption'), formatDate(v.plannedAdoption, lang)))
}

function who (ctx: PageContext, x: { from: string, fromAuthority?: string }): string {
  return partyLabel(ctx.t, ctx.lang, { country: x.from, ...(x.fromAuthority !== undefined && { authority: x.fromAuthority }) })
}

function comments (ctx: PageContext, n: NotificationView): HTMLElement {
  const { t, lang } = ctx
  if (n.comments.length === 0) return h('p', { class: 'empty' }, t('notification.noComments'))
  const byId = new Map(n.comments.map((c) => [c.id, c]))
  return h('ol', { class: 'timeline comments' }, n.comments.map((c) => {
    const parent = c.replyTo === undefined ? undefined : byId.get(c.replyTo)
    return h('li', { id: `comment-${c.id}` },
      h('p', { class: 'event-head' },
        h('strong', null, who(ctx, c)), ' · ',
        h('time', { datetime: new Date(c.created).toISOString() }, formatDateTime(c.created, lang)), ' · ',
        h('span', { class: 'muted' }, t('notification.onVersion', { version: c.onVersion })),
        parent === undefined ? null : [' · ', h('span', { class: 'muted' }, t('notification.replyTo', { from: who(ctx, parent), date: formatDateTime(parent.created, lang) }))]),
      h('blockquote', { lang: c.language }, c.text))
  }))
}

function commentForm (ctx: PageContext, n: NotificationView): HTMLElement {
  const { t, lang } = ctx
  const text = h('textarea', { name: 'comment', rows: 4, maxlength: 8000, required: true, lang })
  const language = languageSelect({ name: 'comment-language' }, (LANGUAGES as readonly string[]).includes(lang) ? lang : 'en')
  language.addEventListener('change', () => { text.lang = language.value })
  const replyTo = select({ name: 'replyTo' }, [['', t('notification.comment.none')],
    ...n.comments.map((c: NotificationComment): [string, string] => [c.id, `${who(ctx, c)}, ${formatDateTime(c.created, lang)}`])])
  const errors = h('div', { class: 'form-errors' })
  const form = h('form', { novalidate: true, 'aria-labelledby': 'comment-h' },
    errors, field(t('notification.comment.text'), text),
    h('div', { class: 'row' }, field(t('notification.comment.language'), language), n.comments.length === 0 ? null : field(t('notification.comment.replyTo'), replyTo)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('notification.comment.submit'))))
  handleSubmit(ctx, form, errors, async () => {
    await commentOn(ctx.api, n.id, { text: text.value.trim(), language: language.value, ...(replyTo.value !== '' && { replyTo: replyTo.value }) })
    ctx.announce(t('notification.comment.sent'))
    ctx.navigate({ page: 'notification', id: n.id })
  }, () => text.value.trim() === '' ? t('error.textRequired') : undefined)
  return section('comment-h', t('notification.comment.title'), form)
}

function ownerForms (ctx: PageContext, n: NotificationView): HTMLElement {
  const { t } = ctx
  const v = n.current
  const summary = h('textarea', { name: 'modify-summary', rows: 4, maxlength: 4000, value: v.summary, lang: v.language })
  const draft = h('textarea', { name: 'modify-draft', rows: 8, maxlength: 60000, value: v.draftRequirement, lang: v.language })
  const legalBasis = h('input', { name: 'modify-legalBasis', maxlength: 500, value: v.legalBasis ?? '', lang: v.language })
  const modifyErrors = h('div', { class: 'form-errors' })
  const modify = h('form', { novalidate: true, 'aria-labelledby': 'modify-h' },
    modifyErrors, h('p', { class: 'hint' }, t('notification.modify.hint')),
    field(t('notification.summary'), summary), field(t('notification.draft'), draft), field(t('notification.legalBasis'), legalBasis),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('notification.modify.submit'))))
  handleSubmit(ctx, modify, modifyErrors, async () => {
    await modifyNotification(ctx.api, n.id, {
      summary: summary.value.trim(), draftRequirement: draft.value.trim(), ...(legalBasis.value.trim() !== '' && { legalBasis: legalBasis.value.trim() })
    })
    ctx.announce(t('notification.modified'))
    ctx.navigate({ page: 'notification', id: n.id })
  }, () => summary.value.trim() === '' || draft.value.trim() === '' ? t('error.textRequired') : undefined)
  const reason = h('input', { name: 'withdraw-reason', maxlength: 500, autocomplete: 'off' })
  const withdrawErrors = h('div', { class: 'form-errors' })
  const withdraw = h('form', { novalidate: true, 'aria-labelledby': 'withdraw-h' },
    withdrawErrors, field(t('common.reasonOptional'), reason),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger' }, t('notification.withdraw.submit'))))
  handleSubmit(ctx, withdraw, withdrawErrors, async () => {
    await withdrawNotification(ctx.api, n.id, reason.value.trim() === '' ? undefined : reason.value.trim())
    ctx.announce(t('notification.withdrawn'))
    ctx.navigate({ page: 'notification', id: n.id })
  })
  return h('div', { class: 'owner-forms' },
    h('section', { class: 'action-panel', 'aria-labelledby': 'modify-h' }, h('h2', { id: 'modify-h' }, t('notification.modify.title')), modify),
    h('section', { class: 'action-panel', 'aria-labelledby': 'withdraw-h' }, h('h2', { id: 'withdraw-h' }, t('notification.withdraw.title')), withdraw))
}

export const notificationPage: Page<NotificationRoute> = async (ctx, route) => {
  const { t, lang } = ctx
  const back = h('p', { class: 'back' }, h('a', { href: routeHref({ page: 'notifications' }) }, t('notification.back')))
  let n: NotificationView
  try {
    n = await notification(ctx.api, route.id)
  } catch (err) {
    return failedPage(ctx, t('notifications.title'), err, back)
  }
  const v = n.current
  const title = v.title[lang] ?? localName(v.title, lang)
  const user = ctx.session.user
  const owner = n.ours && n.status === 'open' && (user.coordinator || (user.authority !== undefined && user.authority === n.fromAuthority && mayTakePart(ctx)))
  const earlier = n.versions.slice(0, -1).reverse()
  const ended: Child = n.status === 'open' ? null : h('p', { class: 'notice', role: 'note' }, t(n.status === 'withdrawn' ? 'notification.withdrawnNote' : 'notification.closedNote'))
  return h('div', { class: 'page page-notification' },
    back,
    h('h1', { tabindex: '-1' }, t('notification.heading', { title })),
    h('dl', { class: 'summary' },
      pair(t('notifications.col.status'), badge(NOTIFICATION_BADGE[n.status], notificationStatusLabel(t, n.status))),
      pair(t('notification.from'), who(ctx, n)),
      pair(t('notification.created'), formatDateTime(n.createdAt, lang)),
      n.withdrawnAt === undefined
        ? pair(t(n.status === 'closed' ? 'notification.closedAt' : 'notification.closesAt'), formatDateTime(n.closesAt, lang))
        : pair(t('notification.withdrawnAt'), formatDateTime(n.withdrawnAt, lang)),
      n.reason === undefined ? null : pair(t('alert.reason'), n.reason),
      pair(t('notification.version'), String(v.version))),
    ended,
    versionText(ctx, v),
    earlier.length === 0 ? null : section('versions-h', t('notification.versions', { count: earlier.length }),
      earlier.map((e) => h('details', { class: 'version' }, h('summary', null, t('notification.versionOf', { version: e.version, date: formatDateTime(e.at, lang) })), versionText(ctx, e)))),
    section('comments-h', t('notification.comments', { count: n.comments.length }), comments(ctx, n)),
    n.status === 'open' && mayTakePart(ctx) ? commentForm(ctx, n) : null,
    owner ? ownerForms(ctx, n) : null)
}
