/**
 * One form per workflow action on a request. Answer inputs follow each question's
 * answer type from the catalogue (yes/no radios, a choice select, a date, a text), so
 * what is sent fits the question before the node checks it again. Each form reports
 * back through `submit`, which sends the action and shows a refusal by its code.
 */
import type { ActionBodies, AnswerInput, RequestView, ShownQuestion } from '../api-types.js'
import { questionById } from '../catalogue.js'
import type { PageContext } from '../context.js'
import { field, h, notice, replace, uid } from '../dom.js'
import type { MessageKey } from '../i18n/index.js'
import type { UiAction } from '../request-actions.js'

type Submit = <A extends UiAction>(action: A, body: ActionBodies[A]) => Promise<void>

/** A form with its heading, an error area and a submit button; `collect` returns the body or an error message key. */
function actionForm<A extends UiAction> (ctx: PageContext, action: A, submit: Submit, controls: HTMLElement[],
  collect: () => ActionBodies[A] | MessageKey): HTMLElement {
  const headingId = uid('action')
  const errors = h('div', { class: 'form-errors' })
  const button = h('button', { type: 'submit', class: action === 'withdraw' ? 'danger' : 'primary' }, ctx.t(`action.${action}.submit` satisfies MessageKey))
  const form = h('form', { class: `action action-${action}`, 'aria-labelledby': headingId, novalidate: true }, errors, controls, h('div', { class: 'actions' }, button))
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    const body = collect()
    if (typeof body === 'string') {
      replace(errors, notice('error', ctx.t(body)))
      return
    }
    button.disabled = true
    form.setAttribute('aria-busy', 'true')
    submit(action, body).catch((err: unknown) => { replace(errors, ctx.failure(err)) }).finally(() => {
      button.disabled = false
      form.removeAttribute('aria-busy')
    })
  })
  return h('section', { class: 'action-panel' }, h('h3', { id: headingId }, ctx.t(`action.${action}.title` satisfies MessageKey)), form)
}

function textArea (name: string, required: boolean): HTMLTextAreaElement {
  return h('textarea', { name, rows: 3, maxlength: 4000, required })
}

/** Inputs for one question; `read` gives its answer, undefined when left empty. */
function answerInputs (ctx: PageContext, q: ShownQuestion): { element: HTMLElement, read: () => AnswerInput | undefined } {
  const { t } = ctx
  const type = q.id.startsWith('free.') ? 'text' : questionById(q.id)?.type ?? 'text'
  const legendLang = 'lang' in q ? q.lang : undefined
  const comment = textArea(`comment-${q.id}`, false)
  let value: () => AnswerInput['value'] | undefined = () => undefined
  let control: HTMLElement
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
    control = h('p', { class: 'hint' }, t('answer.attachmentLater'))
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
    read: () => {
      const v = value()
      const c = comment.value.trim()
      if (v === undefined && c === '') return undefined
      return { question: q.id, ...(v !== undefined && { value: v }), ...(c !== '' && { comment: c }) }
    }
  }
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

export function actionForms (ctx: PageContext, view: RequestView, actions: readonly UiAction[], submit: Submit): HTMLElement[] {
  const { t } = ctx
  return actions.map((action) => {
    switch (action) {
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
        return actionForm(ctx, 'answer', submit, [...inputs.map((i) => i.element), finalBox], () => {
          const answers = inputs.map((i) => i.read()).filter((a): a is AnswerInput => a !== undefined)
          return answers.length === 0 ? 'action.answer.none' : { answers, final: final.checked }
        })
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
