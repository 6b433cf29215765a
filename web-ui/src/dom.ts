/**
 * The whole "framework": h() builds elements, and every string it is given becomes a
 * text node, so data from the network is never parsed as markup. Attributes pass the
 * checks in safe.ts (no inline handlers, no styles, no javascript: URLs); listeners are
 * functions, added with addEventListener.
 */
import { URL_ATTRIBUTES, isAllowedAttribute, safeUrl } from './safe.js'

export type Child = Node | string | number | null | undefined | false | readonly Child[]
type Listener = (event: Event) => unknown
export type Attrs = Readonly<Record<string, string | number | boolean | null | undefined | Listener>>

let idCounter = 0
/** A document-unique id, for label/for and aria-describedby pairs. */
export function uid (prefix: string): string { return `${prefix}-${++idCounter}` }

export function append (parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue
    if (Array.isArray(c)) append(parent, ...(c as readonly Child[]))
    else if (typeof c === 'string' || typeof c === 'number') parent.appendChild(document.createTextNode(String(c)))
    else parent.appendChild(c as Node)
  }
}

function setAttribute (el: Element, name: string, value: string | number | boolean | null | undefined | Listener): void {
  if (typeof value === 'function') {
    if (!name.startsWith('on')) throw new Error(`listener given for ${name}`)
    el.addEventListener(name.slice(2).toLowerCase(), value as EventListener)
    return
  }
  if (!isAllowedAttribute(name)) throw new Error(`attribute ${name} is not allowed`)
  if (value === null || value === undefined || value === false) return
  if (value === true) { el.setAttribute(name, ''); return }
  const text = String(value)
  if (URL_ATTRIBUTES.has(name.toLowerCase())) {
    const url = safeUrl(text)
    if (url === undefined) return
    el.setAttribute(name, url)
    return
  }
  el.setAttribute(name, text)
}

export function h<K extends keyof HTMLElementTagNameMap> (tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs ?? {})) {
    // Form values are properties: an attribute would only set the default.
    if (name === 'value' && (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement)) {
      if (value !== undefined && value !== null) el.value = String(value)
      continue
    }
    setAttribute(el, name, value)
  }
  append(el, ...children)
  return el
}

/** Replaces everything inside `el`. */
export function replace (el: Element, ...children: Child[]): void {
  el.replaceChildren()
  append(el, ...children)
}

/** A labelled form control: label, control, optional hint and error, wired by ids. */
export function field (label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLDivElement {
  const id = control.id === '' ? uid('f') : control.id
  control.id = id
  const hintEl = hint === undefined ? undefined : h('p', { class: 'hint', id: `${id}-hint` }, hint)
  if (hintEl !== undefined) control.setAttribute('aria-describedby', hintEl.id)
  return h('div', { class: 'field' }, h('label', { for: id }, label), hintEl, control)
}

/** A select from value/label pairs, with `selected` chosen. */
export function select (attrs: Attrs, options: ReadonlyArray<readonly [string, string]>, selected?: string): HTMLSelectElement {
  const el = h('select', attrs, options.map(([value, label]) => h('option', { value, selected: value === selected }, label)))
  if (selected !== undefined) el.value = selected
  return el
}

/** A message region: role=alert for errors (read at once), role=status for the rest. */
export function notice (kind: 'error' | 'info' | 'success', text: string): HTMLParagraphElement {
  return h('p', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text)
}
