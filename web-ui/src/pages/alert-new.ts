/**
 * Issuing an alert: the area (where the official handles alerts), its kind, to all
 * member states or to those chosen (the federation's members as this node's directory
 * knows them, this state left out), the date of the decision, and the content: the risk,
 * who is concerned, and the decision with the period it applies.
 */
import type { AlertType, LegislativeArea } from '@imi/protocol'
import { issueAlert } from '../api-alerts.js'
import { MEMBER_STATES } from '../catalogue.js'
import type { Page } from '../context.js'
import { field, h, select, uid } from '../dom.js'
import { countryName } from '../format.js'
import type { MessageKey } from '../i18n/index.js'
import { ALERT_TYPES, alertTypeLabel, areaLabel } from '../labels.js'
import { AREAS, routeHref } from '../router.js'
import { handleSubmit, pageOf } from '../widgets.js'

export const alertNewPage: Page = async (ctx) => {
  const { t, lang } = ctx
  const back = h('p', { class: 'back' }, h('a', { href: routeHref({ page: 'alerts' }) }, t('alert.back')))
  const areas = AREAS.filter((a) => ctx.session.user.grants.some((g) => g.area === a && g.role === 'alert-handler'))
  if (areas.length === 0) return pageOf('page-alert-new', t('alertNew.title'), back, h('p', null, t('alertNew.noRole')))
  const here = ctx.session.country
  const directories = await ctx.api.directoryStatus().catch(() => [])
  const members = new Set(directories.map((d) => d.country))
  const states = MEMBER_STATES.map((m) => m.code).filter((c) => c !== here && (members.size === 0 || members.has(c)))
    .map((c): [string, string] => [c, countryName(c, lang)]).sort((a, b) => a[1].localeCompare(b[1], lang))

  const area = select({ name: 'area' }, areas.map((a): [string, string] => [a, areaLabel(t, a)]), areas[0])
  const type = select({ name: 'type' }, ALERT_TYPES.map((a): [string, string] => [a, alertTypeLabel(t, a)]))
  const toName = uid('to')
  const toAll = h('input', { type: 'radio', name: toName, value: 'all', id: uid('to-all'), checked: true })
  const toSome = h('input', { type: 'radio', name: toName, value: 'some', id: uid('to-some') })
  const stateBoxes = states.map(([code]) => h('input', { type: 'checkbox', name: 'states', value: code, id: uid('state') }))
  const stateGroup = h('fieldset', { class: 'role-area', hidden: true }, h('legend', null, t('alertNew.states')),
    h('div', { class: 'radios inline' }, stateBoxes.map((b, i) => h('label', { for: b.id, class: 'checkbox' }, b, ` ${states[i]![1]}`))))
  const syncTo = (): void => { stateGroup.hidden = !toSome.checked }
  toAll.addEventListener('change', syncTo)
  toSome.addEventListener('change', syncTo)
  const decisionDate = h('input', { type: 'date', name: 'decisionDate', max: ctx.today })
  const description = h('textarea', { name: 'description', rows: 5, maxlength: 8000, required: true })
  const name = h('input', { name: 'concerned-name', autocomplete: 'off', maxlength: 500, required: true })
  const registration = h('input', { name: 'concerned-registrationNumber', autocomplete: 'off', maxlength: 500 })
  const birthDate = h('input', { type: 'date', name: 'concerned-birthDate', max: ctx.today })
  const profession = h('input', { name: 'profession', autocomplete: 'off', maxlength: 200 })
  const decision = h('textarea', { name: 'decision', rows: 3, maxlength: 4000 })
  const periodFrom = h('input', { type: 'date', name: 'periodFrom' })
  const periodTo = h('input', { type: 'date', name: 'periodTo' })
  const errors = h('div', { class: 'form-errors' })
  const form = h('form', { novalidate: true, 'aria-labelledby': 'page-h' },
    errors,
    h('div', { class: 'row' }, field(t('alertNew.area'), area), field(t('alertNew.type'), type)),
    h('fieldset', { class: 'group' }, h('legend', null, t('alertNew.to')),
      h('div', { class: 'radios' },
        h('label', { for: toAll.id, class: 'radio' }, toAll, ` ${t('alertNew.to.all')}`),
        h('label', { for: toSome.id, class: 'radio' }, toSome, ` ${t('alertNew.to.selected')}`)),
      stateGroup),
    field(t('alertNew.decisionDate'), decisionDate, t('alertNew.decisionDate.hint')),
    h('fieldset', { class: 'group' }, h('legend', null, t('alertNew.content')),
      field(t('alertNew.description'), description),
      h('fieldset', { class: 'role-area' }, h('legend', null, t('alertNew.concerned')),
        h('div', { class: 'row' }, field(t('subject.name'), name), field(t('subject.registrationNumber'), registration), field(t('subject.birthDate'), birthDate))),
      field(t('alertNew.profession'), profession),
      field(t('alertNew.decision'), decision),
      h('div', { class: 'row' }, field(t('alertNew.periodFrom'), periodFrom), field(t('alertNew.periodTo'), periodTo))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('alertNew.submit'))))

  const chosenStates = (): string[] => stateBoxes.filter((b) => b.checked).map((b) => b.value)
  handleSubmit(ctx, form, errors, async () => {
    const concerned: Record<string, string> = { name: name.value.trim() }
    if (registration.value.trim() !== '') concerned.registrationNumber = registration.value.trim()
    if (birthDate.value !== '') concerned.birthDate = birthDate.value
    const view = await issueAlert(ctx.api, {
      area: area.value as LegislativeArea,
      type: type.value as AlertType,
      to: toSome.checked ? chosenStates() : 'all',
      ...(decisionDate.value !== '' && { decisionDate: decisionDate.value }),
      content: {
        description: description.value.trim(),
        concerned,
        ...(profession.value.trim() !== '' && { profession: profession.value.trim() }),
        ...(decision.value.trim() !== '' && { decision: decision.value.trim() }),
        ...(periodFrom.value !== '' && { periodFrom: periodFrom.value }),
        ...(periodTo.value !== '' && { periodTo: periodTo.value })
      }
    })
    ctx.announce(t('alertNew.sent'))
    ctx.navigate({ page: 'alert', id: view.state.id })
  }, () => {
    const problems: MessageKey[] = []
    if (toSome.checked && chosenStates().length === 0) problems.push('alertNew.error.states')
    if (decisionDate.value !== '' && decisionDate.value > ctx.today) problems.push('alertNew.error.decisionDate')
    if (description.value.trim() === '') problems.push('alertNew.error.description')
    if (name.value.trim() === '') problems.push('alertNew.error.name')
    if (periodFrom.value !== '' && periodTo.value !== '' && periodTo.value < periodFrom.value) problems.push('alertNew.error.period')
    name.setAttribute('aria-invalid', String(name.value.trim() === ''))
    return problems.length === 0 ? undefined : [t('alertNew.error.title'), ...problems.map((p) => t(p))].join(' ')
  })
  return pageOf('page-alert-new', t('alertNew.title'), back, h('p', { class: 'lead' }, t('alertNew.intro')), form)
}
