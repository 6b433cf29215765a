import { expect } from 'chai'
import { createHash } from 'node:crypto'
import { MEMBER_STATES, decodeDirectoryRecord, type DirectoryRecord } from '@imi/protocol'
import { generateDirectory } from '../src/dataset/index.js'
import { DirectorySearchIndex, type IndexedEntry } from '@imi/node'

describe('directory dataset generator', function () {
  this.timeout(30_000)
  const data = generateDirectory({ seed: 2011 })
  const all = <T>(m: ReadonlyMap<string, readonly T[]>): T[] => [...m.values()].flat()

  it('covers all 30 member states at the size of today\'s IMI', () => {
    expect([...data.authorities.keys()].sort()).to.deep.equal(MEMBER_STATES.map((s) => s.code).sort())
    expect(all(data.authorities).length).to.be.at.least(12_600)
    expect(all(data.registers).length).to.be.at.least(700)
    expect(data.authorities.get('DE')!.length).to.be.greaterThan(data.authorities.get('MT')!.length)
  })

  it('is deterministic from its seed, and another seed gives another dataset', () => {
    const digest = (seed: number): string => createHash('sha256').update(JSON.stringify([...generateDirectory({ seed }).authorities])).digest('hex')
    expect(digest(2011)).to.equal(digest(2011))
    expect(digest(2011)).to.not.equal(digest(2012))
  })

  it('names every entry in its state\'s national languages and English, with unique ids', () => {
    for (const state of MEMBER_STATES) {
      for (const entry of [...data.authorities.get(state.code)!, ...data.registers.get(state.code)!]) {
        for (const lang of [...state.languages, 'en']) expect(entry.names, `${entry.id} in ${lang}`).to.have.property(lang)
      }
    }
    const ids = [...all(data.authorities), ...all(data.registers)].map((e) => e.id)
    expect(new Set(ids).size).to.equal(ids.length)
    expect(data.authorities.get('PL')![0]!.names.pl).to.equal('Ministerstwo Zdrowia')
  })

  it('passes the directory record schema every node enforces', () => {
    for (const state of MEMBER_STATES) {
      for (const [name, entries] of [['authorities', data.authorities.get(state.code)!], ['registers', data.registers.get(state.code)!]] as const) {
        for (let i = 0; i < entries.length; i += 500) {
          const record: DirectoryRecord = { fed: 'imi-test', country: state.code, name, shard: 0, shards: 1, seq: 1, created: 0, expires: 1, entries: entries.slice(i, i + 500) }
          decodeDirectoryRecord(JSON.parse(JSON.stringify(record)))
        }
      }
    }
  })

  it('is searchable across languages: "Architektenkammer", "architects", "izba architektów"', () => {
    const index = new DirectorySearchIndex()
    const entries: IndexedEntry[] = []
    for (const [country, list] of data.authorities) for (const entry of list) entries.push({ kind: 'authorities', country, entry })
    for (const [country, list] of data.registers) for (const entry of list) entries.push({ kind: 'registers', country, entry })
    index.rebuild(entries)
    const countries = (text: string): Set<string> => new Set(index.search({ text, limit: 5000 }).map((h) => h.country))
    expect([...countries('Architektenkammer')]).to.include.members(['DE', 'AT'])
    expect(countries('architects').size).to.equal(30)
    expect([...countries('izba architektów')]).to.deep.equal(['PL'])
    expect(index.search({ text: 'Izba Architektów Kraków', country: 'PL' })[0]?.entry.names.pl).to.match(/^Izba Architektów Kraków/)
  })
})
