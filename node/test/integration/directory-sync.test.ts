import { expect } from 'chai'
import { signEnvelope, type AuthorityEntry, type RegisterEntry } from '@imi/protocol'
import { randomBytes } from 'node:crypto'
import { nodeCrypto } from '../../src/index.js'
import { TestDirectorySource } from '../fixtures/directory-source.js'
import { eventually, makeFederation, TEST_FED, type TestFederation } from '../fixtures/federation.js'

const entry = (id: string, names: AuthorityEntry['names'], competences: string[]): AuthorityEntry => ({ id, names, areas: ['professional-qualifications'], competences })
const register: RegisterEntry = {
  id: 'pl-reg-arch', names: { pl: 'Rejestr architektów', en: 'Register of architects' }, descriptions: { pl: 'Lista członków izby architektów', en: 'Members of the chamber of architects' },
  legalBasis: 'Ustawa z dnia 15 grudnia 2000 r.', registerAuthority: 'Izba Architektów RP', url: 'https://example.org/rejestr', languages: ['pl']
}
/** Long enough that only announcements and explicit refreshes can explain what arrives. */
const SETTINGS = { directory: { refreshMs: 3_600_000 } }

describe('the federated directory between real nodes (DHT over loopback TCP)', function () {
  this.timeout(60_000)
  let fed: TestFederation
  const sources = {
    AT: new TestDirectorySource([entry('at-arch', { de: 'Bundeskammer der Ziviltechniker:innen', en: 'Chamber of Civil Engineers' }, ['architect']), entry('at-med', { de: 'Österreichische Ärztekammer', en: 'Austrian Medical Chamber' }, ['doctor'])]),
    PL: new TestDirectorySource([entry('pl-arch', { pl: 'Krajowa Izba Architektów', en: 'National Chamber of Architects' }, ['architect'])], [register]),
    CZ: new TestDirectorySource([entry('cz-trade', { cs: 'Živnostenský úřad Brno', en: 'Trade Licensing Office Brno' }, ['trade licensing'])])
  }

  before(async () => {
    fed = await makeFederation(['AT', 'PL', 'CZ'])
    for (const c of ['AT', 'PL', 'CZ'] as const) await fed.start(c, { directorySource: sources[c] }, SETTINGS)
  })
  after(async () => { await fed.close() })

  const ids = (c: string, text: string): string[] => fed.node(c).directory.search({ text }).map((h) => h.entry.id)

  it('every node finds every state\'s authorities and registers, in any language', async () => {
    for (const c of ['AT', 'PL', 'CZ']) {
      await eventually(() => ids(c, 'architects').length === 2 && ids(c, 'Živnostenský').length === 1, 30_000, `${c} synced`)
    }
    expect(ids('CZ', 'izba architektów')).to.deep.equal(['pl-arch'])
    expect(ids('CZ', 'architektenkammer')).to.deep.equal([])
    expect(ids('PL', 'arztekammer')).to.deep.equal(['at-med'])
    expect(fed.node('AT').directory.search({ kind: 'registers', text: 'rejestr' }).map((h) => h.country)).to.deep.equal(['PL'])
    const status = fed.node('CZ').directory.status()
    expect(status.map((s) => `${s.country}/${s.name}`)).to.include.members(['AT/authorities', 'PL/registers', 'CZ/authorities'])
  })

  it('a removed authority disappears from every node at once, and direct messages naming it are refused', async () => {
    await eventually(() => ids('CZ', 'ärztekammer').length === 1 && ids('PL', 'ärztekammer').length === 1, 30_000, 'at-med listed')
    sources.AT.remove('at-med')
    for (const c of ['AT', 'PL', 'CZ']) await eventually(() => ids(c, 'ärztekammer').length === 0, 15_000, `at-med gone at ${c}`)
    let refused = ''
    await fed.node('PL').messaging.send({ kind: 'note', to: 'AT', toAuthority: 'at-med', body: { text: 'x' } }).catch((err: { code: string }) => { refused = err.code })
    expect(refused).to.equal('ERR_UNKNOWN_AUTHORITY')

    // A sender whose copy is older than AT's registry still gets a refusal from AT itself.
    const pl = fed.member('PL')
    const env = signEnvelope({ kind: 'note', from: 'PL', to: ['AT'], toAuthority: 'at-med', body: { text: 'late' } }, {
      federationId: TEST_FED, signer: pl.identity.signer, crypto: nodeCrypto, now: Date.now(), randomBytes: (n) => new Uint8Array(randomBytes(n))
    })
    let receiverRefused = ''
    await fed.node('AT').messaging.receive(env.wire, pl.identity.peerId).catch((err: { code: string }) => { receiverRefused = err.code })
    expect(receiverRefused).to.equal('ERR_UNKNOWN_AUTHORITY')
    // The authorities still listed take messages.
    const ok = await fed.node('PL').messaging.send({ kind: 'note', to: 'AT', toAuthority: 'at-arch', fromAuthority: 'pl-arch', body: { text: 'y' } })
    await eventually(async () => (await fed.node('PL').messaging.view(ok.id)).status === 'delivered', 15_000, 'delivered')
  })

  it('keeps searching a state\'s directory from its cache while that state is offline, across a restart', async () => {
    await fed.stop('AT')
    await fed.stop('CZ')
    await fed.start('CZ', { directorySource: sources.CZ }, SETTINGS)
    expect(ids('CZ', 'ziviltechniker')).to.deep.equal(['at-arch'])
    const at = fed.node('CZ').directory.status().find((s) => s.country === 'AT' && s.name === 'authorities')!
    expect(at.entries).to.equal(1)
    expect(at.ageMs).to.be.at.least(0)
  })
})
