/**
 * The federated directory on one node: publishes this member state's directory, fetches
 * every other state's on a timer (and at once when told one changed), keeps the last
 * complete verified copy of each on disk, and answers searches from a local index, so
 * officials find authorities and registers even while other nodes are offline.
 */
import type { AuthorityEntry, CryptoSuite, DirectoryName, Roster, Signer } from '@imi/protocol'
import type { Clock } from '../../clock.js'
import type { Store } from '../../storage/index.js'
import type { Logger } from '../logger.js'
import { DirectoryCache, cacheKey, type CachedDirectory } from './directory-cache.js'
import { DirectoryFetcher } from './fetcher.js'
import { DirectoryPublisher, type DirectorySource } from './publisher.js'
import type { DirectoryRecordTransport } from './record-transport.js'
import { DirectorySearchIndex, type SearchHit, type SearchQuery } from './search-index.js'
import { Timer } from './timer.js'

export interface DirectoryServiceComponents {
  readonly store: Store
  readonly clock: Clock
  readonly crypto: CryptoSuite
  readonly signer: Signer
  readonly roster: () => Roster
  readonly transport: DirectoryRecordTransport
  /** This node's authorities and registers; dispatches 'change' when what is published changes. */
  readonly source: DirectorySource & EventTarget & { isActiveAuthority(id: string): Promise<boolean> }
  readonly logger: Logger
}

export interface DirectoryServiceInit {
  readonly federationId: string
  readonly country: string
  readonly refreshMs: number
  readonly republishMs: number
  /** Per DHT operation. */
  readonly timeoutMs?: number
}

export interface DirectoryStatusEntry {
  readonly country: string
  readonly name: DirectoryName
  readonly seq: number
  readonly entries: number
  readonly created: number
  /** When this node last confirmed, from the network, that its copy is the newest. */
  readonly confirmedAt: number
  readonly ageMs: number
  /** The publisher has not refreshed it in time: served, but flagged. */
  readonly expired: boolean
}

const NAMES: readonly DirectoryName[] = ['authorities', 'registers']
/** Parallel fetches: enough to sync 30 states in one DHT round trip or two, not a flood. */
const FETCH_CONCURRENCY = 16
const PUBLISH_RETRY_MS = 5_000

export class DirectoryService extends EventTarget {
  readonly index = new DirectorySearchIndex()
  private readonly cache: DirectoryCache
  private readonly publisher: DirectoryPublisher
  private readonly fetcher: DirectoryFetcher
  private readonly directories = new Map<string, CachedDirectory>()
  private readonly confirmedAt = new Map<string, number>()
  private readonly listed = new Map<string, Set<string>>()
  private readonly refreshTimer: Timer
  private readonly publishTimer: Timer
  private controller = new AbortController()
  private refreshing: Promise<void> | undefined
  private publishing: Promise<void> | undefined
  private republishWanted = false
  private publishRetryMs = PUBLISH_RETRY_MS
  /** The last publication reached no peer: the next peer to connect should get it. */
  private unpublished = true
  private readonly countryRefresh = new Map<string, Promise<void>>()
  /** Codes of records refused while fetching, by code: what a misbehaving peer tried. */
  readonly rejections = new Map<string, number>()

  constructor (private readonly components: DirectoryServiceComponents, private readonly init: DirectoryServiceInit) {
    super()
    this.cache = new DirectoryCache(components.store)
    this.publisher = new DirectoryPublisher(components, init)
    this.fetcher = new DirectoryFetcher({
      ...components,
      rejected: (code) => { this.rejections.set(code, (this.rejections.get(code) ?? 0) + 1) }
    }, init.federationId)
    this.refreshTimer = new Timer(components.clock, () => { void this.refresh() })
    this.publishTimer = new Timer(components.clock, () => { void this.publish() })
  }

  async start (): Promise<void> {
    this.controller = new AbortController()
    for (const d of await this.cache.load()) this.remember(d)
    this.forgetNonMembers()
    this.indexChanged()
    this.components.source.addEventListener('change', this.onSourceChange)
    this.publishTimer.set(0)
    this.refreshTimer.set(0)
  }

  stop (): void {
    this.components.source.removeEventListener('change', this.onSourceChange)
    this.refreshTimer.cancel()
    this.publishTimer.cancel()
    this.controller.abort()
  }

  search (q: SearchQuery): SearchHit[] { return this.index.search(q) }

  status (): DirectoryStatusEntry[] {
    const now = this.components.clock.now()
    return [...this.directories.entries()].map(([key, d]) => {
      const confirmedAt = this.confirmedAt.get(key) ?? d.fetchedAt
      return { country: d.country, name: d.name, seq: d.seq, entries: d.entries.length, created: d.created, confirmedAt, ageMs: now - confirmedAt, expired: d.expires <= now }
    }).sort((a, b) => a.country.localeCompare(b.country) || a.name.localeCompare(b.name))
  }

  /** One authority as the directory lists it, or undefined when it is not (or no longer) listed. */
  authority (country: string, id: string): AuthorityEntry | undefined {
    const d = this.directories.get(cacheKey(country, 'authorities'))
    return d?.entries.find((e) => e.id === id) as AuthorityEntry | undefined
  }

  /**
   * Whether `id` is a current authority of `country`. For this node, the local registry
   * decides; for others the directory does, fetched again first when it does not list
   * the authority (it may have joined since the last refresh).
   */
  async isCurrentAuthority (country: string, id: string): Promise<boolean> {
    if (country === this.init.country) return await this.components.source.isActiveAuthority(id)
    if (this.listed.get(country)?.has(id) === true) return true
    await this.refreshCountry(country)
    return this.listed.get(country)?.has(id) === true
  }

  /** Fetches every member state's directory now; resolves when done. */
  async refresh (): Promise<void> {
    this.refreshing ??= this.runRefresh().finally(() => { this.refreshing = undefined })
    await this.refreshing
  }

  /** Fetches one state's directory now (a change announcement, an unknown authority). */
  async refreshCountry (country: string): Promise<void> {
    let running = this.countryRefresh.get(country)
    if (running === undefined) {
      running = this.fetchCountries([country]).then((changed) => { if (changed) this.indexChanged() }).finally(() => this.countryRefresh.delete(country))
      this.countryRefresh.set(country, running)
    }
    await running
  }

  /** Signs and publishes this state's directory now (also after every change). */
  async publish (): Promise<void> {
    if (this.publishing !== undefined) {
      this.republishWanted = true
      await this.publishing
      return
    }
    this.publishing = this.runPublish().finally(() => { this.publishing = undefined })
    await this.publishing
    if (this.republishWanted) {
      this.republishWanted = false
      await this.publish()
    }
  }

  /** Whether this state's current publication reached at least one peer. */
  get published (): boolean { return !this.unpublished }

  /** A peer connected: if nobody holds this state's records yet, publish to it now. */
  peerConnected (): void {
    if (this.unpublished && this.publishing === undefined) this.publishTimer.set(0)
  }

  private readonly onSourceChange = (): void => {
    void this.indexOwn().catch((err: Error) => { this.components.logger.error('own directory not indexed', { error: err.message }) })
    this.publishTimer.set(0)
  }

  /**
   * This state's officials see its change at once, even while a publication is still
   * waiting on the network; the next publication replaces this copy with the signed one.
   */
  private async indexOwn (): Promise<void> {
    const entries = { authorities: await this.components.source.publishedAuthorities(), registers: await this.components.source.publishedRegisters() }
    for (const name of NAMES) {
      const held = this.directories.get(cacheKey(this.init.country, name))
      if (held !== undefined) this.remember({ ...held, entries: entries[name] })
    }
    this.indexChanged()
  }

  private async runPublish (): Promise<void> {
    this.publishTimer.cancel()
    try {
      const publications = []
      for (const name of NAMES) publications.push(await this.publisher.prepare(name))
      // Own entries are searchable at once, whatever the network does.
      await this.cache.save(publications.map((p) => p.directory))
      for (const p of publications) this.remember(p.directory)
      this.indexChanged()
      const acks = await Promise.all(publications.map(async (p) => await this.publisher.put(p, this.signal())))
      this.unpublished = Math.min(...acks) === 0
      if (!this.unpublished) {
        // Only now can others fetch it: announcing earlier would send them to stale copies.
        this.dispatchEvent(new CustomEvent('published', { detail: publications.map((p) => ({ name: p.directory.name, seq: p.directory.seq })) }))
        this.publishRetryMs = PUBLISH_RETRY_MS
        this.publishTimer.set(this.init.republishMs)
        return
      }
      this.components.logger.warn('directory published to no peer yet; retrying', { retryMs: this.publishRetryMs })
    } catch (err) {
      if (this.controller.signal.aborted) return
      this.components.logger.error('directory publication failed', { error: (err as Error).message, code: (err as { code?: string }).code })
    }
    // Nobody holds a copy yet (peers still connecting): try again soon, backing off.
    this.publishTimer.set(this.publishRetryMs)
    this.publishRetryMs = Math.min(this.publishRetryMs * 2, this.init.republishMs)
  }

  private async runRefresh (): Promise<void> {
    this.refreshTimer.cancel()
    try {
      this.forgetNonMembers()
      const others = this.components.roster().doc.members.map((m) => m.country).filter((c) => c !== this.init.country)
      if (await this.fetchCountries(others)) this.indexChanged()
      this.dispatchEvent(new Event('refreshed'))
    } finally {
      if (!this.controller.signal.aborted) this.refreshTimer.set(this.init.refreshMs)
    }
  }

  /** Fetches both directories of each country; returns whether anything changed. */
  private async fetchCountries (countries: readonly string[]): Promise<boolean> {
    const jobs = countries.flatMap((country) => NAMES.map((name) => ({ country, name })))
    const updated: CachedDirectory[] = []
    const run = async (): Promise<void> => {
      for (let job = jobs.shift(); job !== undefined; job = jobs.shift()) {
        const key = cacheKey(job.country, job.name)
        try {
          const result = await this.fetcher.fetch(job.country, job.name, this.directories.get(key)?.seq, this.signal())
          if (result.outcome === 'updated') updated.push(result.directory)
          if (result.outcome === 'updated' || result.outcome === 'unchanged') this.confirmedAt.set(key, this.components.clock.now())
        } catch (err) {
          if (this.controller.signal.aborted) return
          this.components.logger.debug('directory fetch failed', { country: job.country, name: job.name, error: (err as Error).message })
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, jobs.length) }, run))
    // A slower fetch may return an older publication than one already held.
    const newer = updated.filter((d) => d.seq > (this.directories.get(cacheKey(d.country, d.name))?.seq ?? -1) && this.components.roster().member(d.country) !== undefined)
    if (newer.length === 0 || this.controller.signal.aborted) return false
    await this.cache.save(newer)
    for (const d of newer) this.remember(d)
    return true
  }

  private remember (d: CachedDirectory): void {
    this.directories.set(cacheKey(d.country, d.name), d)
    this.index.replace(d.country, d.name, d.entries)
    if (d.name === 'authorities') this.listed.set(d.country, new Set(d.entries.map((e) => e.id)))
  }

  /** A state that left the roster leaves the directory on the next look. */
  private forgetNonMembers (): void {
    const roster = this.components.roster()
    for (const [key, d] of this.directories) {
      if (roster.member(d.country) !== undefined) continue
      this.directories.delete(key)
      this.index.remove(d.country, d.name)
      this.confirmedAt.delete(key)
      this.listed.delete(d.country)
      void this.cache.drop(d.country).catch(() => {})
    }
  }

  /** The index segments follow `remember`; listeners learn that search results may differ. */
  private indexChanged (): void {
    this.dispatchEvent(new Event('indexed'))
  }

  private signal (): AbortSignal {
    return AbortSignal.any([this.controller.signal, AbortSignal.timeout(this.init.timeoutMs ?? 20_000)])
  }
}
