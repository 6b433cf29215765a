/**
 * Passwords are stored as argon2id (memory-hard) hashes in the PHC string format, with
 * the parameters OWASP recommends (19 MiB, 2 passes, 1 lane). The parameters travel in
 * the string, so they can be raised later and old hashes still verify.
 */
import { argon2, randomBytes, timingSafeEqual } from 'node:crypto'
import { InvalidRequestError } from '../../errors.js'

export interface Argon2Params { readonly memory: number, readonly passes: number, readonly parallelism: number }

export const DEFAULT_ARGON2: Argon2Params = { memory: 19_456, passes: 2, parallelism: 1 }
export const MIN_PASSWORD_CHARS = 12
/** Hashing is deliberately costly: a megabyte of "password" would only be a cheap attack. */
export const MAX_PASSWORD_CHARS = 256
const TAG_BYTES = 32
const PHC = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,64})\$([A-Za-z0-9+/]{16,128})$/

async function derive (password: string, salt: Buffer, p: Argon2Params): Promise<Buffer> {
  return await new Promise((resolve, reject) => {
    argon2('argon2id', { message: password, nonce: salt, memory: p.memory, passes: p.passes, parallelism: p.parallelism, tagLength: TAG_BYTES }, (err, tag) => {
      if (err !== null) reject(err)
      else resolve(tag)
    })
  })
}

const b64 = (b: Buffer): string => b.toString('base64').replace(/=+$/, '')

/** Rejects passwords too short or too long to be sensible, before anything is hashed. */
export function checkPasswordPolicy (password: unknown, username?: string): string {
  if (typeof password !== 'string') throw new InvalidRequestError('password must be a string')
  const chars = [...password].length
  if (chars < MIN_PASSWORD_CHARS) throw new InvalidRequestError(`password must have at least ${MIN_PASSWORD_CHARS} characters`)
  if (chars > MAX_PASSWORD_CHARS) throw new InvalidRequestError(`password must have at most ${MAX_PASSWORD_CHARS} characters`)
  if (username !== undefined && password.toLowerCase().includes(username.toLowerCase())) throw new InvalidRequestError('password must not contain the user name')
  return password
}

export async function hashPassword (password: string, params: Argon2Params = DEFAULT_ARGON2): Promise<string> {
  const salt = randomBytes(16)
  const tag = await derive(password, salt, params)
  return `$argon2id$v=19$m=${params.memory},t=${params.passes},p=${params.parallelism}$${b64(salt)}$${b64(tag)}`
}

/** false for a wrong password and for a hash this code did not write. */
export async function verifyPassword (password: string, phc: string): Promise<boolean> {
  const m = PHC.exec(phc)
  if (m === null || password.length > MAX_PASSWORD_CHARS * 4) return false
  const params = { memory: Number(m[1]), passes: Number(m[2]), parallelism: Number(m[3]) }
  // Bounds keep a tampered store from turning one log-in into a denial of service.
  if (params.memory < 8 * params.parallelism || params.memory > 1_048_576 || params.passes < 1 || params.parallelism < 1) return false
  const expected = Buffer.from(m[5]!, 'base64')
  const tag = await derive(password, Buffer.from(m[4]!, 'base64'), params)
  return tag.length === expected.length && timingSafeEqual(tag, expected)
}

/** A hash of nothing in particular: unknown users cost as much time as known ones. */
let decoy: Promise<string> | undefined
export async function decoyHash (): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'))
  return await decoy
}
