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
import { DirectoryPublisher, type DirectorySource, type Publication } from './publisher.js'
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
/** First wait before a directory a fetch missed is tried again; doubles up to refreshMs. */
const FETCH_RETRY_MS = 5_000

/** One directory to fetch; `announcedSeq` when its publisher announced that publication. */
interface FetchJob { readonly country: string, readonly name: DirectoryName, readonly announcedSeq?: number }

/** A publication being put until every record reached a peer: retries resend its records, not new ones. */
interface PendingPublication { readonly publications: readonly Publication[], readonly acked: Set<string>, readonly preparedAt: number }

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
  private readonly retryTimer: Timer
  private controller = new AbortController()
  private refreshing: Promise<void> | undefined
  private publishing: Promise<void> | undefined
  private republishWanted = false
  private publishRetryMs = PUBLISH_RETRY_MS
  /** The last publication reached no peer: the next peer to connect should get it. */
  private unpublished = true
  private pending: PendingPublication | undefined
  private readonly countryRefresh = new Map<string, Promise<void>>()
  /** Directories the last fetch of them missed (not found, incomplete, failed, older than announced). */
  private readonly missed = new Map<string, FetchJob>()
  private fetchRetryMs = FETCH_RETRY_MS
  /** The cached directories are in memory (`load`). */
  private loaded = false
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
    this.retryTimer = new Timer(components.clock, () => { void this.retryMissed() })
  }

  /**
   * Reads the directories cached on disk into memory: the local part of starting, with
   * no network. The node calls it before it takes any message, so that a message from
   * an authority the last copy lists is not refused while the network refresh runs.
   */
  async load (): Promise<void> {
    if (this.loaded) return
    for (const d of await this.cache.load()) {
      // A fetch that finished while the cache was read holds a newer copy: keep it.
      if (d.seq > (this.directories.get(cacheKey(d.country, d.name))?.seq ?? -1)) this.remember(d)
    }
    this.loaded = true
    this.forgetNonMembers()
    this.indexChanged()
  }

  /** The network part: publication, refresh and their timers (loads the cache first if not yet). */
  async start (): Promise<void> {
    this.controller = new AbortController()
    await this.load()
    this.components.source.addEventListener('change', this.onSourceChange)
    this.publishTimer.set(0)
    this.refreshTimer.set(0)
  }

  stop (): void {
    this.components.source.removeEventListener('change', this.onSourceChange)
    this.refreshTimer.cancel()
    this.publishTimer.cancel()
    this.retryTimer.cancel()
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
    return await this.authorityStatus(country, id) === 'listed'
  }

  /**
   * Whether `country` lists `id`: 'listed'; 'not-listed' only when this node's copy of
   * that state's authorities was loaded and confirmed from the network since this start
   * (fetched, or found unchanged); otherwise 'unverified', which a receiver answers with
   * a refusal the sender retries. `fresh` fetches the state's directory first even when
   * the copy lists the authority (a sender double-checking a refusal).
   */
  async authorityStatus (country: string, id: string, fresh = false): Promise<'listed' | 'not-listed' | 'unverified'> {
    if (country === this.init.country) return await this.components.source.isActiveAuthority(id) ? 'listed' : 'not-listed'
    if (!fresh && this.listed.get(country)?.has(id) === true) return 'listed'
    await this.refreshCountry(country)
    // A sender double-checking (`fresh`) trusts no copy past its `expires`.
    if (this.listed.get(country)?.has(id) === true && !(fresh && (this.directories.get(cacheKey(country, 'authorities'))?.expires ?? 0) <= this.components.clock.now())) return 'listed'
    return this.loaded && this.confirmedAt.has(cacheKey(country, 'authorities')) ? 'not-listed' : 'unverified'
  }

  /** Fetches every member state's directory now; resolves when done. */
  async refresh (): Promise<void> {
    this.refreshing ??= this.runRefresh().finally(() => { this.refreshing = undefined })
    await this.refreshing
  }

  /**
   * Fetches one state's directories now (an unknown authority), or, given what its
   * publisher announced, only that directory, and nothing when this node holds that
   * publication already (its own refresh or a peer's forwarded announcement got there first).
   */
  async refreshCountry (country: string, announced?: { readonly name: DirectoryName, readonly seq: number }): Promise<void> {
    if (announced === undefined) {
      await this.fetchOnce(country, NAMES.map((name) => ({ country, name })))
      return
    }
    // A fetch already running may be for an older announcement: then one more.
    for (let i = 0; i < 2 && !this.holds(country, announced.name, announced.seq); i++) {
      await this.fetchOnce(cacheKey(country, announced.name), [{ country, name: announced.name, announcedSeq: announced.seq }])
    }
  }

  private holds (country: string, name: DirectoryName, seq: number): boolean {
    return (this.directories.get(cacheKey(country, name))?.seq ?? -1) >= seq
  }

  /** Runs `jobs` unless a fetch under the same key is running already; then waits for that one. */
  private async fetchOnce (key: string, jobs: readonly FetchJob[]): Promise<void> {
    let running = this.countryRefresh.get(key)
    if (running === undefined) {
      running = this.fetchJobs(jobs).then((changed) => { if (changed) this.indexChanged() }).finally(() => this.countryRefresh.delete(key))
      this.countryRefresh.set(key, running)
    }
    await running
  }

  /**
   * Signs and publishes this state's directory now (also after every change); while the
   * last publication has records no peer acknowledged, puts those again instead.
   */
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
    // What is published changed: a publication still being retried is outdated.
    this.pending = undefined
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
      // A retry puts the same signed records again, and only those no peer acknowledged:
      // a new sequence number each time would make every reader fetch it all again. Past
      // the republication interval a retry signs afresh, as the republication would.
      if (this.pending !== undefined && this.components.clock.now() - this.pending.preparedAt >= this.init.republishMs) this.pending = undefined
      let pending = this.pending
      if (pending === undefined) {
        const preparedAt = this.components.clock.now()
        const publications = []
        for (const name of NAMES) publications.push(await this.publisher.prepare(name))
        // Own entries are searchable at once, whatever the network does.
        await this.cache.save(publications.map((p) => p.directory))
        for (const p of publications) this.remember(p.directory)
        this.indexChanged()
        pending = { publications, acked: new Set(), preparedAt }
        this.pending = pending
      }
      const { publications, acked } = pending
      const signal = this.signal()
      const unacknowledged = await Promise.all(publications.map(async (p) => await this.publisher.put(p, signal, acked)))
      this.unpublished = unacknowledged.some((n) => n > 0)
      if (!this.unpublished) {
        if (this.pending === pending) this.pending = undefined
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
      if (await this.fetchJobs(others.flatMap((country) => NAMES.map((name) => ({ country, name }))))) this.indexChanged()
      this.dispatchEvent(new Event('refreshed'))
    } finally {
      if (!this.controller.signal.aborted) this.refreshTimer.set(this.init.refreshMs)
    }
  }

  /**
   * Fetches the directories `jobs` name; returns whether anything changed. What it
   * misses is tried again soon (FETCH_RETRY_MS), not only at the next refresh: a node
   * that starts while its peers are still connecting would otherwise show a state
   * missing for a whole refresh interval. The wait doubles only when a retry itself
   * gets nothing more (see scheduleRetry).
   */
  private async fetchJobs (jobs: readonly FetchJob[], retry?: { readonly missedBefore: number }): Promise<boolean> {
    const queue = [...jobs]
    const updated: CachedDirectory[] = []
    const run = async (): Promise<void> => {
      for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
        const key = cacheKey(job.country, job.name)
        const known = this.directories.get(key)?.seq
        let seq: number | undefined
        try {
          const result = await this.fetcher.fetch(job.country, job.name, known, this.signal(), job.announcedSeq)
          if (result.outcome === 'updated') { updated.push(result.directory); seq = result.directory.seq }
          if (result.outcome === 'unchanged') seq = known
          if (seq !== undefined) this.confirmedAt.set(key, this.components.clock.now())
        } catch (err) {
          if (this.controller.signal.aborted) return
          this.components.logger.debug('directory fetch failed', { country: job.country, name: job.name, error: (err as Error).message })
        }
        if (seq === undefined || seq < (job.announcedSeq ?? -1)) this.missed.set(key, job)
        else this.missed.delete(key)
      }
    }
    await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, queue.length) }, run))
    if (this.controller.signal.aborted) return false
    this.scheduleRetry(retry === undefined ? 'fetch' : this.missed.size < retry.missedBefore ? 'retry-progressed' : 'retry-stuck')
    // A slower fetch may return an older publication than one already held.
    const newer = updated.filter((d) => d.seq > (this.directories.get(cacheKey(d.country, d.name))?.seq ?? -1) && this.components.roster().member(d.country) !== undefined)
    if (newer.length === 0) return false
    await this.cache.save(newer)
    for (const d of newer) this.remember(d)
    return true
  }

  /**
   * Plans the retry of what is missed. Each announcement of another state's publication
   * runs a fetch: were each to double the wait, two dozen announcements while anything is
   * missed would push the retry to the refresh interval (a day). So an ordinary fetch
   * only makes sure a retry is planned; the wait doubles when a retry got nothing more,
   * and starts again from FETCH_RETRY_MS when it made progress.
   */
  private scheduleRetry (after: 'fetch' | 'retry-progressed' | 'retry-stuck'): void {
    if (this.missed.size === 0) {
      this.retryTimer.cancel()
      this.fetchRetryMs = FETCH_RETRY_MS
      return
    }
    if (after === 'fetch' && this.retryTimer.pending) return
    if (after === 'retry-stuck') this.fetchRetryMs = Math.min(this.fetchRetryMs * 2, this.init.refreshMs)
    if (after === 'retry-progressed') this.fetchRetryMs = FETCH_RETRY_MS
    this.retryTimer.set(this.fetchRetryMs)
  }

  private async retryMissed (): Promise<void> {
    const roster = this.components.roster()
    const jobs = [...this.missed.values()].filter((j) => roster.member(j.country) !== undefined)
    this.missed.clear()
    if (jobs.length === 0) return
    if (await this.fetchJobs(jobs, { missedBefore: jobs.length })) this.indexChanged()
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
