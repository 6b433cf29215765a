/**
 * Holds the verified roster chain. A new version, from gossip, a peer or the operator,
 * is applied only if it follows the current one and carries the quorum.
 */
import {
  RosterVersionError, verifyGenesis, verifyRosterUpdate, type CryptoSuite, type KeyInfo, type KeyResolver,
  type Roster, type SignedRoster
} from '@imi/protocol'
import { Bucket, seqKey, type EvidenceLog, type Store } from '../storage/index.js'
import { ConfigError } from '../errors.js'
import type { Logger } from './logger.js'

export interface RosterServiceComponents {
  readonly store: Store
  readonly crypto: CryptoSuite
  readonly evidence: EvidenceLog
  readonly logger: Logger
}

export class RosterService extends EventTarget {
  private chain: Roster[] = []
  private queue: Promise<void> = Promise.resolve()

  constructor (private readonly components: RosterServiceComponents, private readonly init: { federationId: string }) { super() }

  /**
   * Loads the stored chain, or on first start verifies and stores the configured one.
   * The configured chain must start from the same genesis as the stored one (a node is
   * never silently moved to another federation); its newer versions are applied.
   */
  async load (configured: readonly SignedRoster[]): Promise<void> {
    const stored: SignedRoster[] = []
    for await (const [, signed] of this.components.store.entries<SignedRoster>(Bucket.roster)) stored.push(signed)
    const [first, ...rest] = stored.length > 0 ? stored : configured
    if (first === undefined) throw new ConfigError('rosterFile', 'holds no roster version')
    let roster = verifyGenesis(first, this.components.crypto, this.init.federationId)
    this.chain = [roster]
    if (stored.length === 0) await this.persist(roster)
    for (const next of rest) {
      roster = verifyRosterUpdate(roster, next, this.components.crypto)
      this.chain.push(roster)
      if (stored.length === 0) await this.persist(roster)
    }
    if (stored.length === 0) return
    const genesis = configured[0]
    if (genesis !== undefined && verifyGenesis(genesis, this.components.crypto, this.init.federationId).digest !== this.chain[0]!.digest) {
      throw new ConfigError('rosterFile', 'starts from another genesis than the roster this node already holds')
    }
    await this.offer(configured.slice(1))
  }

  get loaded (): boolean { return this.chain.length > 0 }

  get current (): Roster {
    const r = this.chain[this.chain.length - 1]
    if (r === undefined) throw new Error('roster not loaded')
    return r
  }

  /** Versions newer than `version`, oldest first: what a lagging peer needs. */
  after (version: number, max = 16): SignedRoster[] {
    return this.chain.filter((r) => r.version > version).slice(0, max).map((r) => r.signed)
  }

  /**
   * Keys of every version, newest first: evidence signed under a key that has since
   * been rotated out, or by a member that left, still verifies.
   */
  historicKeys (): KeyResolver {
    const chain = [...this.chain].reverse()
    return { key: (kid: string): KeyInfo | undefined => { for (const r of chain) { const k = r.key(kid); if (k !== undefined) return k } return undefined } }
  }

  /**
   * Applies newer versions in order; returns how many were applied. Offers run one at a
   * time: the same version arriving by gossip and by a peer's reply at once must be
   * judged against the chain the other one left, not both against the old one.
   */
  async offer (versions: readonly SignedRoster[]): Promise<number> {
    const turn = this.queue.then(async () => await this.apply(versions))
    this.queue = turn.then(() => {}, () => {})
    return await turn
  }

  private async apply (versions: readonly SignedRoster[]): Promise<number> {
    let applied = 0
    for (const signed of versions) {
      try {
        const next = verifyRosterUpdate(this.current, signed, this.components.crypto)
        await this.persist(next)
        this.chain.push(next)
        applied++
        this.components.logger.info('roster applied', { version: next.version, members: next.size })
        this.dispatchEvent(new CustomEvent('change', { detail: next }))
      } catch (err) {
        if (err instanceof RosterVersionError) continue
        throw err
      }
    }
    return applied
  }

  private async persist (roster: Roster): Promise<void> {
    const json = JSON.stringify(roster.signed)
    await this.components.store.commit(
      [{ type: 'put', bucket: Bucket.roster, key: seqKey(roster.version), value: roster.signed }],
      this.components.evidence.append([{ type: 'roster', ref: `v${roster.version}`, jws: json }])
    )
  }
}
