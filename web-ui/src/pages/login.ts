/**
 * Log-in: username and password, nothing else on the page. Refusals are told apart by
 * their code (wrong password, locked for N minutes) and read out at once; the password
 * field is cleared and focused again so the keyboard user can simply retype.
 */
import { ApiError, type ApiClient, type Session } from '../api-client.js'
import { field, h, notice, replace } from '../dom.js'
import type { Translate } from '../i18n/index.js'

export interface LoginInit {
  readonly api: ApiClient
  readonly t: Translate
  /** Shown above the form, e.g. "your session has ended". */
  readonly message?: string
  readonly onLoggedIn: (session: Session) => void
}

export function loginErrorText (t: Translate, err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'ERR_INVALID_CREDENTIALS') return t('login.error.credentials')
    if (err.code === 'ERR_ACCOUNT_LOCKED') return t('login.error.locked', { minutes: Math.max(1, Math.ceil((err.retryAfterSeconds ?? 900) / 60)) })
    if (err.code === 'ERR_RATE_LIMITED') return t('error.ERR_RATE_LIMITED')
    return t('error.generic', { code: err.code })
  }
  return t('error.network')
}

export function loginPage (init: LoginInit): HTMLElement {
  const { t } = init
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' })
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })
  const errors = h('div', { class: 'form-errors' }, init.message === undefined ? null : notice('info', init.message))
  const submit = h('button', { type: 'submit', class: 'primary' }, t('login.submit'))
  const form = h('form', { class: 'login', novalidate: true, 'aria-labelledby': 'login-title' },
    errors,
    field(t('login.username'), username),
    field(t('login.password'), password),
    h('div', { class: 'actions' }, submit))
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    if (username.value.trim() === '' || password.value === '') {
      replace(errors, notice('error', t('login.error.missing')))
      ;(username.value.trim() === '' ? username : password).focus()
      return
    }
    submit.disabled = true
    form.setAttribute('aria-busy', 'true')
    init.api.login(username.value.trim(), password.value).then(init.onLoggedIn, (err: unknown) => {
      replace(errors, notice('error', loginErrorText(t, err)))
      password.value = ''
      password.setAttribute('aria-invalid', 'true')
      password.focus()
    }).finally(() => {
      submit.disabled = false
      form.removeAttribute('aria-busy')
    })
  })
  return h('div', { class: 'page page-login' },
    h('h1', { id: 'login-title', tabindex: '-1' }, t('login.title')),
    h('p', { class: 'lead' }, t('login.intro')),
    form)
}
