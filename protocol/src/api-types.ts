/**
 * The local HTTP API's contract: what a node answers and what its web UI reads. Types
 * only, shared by node/ (which serves them) and web-ui/ (which may import nothing else).
 */

export interface NodeStatus {
  readonly country: string
  readonly federationId: string
  readonly peerId: string
  readonly running: boolean
  readonly rosterVersion: number
  readonly members: number
  readonly connectedMembers: readonly string[]
  readonly peers: number
  readonly outboxDepth: number
  readonly evidenceEntries: number
  readonly listen: readonly string[]
}

export type MessageStatus = 'pending' | 'delivered' | 'failed'

export interface MessageView {
  readonly id: string
  readonly direction: 'sent' | 'received'
  readonly kind: string
  readonly from: string
  readonly to: readonly string[]
  readonly created: number
  readonly status: MessageStatus
  readonly receiptAt?: number
  readonly failure?: { readonly code: string, readonly at: number }
  readonly body: unknown
}
