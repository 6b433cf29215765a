import { expect } from 'chai'
import { matchingPaths, prepareQuery, recordItems, type SearchItem } from '../../src/services/subjects/search.js'

const text = (path: string, value: string): SearchItem => ({ path, value, kind: 'text' })

describe('finding a data subject in personal data', () => {
  it('matches a name whole word by whole word, folded for case and diacritics, in any order, also split over fields', () => {
    const items = [
      ...recordItems('subject', { firstName: 'Stanisław', surname: 'Wiśniewski', registrationNumber: 'PL-2011-0042' }),
      text('answer', 'Pan WIŚNIEWSKI Stanisław prowadzi działalność od 2011'),
      text('other', 'Stanisława Wiśniewska')
    ]
    expect(matchingPaths(prepareQuery({ name: 'stanislaw wisniewski' }), items)).to.deep.equal(['subject', 'answer'])
    expect(matchingPaths(prepareQuery({ name: 'Wiśniewski' }), items)).to.deep.equal(['subject.surname', 'subject', 'answer'])
    expect(matchingPaths(prepareQuery({ name: 'Stan' }), items)).to.deep.equal([])
    expect(matchingPaths(prepareQuery({ name: 'Łukasz Ørsted' }), [text('t', 'lukasz orsted')])).to.deep.equal(['t'])
  })

  it('matches an identifier as a whole field (case and spaces aside) or a whole token of free text', () => {
    const items = [
      ...recordItems('subject', { registrationNumber: 'PL-2011-0042' }),
      text('answer', 'see register entry pl-2011-0042.'),
      text('longer', 'entry PL-2011-00421'),
      { path: 'near', value: 'PL-2011-0042 and more', kind: 'field' as const }
    ]
    expect(matchingPaths(prepareQuery({ identifier: ' pl-2011- 0042' }), items)).to.deep.equal(['subject.registrationNumber'])
    expect(matchingPaths(prepareQuery({ identifier: 'pl-2011-0042' }), items)).to.deep.equal(['subject.registrationNumber', 'answer'])
  })

  it('refuses empty and one-letter queries', () => {
    for (const q of [{}, { name: '  ' }, { name: 'J' }, { identifier: 'ab' }]) {
      expect(() => prepareQuery(q), JSON.stringify(q)).to.throw().with.property('code', 'ERR_INVALID_REQUEST')
    }
  })
})
