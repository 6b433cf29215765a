/**
 * imi-bootstrap: run a bootstrap node and assemble roster proposals.
 * The only reader of argv. Bad input exits with 2 and one line saying what is wrong;
 * anything else exits with 1, still without a stack trace.
 */
import { join, resolve } from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { multiaddr } from '@multiformats/multiaddr'
import { nodeCrypto, jsonLogger } from '@imi/node'
import { ImiError } from '@imi/protocol'
import { createBootstrapNode } from './bootstrap-node.js'
import {
  CHANGE_KINDS, applyCommand, genesisCommand, initCommand, proposeCommand, signStatusReport, type ChangeKind
} from './commands.js'
import { UsageError } from './errors.js'

const USAGE = `usage: imi-bootstrap <command> [options]
  init --dir <dir>                         create this bootstrap's key; prints its peer id
  start --dir <dir> --listen <multiaddr>... [--roster <file>] [--announce <multiaddr>]... [--fed <id>] [--single-host]
  genesis --fed <id> --members a.json,b.json --bootstrap <multiaddr/p2p/id>... --out <proposal.json> [--created <time>]
  propose join --member <descriptor.json> --roster <current.json> --out <proposal.json>
  propose leave --country <CC> --roster <current.json> --out <proposal.json>
  propose rotate-key --country <CC> --member <new descriptor.json> [--grace-days 30] --roster <current.json> --out <proposal.json>
  propose addresses --country <CC> --address <multiaddr>... --roster <current.json> --out <proposal.json>
  propose bootstraps --bootstrap <multiaddr/p2p/id>... --roster <current.json> --out <proposal.json>
  sign-status <proposal.json> [--roster <current.json>]
  apply <proposal.json> [--roster <current.json>] --out <next.json>
Members co-sign proposals from their own node; a roster file holds the chain, genesis first.`

// `npm run imi-bootstrap` runs in the package folder; paths on the command line mean the
// folder the operator ran it from (npm's INIT_CWD), as for imi.
const cwd = process.env.npm_lifecycle_event === 'imi-bootstrap' && process.env.INIT_CWD !== undefined ? process.env.INIT_CWD : process.cwd()
const path = (p: string): string => resolve(cwd, p)
const maybePath = (p: string | undefined): string | undefined => p === undefined ? undefined : path(p)

/** The command ran and its answer is "no" (sign-status: not ready): exit 1. */
class NotReady extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>
const str = { type: 'string' } as const
const many = { type: 'string', multiple: true } as const

function parse (args: string[], options: Options): { values: Record<string, string | string[] | boolean | undefined>, positionals: string[] } {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true }) as ReturnType<typeof parse>
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
}

function required (values: Record<string, unknown>, name: string): string {
  const v = values[name]
  if (typeof v !== 'string' || v.length === 0) throw new UsageError(`--${name} is required`)
  return v
}

const optional = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? v as string[] : undefined)

function multiaddrList (v: unknown, option: string): string[] {
  const out = list(v) ?? []
  for (const a of out) {
    try { multiaddr(a) } catch { throw new UsageError(`--${option} "${a}" is not a multiaddr (e.g. /ip4/0.0.0.0/tcp/4001)`) }
  }
  return out
}

function time (v: unknown): number {
  if (v === undefined) return Date.now()
  const n = /^\d+$/.test(String(v)) ? Number(v) : Date.parse(String(v))
  if (!Number.isSafeInteger(n)) throw new UsageError(`--created "${String(v)}" is neither milliseconds nor an ISO date`)
  return n
}

async function start (args: string[]): Promise<void> {
  const { values } = parse(args, { dir: str, listen: many, announce: many, roster: str, fed: str, 'single-host': { type: 'boolean' } })
  const dir = path(required(values, 'dir'))
  const listen = multiaddrList(values.listen, 'listen')
  if (listen.length === 0) throw new UsageError('--listen is required (e.g. /ip4/0.0.0.0/tcp/4001)')
  const node = createBootstrapNode({
    dataDir: dir, listen, announce: multiaddrList(values.announce, 'announce'), rosterFile: maybePath(optional(values.roster)) ?? join(dir, 'roster.json'),
    singleHost: values['single-host'] === true, logger: jsonLogger({ component: 'imi-bootstrap' }),
    ...(optional(values.fed) !== undefined && { federationId: optional(values.fed)! })
  })
  const addresses = await node.start()
  console.log(`bootstrap ${node.peerId} of federation ${node.roster.current.federationId} (roster version ${node.roster.current.version})`)
  for (const a of addresses) console.log(a)
  const shutdown = (): void => { void node.stop().then(() => process.exit(0)) }
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
}

async function run (argv: string[]): Promise<string[] | undefined> {
  const [command, ...rest] = argv
  if (command === 'help' || command === '--help' || command === '-h') return USAGE.split('\n')
  if (command === 'start') { await start(rest); return undefined }
  if (command === 'init') return await initCommand(path(required(parse(rest, { dir: str }).values, 'dir')))
  if (command === 'genesis') {
    const { values } = parse(rest, { fed: str, members: str, bootstrap: many, out: str, created: str })
    const members = required(values, 'members').split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(path)
    return await genesisCommand({ fed: required(values, 'fed'), members, bootstraps: list(values.bootstrap) ?? [], out: path(required(values, 'out')), created: time(values.created) }, nodeCrypto)
  }
  if (command === 'propose') {
    const { values, positionals } = parse(rest, { member: str, country: str, address: many, bootstrap: many, 'grace-days': str, roster: str, out: str, created: str })
    const kind = positionals[0] as ChangeKind
    if (!CHANGE_KINDS.includes(kind) || positionals.length !== 1) throw new UsageError(`propose needs one of: ${CHANGE_KINDS.join(', ')}`)
    const grace = optional(values['grace-days'])
    if (grace !== undefined && !(Number(grace) >= 0)) throw new UsageError('--grace-days must be a number of days')
    return await proposeCommand({
      kind, roster: path(required(values, 'roster')), out: path(required(values, 'out')), created: time(values.created),
      member: maybePath(optional(values.member)), country: optional(values.country), addresses: list(values.address),
      bootstraps: list(values.bootstrap), graceDays: grace === undefined ? undefined : Number(grace)
    }, nodeCrypto)
  }
  if (command === 'sign-status' || command === 'apply') {
    const { values, positionals } = parse(rest, command === 'apply' ? { roster: str, out: str } : { roster: str })
    if (positionals.length !== 1) throw new UsageError(`${command} needs exactly one proposal file`)
    const proposal = path(positionals[0]!)
    if (command === 'apply') return await applyCommand(proposal, maybePath(optional(values.roster)), path(required(values, 'out')), nodeCrypto)
    const { lines, ready } = await signStatusReport(proposal, maybePath(optional(values.roster)), nodeCrypto)
    // A proposal that cannot be applied yet is a "no", for scripts as for people.
    if (!ready) throw new NotReady(lines.join('\n'))
    return lines
  }
  throw new UsageError(command === undefined ? 'no command given' : `unknown command "${command}"`)
}

try {
  const lines = await run(process.argv.slice(2))
  for (const line of lines ?? []) console.log(line)
} catch (err) {
  if (err instanceof NotReady) console.log(err.message)
  else if (err instanceof UsageError) console.error(`error: ${err.message}\n\n${USAGE}`)
  else if (err instanceof ImiError) console.error(`error: ${err.code}: ${err.message}`)
  else console.error(`error: ${(err as Error).message ?? String(err)}`)
  process.exit(err instanceof ImiError ? 2 : 1)
}
