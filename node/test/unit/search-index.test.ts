import { expect } from 'chai'
import type { AuthorityEntry, RegisterEntry } from '@imi/protocol'
import { DirectorySearchIndex, type IndexedEntry } from '../../src/services/directory/search-index.js'
import { fold } from '../../src/services/directory/fold.js'

const auth = (country: string, id: string, names: AuthorityEntry['names'], areas: AuthorityEntry['areas'], competences: string[]): IndexedEntry =>
  ({ kind: 'authorities', country, entry: { id, names, areas, competences } })

const berlinRegister: RegisterEntry = {
  id: 'de-be-arch', names: { de: 'Architektenliste der Architektenkammer Berlin', en: 'Register of architects of the Berlin Chamber of Architects' },
  descriptions: { de: 'Eintragungen in die Architektenliste', en: 'Entries in the list of architects' },
  legalBasis: 'Berliner Architekten- und Baukammergesetz', registerAuthority: 'Architektenkammer Berlin', url: 'https://www.ak-berlin.de', languages: ['de']
}

const entries: IndexedEntry[] = [
  { kind: 'registers', country: 'DE', entry: berlinRegister },
  auth('DE', 'de-bak', { de: 'Bundesarchitektenkammer', en: 'Federal Chamber of German Architects' }, ['professional-qualifications'], ['architect']),
  auth('PL', 'pl-iarp', { pl: 'Izba Architektów Rzeczypospolitej Polskiej', en: 'Chamber of Architects of the Republic of Poland' }, ['professional-qualifications'], ['architekt']),
  auth('CZ', 'cz-zu-praha', { cs: 'Živnostenský úřad hlavního města Prahy', en: 'Trade Licensing Office of Prague' }, ['services'], ['trade licensing']),
  auth('RO', 'ro-cmr', { ro: 'Colegiul Medicilor din România', en: 'Romanian College of Physicians' }, ['professional-qualifications'], ['doctor']),
  auth('AT', 'at-oeak', { de: 'Österreichische Ärztekammer', en: 'Austrian Medical Chamber' }, ['professional-qualifications'], ['doctor'])
]

describe('directory search index', () => {
  const index = new DirectorySearchIndex()
  index.rebuild(entries)
  const ids = (q: Parameters<DirectorySearchIndex['search']>[0]): string[] => index.search(q).map((h) => h.entry.id)

  it('folds case, diacritics and letters Unicode does not decompose', () => {
    expect(fold('IZBA ARCHITEKTÓW')).to.equal('izba architektow')
    expect(fold('Straße Łódź Ærø')).to.equal('strasse lodz aero')
    expect(fold('Živnostenský úřad')).to.equal('zivnostensky urad')
  })

  it('finds "Architektenkammer" in names and inside compound names', () => {
    expect(ids({ text: 'Architektenkammer' })).to.deep.equal(['de-be-arch', 'de-bak'])
  })

  it('finds "architects" across the English names of every country', () => {
    expect(ids({ text: 'architects' })).to.have.members(['de-be-arch', 'de-bak', 'pl-iarp'])
  })

  it('finds "izba architektów" with or without diacritics, best match first', () => {
    expect(ids({ text: 'izba architektów' })).to.deep.equal(['pl-iarp'])
    expect(ids({ text: 'IZBA ARCHITEKTOW' })).to.deep.equal(['pl-iarp'])
    expect(ids({ text: 'architekt' })[0]).to.equal('pl-iarp')
  })

  it('matches word prefixes and parts of compounds', () => {
    expect(ids({ text: 'živnost' })).to.deep.equal(['cz-zu-praha'])
    expect(ids({ text: 'arzte' })).to.deep.equal(['at-oeak'])
    expect(ids({ text: 'kammer' })).to.include.members(['at-oeak', 'de-bak'])
  })

  it('filters by kind, country, legislative area and competence', () => {
    expect(ids({ kind: 'registers' })).to.deep.equal(['de-be-arch'])
    expect(ids({ text: 'chamber', country: 'AT' })).to.deep.equal(['at-oeak'])
    expect(ids({ area: 'services' })).to.deep.equal(['cz-zu-praha'])
    expect(ids({ competence: 'Doctor' })).to.have.members(['ro-cmr', 'at-oeak'])
    expect(ids({ text: 'architects', country: 'CZ' })).to.deep.equal([])
  })

  it('requires every query word to match', () => {
    expect(ids({ text: 'chamber prague' })).to.deep.equal([])
    expect(ids({ text: 'medical chamber' })).to.deep.equal(['at-oeak'])
  })
})
