import { expect } from 'chai'
import {
  MAX_MESSAGE_AGE_MS, cosignRoster, describeChange, memberJoins, memberLeaves, nobleCrypto, nobleSigner, proposeRoster,
  rotateKey, setBootstraps, toBase64url, updateAddresses, verifyRosterUpdate, type Roster, type RosterDocument
} from '../../src/index.js'
import { T0, fakePeerId, memberFor, seedFor, testFederation } from '../fixtures.js'

const countries = ['CZ', 'PL', 'AT', 'RO']
const fed = testFederation(countries)
const LATER = T0 + 10_000

function codeOf (fn: () => unknown): string {
  try { fn() } catch (err) { return (err as { code: string }).code }
  return 'accepted'
}

/** Signs `doc` with `signers` and verifies it as the next version: the real test of a builder. */
function apply (current: Roster, doc: RosterDocument, signers = countries.slice(0, 3)): Roster {
  let signed = proposeRoster(doc) as Parameters<typeof cosignRoster>[0]
  for (const c of signers) signed = cosignRoster(signed, fed.signers.get(c)!)
  return verifyRosterUpdate(current, signed, nobleCrypto)
}

describe('roster changes', () => {
  it('a member joins: next version, previous names the current digest', () => {
    const se = memberFor('SE', nobleSigner(seedFor('join:SE')))
    const doc = memberJoins(fed.roster, se, LATER)
    expect(doc.version).to.equal(2)
    expect(doc.previous).to.equal(fed.roster.digest)
    expect(doc.created).to.equal(LATER)
    const v2 = apply(fed.roster, doc)
    expect(v2.countries()).to.deep.equal([...countries, 'SE'])
  })

  it('refuses a join of an existing country or peer', () => {
    const again = memberFor('PL', nobleSigner(seedFor('join:PL2')))
    expect(codeOf(() => memberJoins(fed.roster, again, LATER))).to.equal('ERR_ROSTER_SCHEMA')
    const samePeer = { ...memberFor('SE', nobleSigner(seedFor('join:SE2'))), peerId: fakePeerId('CZ') }
    expect(codeOf(() => memberJoins(fed.roster, samePeer, LATER))).to.equal('ERR_ROSTER_SCHEMA')
  })

  it('a member leaves; leaving as a non-member or emptying the roster is refused', () => {
    const v2 = apply(fed.roster, memberLeaves(fed.roster, 'RO', LATER))
    expect(v2.countries()).to.deep.equal(['CZ', 'PL', 'AT'])
    expect(codeOf(() => memberLeaves(fed.roster, 'SE', LATER))).to.equal('ERR_ROSTER_SCHEMA')
    const solo = testFederation(['CZ'], 'imi-solo')
    expect(codeOf(() => memberLeaves(solo.roster, 'CZ', LATER))).to.equal('ERR_ROSTER_SCHEMA')
  })

  it('refuses a change not dated after the current version', () => {
    expect(codeOf(() => memberLeaves(fed.roster, 'RO', T0))).to.equal('ERR_ROSTER_SCHEMA')
  })

  it('rotates a key: the old key verifies until the grace ends, the new one from creation', () => {
    const fresh = nobleSigner(seedFor('rotate:PL'))
    const key = { kid: fresh.kid, publicKey: toBase64url(fresh.publicKey), notBefore: 0 }
    const doc = rotateKey(fed.roster, 'PL', key, LATER, 5000, { peerId: fakePeerId('PL-new') })
    const v2 = apply(fed.roster, doc)
    const old = fed.signers.get('PL')!.kid
    expect(v2.key(old)?.notAfter).to.equal(LATER + 5000)
    expect(v2.key(fresh.kid)?.notBefore).to.equal(LATER)
    expect(v2.currentKey('PL', LATER - 1)?.kid).to.equal(old)
    expect(v2.currentKey('PL', LATER + 1)?.kid).to.equal(fresh.kid)
    expect(v2.member('PL')?.peerId).to.equal(fakePeerId('PL-new'))
    // The rotated member signs the next change with its new key.
    const v3doc = updateAddresses(v2, 'CZ', ['/ip4/10.0.0.1/tcp/4001'], LATER + 10_000)
    let signed = proposeRoster(v3doc) as Parameters<typeof cosignRoster>[0]
    for (const s of [fed.signers.get('CZ')!, fresh, fed.signers.get('AT')!]) signed = cosignRoster(signed, s)
    expect(verifyRosterUpdate(v2, signed, nobleCrypto).version).to.equal(3)
  })

  it('drops keys no message in transit can still need, and refuses a key already listed', () => {
    const first = nobleSigner(seedFor('rotate:AT:1'))
    const second = nobleSigner(seedFor('rotate:AT:2'))
    const v2 = apply(fed.roster, rotateKey(fed.roster, 'AT', { kid: first.kid, publicKey: toBase64url(first.publicKey), notBefore: 0 }, LATER, 1000))
    expect(v2.member('AT')?.keys).to.have.length(2)
    const much = LATER + 1000 + MAX_MESSAGE_AGE_MS + 1
    const v3doc = rotateKey(v2, 'AT', { kid: second.kid, publicKey: toBase64url(second.publicKey), notBefore: 0 }, much, 1000)
    expect(v3doc.members.find((m) => m.country === 'AT')?.keys.map((k) => k.kid)).to.deep.equal([first.kid, second.kid])
    const taken = fed.roster.key(fed.signers.get('CZ')!.kid)!
    expect(codeOf(() => rotateKey(fed.roster, 'AT', { kid: taken.kid, publicKey: toBase64url(taken.publicKey), notBefore: 0 }, LATER, 0))).to.equal('ERR_ROSTER_SCHEMA')
    expect(codeOf(() => rotateKey(fed.roster, 'SE', { kid: first.kid, publicKey: toBase64url(first.publicKey), notBefore: 0 }, LATER, 0))).to.equal('ERR_ROSTER_SCHEMA')
  })

  it('updates addresses and bootstraps', () => {
    const v2 = apply(fed.roster, updateAddresses(fed.roster, 'AT', ['/ip4/10.0.0.2/tcp/4001', '/dns4/imi.gv.at/tcp/4001'], LATER))
    expect(v2.member('AT')?.addresses).to.deep.equal(['/ip4/10.0.0.2/tcp/4001', '/dns4/imi.gv.at/tcp/4001'])
    const boot = { peerId: fakePeerId('boot'), addresses: ['/ip4/10.0.0.9/tcp/4001'] }
    const v3 = apply(v2, setBootstraps(v2, [boot], LATER + 1))
    expect(v3.isBootstrap(boot.peerId)).to.equal(true)
    expect(codeOf(() => setBootstraps(v2, [{ peerId: fakePeerId('CZ'), addresses: [] }], LATER + 1))).to.equal('ERR_ROSTER_SCHEMA')
    expect(codeOf(() => updateAddresses(v2, 'AT', ['not a multiaddr'], LATER + 1))).to.equal('ERR_ROSTER_SCHEMA')
  })

  it('describes what a member co-signs', () => {
    const se = memberFor('SE', nobleSigner(seedFor('describe:SE')))
    const joined = describeChange(fed.roster, memberJoins(fed.roster, se, LATER))
    expect(joined[0]).to.match(/^version 1 -> 2/)
    expect(joined.some((l) => l.startsWith('+ member SE'))).to.equal(true)
    const moved = describeChange(fed.roster, updateAddresses(fed.roster, 'AT', ['/ip4/10.0.0.2/tcp/4001'], LATER))
    expect(moved.filter((l) => l.startsWith('AT: '))).to.have.length(2)
    const left = describeChange(fed.roster, memberLeaves(fed.roster, 'RO', LATER))
    expect(left).to.include('- member RO "RO node" leaves')
    const fresh = nobleSigner(seedFor('describe:rotate'))
    const rotated = describeChange(fed.roster, rotateKey(fed.roster, 'PL', { kid: fresh.kid, publicKey: toBase64url(fresh.publicKey), notBefore: 0 }, LATER, 0))
    expect(rotated.filter((l) => l.startsWith('PL: '))).to.have.length(2)
    const same = describeChange(fed.roster, { ...fed.doc, version: 2, created: LATER, previous: fed.roster.digest })
    expect(same).to.include('no change to members or bootstraps')
    const stale = describeChange(fed.roster, { ...fed.doc, version: 3, created: LATER })
    expect(stale.filter((l) => l.startsWith('WARNING'))).to.have.length(2)
  })
})
