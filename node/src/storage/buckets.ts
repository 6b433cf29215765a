/**
 * Every sublevel name, in one place. Buckets are siblings, never nested, so an
 * iterator over one can never run into another's keys.
 */
export const Bucket = {
  meta: 'meta',
  /** Pending deliveries: message id -> retry state. Removed when the receipt is stored. */
  outbox: 'outbox',
  /** Envelopes this node signed and sent, with their receipts once they arrive. */
  sent: 'sent',
  /** Envelopes this node accepted, with the receipt it issued. */
  received: 'received',
  /** `<created>:<id>` -> id, so lists come newest first without reading everything. */
  sentByTime: 'sent-by-time',
  receivedByTime: 'received-by-time',
  /** Personal-data sidecars, kept apart so erasure is one delete and leaves evidence intact. */
  personalData: 'personal-data',
  /** Hash-chained log of every envelope and receipt sent or received. */
  evidence: 'evidence',
  /** Every verified roster version, by version number. */
  roster: 'roster',
  /** `<CC>/<authorities|registers>` -> the last complete, verified directory of that state. */
  directoryCache: 'directory-cache',
  /** `<authorities|registers>` -> what this node last published: its sequence number and expiry. */
  directoryPublished: 'directory-published',
  /** Authority id -> this state's authority: its directory entry and status (pending, active, suspended, removed). */
  authorities: 'authorities',
  /** Register id -> this state's national register, as published. */
  registers: 'registers',
  /** User name -> account: authority, roles, password hash, failed log-ins. */
  users: 'users',
  /** SHA-256 of a session token -> session. The token itself is never stored. */
  sessions: 'sessions',
  /** Request id -> the request as this node last computed it from its events (a cache: the events decide). */
  requests: 'requests',
  /** `<request id>/<envelope id>` -> one signed event of a request, sent or received. */
  requestEvents: 'request-events',
  /** Request id -> the subject's personal data on the requesting node, disclosed once the responder accepts. */
  requestSubjects: 'request-subjects',
  /** Request id -> which deadline notices (reminder and overdue: the due date; escalation: the last activity) this node already sent. */
  requestDeadlines: 'request-deadlines',
  /** `<request id>/<sha256>` -> an attachment's bytes, on the two nodes of its request only. */
  attachments: 'attachments',
  /** `<request id>/<sha256>/<index>` -> chunks of an attachment still arriving. */
  attachmentChunks: 'attachment-chunks',
  /** `<created>:<envelope id>` -> a broadcast envelope (alert, notification) this node holds, its own or another's: served to peers that missed it. */
  broadcasts: 'broadcasts',
  /** Envelope id -> its key in Bucket.broadcasts: duplicates are recognised forever. */
  broadcastIds: 'broadcast-ids',
  /** `<arrival seq>` -> envelope id, in the order this node stored its broadcasts: what a peer's catch-up pages through. */
  broadcastLog: 'broadcast-log',
  /** Peer id -> how far this node's catch-up from that peer got (the peer's log epoch and arrival seq). */
  broadcastMarks: 'broadcast-marks',
  /** `<alert id>/<envelope id>` -> one event of an alert. */
  alertEvents: 'alert-events',
  /** Alert id -> the alert as this node last computed it, with its local routing. */
  alerts: 'alerts',
  /** `<alert id>/<country>` -> the signed receipt of a receiving state. */
  alertReceipts: 'alert-receipts',
  /** `<authority>/<draft id>` -> a request an official is still writing: on this node only, never sent. */
  requestDrafts: 'request-drafts',
  /** `<notification id>/<envelope id>` -> one event of a notification (creation, modification, withdrawal, comment). */
  notificationEvents: 'notification-events',
  /** Notification id -> the notification as this node last computed it from its events (a cache: the events decide). */
  notifications: 'notifications',
  /** Hash-chained audit trail of personal-data reads, exports, changes and deletions (ids only), plus `p/<procedure id>/<seq>` lookups. */
  audit: 'audit',
  /** `<kind>/<id>` -> a procedure's retention: when its personal data were blocked and deleted (issue 6). */
  retention: 'retention',
  /** `<request id>/<kind>` -> the counterpart node's signed statement that it deleted its copy (erasure, erasure-receipt). */
  erasureReceipts: 'erasure-receipts',
  /** Data subject request id -> a request from a data subject (Art 19): kind, deadline, status, procedures found; no personal data. */
  subjectRequests: 'subject-requests',
  /** `<request id>/<at>:<id>` -> a rectification of a request's subject or a contested accuracy, sent or received (the data in the message's sidecar). */
  subjectCorrections: 'subject-corrections',
  /** libp2p's own datastore (peer store, DHT records). */
  libp2p: 'libp2p'
} as const
export type BucketName = typeof Bucket[keyof typeof Bucket]

/** Fixed-width keys so that lexicographic order is numeric order. */
export function seqKey (n: number): string {
  return n.toString(16).padStart(12, '0')
}

/** Index key ordering records by time, then id. */
export function timeKey (at: number, id: string): string {
  return `${seqKey(at)}:${id}`
}
