/**
 * Notifying a draft requirement to every member state: its language, title (and an
 * English title), summary, the draft's text, legal basis and planned adoption date.
 * The comment period starts when it is sent; the node sets its end.
 */
import { notify } from '../api-notifications.js'
import { LANGUAGES } from '../catalogue.js'
import type { Page } from '../context.js'
import { field, h } from '../dom.js'
import type { MessageKey } from '../i18n/index.js'
import { routeHref } from '../router.js'
import { handleSubmit, languageSelect, pageOf } from '../widgets.js'

export const notificationNewPage: Page = async (ctx) => {
  const { t } = ctx
  const language = languageSelect({ name: 'language' }, (LANGUAGES as readonly string[]).includes(ctx.lang) ? ctx.lang : 'en')
  const title = h('input', { name: 'title', maxlength: 300, required: true, autocomplete: 'off' })
  const titleEn = h('input', { name: 'title-en', maxlength: 300, autocomplete: 'off', lang: 'en' })
  const summary = h('textarea', { name: 'summary', rows: 4, maxlength: 4000, required: true })
  const draft = h('textarea', { name: 'draftRequirement', rows: 10, maxlength: 60000, required: true })
  const legalBasis = h('input', { name: 'legalBasis', maxlength: 500, autocomplete: 'off' })
  const plannedAdoption = h('input', { type: 'date', name: 'plannedAdoption', min: ctx.today })
  const errors = h('div', { class: 'form-errors' })
  const form = h('form', { novalidate: true, 'aria-labelledby': 'page-h' },
    errors,
    field(t('notificationNew.language'), language),
    h('div', { class: 'row' }, field(t('notificationNew.titleField'), title), field(t('notificationNew.titleEn'), titleEn)),
    field(t('notificationNew.summary'), summary),
    field(t('notificationNew.draft'), draft),
    h('div', { class: 'row' }, field(t('notificationNew.legalBasis'), legalBasis), field(t('notificationNew.plannedAdoption'), plannedAdoption)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('notificationNew.submit'))))
  // The texts are in the draft's language: the fields say so to screen readers and spell checkers.
  const syncLang = (): void => { for (const el of [title, summary, draft, legalBasis]) el.lang = language.value }
  language.addEventListener('change', syncLang)
  syncLang()
  handleSubmit(ctx, form, errors, async () => {
    const titles: Record<string, string> = { [language.value]: title.value.trim() }
    if (titleEn.value.trim() !== '' && language.value !== 'en') titles.en = titleEn.value.trim()
    const view = await notify(ctx.api, {
      title: titles, language: language.value, summary: summary.value.trim(), draftRequirement: draft.value.trim(),
      ...(legalBasis.value.trim() !== '' && { legalBasis: legalBasis.value.trim() }),
      ...(plannedAdoption.value !== '' && { plannedAdoption: plannedAdoption.value })
    })
    ctx.announce(t('notificationNew.sent'))
    ctx.navigate({ page: 'notification', id: view.id })
  }, () => {
    const problems: MessageKey[] = []
    if (title.value.trim() === '') problems.push('notificationNew.error.titleField')
    if (summary.value.trim() === '') problems.push('notificationNew.error.summary')
    if (draft.value.trim() === '') problems.push('notificationNew.error.draft')
    return problems.length === 0 ? undefined : [t('notificationNew.error.title'), ...problems.map((p) => t(p))].join(' ')
  })
  return pageOf('page-notification-new', t('notificationNew.title'),
    h('p', { class: 'back' }, h('a', { href: routeHref({ page: 'notifications' }) }, t('notification.back'))),
    h('p', { class: 'lead' }, t('notificationNew.intro')),
    form)
}
