/**
 * Filtering a list in the browser by what the official types: every word must occur
 * (case and accents folded) in the row's text, which each row carries in `data-search`
 * (ids, authorities, states in code and name, status, area). The words are kept in the
 * address with replaceState, so Back and bookmarks keep them without a re-render that
 * would take the focus out of the field.
 */
import { h, replace, uid } from './dom.js'
import type { Translate } from './i18n/index.js'
import { matchesQuery } from './search-text.js'

export { matchesQuery, requestSearchText } from './search-text.js'

export interface FilterBox {
  readonly element: HTMLElement
  readonly input: HTMLInputElement
  /** Hides the rows of `container` that do not match and says how many are shown. */
  apply (container: HTMLElement): void
  /** Applies again to the last container (another criterion changed). */
  refresh (): void
}

/** `also` is a further condition a row must meet (overdue only, for instance). */
export function filterBox (t: Translate, initial: string | undefined, onQuery: (q: string) => void, also: (row: HTMLElement) => boolean = () => true): FilterBox {
  const id = uid('list-q')
  const input = h('input', { type: 'search', id, name: 'q', value: initial ?? '', autocomplete: 'off', maxlength: 200, 'aria-describedby': `${id}-hint` })
  const count = h('p', { class: 'muted small', 'aria-live': 'polite' })
  let container: HTMLElement | undefined
  const apply = (c: HTMLElement): void => {
    container = c
    const rows = [...c.querySelectorAll<HTMLElement>('[data-search]')]
    let shown = 0
    for (const row of rows) {
      row.hidden = !matchesQuery(row.dataset.search ?? '', input.value) || !also(row)
      if (!row.hidden) shown++
    }
    replace(count, shown === rows.length ? '' : t('common.shown', { shown, total: rows.length }))
  }
  input.addEventListener('input', () => {
    if (container !== undefined) apply(container)
    onQuery(input.value.trim())
  })
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') e.preventDefault() })
  const element = h('div', { class: 'field list-filter' },
    h('label', { for: id }, t('common.search')),
    h('p', { class: 'hint', id: `${id}-hint` }, t('common.searchHint')),
    input, count)
  return { element, input, apply, refresh: () => { if (container !== undefined) apply(container) } }
}
