/**
 * Attachment bytes travel as `request-attachment` direct messages, one chunk each, the
 * bytes in the personal-data sidecar: like everything personal they can be deleted later
 * while the signed evidence still verifies, and the signed `request` event that lists
 * the attachment binds its SHA-256, so a receiver knows when it holds the right bytes.
 */
import type { Json } from '../../encoding.js'
import { BodySchemaError } from '../../errors.js'
import { DIGEST_PATTERN, ID_PATTERN, expectInteger, expectObject, expectString, onlyKeys, type SchemaFail } from '../../schema.js'
import { MAX_ATTACHMENT_BYTES } from './body.js'

export const REQUEST_ATTACHMENT_KIND = 'request-attachment'
/** Raw bytes per chunk: base64 of it, in JSON, stays under the sidecar's 64 KiB. */
export const ATTACHMENT_CHUNK_BYTES = 45 * 1024

export interface AttachmentChunkBody {
  readonly request: string
  readonly sha256: string
  readonly index: number
  readonly count: number
}

const fail: SchemaFail = (message) => { throw new BodySchemaError(message) }

export function decodeAttachmentChunkBody (body: unknown): AttachmentChunkBody {
  const o = expectObject(body, 'body', fail)
  onlyKeys(o, ['request', 'sha256', 'index', 'count'], 'body', fail)
  const count = expectInteger(o.count, 'body.count', fail, 1)
  if (count > Math.ceil(MAX_ATTACHMENT_BYTES / ATTACHMENT_CHUNK_BYTES)) fail('body.count is more chunks than an attachment may have')
  const index = expectInteger(o.index, 'body.index', fail, 0)
  if (index >= count) fail('body.index must be below body.count')
  return { request: expectString(o.request, 'body.request', fail, ID_PATTERN), sha256: expectString(o.sha256, 'body.sha256', fail, DIGEST_PATTERN), index, count }
}

/** The sidecar of a chunk: its bytes, base64. */
export function decodeAttachmentChunkData (pd: unknown): string {
  const o = expectObject(pd, 'pd', fail)
  onlyKeys(o, ['data'], 'pd', fail)
  const data = expectString(o.data, 'pd.data', fail, /^[A-Za-z0-9+/]*={0,2}$/, Math.ceil(ATTACHMENT_CHUNK_BYTES / 3) * 4)
  if (data.length === 0) fail('pd.data is empty')
  return data
}

export function validateAttachmentChunkBody (body: Json): void { decodeAttachmentChunkBody(body) }
