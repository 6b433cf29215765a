import type { CryptoSuite } from '../crypto/types.js'
import { fromBase64url, toBase64url } from '../encoding.js'
import type { KeyInfo, KeyResolver } from '../envelope/keys.js'
import type { RosterDocument, RosterMember, SignedRoster } from './types.js'

/** A verified roster version: the answer to "who is in, with which keys, where". */
export class Roster implements KeyResolver {
  readonly doc: RosterDocument
  readonly signed: SignedRoster
  /** SHA-256 of the payload bytes: what the next version names as `previous`. */
  readonly digest: string
  private readonly keys = new Map<string, KeyInfo>()
  private readonly byCountry = new Map<string, RosterMember>()
  private readonly byPeer = new Map<string, RosterMember>()

  constructor (signed: SignedRoster, doc: RosterDocument, crypto: Pick<CryptoSuite, 'sha256'>) {
    this.signed = signed
    this.doc = doc
    this.digest = toBase64url(crypto.sha256(fromBase64url(signed.payload) ?? new Uint8Array()))
    for (const m of doc.members) {
      this.byCountry.set(m.country, m)
      this.byPeer.set(m.peerId, m)
      for (const k of m.keys) {
        const publicKey = fromBase64url(k.publicKey) ?? new Uint8Array()
        this.keys.set(k.kid, { kid: k.kid, country: m.country, publicKey, notBefore: k.notBefore, ...(k.notAfter !== undefined && { notAfter: k.notAfter }) })
      }
    }
  }

  get version (): number { return this.doc.version }
  get federationId (): string { return this.doc.fed }

  key (kid: string): KeyInfo | undefined { return this.keys.get(kid) }
  member (country: string): RosterMember | undefined { return this.byCountry.get(country) }
  memberByPeerId (peerId: string): RosterMember | undefined { return this.byPeer.get(peerId) }
  countries (): string[] { return [...this.byCountry.keys()] }
  get size (): number { return this.byCountry.size }

  isBootstrap (peerId: string): boolean {
    return this.doc.bootstraps.some((b) => b.peerId === peerId)
  }

  /** Peers a node may talk to at all: members and bootstrap nodes. */
  admits (peerId: string): boolean {
    return this.byPeer.has(peerId) || this.isBootstrap(peerId)
  }

  /** The key a member signs with now: valid at `at`, newest first. */
  currentKey (country: string, at: number): KeyInfo | undefined {
    const member = this.byCountry.get(country)
    if (member === undefined) return undefined
    const valid = member.keys.filter((k) => k.notBefore <= at && (k.notAfter === undefined || at < k.notAfter))
    const newest = valid.sort((a, b) => b.notBefore - a.notBefore)[0]
    return newest === undefined ? undefined : this.keys.get(newest.kid)
  }
}

/** Signatures needed to change a roster of `members` members: at least two thirds. */
export function quorumFor (members: number): number {
  return Math.ceil((members * 2) / 3)
}
