/**
 * Attachments of requests and answers. They stay on the node that added them until the
 * other side may see them (the requester's after acceptance, the responder's with its
 * answer), then travel as chunks in durable direct messages, so a node that is offline
 * gets them when it returns. A receiver keeps them only once every chunk is in and the
 * bytes hash to what the signed event named; they exist on the two nodes of the request only.
 */
import { createHash } from 'node:crypto'
import {
  ATTACHMENT_CHUNK_BYTES, ImiError, MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES, REQUEST_ATTACHMENT_KIND,
  decodeAttachmentChunkBody, decodeAttachmentChunkData,
  type AttachmentRef, type RequestState, type VerifiedEnvelope
} from '@imi/protocol'
import { InvalidRequestError } from '../../errors.js'
import { Bucket, type PutOp, type Store, type WriteOp } from '../../storage/index.js'
import type { Logger } from '../logger.js'
import type { Messaging } from '../messaging/messaging.js'
import type { RequestLog } from './request-log.js'

export interface NewAttachment {
  readonly name: string
  readonly type: string
  readonly data: Uint8Array
}

export interface StoredAttachment {
  readonly sha256: string
  readonly type: string
  readonly size: number
  /** Base64 of the bytes. */
  readonly data: string
}

interface StoredChunk { readonly messageId: string, readonly data: string }

export interface AttachmentsComponents {
  readonly store: Store
  readonly messaging: Pick<Messaging, 'send' | 'handleInbound' | 'addEventListener' | 'removeEventListener'>
  readonly log: Pick<RequestLog, 'record'>
  readonly logger: Logger
}

/** Files with one request or one answer, together. */
export const MAX_FILES_BYTES = 20 * 1024 * 1024
const MEDIA_TYPE = /^[a-z]+\/[a-z0-9.+-]{1,100}$/
export const sha256Of = (data: Uint8Array): string => createHash('sha256').update(data).digest('base64url')
const key = (requestId: string, sha256: string): string => `${requestId}/${sha256}`

/** The chunk is for an attachment the request does not (yet) list: worth a retry, the event may be on its way. */
class UnknownAttachmentError extends ImiError {
  override name = 'UnknownAttachmentError'
  constructor (message: string) { super('ERR_UNKNOWN_ATTACHMENT', message, 'ignore') }
}

export class RequestAttachments {
  /** Chunk message id -> where it belongs, between Messaging's store and its 'received' event. */
  private readonly pending = new Map<string, { request: string, sha256: string, count: number }>()

  constructor (private readonly components: AttachmentsComponents) {
    components.messaging.handleInbound(REQUEST_ATTACHMENT_KIND, async (env) => await this.inbound(env))
  }

  start (): void { this.components.messaging.addEventListener('received', this.onReceived) }
  stop (): void { this.components.messaging.removeEventListener('received', this.onReceived) }

  /** Checks and hashes new attachments; the writes go into the batch of the event that lists them. */
  prepare (requestId: string, files: readonly NewAttachment[]): { refs: AttachmentRef[], names: Record<string, string>, writes: PutOp[] } {
    if (files.length > MAX_ATTACHMENTS) throw new InvalidRequestError(`at most ${MAX_ATTACHMENTS} attachments`)
    if (files.reduce((n, f) => n + f.data.length, 0) > MAX_FILES_BYTES) throw new InvalidRequestError(`attachments may total at most ${MAX_FILES_BYTES} bytes`)
    const refs: AttachmentRef[] = []
    const names: Record<string, string> = {}
    const writes: PutOp[] = []
    for (const f of files) {
      if (f.data.length === 0 || f.data.length > MAX_ATTACHMENT_BYTES) throw new InvalidRequestError(`an attachment must have 1 to ${MAX_ATTACHMENT_BYTES} bytes`)
      if (!MEDIA_TYPE.test(f.type)) throw new InvalidRequestError('attachment type must be a media type such as application/pdf')
      const sha256 = sha256Of(f.data)
      if (names[sha256] !== undefined) throw new InvalidRequestError('the same file is attached twice')
      refs.push({ sha256, size: f.data.length, type: f.type })
      names[sha256] = f.name
      const stored: StoredAttachment = { sha256, type: f.type, size: f.data.length, data: Buffer.from(f.data).toString('base64') }
      writes.push({ type: 'put', bucket: Bucket.attachments, key: key(requestId, sha256), value: stored })
    }
    return { refs, names, writes }
  }

  async read (requestId: string, sha256: string): Promise<StoredAttachment | undefined> {
    return await this.components.store.get<StoredAttachment>(Bucket.attachments, key(requestId, sha256))
  }

  /**
   * Sends attachments to the other node as chunks, each a durable direct message.
   * `from` is where the bytes are stored here (a split child reads its root's).
   */
  async transmit (to: string, requestId: string, refs: readonly AttachmentRef[], from = requestId, fromAuthority?: string): Promise<void> {
    for (const ref of refs) {
      const stored = await this.read(from, ref.sha256)
      if (stored === undefined) {
        this.components.logger.error('attachment to send is missing', { request: requestId })
        continue
      }
      const bytes = Buffer.from(stored.data, 'base64')
      const count = Math.ceil(bytes.length / ATTACHMENT_CHUNK_BYTES)
      for (let index = 0; index < count; index++) {
        const data = bytes.subarray(index * ATTACHMENT_CHUNK_BYTES, (index + 1) * ATTACHMENT_CHUNK_BYTES).toString('base64')
        await this.components.messaging.send({
          kind: REQUEST_ATTACHMENT_KIND, to, body: { request: requestId, sha256: ref.sha256, index, count }, personalData: { data },
          ...(fromAuthority !== undefined && { fromAuthority })
        })
      }
    }
  }

  /** Which party may send which attachments of a request, and when. */
  private expected (state: RequestState, from: string, sha256: string): AttachmentRef | undefined {
    if (from === state.requester.country) return state.firstAcceptedAt === undefined ? undefined : state.attachments.find((a) => a.sha256 === sha256)
    if (from === state.responder.country) return state.answerAttachments?.find((a) => a.sha256 === sha256)
    return undefined
  }

  private async inbound (env: VerifiedEnvelope): Promise<WriteOp[]> {
    const body = decodeAttachmentChunkBody(env.body)
    if (env.pd === undefined) throw new InvalidRequestError('an attachment chunk carries its bytes')
    const data = decodeAttachmentChunkData(env.pd.data)
    const record = await this.components.log.record(body.request)
    if (record === undefined) throw new UnknownAttachmentError(`no request ${body.request} here (yet)`)
    const state = record.state
    if (env.hdr.from !== state.requester.country && env.hdr.from !== state.responder.country) throw new ImiError('ERR_NOT_PARTY', `${env.hdr.from} takes no part in this request`)
    const ref = this.expected(state, env.hdr.from, body.sha256)
    if (ref === undefined) throw new UnknownAttachmentError('the request does not list this attachment from this sender (yet)')
    if (body.count !== Math.ceil(ref.size / ATTACHMENT_CHUNK_BYTES)) throw new InvalidRequestError('chunk count does not fit the attachment\'s size')
    this.pending.set(env.hdr.id, { request: body.request, sha256: body.sha256, count: body.count })
    const chunk: StoredChunk = { messageId: env.hdr.id, data }
    return [{ type: 'put', bucket: Bucket.attachmentChunks, key: `${key(body.request, body.sha256)}/${String(body.index).padStart(4, '0')}`, value: chunk }]
  }

  private readonly onReceived = (evt: Event): void => {
    const { id } = (evt as CustomEvent<{ id: string }>).detail
    const p = this.pending.get(id)
    if (p === undefined) return
    this.pending.delete(id)
    void this.assemble(p.request, p.sha256, p.count).catch((err: Error) => {
      this.components.logger.error('attachment not assembled', { request: p.request, error: err.message })
    })
  }

  /** Once every chunk is in: check the hash, keep the attachment, drop the chunks and their copies. */
  private async assemble (requestId: string, sha256: string, count: number): Promise<void> {
    const prefix = `${key(requestId, sha256)}/`
    const chunks: Array<[string, StoredChunk]> = []
    for await (const entry of this.components.store.entries<StoredChunk>(Bucket.attachmentChunks, { gte: prefix, lt: `${prefix}\uffff` })) chunks.push(entry)
    if (chunks.length < count || await this.read(requestId, sha256) !== undefined) return
    const bytes = Buffer.concat(chunks.map(([, c]) => Buffer.from(c.data, 'base64')))
    const record = await this.components.log.record(requestId)
    const ref = [...(record?.state.attachments ?? []), ...(record?.state.answerAttachments ?? [])].find((a) => a.sha256 === sha256)
    const cleanup: WriteOp[] = chunks.flatMap(([k, c]) => [
      { type: 'del' as const, bucket: Bucket.attachmentChunks, key: k },
      { type: 'del' as const, bucket: Bucket.personalData, key: c.messageId }
    ])
    if (ref === undefined || sha256Of(bytes) !== sha256 || bytes.length !== ref.size) {
      this.components.logger.warn('attachment refused: its bytes do not match the signed hash', { request: requestId })
      await this.components.store.commit(cleanup)
      return
    }
    const stored: StoredAttachment = { sha256, type: ref.type, size: ref.size, data: bytes.toString('base64') }
    await this.components.store.commit([{ type: 'put', bucket: Bucket.attachments, key: key(requestId, sha256), value: stored }, ...cleanup])
  }
}
