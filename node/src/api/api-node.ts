/**
 * What the HTTP API needs from a node, and nothing more. ImiNode satisfies it
 * structurally, so the API never sees libp2p and a test can hand it any node.
 */
import type { SignedRoster } from '@imi/protocol'
import type { NodeStatus } from '../node.js'
import type { AuthorityRegistry } from '../services/authorities/authority-registry.js'
import type { UserAccounts } from '../services/accounts/user-accounts.js'
import type { EvidenceReport } from '../services/evidence-verifier.js'
import type { DirectoryApi } from './routes/directory.js'
import type { RequestsApi } from './routes/requests.js'
import type { AlertsApi } from './routes/alerts.js'
import type { NotificationsApi } from './routes/notifications.js'
import type { SubjectRequestsApi } from './routes/subject-requests.js'
import type { RetentionApiNode } from './routes/retention.js'
import type { AuditTrail } from '../services/audit/audit-trail.js'
import type { RequestDrafts } from '../services/requests/drafts.js'
import type { RequestDeadlines } from '../services/requests/deadlines.js'
import type { Messaging } from '../services/messaging/messaging.js'
import type { RosterService } from '../services/roster-service.js'

export interface ApiNode {
  readonly running: boolean
  /** Only valid while running: the API checks `running` first. */
  readonly messaging: Pick<Messaging, 'send' | 'view' | 'list' | 'outboxDepth' | 'outboxSummary'>
  readonly roster: Pick<RosterService, 'current'> & { offer(versions: readonly SignedRoster[]): Promise<number> }
  readonly directory: DirectoryApi
  readonly requests: RequestsApi
  readonly alerts: AlertsApi
  readonly notifications: NotificationsApi
  /** Data subject rights (Art 19): the register and its steps. */
  readonly subjects: SubjectRequestsApi
  readonly audit: Pick<AuditTrail, 'list' | 'search' | 'verify'>
  /** Retention, read-only: the policy, a procedure's dates and what was done to it. */
  readonly retention: RetentionApiNode['retention']
  readonly requestDrafts: Pick<RequestDrafts, 'create' | 'list' | 'get' | 'update' | 'remove' | 'send'>
  readonly requestDeadlines: Pick<RequestDeadlines, 'assess' | 'country' | 'now'>
  /** This state's authorities and registers, as its coordinator manages them. */
  readonly authorities: Pick<AuthorityRegistry, 'list' | 'get' | 'update' | 'act' | 'importAuthorities' | 'listRegisters' | 'getRegister' | 'putRegisters' | 'removeRegister'>
  readonly accounts: Pick<UserAccounts,
    'login' | 'logout' | 'authenticate' | 'setPassword' | 'updatePreferences' | 'requestToJoin' | 'registerAuthority' | 'createCoordinator' |
    'listUsers' | 'createUser' | 'getUser' | 'updateUser' | 'unlock'>
  /** Every database entry from one snapshot, gzipped: what a backup holds of the store. */
  snapshot(): Promise<Uint8Array>
  status(): NodeStatus
  announceRoster(): Promise<void>
  verifyEvidence(): Promise<EvidenceReport>
}
