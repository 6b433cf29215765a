import { expect } from 'chai'
import {
  cosignRoster, nobleCrypto, nobleSigner, parseSignedRoster, payloadDocument, proposeRoster, quorumFor,
  toBase64url, verifyGenesis, verifyRosterChain, verifyRosterUpdate, type RosterDocument, type SignedRoster
} from '../../src/index.js'
import { FED, T0, memberFor, seedFor, testFederation } from '../fixtures.js'

const countries = ['CZ', 'PL', 'AT', 'RO', 'DE', 'FR']
const fed = testFederation(countries)

function codeOf (fn: () => unknown): string {
  try { fn() } catch (err) { return (err as { code: string }).code }
  return 'accepted'
}

function nextDoc (over: Partial<RosterDocument> = {}): RosterDocument {
  return { ...fed.doc, version: 2, created: T0 + 1000, previous: fed.roster.digest, ...over }
}

function signedBy (doc: RosterDocument, signers: string[]): SignedRoster {
  let signed: SignedRoster = proposeRoster(doc)
  for (const c of signers) signed = cosignRoster(signed, fed.signers.get(c)!)
  return signed
}

describe('roster quorum', () => {
  it('needs two thirds, rounded up', () => {
    expect([1, 2, 3, 5, 6, 30].map(quorumFor)).to.deep.equal([1, 2, 2, 4, 4, 20])
  })

  it('accepts a genesis signed by every founding member', () => {
    expect(fed.roster.version).to.equal(1)
    expect(fed.roster.countries()).to.deep.equal(countries)
    expect(fed.roster.member('PL')?.keys[0]?.kid).to.equal(fed.signers.get('PL')!.kid)
  })

  it('refuses a genesis that one founder did not sign', () => {
    const signed = signedBy({ ...fed.doc }, countries.slice(1))
    expect(codeOf(() => verifyGenesis(signed, nobleCrypto))).to.equal('ERR_ROSTER_QUORUM')
  })

  it('accepts version 2 with four of six signatures (a member joins)', () => {
    const ro = nobleSigner(seedFor('new:SE'))
    const doc = nextDoc({ members: [...fed.doc.members, memberFor('SE', ro)] })
    const next = verifyRosterUpdate(fed.roster, signedBy(doc, ['CZ', 'PL', 'AT', 'RO']), nobleCrypto)
    expect(next.version).to.equal(2)
    expect(next.member('SE')).to.not.equal(undefined)
  })

  it('refuses version 2 with three of six signatures', () => {
    const doc = nextDoc({ members: fed.doc.members.filter((m) => m.country !== 'FR') })
    expect(codeOf(() => verifyRosterUpdate(fed.roster, signedBy(doc, ['CZ', 'PL', 'AT']), nobleCrypto))).to.equal('ERR_ROSTER_QUORUM')
  })

  it('does not let one member sign twice to reach the quorum', () => {
    const doc = nextDoc()
    let signed = signedBy(doc, ['CZ', 'PL', 'AT'])
    const second = nobleSigner(seedFor('second-key:CZ'))
    signed = { ...signed, signatures: [...signed.signatures, ...cosignRoster(proposeRoster(doc), second).signatures] }
    expect(codeOf(() => verifyRosterUpdate(fed.roster, signed, nobleCrypto))).to.equal('ERR_ROSTER_QUORUM')
  })

  it('counts no signature from a key outside the current roster (the bootstrap operator, say)', () => {
    const operator = nobleSigner(seedFor('bootstrap-operator'))
    let signed = signedBy(nextDoc(), ['CZ', 'PL', 'AT'])
    signed = cosignRoster(signed, operator)
    expect(codeOf(() => verifyRosterUpdate(fed.roster, signed, nobleCrypto))).to.equal('ERR_ROSTER_QUORUM')
  })

  it('refuses a roster whose payload was changed after signing', () => {
    const signed = signedBy(nextDoc(), ['CZ', 'PL', 'AT', 'RO', 'DE'])
    const other = proposeRoster(nextDoc({ bootstraps: [{ peerId: fed.doc.members[0]!.peerId, addresses: [] }] }))
    expect(codeOf(() => verifyRosterUpdate(fed.roster, { ...signed, payload: other.payload }, nobleCrypto))).to.equal('ERR_ROSTER_SIGNATURE')
  })

  it('refuses a version that skips, repeats, forks or goes back in time', () => {
    const all = countries
    expect(codeOf(() => verifyRosterUpdate(fed.roster, signedBy(nextDoc({ version: 3 }), all), nobleCrypto))).to.equal('ERR_ROSTER_CHAIN')
    expect(codeOf(() => verifyRosterUpdate(fed.roster, signedBy(nextDoc({ version: 1 }), all), nobleCrypto))).to.equal('ERR_ROSTER_VERSION')
    expect(codeOf(() => verifyRosterUpdate(fed.roster, signedBy(nextDoc({ previous: toBase64url(new Uint8Array(32)) }), all), nobleCrypto))).to.equal('ERR_ROSTER_CHAIN')
    expect(codeOf(() => verifyRosterUpdate(fed.roster, signedBy(nextDoc({ created: T0 }), all), nobleCrypto))).to.equal('ERR_ROSTER_CHAIN')
    expect(codeOf(() => verifyRosterUpdate(fed.roster, signedBy(nextDoc({ fed: 'imi-training' }), all), nobleCrypto))).to.equal('ERR_ROSTER_CHAIN')
  })

  it('rotates a key: old messages keep verifying under the old key window', () => {
    const newKey = nobleSigner(seedFor('rotated:PL'))
    const rotation = T0 + 5000
    const members = fed.doc.members.map((m) => m.country !== 'PL'
      ? m
      : { ...m, keys: [{ ...m.keys[0]!, notAfter: rotation }, { kid: newKey.kid, publicKey: toBase64url(newKey.publicKey), notBefore: rotation }] })
    const v2 = verifyRosterUpdate(fed.roster, signedBy(nextDoc({ members }), ['CZ', 'PL', 'AT', 'RO']), nobleCrypto)
    expect(v2.currentKey('PL', rotation + 1)?.kid).to.equal(newKey.kid)
    expect(v2.currentKey('PL', rotation - 1)?.kid).to.equal(fed.signers.get('PL')!.kid)
    // The chain verifies end to end from genesis.
    expect(verifyRosterChain([fed.roster.signed, v2.signed], nobleCrypto, FED).version).to.equal(2)
  })

  it('refuses malformed roster documents with ERR_ROSTER_SCHEMA', () => {
    expect(codeOf(() => parseSignedRoster('{'))).to.equal('ERR_ROSTER_SCHEMA')
    expect(codeOf(() => parseSignedRoster('{"payload":"x","signatures":[],"extra":1}'))).to.equal('ERR_ROSTER_SCHEMA')
    const dup = proposeRoster({ ...fed.doc })
    const doc = payloadDocument(dup)
    expect(doc.members.length).to.equal(6)
    expect(codeOf(() => proposeRoster({ ...fed.doc, members: [...fed.doc.members, fed.doc.members[0]!] }))).to.equal('ERR_ROSTER_SCHEMA')
  })
})

describe('roster quorum during a key rotation', () => {
  it('counts only a member\'s newest key: a rotated-out key in its grace period has no say', () => {
    const fed = testFederation(['CZ', 'PL', 'AT'])
    const newPl = nobleSigner(seedFor('rotated-again:PL'))
    const rotation = T0 + 5000
    const members = fed.doc.members.map((m) => m.country !== 'PL'
      ? m
      : { ...m, keys: [{ ...m.keys[0]!, notAfter: rotation + 30 * 86_400_000 }, { kid: newPl.kid, publicKey: toBase64url(newPl.publicKey), notBefore: rotation }] })
    let v2: SignedRoster = proposeRoster({ ...fed.doc, version: 2, created: rotation, previous: fed.roster.digest, members })
    for (const c of ['CZ', 'PL']) v2 = cosignRoster(v2, fed.signers.get(c)!)
    const rotated = verifyRosterUpdate(fed.roster, v2, nobleCrypto)
    const v3doc = { ...rotated.doc, version: 3, created: rotation + 1000, previous: rotated.digest, bootstraps: [] }
    // CZ plus PL's old key (still inside its grace window): only one valid voice of three.
    let v3 = cosignRoster(cosignRoster(proposeRoster(v3doc), fed.signers.get('CZ')!), fed.signers.get('PL')!)
    expect(() => verifyRosterUpdate(rotated, v3, nobleCrypto)).to.throw().with.property('code', 'ERR_ROSTER_QUORUM')
    v3 = cosignRoster(v3, newPl)
    expect(verifyRosterUpdate(rotated, v3, nobleCrypto).version).to.equal(3)
  })
})
