/**
 * Handing a request on, for the responding side: forward it whole to another authority
 * of this state (or to the national coordinator, who allocates it), or split off some
 * of its unanswered catalogue questions into a new request to another authority. The
 * authority lists are this state's active authorities, the current one left out.
 */
import type { RequestView } from '../api-types.js'
import type { PageContext } from '../context.js'
import { field, h, select, uid } from '../dom.js'
import type { Submit } from './request-forms.js'
import { actionForm } from './request-forms.js'

type Authorities = ReadonlyArray<{ id: string, name: string }>

function authoritySelect (ctx: PageContext, name: string, authorities: Authorities, first: [string, string]): HTMLSelectElement {
  return select({ name }, [first, ...authorities.map((a): [string, string] => [a.id, `${a.name} · ${a.id}`])])
}

export function allocationForms (ctx: PageContext, view: RequestView, action: 'forward' | 'split', submit: Submit, all: Authorities): HTMLElement {
  const { t } = ctx
  const s = view.state
  const others = all.filter((a) => a.id !== s.responder.authority)
  if (action === 'forward') {
    // The coordinator allocates to an authority; an authority may also hand the request back to the coordinator.
    const to = authoritySelect(ctx, 'forward-to', others, s.responder.authority === undefined ? ['', t('action.choose')] : ['', t('action.forward.coordinator')])
    const reason = h('input', { name: 'forward-reason', maxlength: 500, autocomplete: 'off' })
    return actionForm(ctx, 'forward', submit, [
      h('p', { class: 'hint' }, t('action.forward.hint')),
      field(t('action.forward.to'), to),
      field(t('common.reasonOptional'), reason)
    ], () => {
      if (to.value === '' && s.responder.authority === undefined) return 'action.split.none'
      return { ...(to.value !== '' && { toAuthority: to.value }), ...(reason.value.trim() !== '' && { reason: reason.value.trim() }) }
    })
  }
  const movable = view.questions.filter((q) => !q.id.startsWith('free.') && !s.answered.includes(q.id))
  const boxes = movable.map((q) => h('input', { type: 'checkbox', name: 'split-question', value: q.id, id: uid('split') }))
  const to = authoritySelect(ctx, 'split-to', others, ['', t('action.choose')])
  return actionForm(ctx, 'split', submit, [
    h('p', { class: 'hint' }, t('action.split.hint')),
    h('fieldset', { class: 'role-area' }, h('legend', null, t('action.split.questions')),
      h('ul', { class: 'plain' }, boxes.map((b, i) => h('li', null, h('label', { for: b.id, class: 'checkbox', lang: 'lang' in movable[i]! ? movable[i].lang : undefined }, b, ` ${movable[i]!.text}`))))),
    field(t('action.split.to'), to)
  ], () => {
    const questions = boxes.filter((b) => b.checked).map((b) => b.value)
    const remaining = s.questions.length - questions.length + s.freeQuestions.length
    if (questions.length === 0 || remaining < 1 || to.value === '') return 'action.split.none'
    return { questions, toAuthority: to.value }
  })
}
