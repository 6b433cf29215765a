/**
 * Building blocks the pages share: a page with its focusable heading, a term and its
 * description, a data table with a caption, a form that reports its own progress and
 * refusals, a language select, and a confirmation panel. Everything is built with h(),
 * so text stays text.
 */
import { LANGUAGES } from './catalogue.js'
import type { PageContext } from './context.js'
import { h, notice, replace, select, uid, type Attrs, type Child } from './dom.js'
import { languageName } from './format.js'

/** A page: its class, a heading the app focuses, and the rest. */
export function pageOf (cls: string, title: string, ...children: Child[]): HTMLElement {
  return h('div', { class: `page ${cls}` }, h('h1', { tabindex: '-1', id: 'page-h' }, title), ...children)
}

/** A page that could not load: the heading still names it. */
export function failedPage (ctx: PageContext, title: string, err: unknown, ...before: Child[]): HTMLElement {
  return h('div', { class: 'page' }, ...before, h('h1', { tabindex: '-1' }, title), ctx.failure(err))
}

export function pair (label: string, ...value: Child[]): Child[] { return [h('dt', null, label), h('dd', null, ...value)] }

/** A section with a level-2 heading that labels it. */
export function section (id: string, title: string, ...children: Child[]): HTMLElement {
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...children)
}

export interface Column { readonly label: string, readonly num?: boolean }

/** A table with a caption (read by screen readers; visible unless `hiddenCaption`) and column headers. */
export function dataTable (caption: string, columns: ReadonlyArray<Column | string>, rows: readonly HTMLTableRowElement[], opts: { hiddenCaption?: boolean, compact?: boolean } = {}): HTMLElement {
  return h('div', { class: 'table-wrap' }, h('table', { class: opts.compact === true ? 'data compact' : 'data' },
    h('caption', { class: opts.hiddenCaption === true ? 'sr-only' : null }, caption),
    h('thead', null, h('tr', null, columns.map((c) => typeof c === 'string'
      ? h('th', { scope: 'col' }, c)
      : h('th', { scope: 'col', class: c.num === true ? 'num' : null }, c.label)))),
    h('tbody', null, rows)))
}

/**
 * Wires a form: on submit, `validate` may name a problem (shown, nothing sent); else the
 * button is disabled and the form busy while `run` goes, and a refusal is shown by its
 * code in the form's own error area (focused, so it is read at once).
 */
export function handleSubmit (ctx: PageContext, form: HTMLFormElement, errors: HTMLElement, run: () => Promise<void>, validate: () => string | undefined = () => undefined): void {
  errors.tabIndex = -1
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    const problem = validate()
    if (problem !== undefined) {
      replace(errors, notice('error', problem))
      return
    }
    const buttons = [...form.querySelectorAll<HTMLButtonElement>('button[type="submit"]')]
    for (const b of buttons) b.disabled = true
    form.setAttribute('aria-busy', 'true')
    replace(errors)
    run().catch((err: unknown) => { replace(errors, ctx.failure(err)); errors.focus() }).finally(() => {
      for (const b of buttons) b.disabled = false
      form.removeAttribute('aria-busy')
    })
  })
}

/** The 26 IMI languages, each in its own name; `none` adds an empty first choice. */
export function languageSelect (attrs: Attrs, selected: string | undefined, none?: string): HTMLSelectElement {
  const options = LANGUAGES.map((l): [string, string] => [l, languageName(l)]).sort((a, b) => a[1].localeCompare(b[1]))
  const sel = select(attrs, none === undefined ? options : [['', none], ...options], selected ?? '')
  for (const o of sel.options) if (o.value !== '') o.lang = o.value
  return sel
}

/** A badge: a short status word, styled by `kind`. */
export function badge (kind: string, text: string): HTMLElement {
  return h('span', { class: `badge ${kind}` }, text)
}

/** A checkbox with its label after it. */
export function checkbox (name: string, label: string, checked: boolean, id?: string): { element: HTMLElement, input: HTMLInputElement } {
  const input = h('input', { type: 'checkbox', name, checked, id: id ?? uid(name) })
  return { element: h('div', { class: 'field checkbox' }, input, h('label', { for: input.id }, label)), input }
}
