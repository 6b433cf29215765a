/**
 * `imi roster show-proposal`: what a proposal changes relative to this node's current
 * roster, one line per difference, so the operator knows exactly what they co-sign.
 */
import { readFile } from 'node:fs/promises'
import { describeChange, instantText, parseRosterProposal, payloadDocument, type RosterDocument, type SignedRoster } from '@imi/protocol'
import type { NodeConfig } from '../config.js'
import { loadIdentity } from '../identity.js'
import { InputError } from './errors.js'
import { currentRoster } from './local-files.js'

export async function readProposalFile (path: string): Promise<SignedRoster> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new InputError(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  try {
    return parseRosterProposal(text, path)
  } catch (err) {
    throw new InputError(`${path} is not a roster proposal: ${(err as Error).message}`)
  }
}

function describeGenesis (doc: RosterDocument): string[] {
  return [
    `genesis (version 1) of federation ${doc.fed}, created ${instantText(doc.created)}`,
    ...doc.members.map((m) => `+ member ${m.country} "${m.name}" peer ${m.peerId}, key ${m.keys.map((k) => k.kid).join(', ')}, addresses [${m.addresses.join(' ')}]`),
    ...doc.bootstraps.map((b) => `+ bootstrap ${b.peerId} [${b.addresses.join(' ')}]`)
  ]
}

export async function showProposalCommand (config: NodeConfig, file: string): Promise<string[]> {
  const proposal = await readProposalFile(file)
  const doc = payloadDocument(proposal)
  const current = await currentRoster(config)
  const changes = current === undefined ? describeGenesis(doc) : describeChange(current, doc)
  const identity = await loadIdentity(config.keyFile)
  const me = doc.members.find((m) => m.country === config.country)
  const mine = me === undefined
    ? `${config.country} is not a member in this proposal`
    : me.peerId === identity.peerId ? `${config.country} is listed with this node's key` : `WARNING ${config.country} is listed with another peer id than this node's (${identity.peerId})`
  return [
    ...(current === undefined ? ['this node holds no roster yet: the proposal is read as a genesis'] : []),
    ...changes,
    mine,
    `${proposal.signatures.length} signature(s) so far`
  ]
}
