/**
 * The directory of authorities and national registers of every member state, searched
 * in this node's own verified copy (so it works while other nodes are offline), with
 * how old each state's copy is. The search lives in the URL: results can be bookmarked
 * and Back returns to them.
 */
import type { AuthorityEntry, RegisterEntry } from '@imi/protocol'
import type { DirectoryHit, DirectoryStatus } from '../api-client.js'
import { MEMBER_STATES } from '../catalogue.js'
import type { Page, PageContext } from '../context.js'
import { field, h, select, type Child } from '../dom.js'
import { countryName, formatAge, formatNumber, localName } from '../format.js'
import { areaLabel } from '../labels.js'
import { oneLine, safeUrl } from '../safe.js'
import { AREAS, type DirectoryKind, type DirectoryRoute } from '../router.js'

function contactList (ctx: PageContext, c: NonNullable<AuthorityEntry['contact']>): Child {
  const { t } = ctx
  const items: Child[] = []
  if (c.email !== undefined) items.push(h('li', null, `${t('directory.email')}: `, h('a', { href: safeUrl(`mailto:${c.email}`) }, c.email)))
  if (c.phone !== undefined) items.push(h('li', null, `${t('directory.phone')}: `, c.phone))
  if (c.website !== undefined) {
    const url = safeUrl(c.website)
    items.push(h('li', null, `${t('directory.website')}: `, url === undefined ? c.website : h('a', { href: url, rel: 'noopener noreferrer external' }, c.website)))
  }
  if (c.address !== undefined) items.push(h('li', null, `${t('directory.address')}: `, c.address))
  return items.length === 0 ? null : h('ul', { class: 'plain contact' }, items)
}

function authorityCard (ctx: PageContext, country: string, e: AuthorityEntry): HTMLElement {
  const { t, lang } = ctx
  return h('article', { class: 'card' },
    h('h3', null, oneLine(localName(e.names, lang))),
    h('p', { class: 'muted small' }, `${t('directory.kind.authorities')} · ${countryName(country, lang)} · ${e.id}`),
    h('p', null, e.areas.map((a) => areaLabel(t, a)).join(', ')),
    e.competences.length === 0 ? null : h('p', null, `${t('directory.competences')}: ${e.competences.join(', ')}`),
    e.contact === undefined ? null : contactList(ctx, e.contact))
}

function registerCard (ctx: PageContext, country: string, e: RegisterEntry): HTMLElement {
  const { t, lang } = ctx
  const url = safeUrl(e.url)
  return h('article', { class: 'card' },
    h('h3', null, oneLine(localName(e.names, lang))),
    h('p', { class: 'muted small' }, `${t('directory.kind.registers')} · ${countryName(country, lang)} · ${e.id}`),
    h('p', null, localName(e.descriptions, lang)),
    h('dl', { class: 'summary' },
      h('dt', null, t('directory.register.authority')), h('dd', null, e.registerAuthority),
      h('dt', null, t('directory.register.legalBasis')), h('dd', null, e.legalBasis)),
    url === undefined ? null : h('p', null, h('a', { href: url, rel: 'noopener noreferrer external' }, t('directory.register.link'))))
}

function statusTable (ctx: PageContext, rows: readonly DirectoryStatus[]): HTMLElement {
  const { t, lang } = ctx
  const sorted = [...rows].sort((a, b) => countryName(a.country, lang).localeCompare(countryName(b.country, lang), lang) || a.name.localeCompare(b.name))
  return h('table', { class: 'data compact' },
    h('caption', null, t('directory.status.caption')),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, t('directory.status.country')),
      h('th', { scope: 'col' }, t('directory.status.kind')),
      h('th', { scope: 'col', class: 'num' }, t('directory.status.entries')),
      h('th', { scope: 'col' }, t('directory.status.age')))),
    h('tbody', null, sorted.map((d) => h('tr', { class: d.expired ? 'expired' : null },
      h('th', { scope: 'row' }, countryName(d.country, lang)),
      h('td', null, t(d.name === 'authorities' ? 'directory.kind.authorities' : 'directory.kind.registers')),
      h('td', { class: 'num' }, formatNumber(d.entries, lang)),
      h('td', null, formatAge(d.ageMs, lang), d.expired ? [' ', h('strong', { class: 'badge badge-overdue' }, t('directory.status.expired'))] : null)))))
}

export const directoryPage: Page<DirectoryRoute> = async (ctx, route) => {
  const { t, lang } = ctx
  const q = h('input', { type: 'search', name: 'q', value: route.q ?? '', autocomplete: 'off', maxlength: 200 })
  const country = select({ name: 'country' }, [['', t('compose.anyCountry')],
    ...MEMBER_STATES.map((m): [string, string] => [m.code, countryName(m.code, lang)]).sort((a, b) => a[1].localeCompare(b[1], lang))], route.country ?? '')
  const area = select({ name: 'area' }, [['', t('directory.anyArea')], ...AREAS.map((a): [string, string] => [a, areaLabel(t, a)])], route.area ?? '')
  const kind = select({ name: 'kind' }, [['', t('directory.kind.any')], ['authorities', t('directory.kind.authorities')], ['registers', t('directory.kind.registers')]], route.kind ?? '')
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('directory.searchLabel') },
    field(t('directory.query'), q), field(t('directory.country'), country), field(t('directory.area'), area), field(t('directory.kind'), kind),
    h('div', { class: 'field button-field' }, h('button', { type: 'submit', class: 'primary' }, t('directory.search'))))
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    ctx.navigate({
      page: 'directory',
      ...(q.value.trim() !== '' && { q: q.value.trim() }),
      ...(country.value !== '' && { country: country.value }),
      ...(area.value !== '' && { area: area.value as DirectoryRoute['area'] & string }),
      ...(kind.value !== '' && { kind: kind.value as DirectoryKind })
    })
  })
  const searched = route.q !== undefined || route.country !== undefined || route.area !== undefined || route.kind !== undefined
  const [hits, status] = await Promise.all([
    searched
      ? ctx.api.searchDirectory({ limit: 50, ...(route.q !== undefined && { q: route.q }), ...(route.country !== undefined && { country: route.country }),
        ...(route.area !== undefined && { area: route.area }), ...(route.kind !== undefined && { kind: route.kind }) }).catch((err: unknown) => err)
      : Promise.resolve(undefined),
    ctx.api.directoryStatus().catch((err: unknown) => err)
  ])
  let results: Child = null
  if (hits instanceof Array) {
    results = h('section', { 'aria-labelledby': 'results-h' },
      h('h2', { id: 'results-h' }, t('directory.results', { count: formatNumber(hits.length, lang) })),
      hits.length === 0 ? h('p', { class: 'empty' }, t('directory.noResults')) : h('div', { class: 'cards' }, (hits as DirectoryHit[]).map((hit) =>
        hit.kind === 'authorities' ? authorityCard(ctx, hit.country, hit.entry as AuthorityEntry) : registerCard(ctx, hit.country, hit.entry as RegisterEntry))))
  } else if (hits !== undefined) {
    results = ctx.failure(hits)
  }
  return h('div', { class: 'page page-directory' },
    h('h1', { tabindex: '-1' }, t('directory.title')),
    form,
    results,
    h('section', { 'aria-labelledby': 'status-h' },
      h('h2', { id: 'status-h' }, t('directory.status.title')),
      status instanceof Array ? statusTable(ctx, status as DirectoryStatus[]) : ctx.failure(status)))
}
