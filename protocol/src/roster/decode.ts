import { FEDERATION_ID_PATTERN, JWS_TYPE_ROSTER, MAX_ROSTER_BYTES } from '../constants.js'
import { fromBase64url, fromUtf8 } from '../encoding.js'
import { RosterSchemaError } from '../errors.js'
import {
  B64U_PATTERN, DIGEST_PATTERN, expectArray, expectCountry, expectInteger, expectObject, expectString,
  onlyKeys, type SchemaFail
} from '../schema.js'
import type { RosterBootstrap, RosterDocument, RosterKey, RosterMember, SignedRoster } from './types.js'

const fail: SchemaFail = (message) => { throw new RosterSchemaError(message) }
const PEER_ID_PATTERN = /^[1-9A-HJ-NP-Za-km-z]{40,64}$/
const MULTIADDR_PATTERN = /^\/[\w.:/-]{1,250}$/

function decodeKey (v: unknown, path: string): RosterKey {
  const o = expectObject(v, path, fail)
  onlyKeys(o, ['kid', 'publicKey', 'notBefore', 'notAfter'], path, fail)
  const key = {
    kid: expectString(o.kid, `${path}.kid`, fail, DIGEST_PATTERN),
    publicKey: expectString(o.publicKey, `${path}.publicKey`, fail, DIGEST_PATTERN),
    notBefore: expectInteger(o.notBefore, `${path}.notBefore`, fail)
  }
  if (o.notAfter === undefined) return key
  const notAfter = expectInteger(o.notAfter, `${path}.notAfter`, fail)
  if (notAfter <= key.notBefore) fail(`${path}.notAfter must be after notBefore`)
  return { ...key, notAfter }
}

function decodeAddresses (v: unknown, path: string): string[] {
  return expectArray(v, path, fail, 16).map((a, i) => expectString(a, `${path}[${i}]`, fail, MULTIADDR_PATTERN, 256))
}

function decodeMember (v: unknown, path: string): RosterMember {
  const o = expectObject(v, path, fail)
  onlyKeys(o, ['country', 'name', 'peerId', 'addresses', 'keys'], path, fail)
  return {
    country: expectCountry(o.country, `${path}.country`, fail),
    name: expectString(o.name, `${path}.name`, fail, undefined, 200),
    peerId: expectString(o.peerId, `${path}.peerId`, fail, PEER_ID_PATTERN),
    addresses: decodeAddresses(o.addresses, `${path}.addresses`),
    keys: expectArray(o.keys, `${path}.keys`, fail, 8, 1).map((k, i) => decodeKey(k, `${path}.keys[${i}]`))
  }
}

function decodeBootstrap (v: unknown, path: string): RosterBootstrap {
  const o = expectObject(v, path, fail)
  onlyKeys(o, ['peerId', 'addresses'], path, fail)
  return {
    peerId: expectString(o.peerId, `${path}.peerId`, fail, PEER_ID_PATTERN),
    addresses: decodeAddresses(o.addresses, `${path}.addresses`)
  }
}

export function decodeRosterDocument (v: unknown): RosterDocument {
  const o = expectObject(v, 'roster', fail)
  onlyKeys(o, ['fed', 'version', 'created', 'previous', 'members', 'bootstraps'], 'roster', fail)
  const members = expectArray(o.members, 'roster.members', fail, 64, 1).map((m, i) => decodeMember(m, `roster.members[${i}]`))
  const countries = new Set<string>()
  const kids = new Set<string>()
  const peers = new Set<string>()
  for (const m of members) {
    if (countries.has(m.country)) fail(`roster lists ${m.country} twice`)
    if (peers.has(m.peerId)) fail(`roster lists peer ${m.peerId} twice`)
    countries.add(m.country)
    peers.add(m.peerId)
    for (const k of m.keys) {
      if (kids.has(k.kid)) fail(`roster lists key ${k.kid} twice`)
      kids.add(k.kid)
    }
  }
  const doc = {
    fed: expectString(o.fed, 'roster.fed', fail, FEDERATION_ID_PATTERN),
    version: expectInteger(o.version, 'roster.version', fail, 1),
    created: expectInteger(o.created, 'roster.created', fail),
    members,
    bootstraps: expectArray(o.bootstraps, 'roster.bootstraps', fail, 16).map((b, i) => decodeBootstrap(b, `roster.bootstraps[${i}]`))
  }
  return o.previous === undefined ? doc : { ...doc, previous: expectString(o.previous, 'roster.previous', fail, DIGEST_PATTERN) }
}

export function decodeSignedRoster (v: unknown): SignedRoster {
  const o = expectObject(v, 'signed roster', fail)
  onlyKeys(o, ['payload', 'signatures'], 'signed roster', fail)
  const payload = expectString(o.payload, 'payload', fail, B64U_PATTERN, MAX_ROSTER_BYTES)
  const signatures = expectArray(o.signatures, 'signatures', fail, 64, 1).map((s, i) => {
    const so = expectObject(s, `signatures[${i}]`, fail)
    onlyKeys(so, ['protected', 'signature'], `signatures[${i}]`, fail)
    return {
      protected: expectString(so.protected, `signatures[${i}].protected`, fail, B64U_PATTERN, 512),
      signature: expectString(so.signature, `signatures[${i}].signature`, fail, B64U_PATTERN, 128)
    }
  })
  return { payload, signatures }
}

/** Parses the JSON text of a signed roster, bounded in size. */
export function parseSignedRoster (text: string): SignedRoster {
  if (text.length > MAX_ROSTER_BYTES * 2) fail('roster exceeds the size limit')
  let value: unknown
  try { value = JSON.parse(text) } catch { fail('roster is not JSON') }
  return decodeSignedRoster(value)
}

export function payloadDocument (signed: SignedRoster): RosterDocument {
  const bytes = fromBase64url(signed.payload)
  if (bytes === undefined) fail('roster payload is not base64url')
  let value: unknown
  try { value = JSON.parse(fromUtf8(bytes as Uint8Array)) } catch { fail('roster payload is not UTF-8 JSON') }
  return decodeRosterDocument(value)
}

/** The protected header of one roster signature, or undefined when it is not ours. */
export function signatureHeader (prot: string): { kid: string } | undefined {
  const bytes = fromBase64url(prot)
  if (bytes === undefined) return undefined
  try {
    const h = JSON.parse(fromUtf8(bytes)) as Record<string, unknown>
    if (h.alg !== 'EdDSA' || h.typ !== JWS_TYPE_ROSTER || typeof h.kid !== 'string') return undefined
    if (Object.keys(h).length !== 3) return undefined
    return { kid: h.kid }
  } catch {
    return undefined
  }
}

/**
 * A roster file holds a chain: a JSON array of signed versions, genesis first, so anyone
 * can verify it from the founding act alone. A single signed roster is a chain of one.
 */
export function parseRosterChain (text: string, source = 'roster'): SignedRoster[] {
  if (text.length > MAX_ROSTER_BYTES * 64) fail(`${source} exceeds the size limit`)
  let value: unknown
  try { value = JSON.parse(text) } catch { fail(`${source} is not JSON`) }
  const versions = Array.isArray(value) ? value : [value]
  if (versions.length === 0) fail(`${source} holds no roster version`)
  return versions.map((v) => decodeSignedRoster(v))
}

/** A proposal may carry no signature yet; everything else is checked as for a roster. */
export function parseRosterProposal (text: string, source = 'proposal'): SignedRoster {
  let value: unknown
  try { value = JSON.parse(text) } catch { fail(`${source} is not JSON`) }
  const o = expectObject(value, source, fail)
  if (Array.isArray(o.signatures) && o.signatures.length === 0) {
    const { payload } = decodeSignedRoster({ ...o, signatures: [{ protected: '', signature: '' }] })
    payloadDocument({ payload, signatures: [] })
    return { payload, signatures: [] }
  }
  const signed = decodeSignedRoster(o)
  payloadDocument(signed)
  return signed
}
