/**
 * The operator's API token: 32 random bytes, base64url, in a file only its owner can
 * read. `imi init` creates it; the node and the CLI read it.
 */
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { toBase64url } from '@imi/protocol'
import { ConfigError } from '../errors.js'
import { readSettingFile } from '../setting-file.js'

export const API_TOKEN_BYTES = 32
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,256}$/

/** Writes a new token; refuses to overwrite an existing file. */
export async function createApiToken (path: string): Promise<string> {
  const token = toBase64url(randomBytes(API_TOKEN_BYTES))
  await writeFile(path, token + '\n', { mode: 0o600, flag: 'wx' })
  return token
}

export async function readApiToken (path: string): Promise<string> {
  const token = (await readSettingFile('api.tokenFile', path)).toString('utf8').trim()
  if (!TOKEN_PATTERN.test(token)) throw new ConfigError('api.tokenFile', `${path} does not hold a token (at least 32 base64url characters)`)
  return token
}
