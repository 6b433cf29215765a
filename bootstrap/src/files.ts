/**
 * The files federation tooling reads and writes. A roster file holds a chain: a JSON
 * array of signed versions, genesis first, so anyone can verify it from the founding
 * act alone; a single signed roster (a genesis) is read as a chain of one.
 * A proposal file holds one signed roster (general JWS JSON), signed or not yet.
 */
import { readFile, rename, writeFile } from 'node:fs/promises'
import { MAX_ROSTER_BYTES, parseRosterChain, parseRosterProposal, type SignedRoster } from '@imi/protocol'
import { FileInputError } from './errors.js'

export async function readText (path: string, maxBytes = MAX_ROSTER_BYTES * 64): Promise<string> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new FileInputError(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  if (text.length > maxBytes) throw new FileInputError(`${path} is larger than ${maxBytes} bytes`)
  return text
}

export async function readJson (path: string): Promise<unknown> {
  const text = await readText(path)
  try {
    return JSON.parse(text)
  } catch {
    throw new FileInputError(`${path} is not JSON`)
  }
}

export async function readRosterChain (path: string): Promise<SignedRoster[]> {
  return parseRosterChain(await readText(path), path)
}

export const parseProposal = parseRosterProposal

export async function readProposal (path: string): Promise<SignedRoster> {
  return parseProposal(await readText(path, MAX_ROSTER_BYTES * 2), path)
}

/** Writes through a temporary file, so a crash never leaves half a roster behind. */
export async function writeJson (path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`
  await writeFile(tmp, JSON.stringify(value, null, 2) + '\n', { mode: 0o644 })
  await rename(tmp, path)
}
