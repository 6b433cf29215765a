import { expect } from 'chai'
import { createHash } from 'node:crypto'
import {
  ANSWER_TYPES, CATALOGUE_KEYS, LANGUAGES, LEGISLATIVE_AREAS, QUESTION_ID_PATTERN, QUESTION_SETS, TRANSLATIONS, catalogueText,
  missingTranslations, questionById, questionSet, questionSetRef, questionSetsFor, renderAnswer, renderQuestion, renderSetTitle,
  unusedTranslations, validateAnswerValue, type CatalogueTables, type QuestionSet
} from '../../src/index.js'
import { renderQuestionFrom, renderSetTitleFrom } from '../../src/catalogue/render.js'

function codeOf (fn: () => unknown): string {
  try { fn() } catch (err) { return (err as { code: string }).code }
  return 'accepted'
}

const en = TRANSLATIONS.en
const DIGEST = 'uU0nuZNNPgilLlLX2n2r-sSE7-N6U4DukIj3rOLvzek' // sha256("hello world"), base64url

describe('question catalogue: structure', () => {
  it('has a set for Professional Qualifications, Services, Posting of Workers and Patients\' rights, each of at least 11 questions using all five answer types', () => {
    expect(questionSetsFor('professional-qualifications').map((s) => s.id)).to.deep.equal(['pq'])
    expect(questionSetsFor('services').map((s) => s.id)).to.deep.equal(['services'])
    expect(questionSetsFor('posting-of-workers').map((s) => s.id)).to.deep.equal(['posting'])
    expect(questionSetsFor('patients-rights').map((s) => s.id)).to.deep.equal(['patients'])
    expect(questionSetsFor('e-commerce')).to.deep.equal([])
    expect(questionSetsFor('no-such-area')).to.deep.equal([])
    for (const set of QUESTION_SETS) {
      expect(set.questions.length, set.id).to.be.at.least(11)
      expect(new Set(set.questions.map((q) => q.type)), set.id).to.deep.equal(new Set(ANSWER_TYPES))
      expect(LEGISLATIVE_AREAS as readonly string[]).to.include(set.area)
      expect(Number.isSafeInteger(set.version) && set.version >= 1, set.id).to.equal(true)
    }
  })

  it('has unique, namespaced ids that fit the request workflow\'s question id pattern', () => {
    const setIds = QUESTION_SETS.map((s) => s.id)
    expect(new Set(setIds).size).to.equal(setIds.length)
    expect(setIds).not.to.include('free') // 'free.N' names a request's free-text questions
    const ids = QUESTION_SETS.flatMap((s) => s.questions.flatMap((q) => [q.id, ...(q.options ?? [])]))
    expect(new Set(ids).size).to.equal(ids.length)
    for (const set of QUESTION_SETS) {
      for (const q of set.questions) {
        expect(q.set).to.equal(set.id)
        expect(q.id.startsWith(`${set.id}.`), q.id).to.equal(true)
        expect(QUESTION_ID_PATTERN.test(q.id), q.id).to.equal(true)
        expect(questionById(q.id)).to.equal(q)
        if (q.type === 'choice') {
          expect(q.options?.length ?? 0, q.id).to.be.at.least(2)
          for (const o of q.options ?? []) expect(o.startsWith(`${q.id}.`), o).to.equal(true)
        } else {
          expect(q.options, q.id).to.equal(undefined)
        }
      }
    }
    expect(new Set(CATALOGUE_KEYS).size).to.equal(CATALOGUE_KEYS.length)
  })

  it('is frozen: nobody can edit the shared catalogue at run time', () => {
    expect(Object.isFrozen(QUESTION_SETS)).to.equal(true)
    expect(Object.isFrozen(QUESTION_SETS[0]!.questions[0])).to.equal(true)
    expect(Object.isFrozen(TRANSLATIONS.pl)).to.equal(true)
  })

  it('resolves set references with and without a version', () => {
    const pq = QUESTION_SETS[0]!
    expect(questionSetRef(pq)).to.equal(`pq@${pq.version}`)
    expect(questionSet('pq')).to.equal(pq)
    expect(questionSet(`pq@${pq.version}`)).to.equal(pq)
    expect(questionSet(`pq@${pq.version + 1}`)).to.equal(undefined)
    expect(questionSet('pq@0')).to.equal(undefined)
    expect(questionSet('nope')).to.equal(undefined)
    expect(questionSet('__proto__')).to.equal(undefined)
    for (const set of QUESTION_SETS) expect(questionSet(questionSetRef(set)), set.id).to.equal(set)
  })

  // The structure of each published `id@version`: ids, answer types and options travel on
  // the wire, so changing any of them without bumping the set's version (sets.ts) fails here.
  // Bump the version and add the new line; a reworded text that changes what is asked needs
  // a bump too, which no digest can see.
  const PUBLISHED: Readonly<Record<string, string>> = {
    'pq@1': '0d8c274159d28356',
    'services@1': '069e5f83a316e9eb',
    'posting@1': '81127f1c88b792d3',
    'patients@1': 'c9daf19434af5c46'
  }
  it('changes no published set without a new version', () => {
    const digest = (set: QuestionSet): string => createHash('sha256')
      .update(JSON.stringify(set.questions.map((q) => [q.id, q.type, q.options ?? []]))).digest('hex').slice(0, 16)
    expect(Object.fromEntries(QUESTION_SETS.map((set) => [questionSetRef(set), digest(set)]))).to.deep.equal(PUBLISHED)
  })
})

describe('question catalogue: translations', () => {
  it('covers all 26 languages', () => {
    expect(Object.keys(TRANSLATIONS).sort()).to.deep.equal([...LANGUAGES].sort())
  })

  it('misses no key in any language (no absent or blank text)', () => {
    expect(missingTranslations()).to.deep.equal([])
    for (const lang of LANGUAGES) {
      for (const key of CATALOGUE_KEYS) {
        const text = TRANSLATIONS[lang][key]
        expect(typeof text === 'string' && text.trim() !== '', `${lang} ${key}`).to.equal(true)
      }
    }
  })

  it('has no key that the catalogue does not use', () => {
    expect(unusedTranslations()).to.deep.equal([])
  })

  it('renders every set\'s title, questions and options in every language without falling back', () => {
    for (const lang of LANGUAGES) {
      for (const set of QUESTION_SETS) {
        expect(renderSetTitle(set.id, lang), `${lang} ${set.id}`).to.deep.include({ lang, fallback: false })
        for (const q of set.questions) {
          const r = renderQuestion(q.id, lang)
          expect(r, `${lang} ${q.id}`).to.deep.include({ lang, fallback: false })
          expect(r.notice, `${lang} ${q.id}`).to.equal(undefined)
          const ids = q.type === 'choice' ? q.options : q.type === 'yes-no' ? ['yes', 'no'] : []
          expect(r.options.map((o) => o.id), `${lang} ${q.id}`).to.deep.equal(ids)
          expect(new Set(r.options.map((o) => o.text)).size, `${lang} ${q.id}: two options read the same`).to.equal(r.options.length)
        }
      }
    }
  })

  it('asks no two questions of a set, and offers no two options of a question, with the same words', () => {
    const problems: string[] = []
    for (const lang of LANGUAGES) {
      for (const set of QUESTION_SETS) {
        const texts = set.questions.map((q) => TRANSLATIONS[lang][q.id])
        if (new Set(texts).size !== texts.length) problems.push(`${lang} ${set.id}`)
      }
      const titles = QUESTION_SETS.map((set) => TRANSLATIONS[lang][`set.${set.id}.title`])
      if (new Set(titles).size !== titles.length) problems.push(`${lang} set titles`)
    }
    expect(problems).to.deep.equal([])
  })

  it('has no untranslated copy of the English text (short labels such as "Date" or "No" may coincide)', () => {
    const copies = LANGUAGES.filter((l) => l !== 'en').flatMap((lang) =>
      CATALOGUE_KEYS.filter((key) => TRANSLATIONS[lang][key] === en[key] && en[key]!.length > 12).map((key) => `${lang} ${key}`))
    expect(copies).to.deep.equal([])
  })

  it('keeps every number of the English text (directive numbers, Article 11) and ends questions as questions', () => {
    const problems: string[] = []
    for (const lang of LANGUAGES) {
      for (const key of CATALOGUE_KEYS) {
        const source = en[key]!
        const text = TRANSLATIONS[lang][key]!
        for (const n of source.match(/\d+/g) ?? []) {
          if (!new RegExp(`(^|\\D)${n}(\\D|$)`).test(text)) problems.push(`${lang} ${key} lacks ${n}`)
        }
        // Greek writes its question mark as ';'.
        const asks = /[?;]$/.test(text)
        if (source.endsWith('?') !== asks) problems.push(`${lang} ${key}: question mark`)
        if (text !== text.trim()) problems.push(`${lang} ${key}: surrounding white space`)
      }
    }
    expect(problems).to.deep.equal([])
  })

  it('flags a missing or blank translation, and a stray key', () => {
    const pl = { ...TRANSLATIONS.pl, 'pq.sanctions': ' ', 'pq.sanction-kind.criminal': undefined } as unknown as Record<string, string>
    const tables: CatalogueTables = { en, pl: { ...pl, 'pq.sanctionz': 'literówka' } }
    expect(missingTranslations(tables, ['pl'])).to.deep.equal([
      { lang: 'pl', key: 'pq.sanctions' }, { lang: 'pl', key: 'pq.sanction-kind.criminal' }
    ])
    expect(unusedTranslations(tables)).to.deep.equal([{ lang: 'pl', key: 'pq.sanctionz' }])
  })
})

describe('question catalogue: rendering', () => {
  it('renders questions and options in Polish, German, Romanian and Czech', () => {
    const pl = renderQuestion('pq.diploma-authentic', 'pl')
    expect(pl).to.deep.include({ id: 'pq.diploma-authentic', lang: 'pl', fallback: false })
    expect(pl.text).to.equal(TRANSLATIONS.pl['pq.diploma-authentic'])
    expect(pl.text).to.match(/^Czy załączony dokument/)
    expect(pl.options).to.deep.equal([{ id: 'yes', text: 'Tak', fallback: false }, { id: 'no', text: 'Nie', fallback: false }])
    expect(pl.notice).to.equal(undefined)

    const de = renderQuestion('pq.sanction-kind', 'de')
    expect(de).to.deep.include({ lang: 'de', fallback: false, text: 'Welche Art von Sanktion wurde verhängt?' })
    expect(de.options.map((o) => o.id)).to.deep.equal(questionById('pq.sanction-kind')!.options)
    expect(de.options[0]).to.deep.equal({ id: 'pq.sanction-kind.disciplinary', text: 'Disziplinarische Sanktion', fallback: false })

    const ro = renderQuestion('services.authorisation-valid', 'ro')
    expect(ro).to.deep.include({ lang: 'ro', fallback: false, text: 'Autorizația prestatorului este încă valabilă?' })
    expect(ro.options.map((o) => o.text)).to.deep.equal(['Da', 'Nu'])

    const cs = renderQuestion('services.legal-form', 'cs')
    expect(cs).to.deep.include({ lang: 'cs', fallback: false, text: 'Jakou právní formu má poskytovatel služeb?' })
    expect(cs.options.every((o) => !o.fallback && o.text !== en[o.id])).to.equal(true)

    expect(renderQuestion('pq.sanction-details', 'fr').options).to.deep.equal([])
  })

  it('renders set titles and interface labels', () => {
    expect(renderSetTitle('pq', 'de')).to.deep.equal({ id: 'pq', text: 'Berufsqualifikationen (Richtlinie 2005/36/EG)', lang: 'de', fallback: false })
    expect(renderSetTitle('services@1', 'pl')).to.deep.include({ id: 'services', text: 'Usługi (dyrektywa 2006/123/WE)' })
    expect(catalogueText('ui.fallback-notice', 'cs')).to.deep.equal({
      key: 'ui.fallback-notice', text: 'Zobrazeno v angličtině: překlad zatím není k dispozici', lang: 'cs', fallback: false
    })
  })

  it('falls back to English for a missing text and says so, with the notice in the reader\'s language', () => {
    const { 'pq.sanction-kind': _q, 'pq.sanction-kind.criminal': _o, 'set.pq.title': _t, ...incomplete } = TRANSLATIONS.pl
    const tables: CatalogueTables = { en, pl: incomplete }

    const q = renderQuestionFrom(tables, 'pq.sanction-kind', 'pl')
    expect(q).to.deep.include({ text: 'What kind of sanction was imposed?', lang: 'en', fallback: true })
    expect(q.options.find((o) => o.id === 'pq.sanction-kind.criminal')).to.deep.equal({ id: 'pq.sanction-kind.criminal', text: 'Criminal sanction', fallback: true })
    expect(q.options.find((o) => o.id === 'pq.sanction-kind.disciplinary')).to.deep.equal({ id: 'pq.sanction-kind.disciplinary', text: 'Sankcja dyscyplinarna', fallback: false })
    expect(q.notice).to.equal('Wyświetlono po angielsku: brak jeszcze tłumaczenia')

    // The question is translated but one option is not: the text stays Polish, the notice still shows.
    const { 'pq.sanction-kind.criminal': _c, ...optionMissing } = TRANSLATIONS.pl
    const partial = renderQuestionFrom({ en, pl: optionMissing }, 'pq.sanction-kind', 'pl')
    expect(partial).to.deep.include({ lang: 'pl', fallback: false })
    expect(partial.notice).to.equal('Wyświetlono po angielsku: brak jeszcze tłumaczenia')

    expect(renderSetTitleFrom(tables, 'pq', 'pl')).to.deep.equal({ id: 'pq', text: 'Professional Qualifications (Directive 2005/36/EC)', lang: 'en', fallback: true })
    // A language the federation does not have at all.
    expect(renderQuestion('pq.sanctions', 'xx')).to.deep.include({ lang: 'en', fallback: true })
    // English itself is never a fallback.
    expect(renderQuestion('pq.sanctions', 'en')).to.deep.include({ lang: 'en', fallback: false })
    expect(renderQuestion('pq.sanctions', 'en').notice).to.equal(undefined)
  })

  it('refuses unknown questions, sets and keys with stable codes', () => {
    expect(codeOf(() => renderQuestion('pq.no-such-question', 'de'))).to.equal('ERR_UNKNOWN_QUESTION')
    expect(codeOf(() => renderQuestion('toString', 'de'))).to.equal('ERR_UNKNOWN_QUESTION')
    expect(codeOf(() => catalogueText('constructor', 'de'))).to.equal('ERR_UNKNOWN_QUESTION')
    expect(codeOf(() => renderSetTitle('ecommerce', 'de'))).to.equal('ERR_UNKNOWN_QUESTION_SET')
    expect(codeOf(() => renderSetTitle('posting@2', 'de'))).to.equal('ERR_UNKNOWN_QUESTION_SET')
    expect(codeOf(() => renderSetTitle('pq@99', 'de'))).to.equal('ERR_UNKNOWN_QUESTION_SET')
    expect(codeOf(() => validateAnswerValue('pq.nope', { type: 'yes-no', value: true }))).to.equal('ERR_UNKNOWN_QUESTION')
  })

  it('renders answers for the reader: catalogue answers translated, free text as written', () => {
    expect(renderAnswer('pq.sanctions', { type: 'yes-no', value: false }, 'it')).to.deep.equal({ text: 'No', lang: 'it', fallback: false, original: false })
    expect(renderAnswer('services.measure-kind', { type: 'choice', option: 'services.measure-kind.withdrawal' }, 'en'))
      .to.deep.include({ text: 'Withdrawal of the authorisation', original: false })
    expect(renderAnswer('pq.sanction-details', { type: 'text', text: 'Zawieszenie na 6 miesięcy' }, 'en'))
      .to.deep.equal({ text: 'Zawieszenie na 6 miesięcy', fallback: false, original: true })
    expect(codeOf(() => renderAnswer('services.measure-kind', { type: 'choice', option: 'pq.sanction-kind.criminal' }, 'en'))).to.equal('ERR_INVALID_ANSWER')
  })
})

describe('question catalogue: Posting of Workers and Patients\' rights', () => {
  it('names each set\'s directive in its title, in every language', () => {
    for (const lang of LANGUAGES) {
      expect(renderSetTitle('posting', lang).text, lang).to.match(/2014\/67\//)
      expect(renderSetTitle('patients@1', lang).text, lang).to.match(/2011\/24\//)
    }
    expect(renderSetTitle('posting', 'de')).to.deep.equal({ id: 'posting', text: 'Entsendung von Arbeitnehmern (Richtlinie 2014/67/EU)', lang: 'de', fallback: false })
    expect(renderSetTitle('patients', 'fr').text).to.equal('Droits des patients en matière de soins de santé transfrontaliers (directive 2011/24/UE)')
  })

  it('renders a posting question for the Polish and Romanian authorities, with its yes-no answers', () => {
    const pl = renderQuestion('posting.a1-valid', 'pl')
    expect(pl).to.deep.include({ lang: 'pl', fallback: false })
    expect(pl.text).to.match(/dokument przenośny A1/)
    expect(pl.options.map((o) => o.text)).to.deep.equal(['Tak', 'Nie'])
    expect(renderQuestion('posting.substantial-activities', 'ro').text).to.match(/^Întreprinderea desfășoară efectiv/)
    // The portable document keeps its name A1 in every language.
    for (const lang of LANGUAGES) expect(TRANSLATIONS[lang]['posting.a1-valid'], lang).to.include('A1')
  })

  it('renders the options of the choice questions in the reader\'s language', () => {
    const cs = renderQuestion('patients.measure-kind', 'cs')
    expect(cs.options.map((o) => o.id)).to.deep.equal(questionById('patients.measure-kind')!.options)
    expect(cs.options[1]).to.deep.equal({ id: 'patients.measure-kind.suspension', text: 'Pozastavení oprávnění k výkonu povolání', fallback: false })
    const italian = renderQuestion('posting.penalty-kind', 'it')
    expect(italian.options.map((o) => o.text)).to.deep.equal(['Sanzione amministrativa pecuniaria', 'Sospensione o divieto dell’attività', 'Sanzione penale', 'Altra misura'])
  })

  it('takes answers of each type and renders them for the other side', () => {
    expect(validateAnswerValue('posting.registration-date', { type: 'date', date: '2019-03-01' })).to.deep.equal({ type: 'date', date: '2019-03-01' })
    expect(validateAnswerValue('patients.registration-date', { type: 'date', date: '2008-02-29' })).to.deep.equal({ type: 'date', date: '2008-02-29' })
    expect(validateAnswerValue('posting.documents', { type: 'attachment', attachment: DIGEST })).to.deep.equal({ type: 'attachment', attachment: DIGEST })
    expect(validateAnswerValue('patients.supporting-document', { type: 'attachment', attachment: DIGEST })).to.have.property('type', 'attachment')
    expect(renderAnswer('posting.penalty-kind', { type: 'choice', option: 'posting.penalty-kind.suspension' }, 'de'))
      .to.deep.equal({ text: 'Aussetzung oder Untersagung der Tätigkeit', lang: 'de', fallback: false, original: false })
    expect(renderAnswer('patients.restrictions', { type: 'yes-no', value: true }, 'ga')).to.deep.equal({ text: 'Tá', lang: 'ga', fallback: false, original: false })
    expect(renderAnswer('patients.measure-details', { type: 'text', text: 'Zawieszenie na 6 miesięcy' }, 'en'))
      .to.deep.equal({ text: 'Zawieszenie na 6 miesięcy', fallback: false, original: true })
    expect(renderAnswer('posting.activity-details', { type: 'text', text: 'Biuro w Katowicach, 40 pracowników.' }, 'de')).to.have.property('original', true)
  })

  it('refuses answers that do not fit the new questions', () => {
    expect(codeOf(() => validateAnswerValue('posting.penalty-kind', { type: 'choice', option: 'patients.measure-kind.suspension' }))).to.equal('ERR_INVALID_ANSWER')
    expect(codeOf(() => validateAnswerValue('patients.measure-kind', { type: 'choice', option: 'pq.sanction-kind.disciplinary' }))).to.equal('ERR_INVALID_ANSWER')
    expect(codeOf(() => validateAnswerValue('posting.a1-valid', { type: 'text', text: 'yes' }))).to.equal('ERR_INVALID_ANSWER')
    expect(codeOf(() => validateAnswerValue('patients.registration-date', { type: 'date', date: '2025-02-29' }))).to.equal('ERR_INVALID_ANSWER')
    expect(codeOf(() => validateAnswerValue('posting.documents', { type: 'attachment', attachment: 'payslips.pdf' }))).to.equal('ERR_INVALID_ANSWER')
    expect(codeOf(() => validateAnswerValue('posting.activity-details', { type: 'text', text: ' ' }))).to.equal('ERR_INVALID_ANSWER')
    expect(codeOf(() => validateAnswerValue('posting.no-such-question', { type: 'yes-no', value: true }))).to.equal('ERR_UNKNOWN_QUESTION')
  })
})

describe('question catalogue: answer values', () => {
  it('accepts an answer of each type and returns a clean copy', () => {
    expect(validateAnswerValue('pq.diploma-authentic', { type: 'yes-no', value: true })).to.deep.equal({ type: 'yes-no', value: true })
    expect(validateAnswerValue('pq.sanction-kind', { type: 'choice', option: 'pq.sanction-kind.criminal' })).to.deep.equal({ type: 'choice', option: 'pq.sanction-kind.criminal' })
    expect(validateAnswerValue('pq.qualification-date', { type: 'date', date: '2024-02-29' })).to.deep.equal({ type: 'date', date: '2024-02-29' })
    expect(validateAnswerValue('services.authorisation-expiry', { type: 'date', date: '2000-02-29' })).to.deep.equal({ type: 'date', date: '2000-02-29' })
    const text = 'Suspendat 6 luni prin decizia Colegiului Medicilor din 3 martie 2025.\nDecizia este definitivă.'
    expect(validateAnswerValue('pq.sanction-details', { type: 'text', text })).to.deep.equal({ type: 'text', text })
    expect(validateAnswerValue('pq.sanction-details', { type: 'text', text: 'x'.repeat(4000) })).to.have.property('type', 'text')
    expect(validateAnswerValue('services.supporting-document', { type: 'attachment', attachment: DIGEST })).to.deep.equal({ type: 'attachment', attachment: DIGEST })
    expect(Object.isFrozen(validateAnswerValue('pq.diploma-authentic', { type: 'yes-no', value: false }))).to.equal(true)
  })

  const refusals: Array<[string, string, unknown]> = [
    ['not an object', 'pq.diploma-authentic', true],
    ['null', 'pq.diploma-authentic', null],
    ['an array', 'pq.diploma-authentic', [true]],
    ['the wrong type for the question', 'pq.diploma-authentic', { type: 'text', text: 'yes' }],
    ['a yes-no value that is a string', 'pq.diploma-authentic', { type: 'yes-no', value: 'true' }],
    ['a yes-no answer with an extra field', 'pq.diploma-authentic', { type: 'yes-no', value: true, comment: 'x' }],
    ['an option of another question', 'pq.sanction-kind', { type: 'choice', option: 'services.measure-kind.fine' }],
    ['an unknown option', 'pq.sanction-kind', { type: 'choice', option: 'pq.sanction-kind.capital' }],
    ['a missing option', 'pq.sanction-kind', { type: 'choice' }],
    ['30 February', 'pq.qualification-date', { type: 'date', date: '2026-02-30' }],
    ['29 February of a common year', 'pq.qualification-date', { type: 'date', date: '2025-02-29' }],
    ['29 February 1900', 'pq.qualification-date', { type: 'date', date: '1900-02-29' }],
    ['31 April', 'pq.qualification-date', { type: 'date', date: '2026-04-31' }],
    ['month 13', 'pq.qualification-date', { type: 'date', date: '2026-13-01' }],
    ['day 0', 'pq.qualification-date', { type: 'date', date: '2026-01-00' }],
    ['year 0', 'pq.qualification-date', { type: 'date', date: '0000-01-01' }],
    ['a date with a time', 'pq.qualification-date', { type: 'date', date: '2026-01-01T00:00:00Z' }],
    ['a date written DD.MM.YYYY', 'pq.qualification-date', { type: 'date', date: '01.02.2026' }],
    ['a date with unpadded digits', 'pq.qualification-date', { type: 'date', date: '2026-1-5' }],
    ['empty text', 'pq.sanction-details', { type: 'text', text: '' }],
    ['blank text', 'pq.sanction-details', { type: 'text', text: ' \n\t ' }],
    ['text over 4000 characters', 'pq.sanction-details', { type: 'text', text: 'x'.repeat(4001) }],
    ['text with a control character', 'pq.sanction-details', { type: 'text', text: 'a\u0000b' }],
    ['text with a lone surrogate', 'pq.sanction-details', { type: 'text', text: 'a\ud800b' }],
    ['a text that is not a string', 'pq.sanction-details', { type: 'text', text: 42 }],
    ['an attachment ref of 42 characters', 'pq.supporting-document', { type: 'attachment', attachment: DIGEST.slice(1) }],
    ['an attachment ref in standard base64', 'pq.supporting-document', { type: 'attachment', attachment: DIGEST.replace('-', '+') }],
    ['an attachment ref with padding', 'pq.supporting-document', { type: 'attachment', attachment: `${DIGEST}=` }],
    ['a non-canonical attachment ref', 'pq.supporting-document', { type: 'attachment', attachment: `${DIGEST.slice(0, 42)}h` }],
    ['an attachment given by file name', 'pq.supporting-document', { type: 'attachment', attachment: 'diploma.pdf' }]
  ]
  for (const [what, question, value] of refusals) {
    it(`refuses ${what}`, () => {
      expect(codeOf(() => validateAnswerValue(question, value))).to.equal('ERR_INVALID_ANSWER')
    })
  }
})
