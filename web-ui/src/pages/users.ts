/**
 * An authority's users, for its local data administrators (and the coordinator): who
 * they are, their roles per area, whether the account is disabled or locked, and a form
 * to add one. Each name leads to the user's own page (roles, disabling, unlocking, a new
 * password). Another authority's users are not found: the node decides.
 */
import type { LegislativeArea } from '@imi/protocol'
import { authority as getAuthority, createUser } from '../api-accounts.js'
import type { User } from '../api-client.js'
import type { Page, PageContext } from '../context.js'
import { field, h, replace } from '../dom.js'
import { localName } from '../format.js'
import { routeHref, type Route } from '../router.js'
import { badge, dataTable, failedPage, handleSubmit, languageSelect, pageOf, section } from '../widgets.js'
import { newUserProblems, rolesEditor, rolesSummary } from './user-fields.js'

type UsersRoute = Extract<Route, { page: 'users' }>

export function accountBadges (ctx: PageContext, u: User): HTMLElement[] {
  const { t } = ctx
  const out = [u.disabled ? badge('status-withdrawn', t('users.status.disabled')) : badge('alert-active', t('users.status.active'))]
  if (u.locked) out.push(badge('badge-overdue', t('users.status.locked')))
  return out
}

function usersTable (ctx: PageContext, authority: string, users: readonly User[]): HTMLElement {
  const { t } = ctx
  if (users.length === 0) return h('p', { class: 'empty' }, t('users.empty'))
  const sorted = [...users].sort((a, b) => a.displayName.localeCompare(b.displayName, ctx.lang))
  return dataTable(t('users.caption'), [t('users.col.name'), t('users.col.email'), t('users.col.roles'), t('users.col.status')],
    sorted.map((u) => h('tr', null,
      h('th', { scope: 'row' }, h('a', { href: routeHref({ page: 'user', authority, username: u.username }) }, u.displayName), h('span', { class: 'muted small' }, ` · ${u.username}`)),
      h('td', null, u.email ?? '–'),
      h('td', null, rolesSummary(ctx, u.grants)),
      h('td', null, accountBadges(ctx, u).flatMap((b) => [b, ' '])))), { hiddenCaption: true })
}

function addUserForm (ctx: PageContext, authority: string, areas: readonly LegislativeArea[]): HTMLElement {
  const { t } = ctx
  const username = h('input', { name: 'username', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', maxlength: 64, required: true })
  const displayName = h('input', { name: 'displayName', autocomplete: 'off', maxlength: 200, required: true })
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'off', maxlength: 255 })
  const language = languageSelect({ name: 'language' }, undefined, t('users.language.none'))
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', minlength: 12, required: true })
  const roles = rolesEditor(ctx, areas, [])
  const errors = h('div', { class: 'form-errors' })
  const form = h('form', { class: 'add-user', novalidate: true, 'aria-labelledby': 'add-user-h' },
    errors,
    h('div', { class: 'row' }, field(t('users.username'), username, t('users.username.hint')), field(t('users.displayName'), displayName)),
    h('div', { class: 'row' }, field(t('users.email'), email), field(t('users.language'), language)),
    field(t('users.password'), password, t('users.password.hint')),
    roles.element,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('users.add.submit'))))
  handleSubmit(ctx, form, errors, async () => {
    const created = await createUser(ctx.api, authority, {
      username: username.value.trim(), displayName: displayName.value.trim(), password: password.value, grants: roles.read(),
      ...(email.value.trim() !== '' && { email: email.value.trim() }), ...(language.value !== '' && { language: language.value })
    })
    ctx.announce(t('users.added', { username: created.username }))
    ctx.navigate({ page: 'users', authority })
  }, () => {
    const problems = newUserProblems({ username: username.value.trim(), displayName: displayName.value, password: password.value, email: email.value.trim() })
    username.setAttribute('aria-invalid', String(problems.includes('users.error.username')))
    if (problems.length === 0) return undefined
    return [t('users.error.title'), ...problems.map((p) => t(p))].join(' ')
  })
  return section('add-user-h', t('users.add.title'), form)
}

export const usersPage: Page<UsersRoute> = async (ctx, route) => {
  const { t, lang } = ctx
  const id = route.authority ?? ctx.session.user.authority
  if (id === undefined) {
    return pageOf('page-users', t('nav.users'), h('p', null, h('a', { href: routeHref({ page: 'authorities' }) }, t('users.pick'))))
  }
  let loaded
  try {
    loaded = await Promise.all([getAuthority(ctx.api, id), ctx.api.users(id)])
  } catch (err) {
    return failedPage(ctx, t('nav.users'), err)
  }
  const [authority, users] = loaded
  const name = localName(authority.entry.names, lang)
  const results = h('div', { class: 'results' })
  replace(results, usersTable(ctx, id, users))
  return pageOf('page-users', t('users.title', { authority: name }),
    ctx.session.user.coordinator ? h('p', { class: 'back' }, h('a', { href: routeHref({ page: 'authorities' }) }, t('nav.authorities'))) : null,
    results,
    authority.status === 'removed' ? null : addUserForm(ctx, id, authority.entry.areas))
}
