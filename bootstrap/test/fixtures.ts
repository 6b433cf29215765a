/**
 * Test members with real node identities (so a descriptor's peer id belongs to its key)
 * and a federation founded through the bootstrap tooling itself.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cosignRoster, memberState, type SignedRoster } from '@imi/protocol'
import { generateIdentity, nodeCrypto, rosterKeyOf, type NodeIdentity } from '@imi/node'
import type { MemberDescriptor } from '../src/index.js'

export const FED = 'imi-test'

export interface Founder {
  readonly country: string
  readonly identity: NodeIdentity
  readonly descriptor: MemberDescriptor
}

export async function founders (countries: readonly string[], notBefore: number, addresses: (country: string) => string[] = () => []): Promise<Founder[]> {
  return await Promise.all(countries.map(async (country) => {
    const identity = await generateIdentity()
    const key = rosterKeyOf(identity, notBefore)
    return {
      country,
      identity,
      descriptor: { country, name: memberState(country)?.name ?? country, peerId: identity.peerId, addresses: addresses(country), key: { kid: key.kid, publicKey: key.publicKey, notBefore } }
    }
  }))
}

export function signedBy (proposal: SignedRoster, signers: readonly Founder[]): SignedRoster {
  let signed = proposal
  for (const f of signers) signed = cosignRoster(signed, f.identity.signer)
  return signed
}

export async function tempDir (prefix = 'imi-boot-'): Promise<string> {
  return await mkdtemp(join(tmpdir(), prefix))
}

export const crypto = nodeCrypto
