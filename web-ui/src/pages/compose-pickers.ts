/**
 * The two pickers of the compose page: the recipient, searched in this node's copy of
 * the directory (a button, and Enter in its field, so searching never sends the form),
 * and the standard questions of the area's catalogue in the official's own language,
 * filterable as one types.
 */
import type { AuthorityEntry, LegislativeArea } from '@imi/protocol'
import type { DirectoryHit } from '../api-client.js'
import { MEMBER_STATES, questionSetsFor, renderQuestion, renderSetTitle } from '../catalogue.js'
import type { PageContext } from '../context.js'
import { field, h, replace, select, uid } from '../dom.js'
import { countryName, fold, localName } from '../format.js'
import { AREAS } from '../router.js'

/** Areas the official may send requests in (all, when the account names none). */
export function sendingAreas (ctx: PageContext): LegislativeArea[] {
  const granted = ctx.session.user.grants.filter((g) => g.role === 'request-handler').map((g) => g.area)
  const areas = AREAS.filter((a) => granted.includes(a))
  return areas.length > 0 ? areas : [...AREAS]
}

export interface Recipient { readonly country: string, readonly entry: AuthorityEntry }

export interface RecipientPicker {
  readonly element: HTMLElement
  chosen: () => Recipient | undefined
  /** Chooses a recipient found elsewhere (a draft's). */
  set: (r: Recipient) => void
  focus: () => void
  reset: () => void
}

export function recipientPicker (ctx: PageContext, area: () => LegislativeArea): RecipientPicker {
  const { t, lang } = ctx
  const q = h('input', { type: 'search', name: 'recipient-q', autocomplete: 'off' })
  const country = select({ name: 'recipient-country' },
    [['', t('compose.anyCountry')], ...MEMBER_STATES.map((m): [string, string] => [m.code, countryName(m.code, lang)])
      .sort((a, b) => a[1].localeCompare(b[1], lang))])
  const searchButton = h('button', { type: 'button', class: 'secondary' }, t('compose.search.button'))
  const results = h('div', { class: 'recipient-results' })
  const status = h('p', { class: 'chosen', role: 'status' })
  let hits: DirectoryHit[] = []
  let chosen: Recipient | undefined
  const groupName = uid('recipient')

  const choose = (r: Recipient | undefined): void => {
    chosen = r
    replace(status, r === undefined ? '' : t('compose.chosen', { name: localName(r.entry.names, lang), country: countryName(r.country, lang) }))
  }
  const search = async (): Promise<void> => {
    searchButton.disabled = true
    try {
      hits = await ctx.api.searchDirectory({ kind: 'authorities', area: area(), limit: 25, ...(q.value.trim() !== '' && { q: q.value.trim() }), ...(country.value !== '' && { country: country.value }) })
      if (hits.length === 0) { replace(results, h('p', { class: 'empty', role: 'status' }, t('compose.noResults'))); return }
      const radios = hits.map((hit, i) => {
        const entry = hit.entry as AuthorityEntry
        const input = h('input', { type: 'radio', name: groupName, value: String(i), id: uid('hit'), checked: chosen?.entry.id === entry.id && chosen.country === hit.country })
        input.addEventListener('change', () => { if (input.checked) choose({ country: hit.country, entry }) })
        return h('li', null, h('label', { for: input.id, class: 'radio' }, input, ' ', h('span', { class: 'hit-name' }, localName(entry.names, lang)),
          h('span', { class: 'muted small' }, ` · ${countryName(hit.country, lang)} · ${entry.id}`)))
      })
      replace(results, h('fieldset', null, h('legend', null, t('compose.results', { count: hits.length })), h('ul', { class: 'plain' }, radios)))
      // The focus stays in the search field: say what was found, so the keyboard user knows to Tab on.
      ctx.announce(t('compose.results', { count: hits.length }))
    } catch (err) {
      replace(results, ctx.failure(err))
    } finally {
      searchButton.disabled = false
    }
  }
  searchButton.addEventListener('click', () => { void search() })
  q.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); void search() } })
  const element = h('fieldset', { class: 'group' },
    h('legend', null, t('compose.recipient')),
    h('div', { class: 'row' }, field(t('compose.search'), q), field(t('compose.country'), country), h('div', { class: 'field button-field' }, searchButton)),
    results, status)
  return { element, chosen: () => chosen, set: choose, focus: () => { q.focus() }, reset: () => { replace(results); choose(undefined) } }
}

export interface QuestionPicker {
  readonly element: HTMLElement
  setArea: (a: LegislativeArea) => void
  chosen: () => string[]
  /** Ticks these questions (a draft's). */
  check: (ids: readonly string[]) => void
  focus: () => void
}

export function questionPicker (ctx: PageContext): QuestionPicker {
  const { t, lang } = ctx
  const filter = h('input', { type: 'search', name: 'question-filter', autocomplete: 'off' })
  const list = h('div', { class: 'question-list' })
  const count = h('p', { class: 'muted', 'aria-live': 'polite' })
  let boxes: HTMLInputElement[] = []
  const updateCount = (): void => { replace(count, t('compose.questions.selected', { count: boxes.filter((b) => b.checked).length })) }
  const applyFilter = (): void => {
    const needle = fold(filter.value.trim())
    for (const b of boxes) {
      const row = b.closest('li')
      if (row !== null) row.hidden = needle !== '' && !b.checked && !fold(row.textContent ?? '').includes(needle)
    }
  }
  const setArea = (area: LegislativeArea): void => {
    const sets = questionSetsFor(area)
    boxes = []
    if (sets.length === 0) { replace(list, h('p', { class: 'empty' }, t('compose.questions.none'))); updateCount(); return }
    replace(list, sets.map((set) => h('fieldset', null,
      h('legend', null, renderSetTitle(set.id, lang).text),
      h('ul', { class: 'plain' }, set.questions.map((q) => {
        const rendered = renderQuestion(q.id, lang)
        const box = h('input', { type: 'checkbox', name: 'questions', value: q.id, id: uid('q') })
        box.addEventListener('change', updateCount)
        boxes.push(box)
        return h('li', null, h('label', { for: box.id, class: 'checkbox', lang: rendered.lang }, box, ' ', rendered.text))
      })))))
    updateCount()
    applyFilter()
  }
  filter.addEventListener('input', applyFilter)
  filter.addEventListener('keydown', (e) => { if (e.key === 'Enter') e.preventDefault() })
  const element = h('fieldset', { class: 'group' }, h('legend', null, t('compose.questions')), field(t('compose.questions.filter'), filter), count, list)
  const check = (ids: readonly string[]): void => { for (const b of boxes) b.checked = ids.includes(b.value); updateCount() }
  // The first question the filter leaves visible (a hidden one cannot take the focus).
  const focus = (): void => { (boxes.find((b) => b.closest('li')?.hidden !== true) ?? filter).focus() }
  return { element, setArea, chosen: () => boxes.filter((b) => b.checked).map((b) => b.value), check, focus }
}
