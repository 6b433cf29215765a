/**
 * A receipt is itself an envelope, signed by the receiving node, naming the message id
 * and the digest of exactly what was received: non-repudiation of receipt.
 */
import type { Json } from '../encoding.js'
import { BodySchemaError, ReceiptMismatchError } from '../errors.js'
import { DIGEST_PATTERN, ID_PATTERN, expectObject, expectString, onlyKeys, type SchemaFail } from '../schema.js'
import type { VerifiedEnvelope } from '../envelope/types.js'

export const RECEIPT_KIND = 'receipt'

/** `pd`: the personal-data digest, present when the sidecar arrived and matched it. */
export type ReceiptBody = { readonly for: string, readonly digest: string, readonly pd?: string } & { [key: string]: Json }

const fail: SchemaFail = (message) => { throw new BodySchemaError(message) }

export function validateReceiptBody (body: Json): void {
  const o = expectObject(body, 'body', fail)
  onlyKeys(o, ['for', 'digest', 'pd'], 'body', fail)
  expectString(o.for, 'body.for', fail, ID_PATTERN)
  expectString(o.digest, 'body.digest', fail, DIGEST_PATTERN)
  if (o.pd !== undefined) expectString(o.pd, 'body.pd', fail, DIGEST_PATTERN)
}

/** What the receiver acknowledges: the envelope, and the personal data if it came with it. */
export function receiptBodyFor (message: Pick<VerifiedEnvelope, 'hdr' | 'digest' | 'pd'>): ReceiptBody {
  return message.pd !== undefined && message.hdr.pd !== undefined
    ? { for: message.hdr.id, digest: message.digest, pd: message.hdr.pd }
    : { for: message.hdr.id, digest: message.digest }
}

/**
 * Checks that a verified receipt acknowledges this very message from its addressee and,
 * when the personal data was sent with it, that the receiver acknowledged that too.
 */
export function checkReceipt (receipt: VerifiedEnvelope, message: Pick<VerifiedEnvelope, 'hdr' | 'digest'>, personalDataSent = false): void {
  if (receipt.hdr.kind !== RECEIPT_KIND) throw new ReceiptMismatchError('not a receipt')
  const body = receipt.body as ReceiptBody
  if (body.for !== message.hdr.id) throw new ReceiptMismatchError('receipt names another message')
  if (body.digest !== message.digest) throw new ReceiptMismatchError('receipt names a different digest')
  if (personalDataSent && body.pd !== message.hdr.pd) throw new ReceiptMismatchError('receipt does not acknowledge the personal data')
  if (!message.hdr.to.includes(receipt.hdr.from)) throw new ReceiptMismatchError('receipt is not from an addressee')
  if (!receipt.hdr.to.includes(message.hdr.from)) throw new ReceiptMismatchError('receipt is not addressed to the sender')
}
