/**
 * The steps that answer a data subject request, each a small form that reports its own
 * refusal by code: find the person's data (the term goes in the POST body and is not
 * kept), and per request found: correct the subject, record a contested accuracy (both
 * reach the other node), erase early (only closed or withdrawn requests, confirmed
 * first); then export everything found as a JSON file, and close the request.
 */
import { closeSubjectRequest, contestSubject, correctSubject, eraseSubject, exportSubject, findSubject, type SubjectRequest } from '../api-subjects.js'
import type { PageContext } from '../context.js'
import { field, h, select } from '../dom.js'
import { formatNumber } from '../format.js'
import { checkbox, handleSubmit, section } from '../widgets.js'

/** After a step: the page is drawn again with the node's answer, and `done` is said. */
export type Redraw = (done: string) => void

const actions = (label: string): HTMLElement => h('div', { class: 'actions' }, h('button', { type: 'submit' }, label))

export function findForm (ctx: PageContext, sr: SubjectRequest, redraw: Redraw): HTMLElement {
  const { t } = ctx
  const name = h('input', { name: 'find-name', autocomplete: 'off', maxlength: 200, spellcheck: 'false' })
  const identifier = h('input', { name: 'find-identifier', autocomplete: 'off', maxlength: 200, spellcheck: 'false' })
  const errors = h('div', { class: 'form-errors' })
  const form = h('form', { novalidate: true, role: 'search', 'aria-labelledby': 'find-h' },
    errors, h('div', { class: 'row' }, field(t('subject.find.name'), name), field(t('subject.find.identifier'), identifier)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('subject.find.submit'))))
  handleSubmit(ctx, form, errors, async () => {
    const matches = await findSubject(ctx.api, sr.id, {
      ...(name.value.trim() !== '' && { name: name.value.trim() }), ...(identifier.value.trim() !== '' && { identifier: identifier.value.trim() })
    })
    redraw(t('subject.find.result', { count: formatNumber(matches.length, ctx.lang) }))
  }, () => name.value.trim() === '' && identifier.value.trim() === '' ? t('subject.find.need') : undefined)
  return section('find-h', t('subject.find.title'), h('p', { class: 'hint' }, t('subject.find.hint')), form)
}

function stepForm (ctx: PageContext, title: string, fields: HTMLElement[], submit: string, run: () => Promise<void>, validate?: () => string | undefined): HTMLElement {
  const errors = h('div', { class: 'form-errors' })
  const form = h('form', { novalidate: true, class: 'subject-step' }, h('fieldset', { class: 'group' }, h('legend', null, title), errors, ...fields, actions(submit)))
  handleSubmit(ctx, form, errors, run, validate)
  return form
}

/** Correct, contest and erase one request found for the data subject request. */
export function requestSteps (ctx: PageContext, sr: SubjectRequest, request: string, redraw: Redraw): HTMLElement {
  const { t } = ctx
  const name = h('input', { name: 'correct-name', autocomplete: 'off', maxlength: 200 })
  const birthDate = h('input', { type: 'date', name: 'correct-birthDate', max: ctx.today })
  const registration = h('input', { name: 'correct-registrationNumber', autocomplete: 'off', maxlength: 200 })
  const correctNote = h('textarea', { name: 'correct-note', rows: 2, maxlength: 200 })
  const correct = stepForm(ctx, t('subject.correct.title'), [
    field(t('subject.name'), name), field(t('subject.birthDate'), birthDate), field(t('subject.registrationNumber'), registration), field(t('subject.correct.note'), correctNote)
  ], t('subject.correct.submit'), async () => {
    const subject: Record<string, string> = {}
    if (name.value.trim() !== '') subject.name = name.value.trim()
    if (birthDate.value !== '') subject.birthDate = birthDate.value
    if (registration.value.trim() !== '') subject.registrationNumber = registration.value.trim()
    await correctSubject(ctx.api, sr.id, { request, subject, ...(correctNote.value.trim() !== '' && { note: correctNote.value.trim() }) })
    redraw(t('subject.correct.done'))
  }, () => name.value.trim() === '' ? t('error.textRequired') : undefined)
  const contestNote = h('textarea', { name: 'contest-note', rows: 2, maxlength: 200 })
  const contest = stepForm(ctx, t('subject.contest.title'), [field(t('subject.contest.note'), contestNote)], t('subject.contest.submit'), async () => {
    await contestSubject(ctx.api, sr.id, { request, ...(contestNote.value.trim() !== '' && { note: contestNote.value.trim() }) })
    redraw(t('subject.contest.done'))
  })
  const confirm = checkbox('erase-confirm', t('subject.erase.confirm'), false)
  const erase = stepForm(ctx, t('subject.erase.title'), [h('p', { class: 'hint' }, t('subject.erase.hint')), confirm.element], t('subject.erase.submit'), async () => {
    await eraseSubject(ctx.api, sr.id, { request })
    redraw(t('subject.erase.done'))
  }, () => confirm.input.checked ? undefined : t('subject.erase.confirmFirst'))
  return h('details', { class: 'subject-actions' }, h('summary', null, t('subject.actions.label', { id: request.slice(0, 8) })), correct, contest, erase)
}

/** Downloads the export as `<id>.json` and says how many procedures it holds. */
export function exportSection (ctx: PageContext, sr: SubjectRequest, redraw: Redraw): HTMLElement {
  const { t } = ctx
  const errors = h('div', { class: 'form-errors' })
  const form = h('form', { novalidate: true, 'aria-labelledby': 'export-h' }, errors, h('p', { class: 'hint' }, t('subject.export.hint')), actions(t('subject.export.submit')))
  handleSubmit(ctx, form, errors, async () => {
    const data = await exportSubject(ctx.api, sr.id)
    const file = `${sr.id}.json`
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }))
    const link = document.createElement('a')
    link.href = url
    link.download = file
    link.click()
    setTimeout(() => { URL.revokeObjectURL(url) }, 60_000)
    const count = (data as { procedures?: unknown[] }).procedures?.length ?? 0
    redraw(t('subject.export.done', { count: formatNumber(count, ctx.lang), file }))
  })
  return section('export-h', t('subject.export.title'), form)
}

export function closeSection (ctx: PageContext, sr: SubjectRequest, redraw: Redraw): HTMLElement {
  const { t } = ctx
  const outcome = select({ name: 'outcome' }, [['done', t('subjects.status.done')], ['refused', t('subjects.status.refused')]], 'done')
  const notes = h('textarea', { name: 'close-notes', rows: 2, maxlength: 200, value: sr.notes ?? '' })
  const errors = h('div', { class: 'form-errors' })
  const form = h('form', { novalidate: true, 'aria-labelledby': 'close-h' },
    errors, field(t('subject.close.outcome'), outcome), field(t('subject.close.notes'), notes, t('subjects.new.notesHint')), actions(t('subject.close.submit')))
  handleSubmit(ctx, form, errors, async () => {
    await closeSubjectRequest(ctx.api, sr.id, { status: outcome.value === 'refused' ? 'refused' : 'done', ...(notes.value.trim() !== '' && { notes: notes.value.trim() }) })
    redraw(t('subject.close.done'))
  })
  return section('close-h', t('subject.close.title'), form)
}
