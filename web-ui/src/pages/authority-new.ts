/**
 * Registering an authority (the national coordinator): its identifier, names, legislative
 * areas, competences and functional contact, which every member state's directory will
 * show, and optionally its first local data administrator, who then adds the others.
 */
import type { AuthorityEntry, LegislativeArea } from '@imi/protocol'
import { registerAuthority, type NewUserInput } from '../api-accounts.js'
import type { Page } from '../context.js'
import { field, h, uid } from '../dom.js'
import type { MessageKey } from '../i18n/index.js'
import { areaLabel } from '../labels.js'
import { AREAS, routeHref } from '../router.js'
import { handleSubmit, languageSelect, pageOf } from '../widgets.js'
import { newUserProblems } from './user-fields.js'

const AUTHORITY_ID = /^[A-Za-z0-9._:-]{1,64}$/

export const authorityNewPage: Page = async (ctx) => {
  const { t } = ctx
  const id = h('input', { name: 'id', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', maxlength: 64, required: true })
  const name = h('input', { name: 'name', autocomplete: 'off', maxlength: 300, required: true })
  const nameLanguage = languageSelect({ name: 'nameLanguage' }, ctx.lang)
  const nameEn = h('input', { name: 'nameEn', autocomplete: 'off', maxlength: 300, lang: 'en' })
  const areaBoxes = AREAS.map((area) => h('input', { type: 'checkbox', name: 'areas', value: area, id: uid('area') }))
  const competences = h('input', { name: 'competences', autocomplete: 'off', maxlength: 2000 })
  const email = h('input', { name: 'contact-email', type: 'email', autocomplete: 'off' })
  const phone = h('input', { name: 'contact-phone', type: 'tel', autocomplete: 'off' })
  const website = h('input', { name: 'contact-website', type: 'url', autocomplete: 'off', placeholder: 'https://' })
  const address = h('input', { name: 'contact-address', autocomplete: 'off', maxlength: 300 })
  const adminUsername = h('input', { name: 'admin-username', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', maxlength: 64 })
  const adminName = h('input', { name: 'admin-displayName', autocomplete: 'off', maxlength: 200 })
  const adminEmail = h('input', { name: 'admin-email', type: 'email', autocomplete: 'off' })
  const adminPassword = h('input', { name: 'admin-password', type: 'password', autocomplete: 'new-password' })
  const errors = h('div', { class: 'form-errors' })
  const form = h('form', { novalidate: true, 'aria-labelledby': 'page-h' },
    errors,
    field(t('authority.id'), id, t('authority.id.hint')),
    h('div', { class: 'row' }, field(t('authority.name'), name), field(t('authority.nameLanguage'), nameLanguage)),
    field(t('authority.nameEn'), nameEn),
    h('fieldset', { class: 'group' }, h('legend', null, t('authority.areas')),
      h('div', { class: 'radios inline' }, areaBoxes.map((b) => h('label', { for: b.id, class: 'checkbox' }, b, ` ${areaLabel(t, b.value as LegislativeArea)}`)))),
    field(t('authority.competences'), competences, t('authority.competences.hint')),
    h('fieldset', { class: 'group' }, h('legend', null, t('authority.contact')),
      h('div', { class: 'row' }, field(t('directory.email'), email), field(t('directory.phone'), phone)),
      h('div', { class: 'row' }, field(t('directory.website'), website), field(t('directory.address'), address))),
    h('fieldset', { class: 'group' }, h('legend', null, t('authority.admin')),
      h('p', { class: 'hint' }, t('authority.admin.hint')),
      h('div', { class: 'row' }, field(t('users.username'), adminUsername, t('users.username.hint')), field(t('users.displayName'), adminName)),
      h('div', { class: 'row' }, field(t('users.email'), adminEmail), field(t('users.password'), adminPassword, t('users.password.hint')))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('authority.submit'))))

  const adminGiven = (): boolean => [adminUsername, adminName, adminPassword, adminEmail].some((i) => i.value.trim() !== '')
  handleSubmit(ctx, form, errors, async () => {
    const names: Record<string, string> = { [nameLanguage.value]: name.value.trim() }
    if (nameEn.value.trim() !== '') names.en = nameEn.value.trim()
    const contact = Object.fromEntries(([['email', email], ['phone', phone], ['website', website], ['address', address]] as const)
      .map(([k, input]) => [k, input.value.trim()]).filter(([, v]) => v !== ''))
    const entry: AuthorityEntry = {
      id: id.value.trim(), names: names as AuthorityEntry['names'],
      areas: areaBoxes.filter((b) => b.checked).map((b) => b.value as LegislativeArea),
      competences: competences.value.split(',').map((c) => c.trim()).filter((c) => c !== ''),
      ...(Object.keys(contact).length > 0 && { contact })
    }
    const admin: NewUserInput | undefined = adminGiven()
      ? { username: adminUsername.value.trim(), displayName: adminName.value.trim(), password: adminPassword.value, ...(adminEmail.value.trim() !== '' && { email: adminEmail.value.trim() }) }
      : undefined
    await registerAuthority(ctx.api, entry, admin)
    ctx.announce(t('authority.registered', { name: name.value.trim() }))
    ctx.navigate({ page: 'authorities' })
  }, () => {
    const problems: MessageKey[] = []
    if (!AUTHORITY_ID.test(id.value.trim())) problems.push('authority.error.id')
    if (name.value.trim() === '') problems.push('authority.error.name')
    if (!areaBoxes.some((b) => b.checked)) problems.push('authority.error.areas')
    if (adminGiven() && newUserProblems({ username: adminUsername.value.trim(), displayName: adminName.value, password: adminPassword.value, email: adminEmail.value.trim() }).length > 0) {
      problems.push('authority.error.admin')
    }
    return problems.length === 0 ? undefined : [t('authority.error.title'), ...problems.map((p) => t(p))].join(' ')
  })
  return pageOf('page-authority-new', t('authority.new.title'),
    h('p', { class: 'back' }, h('a', { href: routeHref({ page: 'authorities' }) }, t('nav.authorities'))),
    h('p', { class: 'lead' }, t('authority.new.intro')),
    form)
}
