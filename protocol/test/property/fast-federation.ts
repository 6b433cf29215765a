/**
 * A verified roster whose members sign with node:crypto keys (see fast-crypto.ts), for
 * properties that sign thousands of records. One member has rotated its key, so the
 * "which key speaks for a country at a given time" rule is exercised too.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import {
  cosignRoster, proposeRoster, toBase64url, utf8, verifyGenesis, type Roster, type RosterDocument, type RosterKey,
  type SignedRoster, type Signer
} from '../../src/index.js'
import { fakePeerId } from '../fixtures.js'
import { fastCrypto, fastSigner } from './fast-crypto.js'

export const FAST_FED = 'imi-prop'
/** The instant the rotating member's new key takes over from its old one. */
export const ROTATION_AT = 1_800_000_000_000

export interface FastFederation {
  readonly roster: Roster
  readonly signed: SignedRoster
  readonly doc: RosterDocument
  /** The current signer of each country (the new key of the rotating one). */
  readonly signers: ReadonlyMap<string, Signer>
  /** The rotating member's signer before ROTATION_AT. */
  readonly oldSigner: Signer
  readonly rotating: string
}

export function seedOf (label: string): Uint8Array {
  return sha256(utf8(`property-seed:${label}`))
}

export function fastFederation (countries: readonly string[], fed = FAST_FED, rotating = countries[0]!): FastFederation {
  const signers = new Map(countries.map((c) => [c, fastSigner(seedOf(`${fed}:${c}`))]))
  const oldSigner = fastSigner(seedOf(`${fed}:${rotating}:old`))
  const keyOf = (s: Signer, notBefore: number, notAfter?: number): RosterKey =>
    ({ kid: s.kid, publicKey: toBase64url(s.publicKey), notBefore, ...(notAfter !== undefined && { notAfter }) })
  const doc: RosterDocument = {
    fed,
    version: 1,
    created: 1000,
    members: countries.map((c) => ({
      country: c,
      name: `${c} node`,
      peerId: fakePeerId(`${fed}:${c}`),
      addresses: [],
      keys: c === rotating
        ? [keyOf(oldSigner, 0, ROTATION_AT + 60_000), keyOf(signers.get(c)!, ROTATION_AT)]
        : [keyOf(signers.get(c)!, 0)]
    })),
    bootstraps: []
  }
  let signed: SignedRoster = proposeRoster(doc)
  // At the genesis (created 1000) the rotating member's current key is its old one.
  for (const c of countries) signed = cosignRoster(signed, c === rotating ? oldSigner : signers.get(c)!)
  return { roster: verifyGenesis(signed, fastCrypto, fed), signed, doc, signers, oldSigner, rotating }
}
