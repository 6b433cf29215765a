/**
 * Personal data that retention has blocked (a closed request or alert past its
 * blocking date): no normal view shows them; this form reads them with a stated
 * reason, which the node puts on the audit trail before it answers. Deleted data are
 * gone for good, which the notice says with its date.
 */
import type { PageContext } from '../context.js'
import { field, h } from '../dom.js'
import { formatDateTime } from '../format.js'
import { handleSubmit } from '../widgets.js'

/** The notice and the reason form; `read` fetches the data with the reason and shows them. */
export function blockedReader (ctx: PageContext, read: (reason: string) => Promise<void>): HTMLElement {
  const { t } = ctx
  const reason = h('textarea', { name: 'blocked-reason', rows: 2, maxlength: 1000, required: true })
  const errors = h('div', { class: 'form-errors' })
  const form = h('form', { novalidate: true, 'aria-labelledby': 'blocked-h' },
    errors, field(t('blocked.reason'), reason, t('blocked.reason.hint')),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('blocked.submit'))))
  handleSubmit(ctx, form, errors, async () => { await read(reason.value.trim()) }, () => reason.value.trim() === '' ? t('error.textRequired') : undefined)
  return h('section', { class: 'action-panel blocked', 'aria-labelledby': 'blocked-h' },
    h('h2', { id: 'blocked-h' }, t('blocked.title')),
    h('p', null, t('blocked.hint')),
    form)
}

export function deletedNotice (ctx: PageContext, at: number): HTMLElement {
  return h('p', { class: 'notice', role: 'note' }, ctx.t('blocked.deleted', { date: formatDateTime(at, ctx.lang) }))
}
