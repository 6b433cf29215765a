/**
 * `imi roster cosign`: adds this node's signature to a roster proposal and writes it
 * back through a temporary file, so a crash never leaves half a proposal behind.
 */
import { rename, writeFile } from 'node:fs/promises'
import { cosignRoster, payloadDocument } from '@imi/protocol'
import type { NodeConfig } from '../config.js'
import { loadIdentity } from '../identity.js'
import { InputError } from './errors.js'
import { readProposalFile } from './roster-show-proposal.js'

async function writeAtomically (path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`
  await writeFile(tmp, text, { mode: 0o644 })
  await rename(tmp, path)
}

export async function cosignCommand (config: NodeConfig, file: string, out: string | undefined): Promise<string[]> {
  const proposal = await readProposalFile(file)
  const doc = payloadDocument(proposal)
  if (doc.fed !== config.federationId) throw new InputError(`${file} is a roster of federation ${doc.fed}; this node belongs to ${config.federationId}`)
  const identity = await loadIdentity(config.keyFile)
  const signed = cosignRoster(proposal, identity.signer)
  // Signing twice replaces this key's earlier signature instead of adding one.
  const already = signed.signatures.length <= proposal.signatures.length
  const target = out ?? file
  await writeAtomically(target, JSON.stringify(signed, null, 2) + '\n')
  return [
    `${already ? 're-signed' : 'signed'} roster version ${doc.version} as ${config.country} (key ${identity.signer.kid})`,
    `${target} now carries ${signed.signatures.length} signature(s); send it back to whoever collects them`
  ]
}
