import { sha256 } from '@noble/hashes/sha2.js'
import {
  cosignRoster, nobleCrypto, nobleSigner, proposeRoster, toBase64url, utf8, verifyGenesis,
  type Roster, type RosterDocument, type RosterMember, type Signer
} from '../src/index.js'

export const FED = 'imi-test'
export const T0 = Date.UTC(2026, 10, 1)

/** Deterministic seed per label, so fixtures never depend on randomness. */
export function seedFor (label: string): Uint8Array {
  return sha256(utf8(`seed:${label}`))
}

export function fakePeerId (label: string): string {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
  const digest = sha256(utf8(`peer:${label}`))
  let out = '12D3KooW'
  for (let i = 0; out.length < 52; i++) out += alphabet[digest[i % 32]! % alphabet.length]
  return out
}

export function memberFor (country: string, signer: Signer, notBefore = T0 - 1000): RosterMember {
  return {
    country,
    name: `${country} node`,
    peerId: fakePeerId(country),
    addresses: [`/ip4/127.0.0.1/tcp/4${country.charCodeAt(0)}${country.charCodeAt(1)}`],
    keys: [{ kid: signer.kid, publicKey: toBase64url(signer.publicKey), notBefore }]
  }
}

export interface TestFederation {
  readonly roster: Roster
  readonly signers: Map<string, Signer>
  readonly doc: RosterDocument
}

export function testFederation (countries: string[], fed = FED): TestFederation {
  const signers = new Map(countries.map((c) => [c, nobleSigner(seedFor(`${fed}:${c}`))]))
  const doc: RosterDocument = {
    fed,
    version: 1,
    created: T0,
    members: countries.map((c) => memberFor(c, signers.get(c)!)),
    bootstraps: []
  }
  let signed = proposeRoster(doc) as Parameters<typeof cosignRoster>[0]
  for (const s of signers.values()) signed = cosignRoster(signed, s)
  return { roster: verifyGenesis(signed, nobleCrypto, fed), signers, doc }
}

let counter = 0
/** Deterministic "random" bytes for tests. */
export function testRandom (n: number): Uint8Array {
  return sha256(utf8(`random:${counter++}`)).slice(0, n)
}
