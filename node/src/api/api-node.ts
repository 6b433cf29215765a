/**
 * What the local API needs from a node, and nothing more: the API never sees libp2p,
 * and the node satisfies this structurally.
 */
import type { Json, SignedRoster } from '@imi/protocol'
import type { EvidenceReport } from '../services/evidence-verifier.js'
import type { MessageView, SentRecord } from '../services/messaging/records.js'
import type { SendRequest } from '../services/messaging/messaging.js'
import type { NodeStatus } from '../node.js'

export interface ApiNode {
  readonly running: boolean
  status(): NodeStatus
  readonly messaging: {
    send(request: SendRequest): Promise<SentRecord>
    view(id: string): Promise<MessageView>
    list(direction: 'sent' | 'received', limit?: number): Promise<MessageView[]>
    outboxSummary(): Array<{ country: string, pending: number, failures: number, retryAt?: number, oldestQueuedAt?: number }>
  }
  readonly roster: {
    readonly current: { readonly version: number, readonly signed: SignedRoster, readonly doc: Json | object }
    offer(versions: readonly SignedRoster[]): Promise<number>
  }
  announceRoster(): Promise<void>
  verifyEvidence(): Promise<EvidenceReport>
}
