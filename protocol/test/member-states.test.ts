import { expect } from 'chai'
import { LANGUAGES, MEMBER_STATES, isCountryCode, memberState } from '../src/index.js'

describe('member states', () => {
  it('lists the 27 EU states and Iceland, Liechtenstein and Norway, once each', () => {
    expect(MEMBER_STATES).to.have.length(30)
    expect(MEMBER_STATES.filter((s) => s.eu)).to.have.length(27)
    expect(MEMBER_STATES.filter((s) => !s.eu).map((s) => s.code)).to.deep.equal(['IS', 'LI', 'NO'])
    expect(new Set(MEMBER_STATES.map((s) => s.code)).size).to.equal(30)
    expect(isCountryCode('GB')).to.equal(false)
    expect(isCountryCode('pl')).to.equal(false)
  })

  it('covers the 24 official EU languages plus Icelandic and Norwegian', () => {
    expect(LANGUAGES).to.have.length(26)
    const spoken = new Set(MEMBER_STATES.flatMap((s) => s.languages))
    expect([...LANGUAGES].filter((l) => !spoken.has(l))).to.deep.equal([])
    expect(memberState('BE')?.languages).to.deep.equal(['nl', 'fr', 'de'])
    expect(memberState('PL')?.nativeName).to.equal('Polska')
  })
})
