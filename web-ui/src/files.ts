/**
 * Files the official attaches: read in the browser as base64 for the JSON body (the API
 * takes attachments that way), hashed like the node hashes them (SHA-256, base64url) so
 * an answer can name its file, and checked against the node's limits first.
 */
import type { AttachmentInput } from './api-types.js'
import type { MessageKey } from './i18n/index.js'

export const MAX_FILES = 10
export const MAX_FILE_BYTES = 10 * 1024 * 1024
export const MAX_TOTAL_BYTES = 20 * 1024 * 1024
/** What the node accepts as a media type; anything else goes as application/octet-stream. */
const MEDIA_TYPE = /^[a-z]+\/[a-z0-9.+-]{1,100}$/

export interface FileProblem { readonly key: MessageKey, readonly name?: string }

/** The first problem with a set of files against the node's limits, if any. */
export function fileProblem (files: ReadonlyArray<{ name: string, size: number }>): FileProblem | undefined {
  if (files.length > MAX_FILES) return { key: 'attachments.tooMany' }
  const big = files.find((f) => f.size > MAX_FILE_BYTES || f.size === 0)
  if (big !== undefined) return { key: 'attachments.tooLarge', name: big.name }
  if (files.reduce((n, f) => n + f.size, 0) > MAX_TOTAL_BYTES) return { key: 'attachments.tooLargeTotal' }
  return undefined
}

export function mediaType (type: string): string {
  const t = type.toLowerCase()
  return MEDIA_TYPE.test(t) ? t : 'application/octet-stream'
}

/** A file name the node keeps (no path separators or control characters, 200 characters at most). */
export function cleanName (name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters have no place in a file name
  const clean = name.replace(/[/\\\u0000-\u001f\u007f]+/g, '_').trim()
  return ([...clean].slice(0, 200).join('') || 'file')
}

export function base64 (bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}

/** SHA-256 as the node writes it: base64url without padding. Undefined where the browser has no WebCrypto (plain http). */
export async function sha256 (bytes: Uint8Array): Promise<string | undefined> {
  if (globalThis.crypto?.subtle === undefined) return undefined
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))
  return base64(digest).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export async function readAttachment (file: File): Promise<AttachmentInput & { bytes: Uint8Array }> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  return { name: cleanName(file.name), type: mediaType(file.type), data: base64(bytes), bytes }
}

/** "1.2 MB", in the reader's language. */
export function formatBytes (n: number, lang: string): string {
  const units = ['byte', 'kilobyte', 'megabyte'] as const
  let i = 0
  let v = n
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++ }
  return new Intl.NumberFormat(lang, { style: 'unit', unit: units[i], unitDisplay: 'short', maximumFractionDigits: i === 0 ? 0 : 1 }).format(v)
}
