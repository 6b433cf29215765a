/**
 * One user of an authority, for its local data administrators: the account and its roles
 * per area (saved together), disabling the account, unlocking it after a lock-out, and a
 * new password. The node refuses what the administrator may not do (taking away one's
 * own administrator role, for instance) and the refusal is shown by its code.
 */
import { authority as getAuthority, setUserPassword, unlockUser, updateUser, user as getUser } from '../api-accounts.js'
import type { Page, PageContext } from '../context.js'
import { field, h, notice, replace } from '../dom.js'
import { languageName } from '../format.js'
import { routeHref, type Route } from '../router.js'
import { checkbox, failedPage, handleSubmit, languageSelect, pair, section } from '../widgets.js'
import { EMAIL, MIN_PASSWORD, rolesEditor } from './user-fields.js'
import { accountBadges } from './users.js'

type UserRoute = Extract<Route, { page: 'user' }>

function passwordForm (ctx: PageContext, route: UserRoute): HTMLElement {
  const { t } = ctx
  const password = h('input', { name: 'new-password', type: 'password', autocomplete: 'new-password', minlength: MIN_PASSWORD, required: true })
  const errors = h('div', { class: 'form-errors' })
  const form = h('form', { novalidate: true, 'aria-labelledby': 'password-h' },
    errors, field(t('user.password.new'), password, t('user.password.hint')),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('user.password.submit'))))
  handleSubmit(ctx, form, errors, async () => {
    await setUserPassword(ctx.api, route.authority, route.username, password.value)
    password.value = ''
    replace(errors, notice('success', t('user.password.done')))
    errors.focus()
  }, () => [...password.value].length < MIN_PASSWORD ? t('users.error.password') : undefined)
  return section('password-h', t('user.password.title'), form)
}

export const userPage: Page<UserRoute> = async (ctx, route) => {
  const { t } = ctx
  const back = h('p', { class: 'back' }, h('a', { href: routeHref({ page: 'users', ...(ctx.session.user.coordinator && { authority: route.authority }) }) }, t('user.back')))
  let loaded
  try {
    loaded = await Promise.all([getAuthority(ctx.api, route.authority), getUser(ctx.api, route.authority, route.username)])
  } catch (err) {
    return failedPage(ctx, t('users.col.name'), err, back)
  }
  const [authority, u] = loaded
  const displayName = h('input', { name: 'displayName', value: u.displayName, maxlength: 200, required: true })
  const email = h('input', { name: 'email', type: 'email', value: u.email ?? '', maxlength: 255 })
  const language = languageSelect({ name: 'language' }, u.language, t('users.language.none'))
  const roles = rolesEditor(ctx, authority.entry.areas, u.grants)
  const disabled = checkbox('disabled', t('user.disabled'), u.disabled)
  const errors = h('div', { class: 'form-errors' })
  const form = h('form', { novalidate: true, 'aria-labelledby': 'edit-h' },
    errors,
    h('div', { class: 'row' }, field(t('users.displayName'), displayName), field(t('users.email'), email), field(t('users.language'), language)),
    roles.element,
    disabled.element,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('user.save'))))
  handleSubmit(ctx, form, errors, async () => {
    await updateUser(ctx.api, route.authority, route.username, {
      displayName: displayName.value.trim(),
      email: email.value.trim() === '' ? null : email.value.trim(),
      grants: roles.read(),
      disabled: disabled.input.checked,
      ...(language.value !== '' && { language: language.value })
    })
    ctx.announce(t('user.saved'))
    ctx.navigate(route)
  }, () => {
    if (displayName.value.trim() === '') return t('users.error.displayName')
    if (email.value.trim() !== '' && !EMAIL.test(email.value.trim())) return t('users.error.email')
    return undefined
  })

  let lock: HTMLElement | null = null
  if (u.locked) {
    const unlock = h('button', { type: 'button' }, t('user.unlock'))
    const lockErrors = h('div', { class: 'form-errors' })
    unlock.addEventListener('click', () => {
      unlock.disabled = true
      unlockUser(ctx.api, route.authority, route.username).then(() => {
        ctx.announce(t('user.unlocked'))
        ctx.navigate(route)
      }, (err: unknown) => { replace(lockErrors, ctx.failure(err)); unlock.disabled = false })
    })
    lock = h('div', { class: 'notice notice-error' }, h('p', null, t('user.locked')), lockErrors, unlock)
  }

  return h('div', { class: 'page page-user' },
    back,
    h('h1', { tabindex: '-1' }, t('user.title', { name: u.displayName })),
    h('dl', { class: 'summary' },
      pair(t('users.username'), u.username),
      pair(t('users.col.status'), accountBadges(ctx, u).flatMap((b) => [b, ' '])),
      u.language === undefined ? null : pair(t('users.language'), languageName(u.language))),
    lock,
    section('edit-h', t('user.edit.title'), form),
    passwordForm(ctx, route))
}
