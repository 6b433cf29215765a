/**
 * The one deletion routine: which writes remove a procedure's personal data from this
 * node's store, and only those. Envelopes (sent, received, broadcasts' JWS), request and
 * alert states, events and the evidence chain stay: they carry the salted digest of each
 * sidecar, never the data, so every signature still verifies after the sidecar is gone.
 *
 * A request's personal data on a node: the sidecars of its events (subject, answers,
 * messages, attachment names) and of its attachment chunks in Bucket.personalData, the
 * subject the requesting node keeps (Bucket.requestSubjects), the attachments and any
 * chunks still arriving, and the corrections and contests of its subject (Art 19: their
 * records in Bucket.subjectCorrections and their messages' sidecars). An alert's: the sidecar (content in clear, or sealed) in its
 * issuing event and in the broadcast entry this node serves to peers.
 */
import {
  REQUEST_ATTACHMENT_KIND, decodeAttachmentChunkBody, parseCompact,
  type RequestState
} from '@imi/protocol'
import { Bucket, type BucketName, type Store, type WriteOp } from '../../storage/index.js'
import type { BroadcastEntry } from '../broadcast/broadcaster.js'
import type { ReceivedRecord, SentRecord } from '../messaging/records.js'
import type { StoredAttachment } from '../requests/attachments.js'
import type { StoredRequestEvent } from '../requests/request-log.js'

export interface ErasurePlan {
  readonly ops: WriteOp[]
  /** Where the deleted values lived: the key ranges to compact. */
  readonly buckets: readonly BucketName[]
  /** Personal-data digests (hdr.pd) of the envelopes whose sidecars go. */
  readonly digests: string[]
  /** SHA-256 of the attachments that go. */
  readonly attachments: string[]
  /** Sidecars, attachments and chunks removed: what a log line may count. */
  readonly items: number
}

interface StoredChunk { readonly messageId: string }
/** A correction's record (services/subjects/corrections.ts): its data are in its message's sidecar, or in the record itself. */
interface StoredCorrection { readonly messageId?: string }

const REQUEST_BUCKETS: readonly BucketName[] = [Bucket.personalData, Bucket.attachments, Bucket.attachmentChunks, Bucket.requestSubjects, Bucket.subjectCorrections]
const ALERT_BUCKETS: readonly BucketName[] = [Bucket.alertEvents, Bucket.broadcasts]

/** An attachment-chunk sidecar still held, and the request it belongs to. */
export interface ChunkSidecar { readonly id: string, readonly digest?: string }

const prefixRange = (prefix: string): { gte: string, lt: string } => ({ gte: prefix, lt: `${prefix}\uffff` })

async function envelopeHeader (store: Store, id: string): Promise<SentRecord['hdr'] | undefined> {
  return (await store.get<SentRecord>(Bucket.sent, id))?.hdr ?? (await store.get<ReceivedRecord>(Bucket.received, id))?.hdr
}

async function keysOf (store: Store, bucket: typeof Bucket.personalData): Promise<string[]> {
  // Keys only: sidecars of attachment chunks are up to 64 KiB each, their values are not needed here.
  const sub = store.db.sublevel<string, unknown>(bucket, { valueEncoding: 'json' })
  const out: string[] = []
  for await (const key of sub.keys()) out.push(key)
  return out
}

/**
 * Attachment-chunk sidecars still held, by request: the sending node keeps each chunk's
 * sidecar beside its sent envelope (to resend it), and a receiver whose chunks never
 * completed keeps theirs. One pass over the sidecars' keys; built only when a request
 * is due for deletion.
 */
export async function chunkSidecarsByRequest (store: Store): Promise<Map<string, ChunkSidecar[]>> {
  const out = new Map<string, ChunkSidecar[]>()
  for (const id of await keysOf(store, Bucket.personalData)) {
    const sent = await store.get<SentRecord>(Bucket.sent, id)
    const rec = sent ?? await store.get<ReceivedRecord>(Bucket.received, id)
    if (rec?.hdr.kind !== REQUEST_ATTACHMENT_KIND) continue
    let request: string
    try {
      request = decodeAttachmentChunkBody((JSON.parse(new TextDecoder().decode(parseCompact(rec.jws).payloadBytes)) as { body: unknown }).body).request
    } catch {
      continue
    }
    const list = out.get(request) ?? []
    list.push({ id, ...(rec.hdr.pd !== undefined && { digest: rec.hdr.pd }) })
    out.set(request, list)
  }
  return out
}

export interface RequestErasureOptions {
  /** Attachment-chunk sidecars by request (see chunkSidecarsByRequest). */
  readonly chunks: ReadonlyMap<string, readonly ChunkSidecar[]>
  /**
   * Requester side of a request whose split children are not due yet: keep the subject
   * and the original files, which the children show too; delete everything else.
   */
  readonly keepShared?: boolean
  /** Only what keepShared kept before (the children are now due as well). */
  readonly sharedOnly?: boolean
}

/** Writes that delete one request's personal data on this node. */
export async function planRequestErasure (store: Store, state: RequestState, opts: RequestErasureOptions): Promise<ErasurePlan> {
  const ops: WriteOp[] = []
  const digests: string[] = []
  const attachments: string[] = []
  const id = state.id
  const originals = new Set(state.attachments.map((a) => a.sha256))
  if (opts.sharedOnly !== true) {
    for await (const [, e] of store.entries<StoredRequestEvent>(Bucket.requestEvents, prefixRange(`${id}/`))) {
      if (await store.get(Bucket.personalData, e.id) === undefined) continue
      ops.push({ type: 'del', bucket: Bucket.personalData, key: e.id })
      const pd = (await envelopeHeader(store, e.id))?.pd
      if (pd !== undefined) digests.push(pd)
    }
    for (const c of opts.chunks.get(id) ?? []) {
      ops.push({ type: 'del', bucket: Bucket.personalData, key: c.id })
      if (c.digest !== undefined) digests.push(c.digest)
    }
    for await (const [key, chunk] of store.entries<StoredChunk>(Bucket.attachmentChunks, prefixRange(`${id}/`))) {
      ops.push({ type: 'del', bucket: Bucket.attachmentChunks, key }, { type: 'del', bucket: Bucket.personalData, key: chunk.messageId })
    }
    for await (const [key, c] of store.entries<StoredCorrection>(Bucket.subjectCorrections, prefixRange(`${id}/`))) {
      ops.push({ type: 'del', bucket: Bucket.subjectCorrections, key })
      if (c.messageId === undefined || await store.get(Bucket.personalData, c.messageId) === undefined) continue
      ops.push({ type: 'del', bucket: Bucket.personalData, key: c.messageId })
      const pd = (await envelopeHeader(store, c.messageId))?.pd
      if (pd !== undefined) digests.push(pd)
    }
  }
  for await (const [key, a] of store.entries<StoredAttachment>(Bucket.attachments, prefixRange(`${id}/`))) {
    const shared = originals.has(a.sha256)
    if (opts.keepShared === true && shared) continue
    if (opts.sharedOnly === true && !shared) continue
    ops.push({ type: 'del', bucket: Bucket.attachments, key })
    attachments.push(a.sha256)
  }
  if (opts.keepShared !== true && await store.get(Bucket.requestSubjects, id) !== undefined) {
    ops.push({ type: 'del', bucket: Bucket.requestSubjects, key: id })
  }
  return { ops, buckets: REQUEST_BUCKETS, digests: [...new Set(digests)], attachments, items: ops.length }
}

interface StoredAlertEvent { readonly id: string, readonly pd?: unknown }

/**
 * Writes that delete one alert's content on this node: the sidecar goes from its events
 * and from the broadcast entries this node serves, so no peer gets it from here again.
 */
export async function planAlertErasure (store: Store, alertId: string): Promise<ErasurePlan> {
  const ops: WriteOp[] = []
  const digests: string[] = []
  for await (const [key, e] of store.entries<StoredAlertEvent>(Bucket.alertEvents, prefixRange(`${alertId}/`))) {
    if (e.pd !== undefined) {
      const { pd: _gone, ...kept } = e
      ops.push({ type: 'put', bucket: Bucket.alertEvents, key, value: kept })
    }
    const entryKey = await store.get<string>(Bucket.broadcastIds, e.id)
    const entry = entryKey === undefined ? undefined : await store.get<BroadcastEntry>(Bucket.broadcasts, entryKey)
    if (entryKey !== undefined && entry?.wire.pd !== undefined) {
      ops.push({ type: 'put', bucket: Bucket.broadcasts, key: entryKey, value: { ...entry, wire: { jws: entry.wire.jws } } satisfies BroadcastEntry })
      const hdr = (JSON.parse(new TextDecoder().decode(parseCompact(entry.wire.jws).payloadBytes)) as { hdr: { pd?: string } }).hdr
      if (hdr.pd !== undefined) digests.push(hdr.pd)
    }
  }
  return { ops, buckets: ALERT_BUCKETS, digests: [...new Set(digests)], attachments: [], items: ops.length }
}

/**
 * LevelDB deletes by writing tombstones: the old values stay in table files and in the
 * write-ahead log until a compaction rewrites them. This compacts the key ranges of the
 * given buckets (flushing the log first), so deleted personal data leave the disk now,
 * not whenever the database next happens to compact. Returns false where the backend
 * cannot (not classic-level). Files still pinned by an open iterator go at the next compaction.
 */
export async function compactBuckets (store: Store, buckets: Iterable<BucketName>): Promise<boolean> {
  const db = store.db as unknown as { compactRange?: (start: string, end: string) => Promise<void> }
  if (typeof db.compactRange !== 'function') return false
  for (const bucket of new Set(buckets)) {
    const prefix = store.db.sublevel(bucket).prefix
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)
    await db.compactRange.call(store.db, prefix, end)
  }
  return true
}
