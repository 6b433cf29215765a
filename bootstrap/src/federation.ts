/**
 * Federation tooling: found a federation, check a proposal's signatures, apply it.
 * Pure functions over signed rosters (file reading lives in files.ts). Nothing here can
 * sign: members co-sign proposals from their own nodes, and a bootstrap operator can only
 * assemble what they signed. A chain is every signed version, genesis first.
 */
import {
  RosterQuorumError, RosterSignatureError, Roster, describeChange, fromBase64url, fromUtf8, instantText, payloadDocument,
  proposeRoster, quorumFor, signingCountries, verifyGenesis, verifyRosterChain, verifyRosterUpdate,
  type CryptoSuite, type RosterBootstrap, type RosterDocument, type RosterMember, type SignedRoster
} from '@imi/protocol'

/** The unsigned founding proposal: version 1, which every founding member must sign. */
export function genesis (fed: string, members: readonly RosterMember[], bootstraps: readonly RosterBootstrap[], created: number): SignedRoster {
  for (const m of members) {
    const early = m.keys.find((k) => k.notBefore > created)
    // Otherwise that member's own signature would not count and the genesis could never verify.
    if (early !== undefined) throw new RosterQuorumError(`${m.country}'s key is valid only from ${instantText(early.notBefore)}, after the genesis`)
  }
  return proposeRoster({ fed, version: 1, created, members, bootstraps })
}

/** The newest verified version of a chain. */
export function currentOf (chain: readonly SignedRoster[], crypto: CryptoSuite, federationId?: string): Roster {
  return verifyRosterChain(chain, crypto, federationId)
}

/** An unsigned proposal for the next version, built by one of the changes in @imi/protocol. */
export function propose (doc: RosterDocument): SignedRoster {
  return proposeRoster(doc)
}

export interface Applied {
  readonly roster: Roster
  readonly chain: readonly SignedRoster[]
}

/**
 * Verifies `proposal` as the genesis (empty chain: every founder signed) or as the next
 * version (quorum of the current members) and returns the longer chain. Throws the
 * protocol's typed errors, exactly as every node would refuse it.
 */
export function apply (chain: readonly SignedRoster[], proposal: SignedRoster, crypto: CryptoSuite): Applied {
  if (chain.length === 0) return { roster: verifyGenesis(proposal, crypto), chain: [proposal] }
  const roster = verifyRosterUpdate(currentOf(chain, crypto), proposal, crypto)
  return { roster, chain: [...chain, proposal] }
}

export interface SignStatus {
  readonly version: number
  readonly genesis: boolean
  /** Member signatures needed: every founder at genesis, two thirds of the current members after. */
  readonly needed: number
  readonly members: number
  readonly signed: readonly string[]
  readonly missing: readonly string[]
  /** Signatures by keys the signing roster does not list or that were not valid then. */
  readonly uncounted: number
  /** Key ids whose signature does not verify over this payload (tampered or mixed up). */
  readonly invalid: readonly string[]
  readonly ready: boolean
  /** What the proposal changes, one line each. */
  readonly changes: readonly string[]
}

/** Who signed `proposal` and how many more signatures it needs. */
export function status (proposal: SignedRoster, chain: readonly SignedRoster[], crypto: CryptoSuite): SignStatus {
  const doc = payloadDocument(proposal)
  const isGenesis = chain.length === 0
  const judge = isGenesis ? new Roster(proposal, doc, crypto) : currentOf(chain, crypto)
  const signed = new Set<string>()
  const invalid: string[] = []
  let uncounted = 0
  for (const sig of proposal.signatures) {
    try {
      const countries = signingCountries({ payload: proposal.payload, signatures: [sig] }, doc, judge, crypto)
      if (countries.size === 0) uncounted++
      for (const c of countries) signed.add(c)
    } catch (err) {
      if (!(err instanceof RosterSignatureError)) throw err
      invalid.push(kidOf(sig.protected))
    }
  }
  const needed = isGenesis ? judge.size : quorumFor(judge.size)
  return {
    version: doc.version,
    genesis: isGenesis,
    needed,
    members: judge.size,
    signed: [...signed].sort(),
    missing: judge.countries().filter((c) => !signed.has(c)).sort(),
    uncounted,
    invalid,
    ready: invalid.length === 0 && signed.size >= needed,
    changes: isGenesis ? describeGenesis(doc) : describeChange(judge, doc)
  }
}

function describeGenesis (doc: RosterDocument): string[] {
  return [
    `genesis of federation ${doc.fed}, created ${instantText(doc.created)}`,
    ...doc.members.map((m) => `+ member ${m.country} "${m.name}" peer ${m.peerId}, key ${m.keys[0]?.kid ?? '?'}, addresses [${m.addresses.join(' ')}]`),
    ...doc.bootstraps.map((b) => `+ bootstrap ${b.peerId} [${b.addresses.join(' ')}]`)
  ]
}

function kidOf (prot: string): string {
  try {
    const header = JSON.parse(fromUtf8(fromBase64url(prot) ?? new Uint8Array())) as { kid?: unknown }
    return typeof header.kid === 'string' ? header.kid : '(no kid)'
  } catch {
    return '(malformed header)'
  }
}
