/**
 * Deletion proven across nodes. A request's personal data exist on two nodes, the
 * requesting and the responding one. When one deletes its copy (retention, or a data
 * subject's request) it tells the other with a signed `erasure` direct message, naming
 * the request and what it deleted; the other deletes its copy too and answers with a
 * signed `erasure-receipt` naming the same request and what it deleted. Both are signed
 * statements by the deleting node: either side can show that the data is gone on both.
 *
 * What they name is not personal data: `digests` are the salted personal-data digests
 * (`hdr.pd`) of the signed envelopes whose sidecars were deleted (with the salt gone they
 * are unlinkable to the person), `attachments` the SHA-256 of deleted files, as the signed
 * request events named them.
 */
import type { Json } from '../encoding.js'
import { BodySchemaError } from '../errors.js'
import { DIGEST_PATTERN, ID_PATTERN, expectArray, expectInteger, expectObject, expectString, onlyKeys, type SchemaFail } from '../schema.js'

export const ERASURE_KIND = 'erasure'
export const ERASURE_RECEIPT_KIND = 'erasure-receipt'

/** Why the sender deleted: the retention policy, or a data subject's request (Art 19). */
export const ERASURE_REASONS = ['retention', 'data-subject'] as const
export type ErasureReason = typeof ERASURE_REASONS[number]

/** Digests named in one message: far more than the events and files of any request. */
export const MAX_ERASURE_DIGESTS = 2000

export interface ErasureBody {
  readonly request: string
  readonly reason: ErasureReason
  /** When the sender deleted its copy (ms). */
  readonly deletedAt: number
  /** Personal-data digests of the envelopes whose sidecars the sender deleted. */
  readonly digests: readonly string[]
  /** SHA-256 (base64url) of the attachments the sender deleted. */
  readonly attachments: readonly string[]
}

export interface ErasureReceiptBody {
  readonly request: string
  /** The id of the `erasure` message this answers. */
  readonly for: string
  /** When the receiver deleted its copy (ms): before the erasure arrived, if it had deleted already. */
  readonly deletedAt: number
  /** False when the receiver never held the request: nothing to delete. */
  readonly held: boolean
  readonly digests: readonly string[]
  readonly attachments: readonly string[]
}

const fail: SchemaFail = (message) => { throw new BodySchemaError(message) }

function digestList (v: unknown, path: string): string[] {
  return expectArray(v, path, fail, MAX_ERASURE_DIGESTS).map((d, i) => expectString(d, `${path}[${i}]`, fail, DIGEST_PATTERN))
}

export function decodeErasureBody (body: unknown): ErasureBody {
  const o = expectObject(body, 'body', fail)
  onlyKeys(o, ['request', 'reason', 'deletedAt', 'digests', 'attachments'], 'body', fail)
  const reason = expectString(o.reason, 'body.reason', fail)
  if (!(ERASURE_REASONS as readonly string[]).includes(reason)) fail(`body.reason must be one of ${ERASURE_REASONS.join(', ')}`)
  return {
    request: expectString(o.request, 'body.request', fail, ID_PATTERN),
    reason: reason as ErasureReason,
    deletedAt: expectInteger(o.deletedAt, 'body.deletedAt', fail),
    digests: digestList(o.digests, 'body.digests'),
    attachments: digestList(o.attachments, 'body.attachments')
  }
}

export function decodeErasureReceiptBody (body: unknown): ErasureReceiptBody {
  const o = expectObject(body, 'body', fail)
  onlyKeys(o, ['request', 'for', 'deletedAt', 'held', 'digests', 'attachments'], 'body', fail)
  if (typeof o.held !== 'boolean') fail('body.held must be true or false')
  return {
    request: expectString(o.request, 'body.request', fail, ID_PATTERN),
    for: expectString(o.for, 'body.for', fail, ID_PATTERN),
    deletedAt: expectInteger(o.deletedAt, 'body.deletedAt', fail),
    held: o.held as boolean,
    digests: digestList(o.digests, 'body.digests'),
    attachments: digestList(o.attachments, 'body.attachments')
  }
}

export function validateErasureBody (body: Json): void { decodeErasureBody(body) }
export function validateErasureReceiptBody (body: Json): void { decodeErasureReceiptBody(body) }
