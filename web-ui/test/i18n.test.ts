import { expect } from 'chai'
import { CATALOGUES, UI_LANGUAGES, pickUiLanguage, placeholders, translate } from '../src/i18n/index.js'
import { en } from '../src/i18n/en.js'

describe('web UI interface text', () => {
  const keys = Object.keys(en).sort()

  it('has at least the eight languages the issue names', () => {
    expect([...UI_LANGUAGES].sort()).to.include.members(['cs', 'de', 'en', 'es', 'fr', 'it', 'pl', 'ro'])
  })

  for (const lang of UI_LANGUAGES) {
    it(`${lang}: every key, no extra key, no blank text, the same placeholders as English`, () => {
      const table = CATALOGUES[lang] as Readonly<Record<string, string>>
      const missing = keys.filter((k) => !Object.hasOwn(table, k))
      const extra = Object.keys(table).filter((k) => !Object.hasOwn(en, k))
      expect(missing, `${lang} lacks`).to.deep.equal([])
      expect(extra, `${lang} has unknown keys`).to.deep.equal([])
      for (const k of keys) {
        expect(table[k]!.trim(), `${lang} ${k} is blank`).not.to.equal('')
        expect(placeholders(table[k]!), `${lang} ${k} placeholders`).to.deep.equal(placeholders((en as Record<string, string>)[k]!))
      }
    })
  }

  it('is translated, not copied: most texts differ from English in each language', () => {
    for (const lang of UI_LANGUAGES.filter((l) => l !== 'en')) {
      const table = CATALOGUES[lang] as Readonly<Record<string, string>>
      const same = keys.filter((k) => table[k] === (en as Record<string, string>)[k])
      expect(same.length / keys.length, `${lang}: ${same.join(', ')}`).to.be.below(0.1)
    }
  })

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('pl', 'login.error.locked', { minutes: 15 })).to.include('15')
    expect(translate('en', 'event.rating', { timeliness: 5 })).to.equal('Timeliness 5/5, effort {effort}/5')
  })

  it('picks the first supported language of the preferences, by base language', () => {
    expect(pickUiLanguage([undefined, 'hu', 'pl-PL', 'de'])).to.equal('pl')
    expect(pickUiLanguage(['CS'])).to.equal('cs')
    expect(pickUiLanguage(['hu', undefined])).to.equal('en')
  })
})
