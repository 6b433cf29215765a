import type { EnvelopeHeader } from '@imi/protocol'

/** A message this node signed. Kept after delivery, with the receipt, as evidence. */
export interface SentRecord {
  readonly id: string
  readonly hdr: EnvelopeHeader
  readonly jws: string
  readonly digest: string
  readonly receipt?: string
  readonly receiptAt?: number
  /** Set when the receiver refused the message for good (the code says why). */
  readonly failure?: { readonly code: string, readonly at: number }
}

/** A delivery still owed. Removed in the same batch that stores the receipt. */
export interface OutboxEntry {
  readonly id: string
  readonly to: string
  readonly queuedAt: number
}

/** A message this node accepted, and the receipt it answered with. */
export interface ReceivedRecord {
  readonly id: string
  readonly hdr: EnvelopeHeader
  readonly jws: string
  readonly digest: string
  readonly receivedAt: number
  readonly receipt: string
}

export type { MessageStatus, MessageView } from '@imi/protocol'
