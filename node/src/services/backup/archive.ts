/**
 * A backup archive: the node's files (configuration, key, API token, roster) and every
 * key and value of its database, gzipped and encrypted as a whole with a key derived
 * from the operator's passphrase (scrypt, AES-256-GCM). The archive holds personal data
 * and the node's private key: without the passphrase it is noise; with a wrong one, or
 * altered by one bit, it does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto'
import { gunzipSync, gzipSync } from 'node:zlib'
import { InvalidRequestError } from '../../errors.js'

const MAGIC = 'IMI-BACKUP-1\n'
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }
export const MIN_PASSPHRASE_CHARS = 12

export interface BackupContents {
  readonly created: number
  readonly country: string
  readonly federationId: string
  /** File name -> bytes (base64): imi.json, node.key, api-token, roster.json. */
  readonly files: Readonly<Record<string, string>>
  /** Every database entry, base64 key and value, in key order. */
  readonly entries: ReadonlyArray<readonly [string, string]>
}

interface Header { readonly salt: string, readonly iv: string, readonly country: string, readonly created: number }

function keyFrom (passphrase: string, salt: Buffer): Buffer {
  if ([...passphrase].length < MIN_PASSPHRASE_CHARS) throw new InvalidRequestError(`the passphrase needs at least ${MIN_PASSPHRASE_CHARS} characters`)
  return scryptSync(passphrase.normalize('NFC'), salt, 32, SCRYPT)
}

export function sealBackup (contents: BackupContents, passphrase: string): Buffer {
  const salt = randomBytes(16)
  const iv = randomBytes(12)
  const header: Header = { salt: salt.toString('base64'), iv: iv.toString('base64'), country: contents.country, created: contents.created }
  const headerLine = `${JSON.stringify(header)}\n`
  const cipher = createCipheriv('aes-256-gcm', keyFrom(passphrase, salt), iv)
  // The clear header (who, when) is authenticated too: it cannot be swapped onto another archive.
  cipher.setAAD(Buffer.from(MAGIC + headerLine))
  const body = Buffer.concat([cipher.update(gzipSync(Buffer.from(JSON.stringify(contents)))), cipher.final(), cipher.getAuthTag()])
  return Buffer.concat([Buffer.from(MAGIC + headerLine), body])
}

export class BackupArchiveError extends InvalidRequestError {
  override name = 'BackupArchiveError'
}

export function openBackup (archive: Buffer, passphrase: string): BackupContents {
  if (!archive.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) throw new BackupArchiveError('not an IMI backup archive')
  const end = archive.indexOf(0x0a, MAGIC.length)
  if (end < 0) throw new BackupArchiveError('the archive header is cut off')
  const headerLine = archive.subarray(MAGIC.length, end + 1).toString('utf8')
  let header: Header
  try { header = JSON.parse(headerLine) as Header } catch { throw new BackupArchiveError('the archive header is damaged') }
  const body = archive.subarray(end + 1)
  if (body.length < 17) throw new BackupArchiveError('the archive is cut off')
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(passphrase, Buffer.from(header.salt, 'base64')), Buffer.from(header.iv, 'base64'))
  decipher.setAAD(Buffer.from(MAGIC + headerLine))
  decipher.setAuthTag(body.subarray(body.length - 16))
  let plain: Buffer
  try {
    plain = Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()])
  } catch {
    throw new BackupArchiveError('the archive does not open: wrong passphrase, or the file was altered')
  }
  return JSON.parse(gunzipSync(plain).toString('utf8')) as BackupContents
}
