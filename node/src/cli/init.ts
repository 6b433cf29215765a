/**
 * `imi init`: a new node's folder. Creates the key, the API token, the configuration and
 * the member descriptor the federation needs to found or admit this member. Refuses to
 * overwrite anything: a second init must never replace a key the federation knows.
 */
import { access, mkdir, writeFile } from 'node:fs/promises'
import { isIP } from 'node:net'
import { isAbsolute, join, relative } from 'node:path'
import { FEDERATION_ID_PATTERN, isCountryCode, memberState } from '@imi/protocol'
import { createApiToken } from '../api/index.js'
import { CONFIG_FILE_NAME, DEFAULTS } from '../config.js'
import { generateIdentity, rosterMemberOf, saveIdentity } from '../identity.js'
import { InputError, UsageError } from './errors.js'

export const MEMBER_FILE_NAME = 'member.json'

export interface InitArgs {
  readonly country: string
  readonly dir: string
  readonly federationId: string
  readonly p2pPort: number
  readonly apiPort: number
  readonly listenHost: string
  readonly announceHost?: string | undefined
  /** When the key becomes valid: the member descriptor's key.notBefore. */
  readonly now: number
  /** The folder the operator runs commands from, for the hints printed at the end. */
  readonly cwd: string
  /** How the operator runs imi (`npm run imi --`, `node dist/imi.mjs`), for the same hints. */
  readonly program?: string
}

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/i

function hostAddress (host: string, port: number): string {
  const ip = isIP(host)
  return ip === 4 ? `/ip4/${host}/tcp/${port}` : ip === 6 ? `/ip6/${host}/tcp/${port}` : `/dns/${host}/tcp/${port}`
}

/** Checks the options before anything is written. */
export function checkInitArgs (args: InitArgs): void {
  if (!isCountryCode(args.country)) throw new UsageError(`--country "${args.country}" is not an EU/EEA member state code (e.g. PL)`)
  if (!FEDERATION_ID_PATTERN.test(args.federationId)) throw new UsageError(`--federation "${args.federationId}" must be lower-case letters, digits and dashes, starting with a letter`)
  if (isIP(args.listenHost) === 0) throw new UsageError(`--listen-host "${args.listenHost}" is not an IP address (e.g. 0.0.0.0)`)
  const announce = args.announceHost
  if (announce !== undefined && isIP(announce) === 0 && !DNS_NAME.test(announce)) {
    throw new UsageError(`--announce-host "${announce}" is neither an IP address nor a DNS name`)
  }
  if (args.announceHost !== undefined && ['0.0.0.0', '::'].includes(args.announceHost)) throw new UsageError('--announce-host must be an address other members can dial, not 0.0.0.0')
}

/** A path as the operator would type it: relative below the working folder, else absolute. */
function display (cwd: string, path: string): string {
  const rel = relative(cwd, path)
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel
}

async function exists (path: string): Promise<boolean> {
  return await access(path).then(() => true, () => false)
}

export async function initCommand (args: InitArgs): Promise<string[]> {
  checkInitArgs(args)
  const files = { key: join(args.dir, DEFAULTS.keyFile), token: join(args.dir, DEFAULTS.tokenFile), config: join(args.dir, CONFIG_FILE_NAME), member: join(args.dir, MEMBER_FILE_NAME) }
  for (const file of Object.values(files)) {
    if (await exists(file)) throw new InputError(`${file} already exists: init never overwrites a node's files (choose another --dir)`)
  }
  await mkdir(args.dir, { recursive: true, mode: 0o700 })

  const identity = await generateIdentity()
  await saveIdentity(files.key, identity)
  await createApiToken(files.token)

  const listen = hostAddress(args.listenHost, args.p2pPort)
  const announce = args.announceHost === undefined ? undefined : hostAddress(args.announceHost, args.p2pPort)
  const config = {
    country: args.country,
    federationId: args.federationId,
    p2p: { listen: [listen], ...(announce !== undefined && { announce: [announce] }) },
    api: { port: args.apiPort }
  }
  await writeFile(files.config, JSON.stringify(config, null, 2) + '\n', { flag: 'wx' })

  // Where other members dial this node: the announced address, else a concrete listen address.
  const wildcard = ['0.0.0.0', '::'].includes(args.listenHost)
  const addresses = announce !== undefined ? [announce] : wildcard ? [] : [listen]
  const member = rosterMemberOf(identity, args.country, addresses, args.now)
  const descriptor = { country: member.country, name: member.name, peerId: member.peerId, addresses: member.addresses, key: member.keys[0] }
  await writeFile(files.member, JSON.stringify(descriptor, null, 2) + '\n', { flag: 'wx' })

  const shown = display(args.cwd, args.dir)
  const configArg = display(args.cwd, files.config)
  const imi = args.program ?? 'imi'
  return [
    `created ${shown}/ (readable by its owner only) for ${memberState(args.country)?.name ?? args.country} in federation ${args.federationId}:`,
    `  ${DEFAULTS.keyFile.padEnd(12)} the node's Ed25519 key, peer id ${identity.peerId}; it never leaves this folder`,
    `  ${DEFAULTS.tokenFile.padEnd(12)} the bearer token of the node's local API`,
    `  ${CONFIG_FILE_NAME.padEnd(12)} p2p on ${listen}${announce !== undefined ? ` (announced as ${announce})` : ''}, API on ${DEFAULTS.apiHost}:${args.apiPort}`,
    `  ${MEMBER_FILE_NAME.padEnd(12)} this member's descriptor: its peer id, key and addresses`,
    ...(addresses.length === 0
      ? ['warning: member.json lists no address other members can dial (the node listens on every interface): add one to its',
          '         addresses and to p2p.announce in imi.json, or start over in a new --dir with --announce-host <ip or dns name>']
      : []),
    'next steps:',
    `  1. send ${shown}/${MEMBER_FILE_NAME} to the federation (for the genesis, or as a request to join)`,
    '  2. check and co-sign the roster proposal you receive:',
    `     ${imi} roster show-proposal <proposal.json> --config ${configArg}`,
    `     ${imi} roster cosign <proposal.json> --config ${configArg}`,
    `  3. put the signed roster chain in ${shown}/${DEFAULTS.rosterFile}`,
    `  4. start the node: ${imi} start --config ${configArg}`
  ]
}
