/**
 * What the HTTP API needs from a node, and nothing more. ImiNode satisfies it
 * structurally, so the API never sees libp2p and a test can hand it any node.
 */
import type { SignedRoster } from '@imi/protocol'
import type { NodeStatus } from '../node.js'
import type { EvidenceReport } from '../services/evidence-verifier.js'
import type { Messaging } from '../services/messaging/messaging.js'
import type { RosterService } from '../services/roster-service.js'

export interface ApiNode {
  readonly running: boolean
  /** Only valid while running: the API checks `running` first. */
  readonly messaging: Pick<Messaging, 'send' | 'view' | 'list' | 'outboxDepth' | 'outboxSummary'>
  readonly roster: Pick<RosterService, 'current'> & { offer(versions: readonly SignedRoster[]): Promise<number> }
  status(): NodeStatus
  announceRoster(): Promise<void>
  verifyEvidence(): Promise<EvidenceReport>
}
