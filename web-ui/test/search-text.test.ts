import { expect } from 'chai'
import { matchesQuery, requestSearchText } from '../src/search-text.js'
import { translator } from '../src/i18n/index.js'

describe('web UI list filter', () => {
  const r = { id: 'AbCdEfGhIjKlMnOpQrSt_-', area: 'services', status: 'info-requested', requester: { country: 'CZ', authority: 'cz-brno' }, responder: { country: 'PL' } } as const

  it('finds a request by id, authority, state code or name, status and area, in the reader\'s language', () => {
    const text = requestSearchText(translator('pl'), 'pl', r)
    for (const q of ['abcdef', 'cz-brno', 'PL', 'czechy', 'polska', 'informacje', 'usługi', 'koordynator']) expect(matchesQuery(text, q), q).to.equal(true)
    expect(matchesQuery(text, 'krakow')).to.equal(false)
  })

  it('needs every word, folding case and accents', () => {
    expect(matchesQuery('Urząd Miasta Krakowa', 'urzad krakow')).to.equal(true)
    expect(matchesQuery('Urząd Miasta Krakowa', 'urzad brno')).to.equal(false)
    expect(matchesQuery('anything', '   ')).to.equal(true)
  })
})
