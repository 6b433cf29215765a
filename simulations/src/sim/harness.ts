/**
 * One federation of real member-state nodes in this process, on loopback TCP, sharing
 * the simulation's virtual clock: the same node code member states run (createNode),
 * with identities derived from the seed, a genesis roster co-signed by every founder
 * (as the integration fixtures and `imi-bootstrap genesis` do), real LevelDB folders
 * (fsync off: durability is not what a simulation measures) and the harness's faults.
 *
 * Faults, and what they mean here:
 * - crash: `node.stop()` at a step boundary, with no drain or warning: outbox entries,
 *   half-finished requests and unreceipted messages stay as they are on disk. It is a
 *   clean process stop, not a SIGKILL (that needs a node per process; the integration
 *   tests cover SIGKILL mid-burst).
 * - restart: a new node object on the same data folder, key and port.
 * - partition: the federation is split in two sides. Every connection across the cut
 *   is closed at once, and from then on every new connection across it is aborted the
 *   moment libp2p reports it open (before any stream on it can be negotiated), on both
 *   ends. The node's connection gater cannot be told (it follows the roster), so this
 *   is the harness acting on `connection:open`; the run counts the aborted connections
 *   and any request event that still crossed the cut (`partitionLeaks`).
 * - heal: the cut is lifted. The harness does not reconnect anyone: nodes find each
 *   other again by their own means (outbox retries, DHT traffic, gossip).
 * - forge: a node puts forged alerts straight onto the gossip topic (a key the roster
 *   does not know, and its own key claiming another state), as a misbehaving member would.
 * - latency, loss, clear: on the connections between chosen nodes (links.ts), wrapped
 *   when libp2p reports them open, like the partition's cut.
 * - leave: a roster version without the member, co-signed by every other member (the
 *   quorum is two thirds), applied on one node and announced on gossip as an operator
 *   would (`imi roster apply`); the others learn it by gossip. The member's node keeps
 *   running: what it still sends must be refused.
 * - bootstrap-down, bootstrap-up: the federation's bootstrap node (started, and listed in
 *   the genesis, only when a scenario has a bootstrap fault) stops and starts again.
 * Replays, floods and withheld answers are in faults.ts.
 *
 * Directory maintenance: a node republishes its directory every 12 hours at most and
 * fetches every other state's every 24 at most (the DHT records live 24 hours). On one
 * virtual clock that is 730 rounds in a simulated year, each a few thousand DHT requests
 * for 30 nodes on the same two cores: the year would take hours and measure little but
 * the DHT. Unless a scenario asks for it (`node.directoryMaintenance`), the harness sets
 * both intervals past the end of the run; the nodes keep the directories fetched during
 * the warm-up, which is all a run needs while no authority joins or leaves.
 */
import { mkdir, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { createHash, randomBytes } from 'node:crypto'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import {
  ALERT_KIND, cosignRoster, encodeWire, memberLeaves, proposeRoster, signEnvelope, type Json, type RosterDocument, type SignedRoster
} from '@imi/protocol'
import { createNode, identityFrom, nodeCrypto, parseConfig, rosterMemberOf, saveIdentity, type ImiNode, type Logger, type NodeConfig, type NodeIdentity, type NodeOverrides } from '@imi/node'
import { createBootstrapNode, KEY_FILE, type BootstrapNode } from '@imi/bootstrap'
import { LinkShaper, type LinkRule } from './links.js'
import type { NodeSettings } from './scenario.js'
import type { SimClock } from './sim-clock.js'

export interface SimMember {
  readonly country: string
  readonly identity: NodeIdentity
  readonly port: number
  readonly dataDir: string
}

/** Ten years: longer than any run. */
const NO_MAINTENANCE_MS = 10 * 365 * 86_400_000

/** Ports handed out in this process: the kernel may offer a just-closed one again. */
const handedOut = new Set<number>()

/** A free loopback port never handed out before in this process (both harness modes draw from it). */
export async function loopbackPort (): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer()
      srv.once('error', reject)
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port
        srv.close(() => { resolve(p) })
      })
    })
    if (handedOut.has(port)) continue
    handedOut.add(port)
    return port
  }
}

/** The same seed, federation and country always give the same node key (and PeerId). */
export async function seededIdentity (seed: number, federationId: string, country: string): Promise<NodeIdentity> {
  const bytes = createHash('sha256').update(`imi-sim/${seed}/${federationId}/${country}`).digest()
  return identityFrom(await generateKeyPairFromSeed('Ed25519', new Uint8Array(bytes)))
}

/** What the harness sets beside the configuration (the separate-processes mode's agent sets the same). */
export function simNodeOverrides (s: NodeSettings): Pick<NodeOverrides, 'retentionCheckMs' | 'deadlineCheckMs'> {
  const ms = Math.round(s.safetyScanHours * 3_600_000)
  return { retentionCheckMs: ms, deadlineCheckMs: ms }
}

/** The configuration the harness gives a member's node (the separate-processes mode's agent builds the same). */
export function simNodeConfig (o: { federationId: string, country: string, dataDir: string, listen: string, settings: NodeSettings, baseDir: string }): NodeConfig {
  const s = o.settings
  const parsed = parseConfig({
    country: o.country,
    federationId: o.federationId,
    dataDir: o.dataDir,
    p2p: { listen: [o.listen], singleHost: true },
    api: { port: 0 },
    storage: { sync: false },
    delivery: { retryInitialMs: s.retryInitialMs, retryMaxMs: s.retryMaxMs },
    directory: { refreshMs: Math.round(s.directoryRefreshHours * 3_600_000), republishMs: Math.round(s.directoryRepublishHours * 3_600_000) },
    requests: { escalateAfterMs: Math.round(s.escalateAfterDays * 86_400_000) },
    log: { level: 'warn' }
  }, o.baseDir)
  // Without directory maintenance, the node's refresh and republication come after the
  // run: what the warm-up fetched is what it keeps (no authority joins or leaves in a run).
  return s.directoryMaintenance ? parsed : { ...parsed, directory: { refreshMs: NO_MAINTENANCE_MS, republishMs: NO_MAINTENANCE_MS } }
}

export interface FederationInit {
  readonly index: number
  readonly federationId: string
  readonly countries: readonly string[]
  readonly dir: string
  readonly clock: SimClock
  readonly seed: number
  readonly settings: NodeSettings
  readonly logger: Logger
  /** Start a bootstrap node listed in the genesis (scenarios with a bootstrap fault). */
  readonly bootstrap?: boolean
}

export interface FaultCounters {
  crashes: number
  restarts: number
  partitions: number
  /** Connections across a partition aborted as they opened. */
  abortedConnections: number
  /** Connections closed when a partition began. */
  closedConnections: number
  forgedPublished: number
  /** links.ts: connections wrapped, writes held back by latency, writes lost. */
  shapedConnections: number
  delayedWrites: number
  lostWrites: number
  /** Roster versions that removed a member. */
  membersRemoved: number
  bootstrapStops: number
}

/** Where the federation's bootstrap node listens, when it has one. */
export interface SimBootstrap {
  readonly identity: NodeIdentity
  readonly port: number
  readonly dataDir: string
}

export class SimFederation {
  protected readonly nodes = new Map<string, ImiNode>()
  protected readonly countryOf = new Map<string, string>()
  /** One side of the partition in place, or undefined. */
  protected cut: ReadonlySet<string> | undefined
  readonly counters: FaultCounters = {
    crashes: 0, restarts: 0, partitions: 0, abortedConnections: 0, closedConnections: 0, forgedPublished: 0,
    shapedConnections: 0, delayedWrites: 0, lostWrites: 0, membersRemoved: 0, bootstrapStops: 0
  }
  /** Latency and loss on chosen links. */
  readonly links: LinkShaper
  /** Members a roster version removed. */
  protected readonly removed = new Set<string>()
  private bootstrapNode: BootstrapNode | undefined
  /** Called after a node (re)starts, before the harness goes on: the driver listens to it. */
  onStart: (country: string, node: ImiNode) => void = () => {}
  /** Called before a node stops. */
  onStop: (country: string, node: ImiNode) => void = () => {}

  protected constructor (readonly init: FederationInit, readonly members: readonly SimMember[], readonly genesis: SignedRoster, readonly bootstrap?: SimBootstrap) {
    for (const m of members) this.countryOf.set(m.identity.peerId, m.country)
    this.links = new LinkShaper(`${init.seed}/${init.federationId}`, this.counters)
  }

  get federationId (): string { return this.init.federationId }
  get countries (): readonly string[] { return this.init.countries }

  static async create (init: FederationInit): Promise<SimFederation> {
    await mkdir(init.dir, { recursive: true })
    const created = init.clock.now()
    const members: SimMember[] = []
    for (const country of init.countries) {
      members.push({ country, identity: await seededIdentity(init.seed, init.federationId, country), port: await loopbackPort(), dataDir: join(init.dir, country.toLowerCase()) })
    }
    const bootstrap: SimBootstrap | undefined = init.bootstrap === true
      ? { identity: await seededIdentity(init.seed, init.federationId, 'bootstrap'), port: await loopbackPort(), dataDir: join(init.dir, 'bootstrap') }
      : undefined
    const doc: RosterDocument = {
      fed: init.federationId,
      version: 1,
      created,
      members: members.map((m) => rosterMemberOf(m.identity, m.country, [`/ip4/127.0.0.1/tcp/${m.port}`], created - 1000)),
      bootstraps: bootstrap === undefined ? [] : [{ peerId: bootstrap.identity.peerId, addresses: [`/ip4/127.0.0.1/tcp/${bootstrap.port}`] }]
    }
    // The founding act: every member signs the genesis with its own key.
    let genesis: SignedRoster = proposeRoster(doc)
    for (const m of members) genesis = cosignRoster(genesis, m.identity.signer)
    return new SimFederation(init, members, genesis, bootstrap)
  }

  member (country: string): SimMember {
    const m = this.members.find((x) => x.country === country)
    if (m === undefined) throw new Error(`${this.federationId} has no member ${country}`)
    return m
  }

  /** The running node of `country`, or undefined while it is down. */
  node (country: string): ImiNode | undefined { return this.nodes.get(country) }
  isLive (country: string): boolean { return this.nodes.has(country) }
  live (): string[] { return this.countries.filter((c) => this.nodes.has(c)) }
  get partitioned (): boolean { return this.cut !== undefined }

  /** Both nodes run, both are members and no partition separates them. */
  reachable (a: string, b: string): boolean {
    return this.isLive(a) && this.isLive(b) && !this.across(a, b) && !this.removed.has(a) && !this.removed.has(b)
  }

  /** A roster version removed this member. */
  hasLeft (country: string): boolean { return this.removed.has(country) }

  across (a: string, b: string): boolean {
    return this.cut !== undefined && this.cut.has(a) !== this.cut.has(b)
  }

  /**
   * Starts every member, one after the other as a federation comes up in practice (each
   * start dials the members already up); `prepare` runs on each node before the next
   * starts (the driver seeds its authorities and waits for its directory to be out).
   */
  async startAll (prepare: (country: string, node: ImiNode) => Promise<void> = async () => {}): Promise<void> {
    if (this.bootstrap !== undefined) await this.startBootstrap()
    for (const c of this.countries) await prepare(c, await this.start(c))
  }

  protected async start (country: string): Promise<ImiNode> {
    const m = this.member(country)
    const config = simNodeConfig({ federationId: this.federationId, country, dataDir: m.dataDir, listen: `/ip4/127.0.0.1/tcp/${m.port}`, settings: this.init.settings, baseDir: this.init.dir })
    const node = await createNode(config, { clock: this.init.clock, logger: this.init.logger.child(country), identity: m.identity, roster: [this.genesis], ...simNodeOverrides(this.init.settings) })
    await node.start()
    this.nodes.set(country, node)
    node.libp2p!.addEventListener('connection:open', (evt) => {
      const remote = this.countryOf.get(evt.detail.remotePeer.toString())
      if (remote !== undefined && this.across(country, remote)) {
        this.counters.abortedConnections++
        evt.detail.abort(new Error('simulated network partition'))
        return
      }
      if (remote !== undefined) this.links.attach(country, remote, evt.detail)
    })
    this.attachOpen(country)
    this.onStart(country, node)
    return node
  }

  async crash (country: string): Promise<void> {
    const node = this.nodes.get(country)
    if (node === undefined) return
    this.onStop(country, node)
    this.nodes.delete(country)
    this.counters.crashes++
    await node.stop()
  }

  async restart (country: string): Promise<void> {
    if (this.nodes.has(country)) return
    this.counters.restarts++
    await this.start(country)
  }

  /** Splits the federation: `side` against everyone else. */
  async partition (side: readonly string[]): Promise<void> {
    this.cut = new Set(side)
    this.counters.partitions++
    for (const [country, node] of this.nodes) {
      for (const conn of node.libp2p?.getConnections() ?? []) {
        const remote = this.countryOf.get(conn.remotePeer.toString())
        if (remote !== undefined && this.across(country, remote)) {
          this.counters.closedConnections++
          conn.abort(new Error('simulated network partition'))
        }
      }
    }
  }

  heal (): void { this.cut = undefined }

  /** Latency and/or loss on every link between `a` and `b` (default: everyone else), from now on. */
  shape (a: readonly string[], b: readonly string[] | undefined, change: Partial<LinkRule>): void {
    this.links.set(a, b ?? this.countries.filter((c) => !a.includes(c)), change)
    for (const c of this.live()) this.attachOpen(c)
  }

  /** Removes latency and loss between `a` and `b` (default: everyone else), or everywhere. */
  unshape (a: readonly string[], b: readonly string[] | undefined): void {
    if (a.length === 0) this.links.clear()
    else this.links.clear(a, b ?? this.countries.filter((c) => !a.includes(c)))
  }

  /** Wraps the connections a node already has (those opened before the harness listened). */
  protected attachOpen (country: string): void {
    for (const conn of this.nodes.get(country)?.libp2p?.getConnections() ?? []) {
      const remote = this.countryOf.get(conn.remotePeer.toString())
      if (remote !== undefined) this.links.attach(country, remote, conn)
    }
  }

  /**
   * A member leaves: the next roster version without it, co-signed by every other member
   * (two thirds are needed), applied on the first other running node and announced on
   * gossip. Returns the new version, or undefined when no other member runs to apply it.
   */
  async leave (country: string, now: number): Promise<number | undefined> {
    const applier = this.live().find((c) => c !== country && !this.removed.has(c))
    if (applier === undefined) return undefined
    const node = this.nodes.get(applier)!
    const current = node.roster.current
    let proposal: SignedRoster = proposeRoster(memberLeaves(current, country, now))
    for (const m of current.doc.members) {
      if (m.country === country) continue
      proposal = cosignRoster(proposal, this.member(m.country).identity.signer)
    }
    this.removed.add(country)
    this.counters.membersRemoved++
    await node.roster.offer([proposal])
    await node.announceRoster().catch(() => {})
    return current.version + 1
  }

  /** The bootstrap node runs (the federation has one and it is not down). */
  get bootstrapRunning (): boolean { return this.bootstrapNode !== undefined }

  async startBootstrap (): Promise<void> {
    const b = this.bootstrap
    if (b === undefined || this.bootstrapNode !== undefined) return
    await mkdir(b.dataDir, { recursive: true })
    await saveIdentity(join(b.dataDir, KEY_FILE), b.identity).catch((err: NodeJS.ErrnoException) => { if (err.code !== 'EEXIST') throw err })
    const node = createBootstrapNode({
      dataDir: b.dataDir, listen: [`/ip4/127.0.0.1/tcp/${b.port}`], federationId: this.federationId, roster: [this.genesis], singleHost: true, logger: this.init.logger.child('bootstrap')
    })
    await node.start()
    this.bootstrapNode = node
  }

  async stopBootstrap (): Promise<void> {
    const node = this.bootstrapNode
    if (node === undefined) return
    this.bootstrapNode = undefined
    this.counters.bootstrapStops++
    await node.stop()
  }

  /**
   * What a misbehaving member does: forged alerts straight onto the gossip topic, past
   * its own broadcaster. One signed by a key the roster does not know (claiming to be
   * another state), one signed with the member's own key but claiming another state.
   * Returns the forged envelopes' ids: no node may ever hold them.
   */
  async forge (from: string, now: number): Promise<string[]> {
    const node = this.nodes.get(from)
    if (node === undefined || node.broadcastGossip === undefined) return []
    const other = this.countries.find((c) => c !== from)!
    const stranger = identityFrom(await generateKeyPairFromSeed('Ed25519', new Uint8Array(createHash('sha256').update(`stranger/${now}`).digest())))
    const ids: string[] = []
    const alertId = (n: number): string => createHash('sha256').update(`forged/${from}/${now}/${n}`).digest('base64url').slice(0, 22)
    for (const [n, signer] of [stranger.signer, this.member(from).identity.signer].entries()) {
      const env = signEnvelope({
        kind: ALERT_KIND, from: other, to: ['*'], fromAuthority: 'forged',
        body: { alert: alertId(n), action: 'issue', area: 'professional-qualifications', type: 'professional-ban', addressed: ['*'] },
        personalData: { content: { description: 'forged', concerned: { name: 'Nobody' } } } as unknown as Json
      }, { federationId: this.federationId, signer, crypto: nodeCrypto, now, randomBytes: (k) => new Uint8Array(randomBytes(k)) })
      await node.libp2p!.services.pubsub.publish(node.broadcastGossip.topic, encodeWire(env.wire)).catch(() => {})
      ids.push(env.hdr.id)
      this.counters.forgedPublished++
    }
    return ids
  }

  /** Messages owed to nodes this one can reach now (the others cannot drain). */
  owedToReachable (country: string): number {
    const node = this.nodes.get(country)
    if (node === undefined) return 0
    let n = 0
    for (const q of node.messaging.outboxSummary()) if (this.reachable(country, q.country)) n += q.pending
    return n
  }

  /** Every message owed, reachable or not. */
  owed (country: string): number { return this.nodes.get(country)?.messaging.outboxDepth() ?? 0 }

  async close (removeData = true): Promise<void> {
    await Promise.all([...this.nodes.entries()].map(async ([c, n]) => { this.onStop(c, n); await n.stop().catch(() => {}) }))
    this.nodes.clear()
    await this.stopBootstrap().catch(() => {})
    if (removeData) await rm(this.init.dir, { recursive: true, force: true })
  }
}
