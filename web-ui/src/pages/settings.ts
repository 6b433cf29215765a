/**
 * The official's own settings: the language (kept in the account, so it holds wherever
 * they log in: the interface in one of its 8 languages, questions and answers in any of
 * the catalogue's 26), which e-mails to receive, and a new password (which ends every
 * session of the account, this one included).
 */
import { changeOwnPassword, savePreferences } from '../api-accounts.js'
import type { Page, PageContext } from '../context.js'
import { field, h, notice } from '../dom.js'
import { countryName, languageName, localName } from '../format.js'
import { MIN_PASSWORD, rolesSummary } from './user-fields.js'
import { checkbox, handleSubmit, languageSelect, pageOf, pair, section } from '../widgets.js'

/** Set when the preferences were saved: the app then draws the page again, in the chosen language. */
let justSaved = false

function preferencesForm (ctx: PageContext): HTMLElement {
  const { t } = ctx
  const user = ctx.session.user
  const language = languageSelect({ name: 'language' }, user.language ?? ctx.lang)
  const notify = user.notify ?? {}
  const requests = checkbox('notify-requests', t('settings.notify.requests'), notify.requests !== false)
  const deadlines = checkbox('notify-deadlines', t('settings.notify.deadlines'), notify.deadlines !== false)
  const alerts = checkbox('notify-alerts', t('settings.notify.alerts'), notify.alerts !== false)
  const errors = h('div', { class: 'form-errors' }, justSaved ? notice('success', t('settings.saved')) : null)
  justSaved = false
  const form = h('form', { novalidate: true, 'aria-labelledby': 'preferences-h' },
    errors,
    field(t('settings.language'), language, t('settings.language.hint')),
    h('fieldset', { class: 'group' }, h('legend', null, t('settings.notify.title')),
      h('p', { class: 'hint' }, user.email === undefined ? t('settings.notify.noAddress') : t('settings.notify.to', { email: user.email })),
      requests.element, deadlines.element, alerts.element),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('settings.save'))))
  handleSubmit(ctx, form, errors, async () => {
    const updated = await savePreferences(ctx.api, {
      language: language.value,
      notify: { requests: requests.input.checked, deadlines: deadlines.input.checked, alerts: alerts.input.checked }
    })
    justSaved = true
    ctx.announce(t('settings.saved'))
    ctx.userChanged(updated)
  })
  return section('preferences-h', t('settings.language.title'), form)
}

function passwordForm (ctx: PageContext): HTMLElement {
  const { t } = ctx
  const current = h('input', { type: 'password', name: 'current-password', autocomplete: 'current-password', required: true })
  const next = h('input', { type: 'password', name: 'new-password', autocomplete: 'new-password', minlength: MIN_PASSWORD, required: true })
  const again = h('input', { type: 'password', name: 'new-password-again', autocomplete: 'new-password', required: true })
  const errors = h('div', { class: 'form-errors' })
  const form = h('form', { novalidate: true, 'aria-labelledby': 'password-h' },
    errors,
    field(t('settings.password.current'), current),
    field(t('settings.password.new'), next, t('settings.password.hint')),
    field(t('settings.password.repeat'), again),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('settings.password.submit'))))
  handleSubmit(ctx, form, errors, async () => {
    try {
      await changeOwnPassword(ctx.api, current.value, next.value)
    } finally {
      current.value = ''
    }
    ctx.sessionEnded(t('settings.password.done'))
  }, () => {
    if ([...next.value].length < MIN_PASSWORD) return t('settings.password.short')
    if (next.value !== again.value) return t('settings.password.mismatch')
    return undefined
  })
  return section('password-h', t('settings.password.title'), form)
}

export const settingsPage: Page = async (ctx) => {
  const { t } = ctx
  const user = ctx.session.user
  return pageOf('page-settings', t('settings.title'),
    section('account-h', t('settings.account'), h('dl', { class: 'summary' },
      pair(t('users.displayName'), user.displayName),
      pair(t('settings.username'), user.username),
      pair(t('settings.authority'), user.authority === undefined
        ? `${t('nav.coordinator')} · ${countryName(ctx.session.country, ctx.lang)}`
        : `${ctx.session.authorityNames === undefined ? user.authority : localName(ctx.session.authorityNames, ctx.uiLang)} · ${countryName(ctx.session.country, ctx.lang)}`),
      user.grants.length === 0 ? null : pair(t('settings.roles'), rolesSummary(ctx, user.grants)),
      pair(t('settings.email'), user.email ?? '–'),
      user.language === undefined ? null : pair(t('settings.language'), languageName(user.language)))),
    preferencesForm(ctx),
    passwordForm(ctx))
}
