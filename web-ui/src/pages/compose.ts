/**
 * Composing a request: the legislative area, the recipient found in the directory, the
 * standard questions of the area's catalogue in the official's own language (filterable),
 * the subject, the needed-by date and files. It can be saved as a draft on the node and
 * continued later by any request handler of the authority (`#/compose?draft=<id>`); a
 * draft is sent with everything it holds, and deleted once sent.
 */
import type { LegislativeArea } from '@imi/protocol'
import { deleteDraft, draft as getDraft, saveDraft, sendDraft } from '../api-requests.js'
import type { AttachmentInput, Draft, NewRequestInput } from '../api-types.js'
import type { Page } from '../context.js'
import { field, h, notice, replace, select } from '../dom.js'
import { addDays, formatDateTime } from '../format.js'
import type { MessageKey } from '../i18n/index.js'
import { areaLabel } from '../labels.js'
import type { Route } from '../router.js'
import { failedPage } from '../widgets.js'
import { questionPicker, recipientPicker, sendingAreas } from './compose-pickers.js'
import { chosenFiles, fileField } from './request-forms.js'

type ComposeRoute = Extract<Route, { page: 'compose' }>

export const composePage: Page<ComposeRoute> = async (ctx, route) => {
  const { t, lang } = ctx
  let existing: Draft | undefined
  if (route.draft !== undefined) {
    try {
      existing = await getDraft(ctx.api, route.draft)
    } catch (err) {
      return failedPage(ctx, t('compose.title'), err)
    }
  }
  const c = existing?.content ?? {}
  const areas = sendingAreas(ctx)
  const area = select({ name: 'area' }, areas.map((a): [string, string] => [a, areaLabel(t, a)]), c.area !== undefined && areas.includes(c.area) ? c.area : areas[0])
  const recipient = recipientPicker(ctx, () => area.value as LegislativeArea)
  const questions = questionPicker(ctx)
  questions.setArea(area.value as LegislativeArea)
  area.addEventListener('change', () => { questions.setArea(area.value as LegislativeArea); recipient.reset() })
  const name = h('input', { name: 'subject-name', required: true, autocomplete: 'off', maxlength: 200, value: c.subject?.name ?? '' })
  const birthDate = h('input', { type: 'date', name: 'subject-birthDate', max: ctx.today, value: c.subject?.birthDate ?? '' })
  const registration = h('input', { name: 'subject-registrationNumber', autocomplete: 'off', maxlength: 200, value: c.subject?.registrationNumber ?? '' })
  const neededBy = h('input', { type: 'date', name: 'neededBy', required: true, min: ctx.today, value: c.neededBy ?? addDays(ctx.today, 14) })
  const files = fileField(ctx, 'attachments.add', 'attachments.hint', true, 'attachments')
  const kept: readonly AttachmentInput[] = c.attachments ?? []
  if (c.questions !== undefined) questions.check(c.questions)
  if (c.to !== undefined) {
    const entry = await ctx.api.directoryAuthority(c.to.country, c.to.authority).catch(() => undefined)
    if (entry !== undefined) recipient.set({ country: c.to.country, entry })
  }
  const errors = h('div', { class: 'form-errors', tabindex: '-1' })
  const send = h('button', { type: 'submit', class: 'primary' }, t('compose.send'))
  const save = h('button', { type: 'button' }, t('compose.saveDraft'))
  const remove = existing === undefined ? null : h('button', { type: 'button', class: 'danger' }, t('compose.deleteDraft'))
  const form = h('form', { class: 'compose', novalidate: true, 'aria-labelledby': 'compose-title' },
    errors,
    h('fieldset', { class: 'group' }, h('legend', null, t('compose.areaGroup')), field(t('compose.area'), area)),
    recipient.element,
    questions.element,
    h('fieldset', { class: 'group' }, h('legend', null, t('compose.subject')),
      field(t('subject.name'), name, t('compose.subject.hint')), field(t('subject.birthDate'), birthDate), field(t('subject.registrationNumber'), registration)),
    field(t('compose.neededBy'), neededBy),
    kept.length === 0 ? null : h('div', { class: 'field' }, h('p', { class: 'label' }, t('attachments.title')), h('ul', { class: 'plain' }, kept.map((a) => h('li', null, a.name)))),
    files.element,
    h('div', { class: 'actions' }, send, save, remove))

  /** What the form holds now, complete or not (a draft may be incomplete). */
  const content = (attachments: readonly AttachmentInput[]): Partial<NewRequestInput> => {
    const to = recipient.chosen()
    const subject: Record<string, string> = {}
    if (name.value.trim() !== '') subject.name = name.value.trim()
    if (birthDate.value !== '') subject.birthDate = birthDate.value
    if (registration.value.trim() !== '') subject.registrationNumber = registration.value.trim()
    return {
      area: area.value as LegislativeArea,
      questions: questions.chosen(),
      ...(to !== undefined && { to: { country: to.country, authority: to.entry.id } }),
      ...(Object.keys(subject).length > 0 && { subject: subject as NewRequestInput['subject'] }),
      ...(neededBy.value !== '' && { neededBy: neededBy.value }),
      ...(attachments.length > 0 && { attachments })
    }
  }
  const busy = async (run: () => Promise<void>): Promise<void> => {
    for (const b of [send, save, remove]) if (b !== null) b.disabled = true
    form.setAttribute('aria-busy', 'true')
    try {
      await run()
    } catch (err) {
      replace(errors, ctx.failure(err))
      errors.focus()
    } finally {
      for (const b of [send, save, remove]) if (b !== null) b.disabled = false
      form.removeAttribute('aria-busy')
    }
  }
  /** The files chosen now plus those the draft already holds; undefined after showing what is wrong. */
  const allFiles = async (): Promise<AttachmentInput[] | undefined> => {
    const chosen = await chosenFiles(ctx, [files.input])
    if (!Array.isArray(chosen)) { replace(errors, notice('error', chosen.problem)); errors.focus(); return undefined }
    return [...kept, ...chosen.map(({ name: n, type, data }) => ({ name: n, type, data }))]
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault()
    const to = recipient.chosen()
    const problems: Array<[MessageKey, () => void]> = []
    if (to === undefined) problems.push(['compose.error.recipient', recipient.focus])
    if (questions.chosen().length === 0) problems.push(['compose.error.questions', questions.focus])
    if (name.value.trim() === '') problems.push(['compose.error.name', () => { name.focus() }])
    if (neededBy.value === '' || neededBy.value < ctx.today) problems.push(['compose.error.neededBy', () => { neededBy.focus() }])
    name.setAttribute('aria-invalid', String(name.value.trim() === ''))
    if (problems.length > 0) {
      replace(errors, h('div', { role: 'alert', class: 'notice notice-error' }, h('p', null, t('compose.error.title')),
        h('ul', null, problems.map(([key]) => h('li', null, t(key))))))
      problems[0]?.[1]()
      return
    }
    void busy(async () => {
      const attachments = await allFiles()
      if (attachments === undefined) return
      const body = content(attachments) as NewRequestInput
      const state = existing === undefined
        ? await ctx.api.sendRequest(body)
        : await saveDraft(ctx.api, existing.id, body).then(async (d) => await sendDraft(ctx.api, d.id))
      ctx.announce(t('compose.sent'))
      ctx.navigate({ page: 'request', id: state.id })
    })
  })
  save.addEventListener('click', () => {
    void busy(async () => {
      const attachments = await allFiles()
      if (attachments === undefined) return
      const saved = await saveDraft(ctx.api, existing?.id, content(attachments))
      ctx.announce(t('compose.draftSaved'))
      ctx.navigate({ page: 'compose', draft: saved.id })
    })
  })
  remove?.addEventListener('click', () => {
    void busy(async () => {
      await deleteDraft(ctx.api, existing!.id)
      ctx.announce(t('drafts.deleted'))
      ctx.navigate({ page: 'drafts' })
    })
  })
  return h('div', { class: 'page page-compose' },
    h('h1', { id: 'compose-title', tabindex: '-1' }, t('compose.title')),
    h('p', { class: 'lead' }, t('compose.intro')),
    existing === undefined ? null : notice('info', t('compose.editingDraft', { date: formatDateTime(existing.updated, lang), user: existing.createdBy })),
    notice('info', t('compose.needToKnow')),
    form)
}
