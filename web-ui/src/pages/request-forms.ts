/**
 * One form per workflow action on a request. Answer inputs follow each question's
 * answer type from the catalogue (yes/no radios, a choice select, a date, a text, a
 * file), so what is sent fits the question before the node checks it again; files go
 * with the answer. Each form reports back through `submit`, which sends the action and
 * shows a refusal by its code. Forwarding and splitting are in request-allocate.ts.
 */
import type { ActionBodies, AnswerInput, AttachmentInput, RequestView, ShownQuestion } from '../api-types.js'
import { questionById } from '../catalogue.js'
import type { PageContext } from '../context.js'
import { field, h, notice, replace, uid } from '../dom.js'
import { fileProblem, readAttachment, sha256 } from '../files.js'
import type { MessageKey } from '../i18n/index.js'
import type { UiAction } from '../request-actions.js'
import { allocationForms } from './request-allocate.js'

export type Submit = <A extends UiAction>(action: A, body: ActionBodies[A]) => Promise<void>
/** What a form's `collect` gives: the body, a message key, or a message already in words. */
type Collected<A extends UiAction> = ActionBodies[A] | MessageKey | { readonly problem: string }

/** A form with its heading, an error area and a submit button; `collect` returns the body or what is wrong. */
export function actionForm<A extends UiAction> (ctx: PageContext, action: A, submit: Submit, controls: HTMLElement[],
  collect: () => Collected<A> | Promise<Collected<A>>): HTMLElement {
  const headingId = uid('action')
  const errors = h('div', { class: 'form-errors', tabindex: '-1' })
  const button = h('button', { type: 'submit', class: action === 'withdraw' ? 'danger' : 'primary' }, ctx.t(`action.${action}.submit` satisfies MessageKey))
  const form = h('form', { class: `action action-${action}`, 'aria-labelledby': headingId, novalidate: true }, errors, controls, h('div', { class: 'actions' }, button))
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    button.disabled = true
    form.setAttribute('aria-busy', 'true')
    Promise.resolve(collect()).then(async (body) => {
      if (typeof body === 'string') { replace(errors, notice('error', ctx.t(body))); return }
      if ('problem' in body) { replace(errors, notice('error', body.problem)); return }
      await submit(action, body)
    }).catch((err: unknown) => { replace(errors, ctx.failure(err)); errors.focus() }).finally(() => {
      button.disabled = false
      form.removeAttribute('aria-busy')
    })
  })
  return h('section', { class: 'action-panel', 'aria-labelledby': headingId }, h('h3', { id: headingId }, ctx.t(`action.${action}.title` satisfies MessageKey)), form)
}

/** A file input for an answer or a request, labelled, with the limits as its hint. */
export function fileField (ctx: PageContext, label: MessageKey, hint: MessageKey, multiple: boolean, name: string): { element: HTMLElement, input: HTMLInputElement } {
  const input = h('input', { type: 'file', name, multiple })
  return { element: field(ctx.t(label), input, ctx.t(hint)), input }
}

/** Reads the chosen files, or says which limit they break. */
export async function chosenFiles (ctx: PageContext, inputs: readonly HTMLInputElement[]): Promise<Array<AttachmentInput & { bytes: Uint8Array }> | { problem: string }> {
  const files = inputs.flatMap((i) => [...i.files ?? []])
  const problem = fileProblem(files)
  if (problem !== undefined) return { problem: ctx.t(problem.key, { name: problem.name ?? '' }) }
  return await Promise.all(files.map(readAttachment))
}

function textArea (name: string, required: boolean): HTMLTextAreaElement {
  return h('textarea', { name, rows: 3, maxlength: 4000, required })
}

/** Inputs for one question; `read` gives its answer, undefined when left empty; `file` is the input of an attachment question. */
function answerInputs (ctx: PageContext, q: ShownQuestion): { element: HTMLElement, read: () => AnswerInput | undefined, file?: HTMLInputElement, question: string } {
  const { t } = ctx
  const type = q.id.startsWith('free.') ? 'text' : questionById(q.id)?.type ?? 'text'
  const legendLang = 'lang' in q ? q.lang : undefined
  const comment = textArea(`comment-${q.id}`, false)
  let value: () => AnswerInput['value'] | undefined = () => undefined
  let control: HTMLElement
  let file: HTMLInputElement | undefined
  const options = 'options' in q ? q.options : []
  if (type === 'yes-no') {
    const name = uid('yn')
    const radios = options.map((o) => h('input', { type: 'radio', name, value: o.id, id: uid('r') }))
    control = h('div', { class: 'radios' }, radios.map((r, i) => h('label', { for: r.id, class: 'radio' }, r, ` ${options[i]!.text}`)))
    value = () => { const c = radios.find((r) => r.checked); return c === undefined ? undefined : { type: 'yes-no', value: c.value === 'yes' } }
  } else if (type === 'choice') {
    const sel = h('select', { name: `answer-${q.id}` }, h('option', { value: '' }, t('answer.choose')), options.map((o) => h('option', { value: o.id }, o.text)))
    control = field(t('answer.value'), sel)
    value = () => sel.value === '' ? undefined : { type: 'choice', option: sel.value }
  } else if (type === 'date') {
    const date = h('input', { type: 'date', name: `answer-${q.id}` })
    control = field(t('answer.value'), date)
    value = () => date.value === '' ? undefined : { type: 'date', date: date.value }
  } else if (type === 'attachment') {
    const f = fileField(ctx, 'answer.file', globalThis.crypto?.subtle === undefined ? 'answer.noDigest' : 'attachments.answerHint', false, `answer-file-${q.id}`)
    file = f.input
    control = f.element
  } else {
    const text = textArea(`answer-${q.id}`, false)
    control = field(t('answer.value'), text)
    value = () => text.value.trim() === '' ? undefined : { type: 'text', text: text.value.trim() }
  }
  const element = h('fieldset', { class: 'question-answer' },
    h('legend', { lang: legendLang }, q.text),
    control,
    field(t('answer.comment'), comment))
  return {
    element,
    question: q.id,
    ...(file !== undefined && { file }),
    read: () => {
      const v = value()
      const c = comment.value.trim()
      if (v === undefined && c === '') return undefined
      return { question: q.id, ...(v !== undefined && { value: v }), ...(c !== '' && { comment: c }) }
    }
  }
}

/** The answers with files: each attachment question names its file by hash, and every file goes once. */
async function answerBody (ctx: PageContext, inputs: ReturnType<typeof answerInputs>[], extra: HTMLInputElement, final: boolean): Promise<Collected<'answer'>> {
  const questionFiles = inputs.filter((i) => i.file !== undefined && (i.file.files?.length ?? 0) > 0)
  const files = await chosenFiles(ctx, [...questionFiles.map((i) => i.file!), extra])
  if (!Array.isArray(files)) return files
  const answers = inputs.map((i) => i.read()).filter((a): a is AnswerInput => a !== undefined)
  const attachments: AttachmentInput[] = []
  const seen = new Set<string>()
  let next = 0
  for (const i of questionFiles) {
    const f = files[next++]!
    const digest = await sha256(f.bytes)
    if (digest === undefined) continue
    const existing = answers.find((a) => a.question === i.question)
    const value = { type: 'attachment' as const, attachment: digest }
    if (existing === undefined) answers.push({ question: i.question, value })
    else answers.splice(answers.indexOf(existing), 1, { ...existing, value })
  }
  for (const f of files) {
    const digest = await sha256(f.bytes) ?? `${f.name}/${f.data.length}`
    if (seen.has(digest)) continue
    seen.add(digest)
    attachments.push({ name: f.name, type: f.type, data: f.data })
  }
  if (answers.length === 0) return 'action.answer.none'
  return { answers, final, ...(attachments.length > 0 && { attachments }) }
}

function ratingGroup (ctx: PageContext, legendKey: MessageKey): { element: HTMLElement, read: () => number | undefined } {
  const name = uid('rating')
  const radios = [1, 2, 3, 4, 5].map((n) => h('input', { type: 'radio', name, value: n, id: uid('r') }))
  const hintId = uid('hint')
  const element = h('fieldset', { class: 'rating', 'aria-describedby': hintId },
    h('legend', null, ctx.t(legendKey)),
    h('p', { class: 'hint', id: hintId }, ctx.t('action.close.scale')),
    h('div', { class: 'radios inline' }, radios.map((r) => h('label', { for: r.id, class: 'radio' }, r, ` ${r.value}`))))
  return { element, read: () => { const c = radios.find((r) => r.checked); return c === undefined ? undefined : Number(c.value) } }
}

export function actionForms (ctx: PageContext, view: RequestView, actions: readonly UiAction[], submit: Submit, authorities: ReadonlyArray<{ id: string, name: string }>): HTMLElement[] {
  const { t } = ctx
  return actions.map((action) => {
    switch (action) {
      case 'forward':
      case 'split': return allocationForms(ctx, view, action, submit, authorities)
      case 'accept': {
        const answerBy = h('input', { type: 'date', name: 'answerBy', min: ctx.today })
        return actionForm(ctx, 'accept', submit, [field(t('action.accept.answerBy'), answerBy, t('action.accept.hint'))], () => {
          if (answerBy.value !== '' && answerBy.value < ctx.today) return 'error.dateInPast'
          return answerBy.value === '' ? {} : { answerBy: answerBy.value }
        })
      }
      case 'answer': {
        // After a request for more information every question may be answered again.
        const open = view.state.status === 'info-requested' ? view.questions : view.questions.filter((q) => !view.state.answered.includes(q.id))
        const inputs = open.map((q) => answerInputs(ctx, q))
        const final = h('input', { type: 'checkbox', name: 'final', checked: true, id: uid('final') })
        const finalBox = h('div', { class: 'field checkbox' }, final, h('label', { for: final.id }, t('action.answer.final')))
        const extra = fileField(ctx, 'attachments.add', 'attachments.answerHint', true, 'answer-files')
        return actionForm(ctx, 'answer', submit, [...inputs.map((i) => i.element), extra.element, finalBox], async () => await answerBody(ctx, inputs, extra.input, final.checked))
      }
      case 'request-info': {
        const text = textArea('text', true)
        return actionForm(ctx, 'request-info', submit, [field(t('action.request-info.text'), text)], () =>
          text.value.trim() === '' ? 'error.textRequired' : { text: text.value.trim() })
      }
      case 'close': {
        const timeliness = ratingGroup(ctx, 'action.close.timeliness')
        const effort = ratingGroup(ctx, 'action.close.effort')
        return actionForm(ctx, 'close', submit, [timeliness.element, effort.element], () => {
          const tv = timeliness.read()
          const ev = effort.read()
          return tv === undefined || ev === undefined ? 'action.close.missing' : { rating: { timeliness: tv, effort: ev } }
        })
      }
      case 'withdraw': {
        const reason = h('input', { name: 'reason', maxlength: 500 })
        return actionForm(ctx, 'withdraw', submit, [field(t('action.withdraw.reason'), reason)], () =>
          reason.value.trim() === '' ? {} : { reason: reason.value.trim() })
      }
      case 'message': {
        const text = textArea('text', true)
        return actionForm(ctx, 'message', submit, [field(t('action.message.text'), text)], () =>
          text.value.trim() === '' ? 'error.textRequired' : { text: text.value.trim() })
      }
    }
  })
}
