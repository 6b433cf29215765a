import { expect } from 'chai'
import { addDays, countryName, dueDate, fold, formatAge, formatDate, formatDay, formatInDays, isOverdue, languageName, localName, todayIso } from '../src/format.js'

describe('web UI formatting and deadlines', () => {
  it('shows calendar dates in the reader\'s language without shifting a day', () => {
    expect(formatDate('2026-03-14', 'en')).to.equal('Mar 14, 2026')
    expect(formatDate('2026-03-14', 'de')).to.equal('14.03.2026')
    expect(formatDate('2026-03-14', 'cs')).to.equal('14. 3. 2026')
    expect(formatDate('not a date', 'pl')).to.equal('not a date')
  })

  it('names countries and languages the reader\'s way', () => {
    expect(countryName('PL', 'cs')).to.equal('Polsko')
    expect(countryName('EL', 'en')).to.equal('Greece')
    expect(languageName('pl')).to.equal('Polski')
    expect(localName({ pl: 'Urząd', en: 'Office' }, 'cs')).to.equal('Office')
    expect(localName({ pl: 'Urząd' }, 'cs')).to.equal('Urząd')
  })

  it('says how old a directory copy is', () => {
    expect(formatAge(5 * 60_000, 'en')).to.equal('5 minutes ago')
    expect(formatAge(2 * 3_600_000, 'de')).to.equal('vor 2 Stunden')
  })

  it('says how far a deadline is in whole days, with the language\'s plurals, and the UTC day of an instant', () => {
    expect(formatInDays(3, 'en')).to.equal('in 3 days')
    expect(formatInDays(-1, 'cs')).to.equal('včera')
    expect(formatInDays(5, 'pl')).to.equal('za 5 dni')
    expect(formatDay(Date.UTC(2026, 2, 14), 'de')).to.equal('14.03.2026')
    expect(formatDay(Date.UTC(2026, 2, 14, 23, 30), 'cs')).to.equal('14. 3. 2026')
  })

  it('folds case and accents for filtering', () => {
    expect(fold('Řešení ŁÓDŹ')).to.equal('reseni łodz')
  })

  it('computes today, date arithmetic and the overdue mark from the date that counts', () => {
    expect(todayIso(new Date(2026, 0, 5, 23, 59))).to.equal('2026-01-05')
    expect(addDays('2026-12-31', 1)).to.equal('2027-01-01')
    const r = { status: 'accepted' as const, neededBy: '2026-03-10', answerBy: '2026-03-20' }
    expect(dueDate(r)).to.equal('2026-03-20')
    expect(isOverdue(r, '2026-03-20')).to.equal(false)
    expect(isOverdue(r, '2026-03-21')).to.equal(true)
    expect(isOverdue({ status: 'sent', neededBy: '2026-03-10' }, '2026-03-11')).to.equal(true)
    expect(isOverdue({ status: 'answered', neededBy: '2026-03-10' }, '2026-04-01')).to.equal(false)
    expect(isOverdue({ status: 'closed', neededBy: '2026-03-10' }, '2026-04-01')).to.equal(false)
  })
})
