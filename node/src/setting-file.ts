/**
 * Files that settings name (config, key, token, roster): a file that cannot be read or
 * parsed is a configuration error naming the setting, so the operator knows what to fix.
 */
import { readFile } from 'node:fs/promises'
import { parseRosterChain, type SignedRoster } from '@imi/protocol'
import { ConfigError } from './errors.js'

export async function readSettingFile (setting: string, path: string): Promise<Buffer>
export async function readSettingFile (setting: string, path: string, opts: { optional: true }): Promise<Buffer | undefined>
export async function readSettingFile (setting: string, path: string, opts: { optional?: boolean } = {}): Promise<Buffer | undefined> {
  try {
    return await readFile(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (opts.optional === true && code === 'ENOENT') return undefined
    throw new ConfigError(setting, `cannot read ${path} (${code ?? 'error'})`)
  }
}

/** The roster chain file (genesis first); undefined when optional and not there yet. */
export async function readRosterChainFile (path: string): Promise<SignedRoster[]>
export async function readRosterChainFile (path: string, opts: { optional: true }): Promise<SignedRoster[] | undefined>
export async function readRosterChainFile (path: string, opts: { optional?: boolean } = {}): Promise<SignedRoster[] | undefined> {
  const bytes = opts.optional === true ? await readSettingFile('rosterFile', path, { optional: true }) : await readSettingFile('rosterFile', path)
  if (bytes === undefined) return undefined
  try {
    return parseRosterChain(bytes.toString('utf8'), path)
  } catch (err) {
    throw new ConfigError('rosterFile', `${path} is not a signed roster chain: ${(err as Error).message}`)
  }
}
