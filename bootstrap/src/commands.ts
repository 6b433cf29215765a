/**
 * The federation commands behind the CLI. Each reads its files, does one thing and
 * returns the lines to show, so it runs in tests without a process or a terminal.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import {
  describeChange, memberJoins, memberLeaves, payloadDocument, quorumFor, rotateKey, setBootstraps, updateAddresses,
  type CryptoSuite, type RosterDocument, type SignedRoster
} from '@imi/protocol'
import { loadIdentity } from '@imi/node'
import { KEY_FILE } from './bootstrap-node.js'
import { bootstrapsFromMultiaddrs, memberFromDescriptor } from './descriptor.js'
import { UsageError } from './errors.js'
import { apply, currentOf, genesis, propose, status } from './federation.js'
import { readJson, readProposal, readRosterChain, writeJson } from './files.js'
import { exists, loadOrCreateIdentity } from './identity-file.js'

const DAY_MS = 24 * 60 * 60 * 1000

export async function initCommand (dir: string): Promise<string[]> {
  const keyFile = join(dir, KEY_FILE)
  if (await exists(keyFile)) return [`already initialised: peer id ${(await loadIdentity(keyFile)).peerId} (${keyFile})`]
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const identity = await loadOrCreateIdentity(keyFile)
  return [
    `peer id ${identity.peerId}`,
    `key written to ${keyFile} (readable by its owner only)`,
    `name this bootstrap in the genesis as --bootstrap /ip4/<public address>/tcp/<port>/p2p/${identity.peerId}`
  ]
}

async function members (paths: readonly string[], crypto: CryptoSuite): Promise<ReturnType<typeof memberFromDescriptor>[]> {
  return await Promise.all(paths.map(async (p) => memberFromDescriptor(await readJson(p), crypto, p)))
}

export interface GenesisArgs { fed: string, members: readonly string[], bootstraps: readonly string[], out: string, created: number }

export async function genesisCommand (args: GenesisArgs, crypto: CryptoSuite): Promise<string[]> {
  if (args.members.length === 0) throw new UsageError('--members names no member descriptor')
  const proposal = genesis(args.fed, await members(args.members, crypto), bootstrapsFromMultiaddrs(args.bootstraps), args.created)
  await writeJson(args.out, proposal)
  const lines = status(proposal, [], crypto).changes
  return [...lines, `wrote ${args.out}: every one of the ${args.members.length} founding members must co-sign it`]
}

export type ChangeKind = 'join' | 'leave' | 'rotate-key' | 'addresses' | 'bootstraps'
export const CHANGE_KINDS: readonly ChangeKind[] = ['join', 'leave', 'rotate-key', 'addresses', 'bootstraps']

export interface ProposeArgs {
  kind: ChangeKind
  roster: string
  out: string
  created: number
  member?: string | undefined
  country?: string | undefined
  addresses?: readonly string[] | undefined
  bootstraps?: readonly string[] | undefined
  graceDays?: number | undefined
}

function need<T> (value: T | undefined, option: string, kind: string): T {
  if (value === undefined) throw new UsageError(`propose ${kind} needs ${option}`)
  return value
}

export async function proposeCommand (args: ProposeArgs, crypto: CryptoSuite): Promise<string[]> {
  const current = currentOf(await readRosterChain(args.roster), crypto)
  const { kind, created } = args
  let doc: RosterDocument
  if (kind === 'join') {
    doc = memberJoins(current, (await members([need(args.member, '--member <descriptor.json>', kind)], crypto))[0]!, created)
  } else if (kind === 'leave') {
    doc = memberLeaves(current, need(args.country, '--country <CC>', kind), created)
  } else if (kind === 'rotate-key') {
    const country = need(args.country, '--country <CC>', kind)
    const next = (await members([need(args.member, '--member <new descriptor.json>', kind)], crypto))[0]!
    if (next.country !== country) throw new UsageError(`the descriptor is for ${next.country}, not ${country}`)
    doc = rotateKey(current, country, next.keys[0]!, created, Math.round((args.graceDays ?? 30) * DAY_MS), { peerId: next.peerId })
  } else if (kind === 'addresses') {
    doc = updateAddresses(current, need(args.country, '--country <CC>', kind), need(args.addresses, '--address <multiaddr>', kind), created)
  } else {
    doc = setBootstraps(current, bootstrapsFromMultiaddrs(need(args.bootstraps, '--bootstrap <multiaddr/p2p/id>', kind)), created)
  }
  await writeJson(args.out, propose(doc))
  return [...describeChange(current, doc), `wrote ${args.out}: needs ${quorumFor(current.size)} of the ${current.size} members' signatures`]
}

export async function signStatusCommand (proposalPath: string, rosterPath: string | undefined, crypto: CryptoSuite): Promise<string[]> {
  return (await signStatusReport(proposalPath, rosterPath, crypto)).lines
}

/** Who signed a proposal, and whether it can be applied: the CLI exits 1 when it cannot. */
export async function signStatusReport (proposalPath: string, rosterPath: string | undefined, crypto: CryptoSuite): Promise<{ lines: string[], ready: boolean }> {
  const proposal = await readProposal(proposalPath)
  const chain = await chainFor(proposal, rosterPath)
  const s = status(proposal, chain, crypto)
  const more = Math.max(0, s.needed - s.signed.length)
  const lines = [
    ...s.changes,
    `signed by ${s.signed.length} of ${s.members} members (${s.needed} needed): ${s.signed.join(', ') || 'nobody yet'}`,
    ...(s.missing.length > 0 ? [`not signed by: ${s.missing.join(', ')}`] : []),
    ...(s.uncounted > 0 ? [`${s.uncounted} signature(s) by keys the ${s.genesis ? 'genesis' : 'current roster'} does not count`] : []),
    ...(s.invalid.length > 0 ? [`INVALID signatures (the payload was changed after signing?) by keys: ${s.invalid.join(', ')}`] : []),
    s.ready ? 'ready to apply' : `not ready: ${more > 0 ? `${more} more member signature(s) needed` : 'remove the invalid signatures'}`
  ]
  return { lines, ready: s.ready }
}

export async function applyCommand (proposalPath: string, rosterPath: string | undefined, out: string, crypto: CryptoSuite): Promise<string[]> {
  const proposal = await readProposal(proposalPath)
  const result = apply(await chainFor(proposal, rosterPath), proposal, crypto)
  await writeJson(out, result.chain)
  return [`version ${result.roster.version} of ${result.roster.federationId} verified (${result.roster.size} members); wrote the chain of ${result.chain.length} version(s) to ${out}`]
}

/** A genesis is judged on its own; any later version against the current chain. */
async function chainFor (proposal: SignedRoster, rosterPath: string | undefined): Promise<SignedRoster[]> {
  if (rosterPath !== undefined) return await readRosterChain(rosterPath)
  if (payloadDocument(proposal).version !== 1) throw new UsageError('this proposal changes an existing roster: pass --roster <current roster file>')
  return []
}
