/**
 * imi: the operator's command line for a member-state node. The only code that reads
 * argv and the environment. Bad input or configuration exits 2 with one line naming
 * what to fix; any other failure exits 1; never a stack trace.
 */
import { resolve } from 'node:path'
import { ImiError } from '@imi/protocol'
import { loadConfig } from '../config.js'
import { ConfigError } from '../errors.js'
import { CONFIG_OPTION, configFile, optional, parse, port, required } from './args.js'
import { CommandFailure, InputError, UsageError } from './errors.js'
import { programName } from './program.js'
import { usage } from './usage.js'

// `npm run imi` runs in the package folder; paths on the command line mean the operator's.
const cwd = process.env.npm_lifecycle_event === 'imi' && process.env.INIT_CWD !== undefined ? process.env.INIT_CWD : process.cwd()
// What the operator typed to run this, for the usage text and the hints commands print.
const program = programName(process.env, process.argv, process.cwd())

const print = (line: string): void => { console.log(line) }

/** A passphrase comes from a file (0600), never from argv, where `ps` would show it. */
async function readPassphrase (file: string): Promise<string> {
  const { readFile } = await import('node:fs/promises')
  const text = await readFile(file, 'utf8').catch(() => { throw new InputError(`cannot read the passphrase file ${file}`) })
  return text.replace(/\r?\n$/, '')
}

async function init (args: string[]): Promise<string[]> {
  const { values } = parse('init', args, {
    country: { type: 'string' }, dir: { type: 'string' }, federation: { type: 'string' }, 'p2p-port': { type: 'string' },
    'api-port': { type: 'string' }, 'listen-host': { type: 'string' }, 'announce-host': { type: 'string' }
  })
  const country = required(values, 'country').toUpperCase()
  const { initCommand } = await import('./init.js')
  return await initCommand({
    country,
    dir: resolve(cwd, optional(values, 'dir') ?? country.toLowerCase()),
    federationId: optional(values, 'federation') ?? 'imi',
    p2pPort: port(values, 'p2p-port', 4001),
    apiPort: port(values, 'api-port', 8080),
    listenHost: optional(values, 'listen-host') ?? '0.0.0.0',
    announceHost: optional(values, 'announce-host'),
    now: Date.now(),
    cwd,
    program
  })
}

async function roster (args: string[]): Promise<string[]> {
  const [sub, ...rest] = args
  if (sub === 'show-proposal') {
    const { values, positionals } = parse('roster show-proposal', rest, CONFIG_OPTION, ['proposal.json'])
    const { showProposalCommand } = await import('./roster-show-proposal.js')
    return await showProposalCommand(await loadConfig(configFile(values, cwd)), resolve(cwd, positionals[0]!))
  }
  if (sub === 'cosign') {
    const { values, positionals } = parse('roster cosign', rest, { ...CONFIG_OPTION, out: { type: 'string' } }, ['proposal.json'])
    const out = optional(values, 'out')
    const { cosignCommand } = await import('./roster-cosign.js')
    return await cosignCommand(await loadConfig(configFile(values, cwd)), resolve(cwd, positionals[0]!), out === undefined ? undefined : resolve(cwd, out))
  }
  throw new UsageError(sub === undefined ? 'roster needs show-proposal or cosign' : `unknown roster command "${sub}" (show-proposal or cosign)`)
}

// Commands are imported when chosen: help and usage errors answer without loading libp2p.

/** Runs one command; returns the lines to print, or undefined for `start`, which keeps running. */
async function run (argv: string[]): Promise<string[] | undefined> {
  const [command, ...args] = argv
  const end = argv.indexOf('--')
  const flags = end === -1 ? argv : argv.slice(0, end)
  if (command === undefined || command === 'help' || flags.includes('--help') || flags.includes('-h')) return [usage(program)]
  switch (command) {
    case 'init': return await init(args)
    case 'start': {
      const { values } = parse('start', args, CONFIG_OPTION)
      const { startCommand } = await import('./start.js')
      await startCommand(configFile(values, cwd), print)
      return undefined
    }
    case 'stop': {
      const config = await loadConfig(configFile(parse('stop', args, CONFIG_OPTION).values, cwd))
      return await (await import('./stop.js')).stopCommand(config)
    }
    case 'status': {
      const config = await loadConfig(configFile(parse('status', args, CONFIG_OPTION).values, cwd))
      return await (await import('./status.js')).statusCommand(config)
    }
    case 'verify-evidence': {
      const config = await loadConfig(configFile(parse('verify-evidence', args, CONFIG_OPTION).values, cwd))
      return await (await import('./verify-evidence.js')).verifyEvidenceCommand(config)
    }
    case 'verify-audit': {
      const config = await loadConfig(configFile(parse('verify-audit', args, CONFIG_OPTION).values, cwd))
      return await (await import('./verify-audit.js')).verifyAuditCommand(config)
    }
    case 'diagnose': {
      const { values } = parse('diagnose', args, { ...CONFIG_OPTION, export: { type: 'string' } })
      const out = optional(values, 'export')
      const config = await loadConfig(configFile(values, cwd))
      return await (await import('./diagnose.js')).diagnoseCommand(config, out === undefined ? {} : { exportFile: resolve(cwd, out) })
    }
    case 'rotate-key': {
      const { values } = parse('rotate-key', args, { ...CONFIG_OPTION, out: { type: 'string' }, 'grace-days': { type: 'string' }, finish: { type: 'boolean' } })
      const config = await loadConfig(configFile(values, cwd))
      const rotation = await import('./rotate-key.js')
      if (values.finish === true) return await rotation.finishRotationCommand(config)
      const grace = optional(values, 'grace-days')
      return await rotation.rotateKeyCommand(config, resolve(cwd, required(values, 'out')), grace === undefined ? 30 : Number(grace), Date.now())
    }
    case 'backup': {
      const { values } = parse('backup', args, { ...CONFIG_OPTION, out: { type: 'string' }, 'passphrase-file': { type: 'string' } })
      const file = configFile(values, cwd)
      const passphrase = await readPassphrase(resolve(cwd, required(values, 'passphrase-file')))
      return await (await import('./backup.js')).backupCommand(await loadConfig(file), file, resolve(cwd, required(values, 'out')), passphrase)
    }
    case 'restore': {
      const { values } = parse('restore', args, { backup: { type: 'string' }, dir: { type: 'string' }, 'passphrase-file': { type: 'string' } })
      const passphrase = await readPassphrase(resolve(cwd, required(values, 'passphrase-file')))
      return await (await import('./backup.js')).restoreCommand(resolve(cwd, required(values, 'backup')), resolve(cwd, required(values, 'dir')), passphrase, program)
    }
    case 'roster': return await roster(args)
    default: throw new UsageError(`unknown command "${command}"`)
  }
}

try {
  for (const line of await run(process.argv.slice(2)) ?? []) print(line)
} catch (err) {
  if (err instanceof UsageError) console.error(`error: ${err.message}\nrun \`${program} help\` for usage`)
  else if (err instanceof InputError || err instanceof ConfigError) console.error(`error: ${err.message}`)
  else if (err instanceof ImiError) console.error(`error: ${err.message} (${err.code})`)
  else if (err instanceof CommandFailure) console.error(err.message)
  else console.error(`error: ${(err as Error).message ?? String(err)}`)
  process.exitCode = err instanceof InputError || err instanceof ImiError ? 2 : 1
}
