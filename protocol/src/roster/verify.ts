/**
 * The quorum rule. Version 1 is the founding act: every founding member signs it.
 * Version n+1 is valid only with signatures of at least two thirds of the members of
 * version n, each made with a key that version n lists and that was valid when n+1 was
 * created. No single party, the bootstrap operator included, can change the roster.
 */
import type { CryptoSuite } from '../crypto/types.js'
import { utf8 } from '../encoding.js'
import { RosterChainError, RosterQuorumError, RosterSignatureError, RosterVersionError } from '../errors.js'
import { fromBase64url } from '../encoding.js'
import { payloadDocument, signatureHeader } from './decode.js'
import { Roster, quorumFor } from './roster.js'
import type { RosterDocument, SignedRoster } from './types.js'


/** Countries whose valid signatures the roster carries, judged by `signers`' keys. */
export function signingCountries (signed: SignedRoster, doc: RosterDocument, signers: Roster, crypto: CryptoSuite): Set<string> {
  const countries = new Set<string>()
  for (const sig of signed.signatures) {
    const header = signatureHeader(sig.protected)
    if (header === undefined) throw new RosterSignatureError('a roster signature has a malformed header')
    const key = signers.key(header.kid)
    // A key the signing roster does not know (a joining member's, say) counts for nothing.
    if (key === undefined) continue
    if (doc.created < key.notBefore || (key.notAfter !== undefined && doc.created >= key.notAfter)) continue
    // During a rotation's grace period the old key still verifies old messages, but only a
    // member's newest key may sign a roster change: a key rotated out (perhaps because it
    // leaked) must not keep a say in who is trusted.
    if (signers.currentKey(key.country, doc.created)?.kid !== key.kid) continue
    const signature = fromBase64url(sig.signature)
    if (signature?.length !== 64 || !crypto.verify(key.publicKey, utf8(sig.protected + '.' + signed.payload), signature)) {
      throw new RosterSignatureError(`signature by ${header.kid} does not verify`)
    }
    countries.add(key.country)
  }
  return countries
}

export function verifyGenesis (signed: SignedRoster, crypto: CryptoSuite, federationId?: string): Roster {
  const doc = payloadDocument(signed)
  if (doc.version !== 1 || doc.previous !== undefined) throw new RosterVersionError('a genesis roster is version 1 with no previous version')
  if (federationId !== undefined && doc.fed !== federationId) throw new RosterChainError(`roster belongs to federation ${doc.fed}`)
  const roster = new Roster(signed, doc, crypto)
  const signers = signingCountries(signed, doc, roster, crypto)
  const missing = roster.countries().filter((c) => !signers.has(c))
  if (missing.length > 0) throw new RosterQuorumError(`genesis lacks the signatures of ${missing.join(', ')}`)
  return roster
}

export function verifyRosterUpdate (current: Roster, signed: SignedRoster, crypto: CryptoSuite): Roster {
  const doc = payloadDocument(signed)
  if (doc.fed !== current.federationId) throw new RosterChainError(`roster belongs to federation ${doc.fed}`)
  if (doc.version <= current.version) throw new RosterVersionError(`version ${doc.version} is not newer than ${current.version}`)
  if (doc.version !== current.version + 1) throw new RosterChainError(`version ${doc.version} does not follow ${current.version}`)
  if (doc.previous !== current.digest) throw new RosterChainError('roster does not name the current version as its previous')
  if (doc.created <= current.doc.created) throw new RosterChainError('roster is not newer than the current version')
  const signers = signingCountries(signed, doc, current, crypto)
  const needed = quorumFor(current.size)
  if (signers.size < needed) {
    throw new RosterQuorumError(`roster carries ${signers.size} member signatures; ${needed} of ${current.size} are needed`)
  }
  return new Roster(signed, doc, crypto)
}

/** Verifies genesis and each later version in order; returns the newest. */
export function verifyRosterChain (chain: readonly SignedRoster[], crypto: CryptoSuite, federationId?: string): Roster {
  const [genesis, ...updates] = chain
  if (genesis === undefined) throw new RosterChainError('empty roster chain')
  let roster = verifyGenesis(genesis, crypto, federationId)
  for (const update of updates) roster = verifyRosterUpdate(roster, update, crypto)
  return roster
}
