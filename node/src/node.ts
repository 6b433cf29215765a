/**
 * Assembly: the one function that builds a member-state node from its configuration,
 * passing each part exactly the components it needs. Clock, randomness, logger and
 * crypto can be overridden so simulations run many nodes on one virtual clock.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { encodeReply, type CryptoSuite, type NodeStatus, type RetentionPolicy, type SignedRoster } from '@imi/protocol'
import { systemClock, type Clock } from './clock.js'
import { RATE_LIMITS, RateLimiter } from './rate-limit.js'
import type { NodeConfig } from './config.js'
import { nodeCrypto } from './crypto.js'
import { ConfigError, NotRunningError } from './errors.js'
import { loadIdentity, loadRetiredIdentity, type NodeIdentity } from './identity.js'
import { DirectMessageClient } from './p2p/direct-message-client.js'
import { handleDirectMessages } from './p2p/direct-message-handler.js'
import { DirectoryAnnouncer } from './p2p/directory-announce.js'
import { dhtDirectoryTransport } from './p2p/dht-directory.js'
import { createImiLibp2p, type ImiLibp2p, type P2PInit } from './p2p/libp2p.js'
import { NewestRecordDatastore } from './p2p/newest-record-datastore.js'
import { RosterSync } from './p2p/roster-sync.js'
import { UserAccounts } from './services/accounts/user-accounts.js'
import { AuthorityRegistry } from './services/authorities/authority-registry.js'
import type { LocalDirectorySource } from './services/authorities/local-directory.js'
import { DirectoryService } from './services/directory/directory-service.js'
import { verifyEvidence, type EvidenceReport } from './services/evidence-verifier.js'
import { jsonLogger, type Logger } from './services/logger.js'
import { Messaging } from './services/messaging/messaging.js'
import { BroadcastGossip } from './p2p/broadcast-gossip.js'
import { BroadcastSync } from './p2p/broadcast-sync.js'
import { AlertService, type AlertSealer } from './services/alerts/alert-service.js'
import { NotificationService } from './services/notifications/notification-service.js'
import { MailNotifier } from './services/mail/notifier.js'
import { smtpMailer } from './services/mail/smtp-mailer.js'
import type { AlertRecord } from './services/alerts/alert-service.js'
import { rosterSealer } from './services/alerts/roster-sealer.js'
import { Broadcaster } from './services/broadcast/broadcaster.js'
import { SyncMarks } from './services/broadcast/sync-marks.js'
import { AuditTrail } from './services/audit/audit-trail.js'
import { RequestDeadlines } from './services/requests/deadlines.js'
import { RetentionScheduler } from './services/retention/retention-scheduler.js'
import { RequestDrafts } from './services/requests/drafts.js'
import { RequestService } from './services/requests/request-service.js'
import { RosterService } from './services/roster-service.js'
import { SubjectCorrections, subjectOverlay } from './services/subjects/corrections.js'
import { SubjectRights } from './services/subjects/subject-rights.js'
import { readRosterChainFile } from './setting-file.js'
import { Bucket, EvidenceLog, Store } from './storage/index.js'
import { rawEntries } from './storage/snapshot.js'

export interface NodeOverrides {
  readonly clock?: Clock
  readonly logger?: Logger
  readonly randomBytes?: (n: number) => Uint8Array
  readonly crypto?: CryptoSuite
  readonly identity?: NodeIdentity
  /** The roster chain (genesis first) instead of the configured roster file. */
  readonly roster?: readonly SignedRoster[]
  /** What this state publishes to the directory, instead of the node's own registry. */
  readonly directorySource?: LocalDirectorySource
  /** More libp2p services on this node (benchmarks: a floodsub beside gossipsub). */
  readonly p2pServices?: P2PInit['extraServices']
  /** Retention rules instead of the defaults (6 months to blocking, 3 years to deletion). */
  readonly retentionPolicy?: RetentionPolicy
  /** Broadcast anti-entropy rounds this often on the node's clock instead of every 10 minutes (simulations with coarse steps). */
  readonly broadcastAntiEntropyMs?: number
  /**
   * The retention scheduler's and the deadline checker's safety scans this often instead
   * of every hour: each reads every request the node holds, which 30 nodes on one host
   * under a virtual clock pay once a simulated hour each.
   */
  readonly retentionCheckMs?: number
  readonly deadlineCheckMs?: number
}


export type { NodeStatus } from '@imi/protocol'

export class ImiNode {
  readonly store: Store
  readonly evidence: EvidenceLog
  readonly roster: RosterService
  /** This state's authorities and registers: what its directory publishes. */
  readonly authorities: AuthorityRegistry
  /** Officials' accounts and sessions on this node. */
  readonly accounts: UserAccounts
  /** Who read, exported, changed or deleted which personal data, when and why: hash-chained, ids only. */
  readonly audit: AuditTrail
  messaging!: Messaging
  directory!: DirectoryService
  requests!: RequestService
  requestDeadlines!: RequestDeadlines
  requestDrafts!: RequestDrafts
  broadcaster!: Broadcaster
  alerts!: AlertService
  notifications!: NotificationService
  retention!: RetentionScheduler
  /** Data subject rights (Art 19): the register of data subjects' requests, find, export, correct, erase, contest. */
  subjects!: SubjectRights
  subjectCorrections!: SubjectCorrections
  private mailNotifier?: MailNotifier
  alertSealer!: AlertSealer
  broadcastGossip?: BroadcastGossip
  private broadcastSync?: BroadcastSync
  identity!: NodeIdentity
  /** The key before the last rotation (`<keyFile>.old`): opens what was sealed to it. */
  private retiredIdentities: readonly NodeIdentity[] = []
  libp2p?: ImiLibp2p
  private rosterSync?: RosterSync
  private announcer?: DirectoryAnnouncer
  private client?: DirectMessageClient
  private readonly clock: Clock
  private readonly crypto: CryptoSuite
  private readonly log: Logger
  private readonly randomBytes: (n: number) => Uint8Array
  private started = false

  constructor (readonly config: NodeConfig, private readonly overrides: NodeOverrides = {}) {
    this.clock = overrides.clock ?? systemClock
    this.crypto = overrides.crypto ?? nodeCrypto
    this.randomBytes = overrides.randomBytes ?? ((n) => cryptoRandomBytes(n))
    this.log = overrides.logger ?? jsonLogger({ level: config.log.level, base: { node: config.country } })
    this.store = new Store(config.dataDir, { sync: config.storage.sync })
    this.evidence = new EvidenceLog({ store: this.store, crypto: this.crypto, now: () => this.clock.now() })
    this.roster = new RosterService({ store: this.store, crypto: this.crypto, evidence: this.evidence, logger: this.log.child('roster') }, { federationId: config.federationId })
    this.authorities = new AuthorityRegistry({ store: this.store, clock: this.clock })
    this.audit = new AuditTrail({ store: this.store, clock: this.clock })
    this.accounts = new UserAccounts({ store: this.store, clock: this.clock, randomBytes: this.randomBytes, authorities: this.authorities, logger: this.log.child('accounts') })
  }

  get running (): boolean { return this.started }

  async start (): Promise<void> {
    if (this.started) return
    const { config } = this
    this.identity = this.overrides.identity ?? await loadIdentity(config.keyFile)
    const retired = this.overrides.identity === undefined ? await loadRetiredIdentity(config.keyFile) : undefined
    this.retiredIdentities = retired === undefined ? [] : [retired]
    await mkdir(config.dataDir, { recursive: true })
    await this.store.open()
    try {
      await this.startServices()
    } catch (err) {
      await this.stopQuietly()
      throw err
    }
    this.started = true
    this.log.info('node started', { peerId: this.identity.peerId, roster: this.roster.current.version })
  }

  private async startServices (): Promise<void> {
    const { config } = this
    await this.evidence.load()
    await this.audit.load()
    await this.authorities.load()
    await this.accounts.start()
    try {
      await this.roster.load(this.overrides.roster ?? await readRosterChainFile(this.config.rosterFile))
    } catch (err) {
      // An operator fixes this in the roster file, whatever the protocol's reason was.
      if (err instanceof ConfigError) throw err
      throw new ConfigError('rosterFile', `does not verify: ${(err as Error).message} (${(err as { code?: string }).code ?? 'error'})`)
    }
    const me = this.roster.current.member(config.country)
    if (me === undefined) throw new ConfigError('country', `${config.country} is not a member in roster version ${this.roster.current.version}`)
    if (me.peerId !== this.identity.peerId) throw new ConfigError('keyFile', `this key is not the one the roster lists for ${config.country}`)
    if (this.roster.current.currentKey(config.country, this.clock.now())?.kid !== this.identity.signer.kid) {
      throw new ConfigError('keyFile', `the roster's current signing key for ${config.country} is not this node's key (rotated?)`)
    }

    const datastore = new NewestRecordDatastore(this.store.libp2pSublevel())
    const libp2p = await createImiLibp2p({
      privateKey: this.identity.privateKey,
      federationId: config.federationId,
      listen: config.p2p.listen,
      announce: config.p2p.announce,
      bootstrap: [...config.p2p.bootstrap, ...this.roster.current.doc.bootstraps.flatMap((b) => b.addresses.map((a) => `${a}/p2p/${b.peerId}`))],
      datastore,
      singleHost: config.p2p.singleHost,
      admits: (peerId) => this.roster.current.admits(peerId),
      records: () => ({ federationId: config.federationId, roster: this.roster.current, crypto: this.crypto, now: this.clock.now() }),
      ...(this.overrides.p2pServices !== undefined && { extraServices: this.overrides.p2pServices })
    })
    this.libp2p = libp2p
    this.client = new DirectMessageClient(libp2p, config.federationId)
    this.directory = new DirectoryService({
      store: this.store, clock: this.clock, crypto: this.crypto, signer: this.identity.signer, roster: () => this.roster.current,
      transport: dhtDirectoryTransport(libp2p), source: this.directorySource(), logger: this.log.child('directory')
    }, { federationId: config.federationId, country: config.country, refreshMs: config.directory.refreshMs, republishMs: config.directory.republishMs })
    this.messaging = new Messaging({
      store: this.store, evidence: this.evidence, roster: this.roster, crypto: this.crypto, clock: this.clock,
      country: config.country, signer: this.identity.signer, transport: this.client, randomBytes: this.randomBytes,
      logger: this.log.child('messaging'), authorities: this.directory
    }, { federationId: config.federationId, retryInitialMs: config.delivery.retryInitialMs, retryMaxMs: config.delivery.retryMaxMs })
    this.requests = new RequestService({
      store: this.store, clock: this.clock, messaging: this.messaging, authorities: this.authorities, logger: this.log.child('requests'), randomBytes: this.randomBytes,
      audit: this.audit, subjectOverlay: async (id, withPersonalData) => await subjectOverlay(this.store, id, withPersonalData)
    }, { country: config.country })
    this.requestDrafts = new RequestDrafts({ store: this.store, clock: this.clock, randomBytes: this.randomBytes, requests: this.requests }, { keepForMs: config.requests.keepDraftsForMs })
    this.requestDeadlines = new RequestDeadlines({
      clock: this.clock, log: this.requests.log, logger: this.log.child('request-deadlines'), store: this.store
    }, {
      country: config.country, bucket: Bucket.requestDeadlines, escalateAfterMs: config.requests.escalateAfterMs, reminderBeforeMs: config.requests.reminderBeforeMs,
      ...(this.overrides.deadlineCheckMs !== undefined && { checkEveryMs: this.overrides.deadlineCheckMs })
    })
    this.broadcaster = new Broadcaster({
      store: this.store, evidence: this.evidence, clock: this.clock, crypto: this.crypto, roster: () => this.roster.current,
      signer: this.identity.signer, randomBytes: this.randomBytes, logger: this.log.child('broadcast')
    }, { federationId: config.federationId, country: config.country })
    this.alertSealer = rosterSealer({ roster: () => this.roster.current, identity: () => this.identity, retiredIdentities: () => this.retiredIdentities, clock: this.clock })
    this.alerts = new AlertService({
      store: this.store, clock: this.clock, broadcaster: this.broadcaster, messaging: this.messaging, authorities: this.authorities,
      roster: () => this.roster.current, sealer: this.alertSealer, randomBytes: this.randomBytes, logger: this.log.child('alerts'), audit: this.audit
    }, { federationId: config.federationId, country: config.country })
    // Before the direct-message handler runs: the erasure messages are the scheduler's.
    this.retention = new RetentionScheduler({
      store: this.store, clock: this.clock, logger: this.log.child('retention'), messaging: this.messaging,
      requests: this.requests, alerts: this.alerts, drafts: this.requestDrafts, audit: this.audit
    }, {
      country: config.country,
      ...(this.overrides.retentionPolicy !== undefined && { policy: this.overrides.retentionPolicy }),
      ...(this.overrides.retentionCheckMs !== undefined && { checkEveryMs: this.overrides.retentionCheckMs })
    })
    // Also before the direct-message handler: subject-correction messages are its.
    this.subjectCorrections = new SubjectCorrections({
      store: this.store, clock: this.clock, messaging: this.messaging, requests: this.requests, randomBytes: this.randomBytes,
      logger: this.log.child('subjects'), audit: this.audit
    }, { country: config.country })
    this.subjects = new SubjectRights({
      store: this.store, clock: this.clock, randomBytes: this.randomBytes, requests: this.requests, corrections: this.subjectCorrections,
      retention: this.retention, sealer: this.alertSealer, audit: this.audit, logger: this.log.child('subjects')
    }, { country: config.country, federationId: config.federationId })
    this.notifications = new NotificationService({
      store: this.store, clock: this.clock, broadcaster: this.broadcaster, authorities: this.authorities,
      randomBytes: this.randomBytes, logger: this.log.child('notifications')
    }, { federationId: config.federationId, country: config.country, closeAfterMs: config.notifications.closeAfterMs })
    // Network protection runs on real time, whatever clock the services are given.
    this.broadcastSync = new BroadcastSync({
      libp2p, broadcaster: this.broadcaster, marks: new SyncMarks({ store: this.store }), clock: this.clock, randomBytes: this.randomBytes,
      logger: this.log.child('broadcast-sync'), limiter: new RateLimiter(RATE_LIMITS.pullsPerPeer, systemClock.now)
    }, config.federationId, { ...(this.overrides.broadcastAntiEntropyMs !== undefined && { intervalMs: this.overrides.broadcastAntiEntropyMs }) })
    await this.broadcastSync.start()
    await handleDirectMessages(libp2p, config.federationId, {
      receiveFrame: async (wire, peer) => await this.messaging.receiveFrame(wire, peer),
      refuse: (code, message) => encodeReply({ error: { code, message } })
    }, this.log.child('dm'), new RateLimiter(RATE_LIMITS.directMessagesPerPeer, systemClock.now))
    libp2p.addEventListener('peer:connect', (evt) => {
      this.messaging.peerConnected(evt.detail.toString())
      this.directory.peerConnected()
    })
    this.roster.addEventListener('change', this.onRosterChange)
    this.rosterSync = new RosterSync(libp2p, this.roster, config.federationId, this.log.child('roster-sync'))
    await this.rosterSync.listen()
    // Everything an inbound message may touch is loaded, and every service that acts on
    // received messages listens, before libp2p listens: a message that arrives at once
    // after a restart must not meet an empty directory (refused as from an unknown
    // authority), a request log being rebuilt under it, or a service not yet listening.
    // (Retention's and the deadlines' full scans come after: they only read what is held,
    // and a large store should not keep the node off the network while they run. An
    // erasure that arrives before retention listens is stored as owed, and its scan answers it.)
    await this.directory.load()
    await this.requests.start()
    await this.subjectCorrections.start()
    if (config.mail.enabled) {
      this.mailNotifier = new MailNotifier({
        mailer: await smtpMailer(config.mail), accounts: this.accounts, requests: this.requests, deadlines: this.requestDeadlines, alerts: this.alerts,
        alertRecord: async (id) => await this.store.get<AlertRecord>(Bucket.alerts, id), logger: this.log.child('mail')
      }, { country: config.country, publicUrl: config.mail.publicUrl })
      this.mailNotifier.start()
    }
    try {
      await libp2p.start()
    } catch (err) {
      const e = err as NodeJS.ErrnoException
      if (e.code === 'EADDRINUSE' || /EADDRINUSE/.test(String(e.message))) throw new ConfigError('p2p.listen', `address already in use (${config.p2p.listen.join(', ')})`)
      throw err
    }
    await this.requestDeadlines.start()
    await this.retention.start()
    // Gossip subscriptions need a started libp2p.
    await this.rosterSync.start()
    this.announcer = new DirectoryAnnouncer({
      libp2p, roster: () => this.roster.current, logger: this.log.child('directory-gossip'),
      announced: (a) => { if (a.country !== config.country) void this.directory.refreshCountry(a.country, a) }
    }, config.federationId)
    this.announcer.start()
    this.broadcastGossip = new BroadcastGossip(libp2p, this.broadcaster, config.federationId, this.log.child('broadcast-gossip'))
    this.broadcastGossip.start()
    this.directory.addEventListener('published', this.onDirectoryPublished)
    await this.learnMemberAddresses()
    // Outbound only: the outbox sends what it holds (and what the services above queued) now that libp2p runs.
    await this.messaging.start()
    // The network part of the directory: publication and refresh.
    await this.directory.start()
    this.connectToMembers()
  }

  private directorySource (): LocalDirectorySource {
    return this.overrides.directorySource ?? this.authorities
  }

  private readonly onDirectoryPublished = (evt: Event): void => {
    const published = (evt as CustomEvent<Array<{ name: 'authorities' | 'registers', seq: number }>>).detail
    for (const p of published) {
      this.announcer?.announce({ country: this.config.country, ...p }).catch((err: Error) => {
        this.log.debug('directory announcement not sent', { error: err.message })
      })
    }
  }

  /** A new roster version: forget who left (the gater only judges new connections), meet who joined. */
  private async followRoster (): Promise<void> {
    const libp2p = this.libp2p
    if (libp2p === undefined) return
    for (const peer of libp2p.getPeers()) {
      if (!this.roster.current.admits(peer.toString())) await libp2p.hangUp(peer).catch(() => {})
    }
    await this.learnMemberAddresses()
    this.connectToMembers()
  }

  /**
   * A federation has at most a few dozen members: every node keeps a connection to every
   * other, so gossip and roster versions reach everyone even without a bootstrap node.
   */
  private connectToMembers (): void {
    const libp2p = this.libp2p
    if (libp2p === undefined) return
    const connected = new Set(libp2p.getPeers().map((p) => p.toString()))
    for (const m of this.roster.current.doc.members) {
      if (m.country === this.config.country || connected.has(m.peerId) || m.addresses.length === 0) continue
      libp2p.dial(peerIdFromString(m.peerId), { signal: AbortSignal.timeout(10_000) }).catch(() => {
        this.log.debug('member not reachable yet', { peer: m.country })
      })
    }
  }

  /** Roster addresses go to the peer store so members can be dialled without a lookup. */
  private async learnMemberAddresses (): Promise<void> {
    const libp2p = this.libp2p
    if (libp2p === undefined) return
    for (const m of this.roster.current.doc.members) {
      if (m.country === this.config.country || m.addresses.length === 0) continue
      await libp2p.peerStore.merge(peerIdFromString(m.peerId), { multiaddrs: m.addresses.map((a) => multiaddr(a)) }).catch(() => {})
    }
  }



  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    await this.stopQuietly()
    this.log.info('node stopped')
  }

  private readonly onRosterChange = (): void => { void this.followRoster() }

  private async stopQuietly (): Promise<void> {
    // A restarted node registers its listener again: drop this start's one.
    this.roster.removeEventListener('change', this.onRosterChange)
    this.directory?.removeEventListener('published', this.onDirectoryPublished)
    this.directory?.stop()
    this.accounts.stop()
    this.announcer?.stop()
    this.mailNotifier?.stop()
    this.broadcastGossip?.stop()
    this.broadcastSync?.stop()
    this.subjectCorrections?.stop()
    this.retention?.stop()
    this.requestDeadlines?.stop()
    this.requests?.stop()
    this.messaging?.stop()
    this.client?.close()
    try { await this.libp2p?.stop() } catch { /* already stopping */ }
    await this.store.close().catch(() => {})
  }

  /** Publishes the current roster on gossip (after the operator applied a new version). */
  async announceRoster (): Promise<void> {
    if (this.rosterSync === undefined) throw new NotRunningError()
    await this.rosterSync.announce()
  }

  status (): NodeStatus {
    const libp2p = this.libp2p
    const peers = libp2p?.getPeers().map((p) => p.toString()) ?? []
    const roster = this.roster.loaded ? this.roster.current : undefined
    return {
      country: this.config.country,
      federationId: this.config.federationId,
      // Before the first start there is no identity loaded and no roster: say so, don't throw.
      peerId: this.identity?.peerId ?? '',
      running: this.started,
      rosterVersion: roster?.version ?? 0,
      members: roster?.size ?? 0,
      connectedMembers: peers.map((p) => roster?.memberByPeerId(p)?.country).filter((c): c is string => c !== undefined).sort(),
      peers: peers.length,
      outboxDepth: this.started ? this.messaging.outboxDepth() : 0,
      evidenceEntries: this.evidence.length,
      listen: libp2p?.getMultiaddrs().map((a) => a.toString()) ?? []
    }
  }

  async snapshot (): Promise<Uint8Array> {
    const entries: Array<[string, string]> = []
    for await (const [k, v] of rawEntries(this.store)) entries.push([Buffer.from(k).toString('base64'), Buffer.from(v).toString('base64')])
    return gzipSync(Buffer.from(JSON.stringify(entries)))
  }

  async verifyEvidence (): Promise<EvidenceReport> {
    return await verifyEvidence(this.evidence.entries(), { crypto: this.crypto, keys: this.roster.historicKeys(), federationId: this.config.federationId, head: this.evidence.head })
  }
}

export async function createNode (config: NodeConfig, overrides: NodeOverrides = {}): Promise<ImiNode> {
  return new ImiNode(config, overrides)
}
