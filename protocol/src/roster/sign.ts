import { JWS_TYPE_ROSTER } from '../constants.js'
import type { Signer } from '../crypto/types.js'
import { canonicalJson, toBase64url, utf8 } from '../encoding.js'
import { RosterSchemaError } from '../errors.js'
import { decodeRosterDocument, signatureHeader } from './decode.js'
import type { RosterDocument, SignedRoster } from './types.js'

export function encodeRosterPayload (doc: RosterDocument): string {
  // Decoding first guarantees we never sign something other nodes would refuse.
  return toBase64url(utf8(canonicalJson(decodeRosterDocument(JSON.parse(JSON.stringify(doc))))))
}

export function rosterSignature (payload: string, signer: Signer): { protected: string, signature: string } {
  const prot = toBase64url(utf8(JSON.stringify({ alg: 'EdDSA', kid: signer.kid, typ: JWS_TYPE_ROSTER })))
  return { protected: prot, signature: toBase64url(signer.sign(utf8(prot + '.' + payload))) }
}

/** An unsigned proposal: the payload members will co-sign. */
export function proposeRoster (doc: RosterDocument): SignedRoster & { signatures: [] } {
  return { payload: encodeRosterPayload(doc), signatures: [] }
}

/** Adds one co-signature; signing twice with the same key replaces the earlier one. */
export function cosignRoster (roster: SignedRoster, signer: Signer): SignedRoster {
  if (roster.payload.length === 0) throw new RosterSchemaError('roster has no payload')
  const others = roster.signatures.filter((s) => kidOf(s.protected) !== signer.kid)
  return { payload: roster.payload, signatures: [...others, rosterSignature(roster.payload, signer)] }
}

function kidOf (prot: string): string | undefined {
  return signatureHeader(prot)?.kid
}
