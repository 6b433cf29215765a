/**
 * Direct messages between member-state nodes. The sender writes each message to a
 * durable outbox before sending; the receiver validates everything before it stores,
 * then answers with a signed receipt; the sender stores the receipt and only then
 * forgets the outbox entry. A duplicate gets the stored receipt, never a second copy.
 */
import {
  DIRECT_MESSAGE_KINDS, MAX_CLOCK_SKEW_MS, MAX_MESSAGE_AGE_MS, RECEIPT_KIND, REPLY_KINDS,
  DuplicateMessageError, ImiError, UnknownAuthorityError, ReceiptMismatchError, StaleMessageError, WrongRecipientError, WrongSenderPeerError,
  checkReceipt, decodeReply, encodeReply, encodeWire, parseCompact, peekEnvelopeId, receiptBodyFor, signEnvelope, verifyEnvelope,
  type CryptoSuite, type EnvelopeDraft, type Json, type Signer, type VerifiedEnvelope, type WireEnvelope
} from '@imi/protocol'
import type { Clock } from '../../clock.js'
import { AuthorityUnverifiedError, InvalidRequestError, NotFoundError } from '../../errors.js'
import { Bucket, timeKey, type EvidenceLog, type Store, type WriteOp } from '../../storage/index.js'
import type { Logger } from '../logger.js'
import type { RosterService } from '../roster-service.js'
import { OutboxScheduler, type OutboxInit } from './outbox.js'
import type { MessageView, OutboxEntry, ReceivedRecord, SentRecord } from './records.js'
import { refusalFrom, PermanentRefusalError } from './refusals.js'
import type { DirectTransport } from './transport.js'

/** Bytes of fresh frames kept in memory; beyond it the first attempt reads the store. */
const MAX_CACHED_FRAME_BYTES = 64 * 1024 * 1024

/**
 * After an ERR_UNKNOWN_AUTHORITY refusal the sender fetches the receiver's directory again
 * from the DHT, at most once per state in this long: each retry of a refused message
 * must not become another DHT lookup.
 */
export const DIRECTORY_RECHECK_MS = 5 * 60_000

interface Frame { readonly sent: SentRecord, readonly frame: Uint8Array, readonly personalDataSent: boolean }

export interface MessagingComponents {
  readonly store: Store
  readonly evidence: EvidenceLog
  readonly roster: RosterService
  readonly crypto: CryptoSuite
  readonly clock: Clock
  readonly country: string
  readonly signer: Signer
  readonly transport: DirectTransport
  readonly randomBytes: (n: number) => Uint8Array
  readonly logger: Logger
  /** Which authorities exist now: a suspended or removed one neither sends nor receives. */
  readonly authorities?: AuthorityCheck
}

/**
 * What this node knows of an authority: its state lists it; its state does not (this
 * node's copy of that state's directory is loaded and confirmed from the network); or
 * this node cannot tell yet (that copy is not loaded, or not confirmed since it started).
 */
export type AuthorityStatus = 'listed' | 'not-listed' | 'unverified'

export interface AuthorityCheck {
  /** `fresh`: fetch the state's directory again first, even when the copy held lists the authority. */
  authorityStatus(country: string, id: string, fresh?: boolean): Promise<AuthorityStatus>
}

export interface MessagingInit extends OutboxInit {
  readonly federationId: string
}

export interface SendRequest {
  readonly kind: string
  readonly to: string
  readonly body: Json
  readonly personalData?: Json
  readonly fromAuthority?: string
  readonly toAuthority?: string
}

/**
 * A workflow's say over an inbound message of its kind, before anything is stored: throw
 * an ImiError to refuse it (the sender gets the code), or return writes that go into the
 * same atomic batch as the message and its receipt.
 */
export type InboundHandler = (env: VerifiedEnvelope) => Promise<WriteOp[]>

/** Writes that go into the same batch as a sent message, built once its id is known. */
export type SentWrites = (record: SentRecord) => WriteOp[]

export class Messaging extends EventTarget {
  private readonly inbound = new Map<string, InboundHandler>()
  private readonly outbox: OutboxScheduler
  /** Deliveries of the same id being processed right now: they share one outcome. */
  private readonly inflight = new Map<string, Promise<string>>()
  /**
   * Frames of messages sent since this start and not yet acknowledged, so the first
   * attempt need not read back what was just written. After a restart the store is read.
   */
  private readonly frames = new Map<string, Frame>()
  private cachedBytes = 0
  /**
   * Since when each message has been refused ERR_UNKNOWN_AUTHORITY while this node lists
   * the authority: the disagreement's window counts from its first refusal, not from the
   * message's creation (a message that waited out an outage is not abandoned at once).
   * In memory: after a restart it counts again, within the replay window still.
   */
  private readonly disagreeing = new Map<string, number>()
  /** What the last double-check of a refused authority found ("country/id"), and when. */
  private readonly rechecked = new Map<string, { readonly at: number, readonly status: Promise<AuthorityStatus> }>()

  constructor (private readonly components: MessagingComponents, private readonly init: MessagingInit) {
    super()
    this.outbox = new OutboxScheduler({
      store: components.store, clock: components.clock, logger: components.logger.child('outbox'),
      randomBytes: components.randomBytes,
      deliver: async (entry, signal) => { await this.deliver(entry, signal) },
      giveUp: async (entry, err) => { await this.giveUp(entry, err) }
    }, init)
  }

  async start (): Promise<void> { await this.outbox.start() }
  stop (): void {
    this.outbox.stop()
    this.frames.clear()
    this.disagreeing.clear()
    this.cachedBytes = 0
  }

  /** A peer came (back) online: retry what it is owed now instead of after the backoff. */
  peerConnected (peerId: string): void {
    const member = this.components.roster.current.memberByPeerId(peerId)
    if (member !== undefined) this.outbox.wake(member.country)
  }

  outboxDepth (): number { return this.outbox.depth() }
  outboxSummary (): ReturnType<OutboxScheduler['summary']> { return this.outbox.summary() }

  /** One handler per kind: the workflow that owns it. */
  handleInbound (kind: string, handler: InboundHandler): void {
    if (this.inbound.has(kind)) throw new Error(`kind ${kind} already has a handler`)
    this.inbound.set(kind, handler)
  }

  async send (request: SendRequest, also?: SentWrites): Promise<SentRecord> {
    const { country, roster } = { country: this.components.country, roster: this.components.roster.current }
    if (request.to === country) throw new InvalidRequestError('a node does not send direct messages to itself')
    if (roster.member(request.to) === undefined) throw new InvalidRequestError(`${request.to} is not a member of the federation`)
    const validate = DIRECT_MESSAGE_KINDS.get(request.kind)
    if (validate === undefined) throw new InvalidRequestError(`unknown message kind ${request.kind}`)
    validate(request.body)
    await this.checkAuthorities(country, request.fromAuthority, request.to, request.toAuthority)
    const draft: EnvelopeDraft = {
      kind: request.kind, from: country, to: [request.to], body: request.body,
      ...(request.personalData !== undefined && { personalData: request.personalData }),
      ...(request.fromAuthority !== undefined && { fromAuthority: request.fromAuthority }),
      ...(request.toAuthority !== undefined && { toAuthority: request.toAuthority })
    }
    const env = signEnvelope(draft, this.signContext())
    const record: SentRecord = { id: env.hdr.id, hdr: env.hdr, jws: env.jws, digest: env.digest }
    const entry: OutboxEntry = { id: env.hdr.id, to: request.to, queuedAt: this.components.clock.now() }
    await this.components.store.commit([
      { type: 'put', bucket: Bucket.sent, key: record.id, value: record },
      { type: 'put', bucket: Bucket.sentByTime, key: timeKey(record.hdr.created, record.id), value: record.id },
      { type: 'put', bucket: Bucket.outbox, key: record.id, value: entry },
      ...(env.pd !== undefined ? [{ type: 'put' as const, bucket: Bucket.personalData, key: record.id, value: env.pd }] : []),
      ...(also?.(record) ?? [])
    ], this.components.evidence.append([{ type: 'sent', ref: record.id, jws: env.jws }]))
    // Bounded: a long outage must not hold every pending message in memory.
    const frame = encodeWire(env.wire)
    if (this.cachedBytes + frame.length <= MAX_CACHED_FRAME_BYTES) {
      this.frames.set(record.id, { sent: record, frame, personalDataSent: env.pd !== undefined })
      this.cachedBytes += frame.length
    }
    this.outbox.enqueue(entry)
    return record
  }

  /** Handles one inbound frame from an authenticated peer; returns the reply frame. */
  async receiveFrame (wire: WireEnvelope, remotePeerId: string): Promise<Uint8Array> {
    try {
      return encodeReply({ receipt: await this.receive(wire, remotePeerId) })
    } catch (err) {
      const code = err instanceof ImiError ? err.code : 'ERR_INTERNAL'
      // The id (unverified) lets operators on both sides find the same exchange in their logs.
      this.components.logger.warn('direct message refused', { code, peer: remotePeerId, id: peekEnvelopeId(wire.jws) ?? 'unreadable' })
      this.dispatchEvent(new CustomEvent('rejected', { detail: { code } }))
      return encodeReply({ error: { code, message: err instanceof ImiError ? err.message : 'internal error' } })
    }
  }

  /** Validates, stores and acknowledges; returns the receipt JWS. */
  async receive (wire: WireEnvelope, remotePeerId: string): Promise<string> {
    // Freshness is judged after the duplicate lookup (in store): a message this node
    // already holds gets its receipt however late the sender's retry comes.
    const env = verifyEnvelope(wire.jws, {
      federationId: this.init.federationId, keys: this.components.roster.current, crypto: this.components.crypto,
      now: this.components.clock.now(), recipient: this.components.country, bodies: DIRECT_MESSAGE_KINDS,
      maxAgeMs: Number.MAX_SAFE_INTEGER
    }, wire.pd)
    if (env.hdr.to.length !== 1 || env.hdr.to[0] !== this.components.country) {
      throw new WrongRecipientError('a direct message names this member state as its only recipient')
    }
    // The connection proved the peer's identity; the roster says which peer speaks for a country.
    if (this.components.roster.current.member(env.hdr.from)?.peerId !== remotePeerId) {
      throw new WrongSenderPeerError(`peer ${remotePeerId} does not speak for ${env.hdr.from}`)
    }
    const running = this.inflight.get(env.hdr.id)
    if (running !== undefined) return await this.sameAs(running, env)
    const work = this.store(env)
    this.inflight.set(env.hdr.id, work)
    try {
      return await work
    } finally {
      this.inflight.delete(env.hdr.id)
    }
  }

  private async sameAs (running: Promise<string>, env: VerifiedEnvelope): Promise<string> {
    const receipt = await running
    const stored = await this.components.store.get<ReceivedRecord>(Bucket.received, env.hdr.id)
    if (stored?.digest !== env.digest) throw new DuplicateMessageError(`id ${env.hdr.id} was used for another message`)
    return receipt
  }

  private async store (env: VerifiedEnvelope): Promise<string> {
    const existing = await this.components.store.get<ReceivedRecord>(Bucket.received, env.hdr.id)
    if (existing !== undefined) {
      if (existing.digest !== env.digest) throw new DuplicateMessageError(`id ${env.hdr.id} was used for another message`)
      return existing.receipt
    }
    if (env.hdr.created < this.components.clock.now() - MAX_MESSAGE_AGE_MS) throw new StaleMessageError('envelope is older than the replay window')
    // Only for new messages: one already stored keeps its receipt after its authority leaves.
    await this.checkAuthorities(env.hdr.from, env.hdr.fromAuthority, this.components.country, env.hdr.toAuthority, true)
    const workflowWrites = await this.inbound.get(env.hdr.kind)?.(env) ?? []
    const receipt = signEnvelope({ kind: RECEIPT_KIND, from: this.components.country, to: [env.hdr.from], body: receiptBodyFor(env) }, this.signContext())
    const record: ReceivedRecord = { id: env.hdr.id, hdr: env.hdr, jws: env.jws, digest: env.digest, receivedAt: this.components.clock.now(), receipt: receipt.jws }
    await this.components.store.commit([
      { type: 'put', bucket: Bucket.received, key: record.id, value: record },
      { type: 'put', bucket: Bucket.receivedByTime, key: timeKey(record.receivedAt, record.id), value: record.id },
      ...(env.pd !== undefined ? [{ type: 'put' as const, bucket: Bucket.personalData, key: record.id, value: env.pd }] : []),
      ...workflowWrites
    ], this.components.evidence.append([
      { type: 'received', ref: record.id, jws: env.jws },
      { type: 'receipt-issued', ref: record.id, jws: receipt.jws }
    ]))
    this.dispatchEvent(new CustomEvent('received', { detail: { id: record.id, kind: env.hdr.kind, from: env.hdr.from } }))
    return receipt.jws
  }

  /**
   * Both authorities a message names must be listed by their states. Receiving, an
   * authority this node cannot verify yet (its directory of that state is still loading,
   * or not confirmed since this start) is a refusal the sender retries, never a verdict.
   */
  private async checkAuthorities (from: string, fromAuthority: string | undefined, to: string, toAuthority: string | undefined, inbound = false): Promise<void> {
    const check = this.components.authorities
    if (check === undefined) return
    for (const [country, id] of [[from, fromAuthority], [to, toAuthority]] as const) {
      if (id === undefined) continue
      const status = await check.authorityStatus(country, id)
      if (status === 'listed') continue
      if (status === 'unverified' && inbound) throw new AuthorityUnverifiedError(`${country}'s directory is not confirmed here yet: cannot tell whether it lists ${id}; retry later`)
      throw new UnknownAuthorityError(`${country} lists no authority ${id}`)
    }
  }

  /**
   * After an ERR_UNKNOWN_AUTHORITY refusal: whether this node still lists every authority
   * the message names (its own in its registry, the receiver's in its directory, fetched
   * again, and not past its `expires`). Then the receiver's view is the one that lags,
   * and the message is retried. One fetched answer serves every refusal for
   * DIRECTORY_RECHECK_MS: retries must not each become a DHT lookup.
   */
  private async listsAuthoritiesOf (sent: SentRecord): Promise<boolean> {
    const check = this.components.authorities
    const named = [[sent.hdr.from, sent.hdr.fromAuthority], [sent.hdr.to[0], sent.hdr.toAuthority]] as const
    if (check === undefined || named.every(([, id]) => id === undefined)) return false
    for (const [country, id] of named) {
      if (id !== undefined && country !== undefined && await this.recheck(check, country, id) !== 'listed') return false
    }
    return true
  }

  private async recheck (check: AuthorityCheck, country: string, id: string): Promise<AuthorityStatus> {
    const now = this.components.clock.now()
    const key = `${country}/${id}`
    const last = this.rechecked.get(key)
    if (last !== undefined && now - last.at < DIRECTORY_RECHECK_MS) return await last.status
    for (const [k, v] of this.rechecked) if (now - v.at >= DIRECTORY_RECHECK_MS) this.rechecked.delete(k)
    const status = check.authorityStatus(country, id, true)
    this.rechecked.set(key, { at: now, status })
    // A lookup that failed is not remembered: the next refusal asks again.
    status.catch(() => { if (this.rechecked.get(key)?.status === status) this.rechecked.delete(key) })
    return await status
  }

  /** One delivery attempt; throws to make the scheduler back off (or give up, if permanent). */
  private async deliver (entry: OutboxEntry, signal: AbortSignal): Promise<void> {
    const peer = this.components.roster.current.member(entry.to)
    if (peer === undefined) throw new PermanentRefusalError('ERR_NOT_A_MEMBER', `${entry.to} left the federation`)
    const { sent, frame, personalDataSent } = this.frames.get(entry.id) ?? await this.readFrame(entry.id)
    const reply = decodeReply(await this.components.transport.request(peer.peerId, frame, { signal }))
    if ('error' in reply) {
      // A real answer: past the sender's own retry window any refusal abandons the message.
      const ageMs = this.components.clock.now() - sent.hdr.created
      if (reply.error.code !== 'ERR_UNKNOWN_AUTHORITY') throw refusalFrom(entry.to, reply.error, {}, ageMs)
      const senderListsAuthorities = await this.listsAuthoritiesOf(sent)
      const now = this.components.clock.now()
      const since = this.disagreeing.get(sent.id) ?? now
      if (senderListsAuthorities) this.disagreeing.set(sent.id, since)
      // Past the replay window the message's age decides; within it, how long the views have disagreed.
      const refusedForMs = ageMs > MAX_MESSAGE_AGE_MS + MAX_CLOCK_SKEW_MS ? ageMs : now - since
      const refusal = refusalFrom(entry.to, reply.error, { senderListsAuthorities }, refusedForMs)
      if (refusal instanceof PermanentRefusalError) this.disagreeing.delete(sent.id)
      if (!(refusal instanceof PermanentRefusalError)) this.components.logger.warn('receiver does not list an authority this node lists: keeping the message, retrying', { id: sent.id, peer: entry.to })
      throw refusal
    }
    const receipt = verifyEnvelope(reply.receipt, {
      federationId: this.init.federationId, keys: this.components.roster.current, crypto: this.components.crypto,
      now: this.components.clock.now(), recipient: this.components.country, bodies: REPLY_KINDS
    })
    checkReceipt(receipt, sent, personalDataSent)
    if (receipt.hdr.from !== entry.to) throw new ReceiptMismatchError('receipt signed by another member')
    const receiptAt = this.components.clock.now()
    await this.components.store.commit([
      { type: 'put', bucket: Bucket.sent, key: sent.id, value: { ...sent, receipt: receipt.jws, receiptAt } },
      { type: 'del', bucket: Bucket.outbox, key: sent.id }
    ], this.components.evidence.append([{ type: 'receipt-received', ref: sent.id, jws: receipt.jws }]),
    // Lost in a power cut, this receipt comes back: the outbox entry survives, the retry
    // reaches the receiver, and it answers a duplicate with the very same receipt.
    { durable: false })
    this.forgetFrame(sent.id)
    this.disagreeing.delete(sent.id)
    this.dispatchEvent(new CustomEvent('delivered', { detail: { id: sent.id, to: entry.to, latencyMs: receiptAt - sent.hdr.created } }))
  }

  /** The message will never be delivered: record why, stop retrying, keep the evidence. */
  private async giveUp (entry: OutboxEntry, err: ImiError): Promise<void> {
    const sent = await this.components.store.get<SentRecord>(Bucket.sent, entry.id)
    if (sent === undefined) return
    const failure = { code: err.code, at: this.components.clock.now() }
    await this.components.store.commit([
      { type: 'put', bucket: Bucket.sent, key: sent.id, value: { ...sent, failure } },
      { type: 'del', bucket: Bucket.outbox, key: sent.id }
    ])
    this.forgetFrame(sent.id)
    this.disagreeing.delete(sent.id)
    this.components.logger.warn('delivery abandoned', { id: sent.id, peer: entry.to, code: err.code })
    this.dispatchEvent(new CustomEvent('failed', { detail: { id: sent.id, to: entry.to, code: err.code } }))
  }

  private forgetFrame (id: string): void {
    const cached = this.frames.get(id)
    if (cached === undefined) return
    this.frames.delete(id)
    this.cachedBytes -= cached.frame.length
  }

  private async readFrame (id: string): Promise<Frame> {
    const sent = await this.components.store.get<SentRecord>(Bucket.sent, id)
    if (sent === undefined) throw new NotFoundError(`outbox names unknown message ${id}`)
    const pd = await this.components.store.get<WireEnvelope['pd']>(Bucket.personalData, id)
    return { sent, frame: encodeWire(pd === undefined ? { jws: sent.jws } : { jws: sent.jws, pd }), personalDataSent: pd !== undefined }
  }

  async view (id: string): Promise<MessageView> {
    const found = await this.viewIn('sent', id) ?? await this.viewIn('received', id)
    if (found === undefined) throw new NotFoundError(`no message ${id}`)
    return found
  }

  /** The newest `limit` messages in one direction, newest first. */
  async list (direction: 'sent' | 'received', limit = 50): Promise<MessageView[]> {
    const out: MessageView[] = []
    const index = direction === 'sent' ? Bucket.sentByTime : Bucket.receivedByTime
    for await (const [, id] of this.components.store.entries<string>(index, { reverse: true, limit })) {
      const found = await this.viewIn(direction, id)
      if (found !== undefined) out.push(found)
    }
    return out
  }

  private async viewIn (direction: 'sent' | 'received', id: string): Promise<MessageView | undefined> {
    if (direction === 'received') {
      const received = await this.components.store.get<ReceivedRecord>(Bucket.received, id)
      return received === undefined ? undefined : this.viewOf(received, 'received', 'delivered', received.receivedAt)
    }
    const sent = await this.components.store.get<SentRecord>(Bucket.sent, id)
    if (sent === undefined) return undefined
    const status = sent.receipt !== undefined ? 'delivered' : sent.failure !== undefined ? 'failed' : 'pending'
    return { ...this.viewOf(sent, 'sent', status, sent.receiptAt), ...(sent.failure !== undefined && { failure: sent.failure }) }
  }

  private viewOf (rec: SentRecord | ReceivedRecord, direction: 'sent' | 'received', status: MessageView['status'], at?: number): MessageView {
    const body = JSON.parse(new TextDecoder().decode(parseCompact(rec.jws).payloadBytes)) as { body: unknown }
    return {
      id: rec.id, direction, kind: rec.hdr.kind, from: rec.hdr.from, to: rec.hdr.to, created: rec.hdr.created, status,
      ...(at !== undefined && { receiptAt: at }), body: body.body
    }
  }

  private signContext () {
    return {
      federationId: this.init.federationId, signer: this.components.signer, crypto: this.components.crypto,
      now: this.components.clock.now(), randomBytes: this.components.randomBytes
    }
  }
}
