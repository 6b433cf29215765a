/**
 * Composing a request: the legislative area, the recipient found in the directory, the
 * standard questions of the area's catalogue in the official's own language (filterable),
 * the subject and the needed-by date. One form; the directory search inside it is a
 * button (and Enter in its field), so searching never sends the request.
 */
import type { AuthorityEntry, LegislativeArea } from '@imi/protocol'
import type { DirectoryHit } from '../api-client.js'
import { MEMBER_STATES, questionSetsFor, renderQuestion, renderSetTitle } from '../catalogue.js'
import type { Page, PageContext } from '../context.js'
import { field, h, notice, replace, select, uid } from '../dom.js'
import { addDays, countryName, fold, localName } from '../format.js'
import type { MessageKey } from '../i18n/index.js'
import { areaLabel } from '../labels.js'
import { AREAS } from '../router.js'

/** Areas the official may send requests in (all, when the account names none). */
function sendingAreas (ctx: PageContext): LegislativeArea[] {
  const granted = ctx.session.user.grants.filter((g) => g.role === 'request-handler').map((g) => g.area)
  const areas = AREAS.filter((a) => granted.includes(a))
  return areas.length > 0 ? areas : [...AREAS]
}

interface Recipient { readonly country: string, readonly entry: AuthorityEntry }

function recipientPicker (ctx: PageContext, area: () => LegislativeArea): { element: HTMLElement, chosen: () => Recipient | undefined, focus: () => void, reset: () => void } {
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
  return { element, chosen: () => chosen, focus: () => { q.focus() }, reset: () => { replace(results); choose(undefined) } }
}

function questionPicker (ctx: PageContext): { element: HTMLElement, setArea: (a: LegislativeArea) => void, chosen: () => string[], focus: () => void } {
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
      h('ul', { class: 'plain' }, set.questions.filter((q) => q.type !== 'attachment').map((q) => {
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
  return { element, setArea, chosen: () => boxes.filter((b) => b.checked).map((b) => b.value), focus: () => { (boxes[0] ?? filter).focus() } }
}

export const composePage: Page = async (ctx) => {
  const { t } = ctx
  const areas = sendingAreas(ctx)
  const area = select({ name: 'area' }, areas.map((a): [string, string] => [a, areaLabel(t, a)]), areas[0])
  const recipient = recipientPicker(ctx, () => area.value as LegislativeArea)
  const questions = questionPicker(ctx)
  questions.setArea(area.value as LegislativeArea)
  area.addEventListener('change', () => { questions.setArea(area.value as LegislativeArea); recipient.reset() })
  const name = h('input', { name: 'subject-name', required: true, autocomplete: 'off', maxlength: 200 })
  const birthDate = h('input', { type: 'date', name: 'subject-birthDate', max: ctx.today })
  const registration = h('input', { name: 'subject-registrationNumber', autocomplete: 'off', maxlength: 200 })
  const neededBy = h('input', { type: 'date', name: 'neededBy', required: true, min: ctx.today, value: addDays(ctx.today, 14) })
  const errors = h('div', { class: 'form-errors' })
  const send = h('button', { type: 'submit', class: 'primary' }, t('compose.send'))
  const form = h('form', { class: 'compose', novalidate: true, 'aria-labelledby': 'compose-title' },
    errors,
    h('fieldset', { class: 'group' }, h('legend', null, t('compose.areaGroup')), field(t('compose.area'), area)),
    recipient.element,
    questions.element,
    h('fieldset', { class: 'group' }, h('legend', null, t('compose.subject')),
      field(t('subject.name'), name, t('compose.subject.hint')), field(t('subject.birthDate'), birthDate), field(t('subject.registrationNumber'), registration)),
    field(t('compose.neededBy'), neededBy),
    h('div', { class: 'actions' }, send))

  form.addEventListener('submit', (e) => {
    e.preventDefault()
    const to = recipient.chosen()
    const ids = questions.chosen()
    const problems: Array<[MessageKey, () => void]> = []
    if (to === undefined) problems.push(['compose.error.recipient', recipient.focus])
    if (ids.length === 0) problems.push(['compose.error.questions', questions.focus])
    if (name.value.trim() === '') problems.push(['compose.error.name', () => { name.focus() }])
    if (neededBy.value === '' || neededBy.value < ctx.today) problems.push(['compose.error.neededBy', () => { neededBy.focus() }])
    name.setAttribute('aria-invalid', String(name.value.trim() === ''))
    if (problems.length > 0 || to === undefined) {
      replace(errors, h('div', { role: 'alert', class: 'notice notice-error' }, h('p', null, t('compose.error.title')),
        h('ul', null, problems.map(([key]) => h('li', null, t(key))))))
      problems[0]?.[1]()
      return
    }
    send.disabled = true
    form.setAttribute('aria-busy', 'true')
    const subject: Record<string, string> = { name: name.value.trim() }
    if (birthDate.value !== '') subject.birthDate = birthDate.value
    if (registration.value.trim() !== '') subject.registrationNumber = registration.value.trim()
    ctx.api.sendRequest({ area: area.value as LegislativeArea, to: { country: to.country, authority: to.entry.id }, questions: ids, neededBy: neededBy.value, subject })
      .then((state) => {
        ctx.announce(t('compose.sent'))
        ctx.navigate({ page: 'request', id: state.id })
      }, (err: unknown) => { replace(errors, ctx.failure(err)); errors.focus() })
      .finally(() => { send.disabled = false; form.removeAttribute('aria-busy') })
  })
  errors.tabIndex = -1
  return h('div', { class: 'page page-compose' },
    h('h1', { id: 'compose-title', tabindex: '-1' }, t('compose.title')),
    h('p', { class: 'lead' }, t('compose.intro')),
    notice('info', t('compose.needToKnow')),
    form)
}
