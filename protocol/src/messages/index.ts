import type { BodyValidator } from '../envelope/verify.js'
import { NOTE_KIND, validateNoteBody } from './note.js'
import { RECEIPT_KIND, validateReceiptBody } from './receipt.js'
import { REQUEST_EVENT_KIND } from '../workflows/request/types.js'
import { validateRequestEventBody } from '../workflows/request/body.js'
import { REQUEST_ATTACHMENT_KIND, validateAttachmentChunkBody } from '../workflows/request/attachment.js'
import { SUBJECT_CORRECTION_KIND, validateSubjectCorrectionBody } from '../workflows/request/correction.js'
import { ALERT_KIND, ALERT_RECEIPT_KIND } from '../workflows/alert/types.js'
import { validateAlertEventBody, validateAlertReceiptBody } from '../workflows/alert/body.js'
import { ERASURE_KIND, ERASURE_RECEIPT_KIND, validateErasureBody, validateErasureReceiptBody } from '../retention/erasure.js'
import { NOTIFICATION_KIND } from '../workflows/notification/types.js'
import { validateNotificationEventBody } from '../workflows/notification/body.js'

export { NOTE_KIND, MAX_NOTE_CHARS, validateNoteBody } from './note.js'
export { RECEIPT_KIND, checkReceipt, receiptBodyFor, validateReceiptBody, type ReceiptBody } from './receipt.js'

/** Kinds a node accepts as direct messages; later workflows register theirs here. */
export const DIRECT_MESSAGE_KINDS: ReadonlyMap<string, BodyValidator> = new Map([
  [NOTE_KIND, validateNoteBody],
  [REQUEST_EVENT_KIND, validateRequestEventBody],
  [REQUEST_ATTACHMENT_KIND, validateAttachmentChunkBody],
  [ALERT_RECEIPT_KIND, validateAlertReceiptBody],
  [ERASURE_KIND, validateErasureBody],
  [ERASURE_RECEIPT_KIND, validateErasureReceiptBody],
  [SUBJECT_CORRECTION_KIND, validateSubjectCorrectionBody]
])

/** Kinds that go to every member over gossip and anti-entropy; later workflows add theirs. */
export const BROADCAST_KINDS: ReadonlyMap<string, BodyValidator> = new Map([
  [ALERT_KIND, validateAlertEventBody],
  [NOTIFICATION_KIND, validateNotificationEventBody]
])

/** Kinds accepted as replies on the direct-message protocol. */
export const REPLY_KINDS: ReadonlyMap<string, BodyValidator> = new Map([
  [RECEIPT_KIND, validateReceiptBody]
])
