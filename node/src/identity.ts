/**
 * One persisted Ed25519 identity per node: it is the libp2p PeerId (so the transport
 * authenticates the node) and it signs envelopes and receipts (so the roster's key for
 * a country and that country's PeerId are the same key). Rotation is a roster change.
 */
import { access, writeFile } from 'node:fs/promises'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { memberState, toBase64url, type RosterKey, type RosterMember, type Signer } from '@imi/protocol'
import { nodeSigner } from './crypto.js'
import { ConfigError } from './errors.js'
import { readSettingFile } from './setting-file.js'

export interface NodeIdentity {
  readonly privateKey: PrivateKey
  readonly peerId: string
  readonly signer: Signer
}

export function identityFrom (privateKey: PrivateKey): NodeIdentity {
  if (privateKey.type !== 'Ed25519') throw new ConfigError('keyFile', 'the node key must be Ed25519')
  // libp2p's raw Ed25519 private key is the 32-byte seed followed by the public key.
  const raw = privateKey.raw
  const signer = nodeSigner(raw.subarray(0, 32), privateKey.publicKey.raw)
  return { privateKey, peerId: peerIdFromPrivateKey(privateKey).toString(), signer }
}

export async function generateIdentity (): Promise<NodeIdentity> {
  return identityFrom(await generateKeyPair('Ed25519'))
}

/** Writes the key readable by its owner only; refuses to overwrite an existing key. */
export async function saveIdentity (path: string, identity: NodeIdentity): Promise<void> {
  await writeFile(path, privateKeyToProtobuf(identity.privateKey), { mode: 0o600, flag: 'wx' })
}

export async function loadIdentity (path: string): Promise<NodeIdentity> {
  const bytes = await readSettingFile('keyFile', path)
  try {
    return identityFrom(privateKeyFromProtobuf(bytes))
  } catch (err) {
    if (err instanceof ConfigError) throw err
    throw new ConfigError('keyFile', `${path} is not a libp2p private key`)
  }
}

/**
 * The key `imi rotate-key --finish` kept as `<keyFile>.old`, if any. Never signs: content
 * sealed to it before the rotation (confidential alerts, read on demand) must stay
 * readable after it, so the sealer opens with it when the current key is not a recipient.
 */
export async function loadRetiredIdentity (keyFile: string): Promise<NodeIdentity | undefined> {
  const path = `${keyFile}.old`
  try {
    await access(path)
  } catch {
    return undefined
  }
  return await loadIdentity(path)
}

/** The roster entry for this identity's key. */
export function rosterKeyOf (identity: NodeIdentity, notBefore: number): RosterKey {
  return { kid: identity.signer.kid, publicKey: toBase64url(identity.signer.publicKey), notBefore }
}

/** The roster entry a member is founded or joins with: its identity, key and addresses. */
export function rosterMemberOf (identity: NodeIdentity, country: string, addresses: readonly string[], notBefore: number): RosterMember {
  return { country, name: memberState(country)?.name ?? country, peerId: identity.peerId, addresses: [...addresses], keys: [rosterKeyOf(identity, notBefore)] }
}
