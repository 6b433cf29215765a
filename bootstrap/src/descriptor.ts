/**
 * The member descriptor `imi init` writes and an operator hands to the federation:
 * who a member is, where it listens and the key it signs with. Checked here, before it
 * goes into a proposal, so that a copy-paste mistake surfaces as a clear error instead
 * of as a genesis nobody can verify.
 */
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import {
  RosterSchemaError, decodeRosterDocument, fromBase64url, keyIdFor, type CryptoSuite, type RosterBootstrap, type RosterMember
} from '@imi/protocol'

export interface MemberDescriptor {
  readonly country: string
  readonly name: string
  readonly peerId: string
  readonly addresses: readonly string[]
  readonly key: { readonly kid: string, readonly publicKey: string, readonly notBefore: number }
}

const fail = (message: string): never => { throw new RosterSchemaError(message) }

/** The roster entry for a descriptor, after checking it is internally consistent. */
export function memberFromDescriptor (value: unknown, crypto: Pick<CryptoSuite, 'sha256'>, source = 'member descriptor'): RosterMember {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${source} must be a JSON object`)
  const d = value as Partial<MemberDescriptor> & Record<string, unknown>
  for (const k of Object.keys(d)) if (!['country', 'name', 'peerId', 'addresses', 'key'].includes(k)) fail(`${source}: ${k} is not allowed`)
  const member = { country: d.country, name: d.name, peerId: d.peerId, addresses: d.addresses, keys: [d.key] }
  // The roster decoder is the one authority on field formats: borrow it for one member.
  const checked = decodeRosterDocument({ fed: 'descriptor', version: 1, created: 0, members: [member], bootstraps: [] }).members[0]!
  const key = checked.keys[0]!
  if (key.notAfter !== undefined) fail(`${source}: a new member's key has no notAfter`)
  const raw = fromBase64url(key.publicKey)
  if (raw?.length !== 32) fail(`${source}: key.publicKey is not a 32-byte Ed25519 key`)
  if (keyIdFor(raw!, crypto) !== key.kid) fail(`${source}: key.kid is not the thumbprint of key.publicKey`)
  // A node's signing key is its libp2p identity: the transport then proves who speaks.
  if (peerIdFromPublicKey(publicKeyFromRaw(raw!)).toString() !== checked.peerId) fail(`${source}: peerId does not belong to key.publicKey`)
  return checked
}

/** `/ip4/…/tcp/4001/p2p/<id>` arguments grouped into roster bootstrap entries. */
export function bootstrapsFromMultiaddrs (addresses: readonly string[]): RosterBootstrap[] {
  const byPeer = new Map<string, string[]>()
  for (const a of addresses) {
    let peerId: string | undefined
    try { peerId = multiaddr(a).getComponents().find((c) => c.name === 'p2p')?.value } catch { fail(`"${a}" is not a multiaddr`) }
    if (peerId === undefined) fail(`bootstrap "${a}" must end with /p2p/<peer id>`)
    const base = a.slice(0, a.lastIndexOf('/p2p/'))
    const list = byPeer.get(peerId!) ?? []
    if (base.length > 0 && !list.includes(base)) list.push(base)
    byPeer.set(peerId!, list)
  }
  // Field formats are checked with the rest of the document when it is proposed.
  return [...byPeer].map(([peerId, addrs]) => ({ peerId, addresses: addrs }))
}
