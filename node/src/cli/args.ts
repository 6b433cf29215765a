/** Command-line parsing shared by the commands: strict options, clear one-line errors. */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { CONFIG_FILE_NAME } from '../config.js'
import { UsageError } from './errors.js'

export interface OptionSpec { readonly type: 'string' | 'boolean' }
export type Values = Readonly<Record<string, string | boolean | undefined>>

export interface Parsed {
  readonly values: Values
  readonly positionals: readonly string[]
}

/** Parses `args` for `command`; `positionals` names the expected positional arguments. */
export function parse (command: string, args: readonly string[], options: Readonly<Record<string, OptionSpec>>, positionals: readonly string[] = []): Parsed {
  let parsed: { values: Record<string, unknown>, positionals: string[] }
  try {
    parsed = parseArgs({ args: [...args], options: { ...options }, strict: true, allowPositionals: true })
  } catch (err) {
    // node:util's messages go on to explain `--`; the first sentence is what matters.
    throw new UsageError(`${command}: ${(err as Error).message.split('. ')[0]!.replace(/\.$/, '')}`)
  }
  if (parsed.positionals.length !== positionals.length) {
    throw new UsageError(positionals.length === 0
      ? `${command}: unexpected argument "${parsed.positionals[0]}"`
      : `${command} needs ${positionals.map((p) => `<${p}>`).join(' ')}`)
  }
  return { values: parsed.values as Values, positionals: parsed.positionals }
}

export function optional (values: Values, name: string): string | undefined {
  const v = values[name]
  if (v === '') throw new UsageError(`--${name} must not be empty`)
  return typeof v === 'string' ? v : undefined
}

export function required (values: Values, name: string): string {
  const v = optional(values, name)
  if (v === undefined) throw new UsageError(`--${name} is required`)
  return v
}

/** A TCP port: 1 to 65535 (0 would let the system choose, which no peer could dial). */
export function port (values: Values, name: string, fallback: number): number {
  const v = optional(values, name)
  if (v === undefined) return fallback
  const n = Number(v)
  if (!/^\d+$/.test(v) || n < 1 || n > 65535) throw new UsageError(`--${name} "${v}" is not a port number (1 to 65535)`)
  return n
}

/** The config file: --config, or imi.json in the current folder. */
export function configFile (values: Values, cwd: string): string {
  return resolve(cwd, optional(values, 'config') ?? CONFIG_FILE_NAME)
}

export const CONFIG_OPTION = { config: { type: 'string' } } as const
