/**
 * What a list row is found by, and whether a query finds it: every word of the query
 * must occur in the row's text, case and accents folded. Pure (no DOM), so it is
 * unit-tested; list-filter.ts applies it to the rows on the page.
 */
import type { RequestState } from '@imi/protocol'
import { countryName, fold } from './format.js'
import type { Translate } from './i18n/index.js'
import { areaLabel, statusLabel } from './labels.js'

/** Every word of `query` occurs in `haystack` (both folded). */
export function matchesQuery (haystack: string, query: string): boolean {
  const words = fold(query).split(/\s+/).filter((w) => w !== '')
  const text = fold(haystack)
  return words.every((w) => text.includes(w))
}

/** What a request row is found by. */
export function requestSearchText (t: Translate, lang: string, r: Pick<RequestState, 'id' | 'area' | 'status' | 'requester' | 'responder'>): string {
  const party = (p: { country: string, authority?: string }): string => [p.country, countryName(p.country, lang), p.authority ?? t('request.coordinator')].join(' ')
  return [r.id, party(r.requester), party(r.responder), statusLabel(t, r.status), areaLabel(t, r.area)].join(' ')
}
