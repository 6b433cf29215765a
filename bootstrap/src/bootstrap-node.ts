/**
 * A bootstrap node: the federation's meeting point. It routes (DHT server), relays
 * roster gossip after checking the quorum rule like any member, and serves roster
 * versions to nodes that were offline. It admits only roster members and bootstrap
 * peers, holds no member data and signs nothing: it cannot change the roster.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { LevelDatastore } from 'datastore-level'
import { payloadDocument, type CryptoSuite, type SignedRoster } from '@imi/protocol'
import {
  ConfigError, EvidenceLog, RosterService, RosterSync, Store, createImiLibp2p, jsonLogger, nodeCrypto,
  type ImiLibp2p, type Logger, type NodeIdentity
} from '@imi/node'
import { loadOrCreateIdentity } from './identity-file.js'
import { readRosterChain } from './files.js'

export const KEY_FILE = 'node.key'
export const DB_DIR = 'db'

export interface BootstrapNodeInit {
  readonly dataDir: string
  readonly listen: readonly string[]
  readonly announce?: readonly string[]
  /** When given, a roster of another federation is refused. */
  readonly federationId?: string
  /** A roster file (chain or genesis); or pass `roster` directly. */
  readonly rosterFile?: string
  readonly roster?: SignedRoster | readonly SignedRoster[]
  /** Every node on one host (tests, demo): relax per-host limits. */
  readonly singleHost?: boolean
  readonly logger?: Logger
  readonly crypto?: CryptoSuite
}

export class BootstrapNode {
  readonly store: Store
  roster!: RosterService
  identity!: NodeIdentity
  libp2p?: ImiLibp2p
  private readonly log: Logger
  private readonly crypto: CryptoSuite
  private readonly evidence: EvidenceLog
  private started = false

  constructor (private readonly init: BootstrapNodeInit) {
    this.log = init.logger ?? jsonLogger({ component: 'imi-bootstrap' })
    this.crypto = init.crypto ?? nodeCrypto
    this.store = new Store(join(init.dataDir, DB_DIR), { sync: true })
    this.evidence = new EvidenceLog({ store: this.store, crypto: this.crypto, now: () => Date.now() })
  }

  get running (): boolean { return this.started }
  get peerId (): string { return this.identity.peerId }

  /** Dialable addresses, each ending in /p2p/<peer id>: what goes into the roster. */
  multiaddrs (): string[] {
    return this.libp2p?.getMultiaddrs().map((a) => a.toString()) ?? []
  }

  async start (): Promise<string[]> {
    if (this.started) return this.multiaddrs()
    await mkdir(this.init.dataDir, { recursive: true, mode: 0o700 })
    this.identity = await loadOrCreateIdentity(join(this.init.dataDir, KEY_FILE))
    const chain = await this.chain()
    try {
      await this.store.open()
    } catch (err) {
      const cause = ((err as { cause?: { code?: string } }).cause?.code) ?? (err as { code?: string }).code ?? 'error'
      throw new ConfigError('dataDir', `cannot open the database in ${this.init.dataDir} (${cause}): is another bootstrap using it?`)
    }
    try {
      await this.startServices(chain)
    } catch (err) {
      await this.stopQuietly()
      throw err
    }
    this.started = true
    this.log.info('bootstrap started', { peerId: this.peerId, roster: this.roster.current.version, addresses: this.multiaddrs().join(' ') })
    return this.multiaddrs()
  }

  private async chain (): Promise<readonly SignedRoster[]> {
    const given = this.init.roster ?? (this.init.rosterFile !== undefined ? await readRosterChain(this.init.rosterFile) : undefined)
    if (given === undefined) throw new ConfigError('roster', 'a roster file or genesis is required')
    const chain = Array.isArray(given) ? given as readonly SignedRoster[] : [given as SignedRoster]
    if (chain.length === 0) throw new ConfigError('roster', 'the roster holds no version')
    return chain
  }

  private async startServices (chain: readonly SignedRoster[]): Promise<void> {
    await this.evidence.load()
    const federationId = this.init.federationId ?? payloadDocument(chain[0]!).fed
    this.roster = new RosterService({ store: this.store, crypto: this.crypto, evidence: this.evidence, logger: this.log.child('roster') }, { federationId })
    // Refuses a stored chain from another genesis, then applies the newer versions given.
    await this.roster.load(chain)
    const roster = this.roster.current
    if (!roster.isBootstrap(this.peerId)) {
      throw new ConfigError('roster', `this bootstrap (peer ${this.peerId}) is not listed in roster version ${roster.version}`)
    }
    const others = roster.doc.bootstraps.filter((b) => b.peerId !== this.peerId)
    const libp2p = await createImiLibp2p({
      privateKey: this.identity.privateKey,
      federationId: roster.federationId,
      listen: this.init.listen,
      ...(this.init.announce !== undefined && { announce: this.init.announce }),
      bootstrap: others.flatMap((b) => b.addresses.map((a) => `${a}/p2p/${b.peerId}`)),
      datastore: new LevelDatastore(this.store.libp2pSublevel()),
      singleHost: this.init.singleHost ?? false,
      admits: (peerId) => this.roster.current.admits(peerId),
      records: () => ({ federationId: roster.federationId, roster: this.roster.current, crypto: this.crypto, now: Date.now() })
    })
    this.libp2p = libp2p
    try {
      await libp2p.start()
    } catch (err) {
      if (/EADDRINUSE/.test(`${(err as NodeJS.ErrnoException).code} ${(err as Error).message}`)) throw new ConfigError('listen', `address already in use (${this.init.listen.join(', ')})`)
      throw err
    }
    // Gossip subscriptions need a started libp2p. The same validator as members: quorum.
    await new RosterSync(libp2p, this.roster, roster.federationId, this.log.child('roster-sync')).start()
    this.roster.addEventListener('change', () => { void this.dropExcluded() })
  }

  /** The gater only judges new connections: close those of peers a new version removed. */
  private async dropExcluded (): Promise<void> {
    const libp2p = this.libp2p
    if (libp2p === undefined) return
    for (const conn of libp2p.getConnections()) {
      const peer = conn.remotePeer.toString()
      if (this.roster.current.admits(peer)) continue
      this.log.info('closing connection of a peer the roster no longer admits', { peer })
      await conn.close().catch(() => {})
    }
  }

  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    await this.stopQuietly()
    this.log.info('bootstrap stopped')
  }

  private async stopQuietly (): Promise<void> {
    try { await this.libp2p?.stop() } catch { /* already stopping */ }
    await this.store.close().catch(() => {})
  }
}

export function createBootstrapNode (init: BootstrapNodeInit): BootstrapNode {
  return new BootstrapNode(init)
}
