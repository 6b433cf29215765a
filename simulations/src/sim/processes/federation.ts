/**
 * The separate-processes mode (`npm run sim -- --processes [--netns]`): the same
 * federation as harness.ts, from the same scenario and seed, but every member node and
 * the bootstrap node run in a process of their own (agent.ts), talking TCP: on loopback,
 * or with `--netns` each in a network namespace of its own on a bridge (netns.ts), as
 * separate hosts. The parent keeps the virtual clock and mirrors every advance to each
 * process (clock-mirror.ts); run.ts drives the nodes through remote-node.ts as it drives
 * them in one process.
 *
 * Faults: crash stops the node's process (the node stops as in one process, then the
 * process exits), restart starts a new process on the same data folder, key and
 * address. Partition and heal are the same cut as in one process, applied in each
 * process at libp2p's `connection:open`. Forge publishes from the member's process.
 * Latency and loss are links.ts's stream shaping, as in one process, done in each
 * node's process; with `--netns --netem` they are `tc netem` on the nodes' network
 * interfaces instead (netns.ts), packets delayed and dropped by the kernel. Replay, flood and
 * leave use a node's internals from the harness and are not available in this mode.
 */
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { cosignRoster, proposeRoster, type RosterDocument, type SignedRoster } from '@imi/protocol'
import { rosterMemberOf, type ImiNode } from '@imi/node'
import { SimFederation, loopbackPort, seededIdentity, type FederationInit, type SimBootstrap, type SimMember } from '../harness.js'
import type { LinkRule } from '../links.js'
import type { Fault, Scenario } from '../scenario.js'
import { NetnsNetwork, NETNS_PORT } from './netns.js'
import { RemoteProcess, type ChildRecord } from './remote-node.js'

/** `--processes` (and `--netns`): how the run places its nodes. */
export interface ProcessMode {
  /** Each node in a network namespace of its own (needs root and `ip`). */
  readonly netns: boolean
  /** With netns: latency and loss by `tc netem` on the namespaces' interfaces, not links.ts in each process (needs a kernel with sch_netem and sch_prio). */
  readonly netem?: boolean
  /** Filled by the run: every process started, with its pid, namespace and peak memory. */
  readonly started?: ChildRecord[]
}

const UNSUPPORTED: ReadonlySet<Fault['kind']> = new Set(['replay', 'flood', 'leave'])

/** Why a scenario cannot run in this mode, or undefined. */
export function processModeProblem (scenario: Scenario, mode: ProcessMode): string | undefined {
  const bad = [...new Set(scenario.faults.map((f) => f.kind).filter((k) => UNSUPPORTED.has(k)))]
  if (bad.length > 0) return `the separate-processes mode does not run ${bad.join(', ')} faults (they use a node's internals from the harness): run this scenario without --processes`
  if (mode.netem === true && !mode.netns) return '--netem goes with --netns (tc netem on the namespaces\' interfaces)'
  return undefined
}

/** One line about the processes a run started: how many, in how many namespaces, their peak memory. */
export function processSummary (started: readonly ChildRecord[]): string {
  if (started.length === 0) return 'processes: none started'
  // The bootstrap node's process sends no status: its memory is not known.
  const rss = started.filter((r) => r.name !== 'bootstrap').map((r) => r.peakRssMb)
  const namespaces = new Set(started.map((r) => r.netns)).size
  const mean = rss.reduce((a, b) => a + b, 0) / Math.max(1, rss.length)
  return `processes: ${started.length} started (restarts included) in ${namespaces} network namespace(s); peak RSS per member node's process ${Math.min(...rss).toFixed(0)}-${Math.max(...rss).toFixed(0)} MB, mean ${mean.toFixed(0)} MB`
}

export class ProcessFederation extends SimFederation {
  private readonly procs = new Map<string, RemoteProcess>()
  private bootProc: RemoteProcess | undefined
  private readonly hosts = new Map<string, string>()

  private constructor (init: FederationInit, members: readonly SimMember[], genesis: SignedRoster, bootstrap: SimBootstrap | undefined,
    private readonly mode: ProcessMode, private readonly net: NetnsNetwork | undefined, hosts: ReadonlyMap<string, string>) {
    super(init, members, genesis, bootstrap)
    for (const [k, v] of hosts) this.hosts.set(k, v)
    // Every advance of the parent's clock goes to every node's process.
    init.clock.onAdvance((now) => { for (const p of this.procs.values()) p.clock.advance(now) })
  }

  static async createProcesses (init: FederationInit, mode: ProcessMode): Promise<ProcessFederation> {
    await mkdir(init.dir, { recursive: true })
    const names = [...init.countries, ...(init.bootstrap === true ? ['bootstrap'] : [])]
    const net = mode.netns ? await NetnsNetwork.create(`f${init.index}`, names) : undefined
    if (net !== undefined && mode.netem === true) {
      const problem = net.netemProblem()
      if (problem !== undefined) { await net.destroy(); throw new Error(problem) }
    }
    try {
      const hosts = new Map(names.map((n) => [n, net?.address(n) ?? '127.0.0.1']))
      const created = init.clock.now()
      const members: SimMember[] = []
      for (const country of init.countries) {
        members.push({ country, identity: await seededIdentity(init.seed, init.federationId, country), port: net === undefined ? await loopbackPort() : NETNS_PORT, dataDir: join(init.dir, country.toLowerCase()) })
      }
      const bootstrap: SimBootstrap | undefined = init.bootstrap === true
        ? { identity: await seededIdentity(init.seed, init.federationId, 'bootstrap'), port: net === undefined ? await loopbackPort() : NETNS_PORT, dataDir: join(init.dir, 'bootstrap') }
        : undefined
      const doc: RosterDocument = {
        fed: init.federationId,
        version: 1,
        created,
        members: members.map((m) => rosterMemberOf(m.identity, m.country, [`/ip4/${hosts.get(m.country)!}/tcp/${m.port}`], created - 1000)),
        bootstraps: bootstrap === undefined ? [] : [{ peerId: bootstrap.identity.peerId, addresses: [`/ip4/${hosts.get('bootstrap')!}/tcp/${bootstrap.port}`] }]
      }
      let genesis: SignedRoster = proposeRoster(doc)
      for (const m of members) genesis = cosignRoster(genesis, m.identity.signer)
      return new ProcessFederation(init, members, genesis, bootstrap, mode, net, hosts)
    } catch (err) {
      await net?.destroy()
      throw err
    }
  }

  /** The processes of this federation's running nodes. */
  processes (): ChildRecord[] { return [...this.procs.values(), ...(this.bootProc === undefined ? [] : [this.bootProc])].map((p) => p.record!) }

  private spawn (name: string): RemoteProcess {
    const proc = new RemoteProcess(`${this.federationId}/${name}`, name === 'bootstrap' ? this.init.logger : this.init.logger.child(name), this.net?.namespace(name))
    proc.onCounter = (counter, n) => { this.counters[counter] += n }
    proc.gate = async () => { await this.caughtUp() }
    return proc
  }

  private note (proc: RemoteProcess, name: string, ready: { pid: number, netns: string }): void {
    proc.record = { federation: this.federationId, name, pid: ready.pid, netns: ready.netns, ...(this.net === undefined ? {} : { namespace: this.net.namespace(name) }), peakRssMb: proc.status?.rssMb ?? 0 }
    this.mode.started?.push(proc.record)
  }

  protected override async start (country: string): Promise<ImiNode> {
    const m = this.member(country)
    const proc = this.spawn(country)
    const countryOf: Record<string, string> = {}
    for (const x of this.members) countryOf[x.identity.peerId] = x.country
    try {
      const ready = await proc.start({
        role: 'node', federationId: this.federationId, country, seed: this.init.seed, dataDir: m.dataDir, baseDir: this.init.dir,
        listen: `/ip4/${this.hosts.get(country)!}/tcp/${m.port}`, settings: this.init.settings, genesis: this.genesis, clockStart: this.init.clock.now(), countryOf
      })
      this.note(proc, country, ready)
    } catch (err) {
      proc.kill()
      throw err
    }
    this.procs.set(country, proc)
    const node = proc.node()
    this.nodes.set(country, node)
    if (this.cut !== undefined) await this.sendCut(country)
    if (this.mode.netem !== true && this.links.shaped.length > 0) this.sendLinks(country)
    this.onStart(country, node)
    return node
  }

  override async crash (country: string): Promise<void> {
    const node = this.nodes.get(country)
    const proc = this.procs.get(country)
    if (node === undefined || proc === undefined) return
    this.onStop(country, node)
    this.nodes.delete(country)
    this.procs.delete(country)
    this.counters.crashes++
    await proc.stop()
  }

  private async sendCut (country: string): Promise<number> {
    const proc = this.procs.get(country)
    if (proc === undefined) return 0
    const peers = this.members.filter((x) => this.across(country, x.country)).map((x) => x.identity.peerId)
    return await proc.request((id) => ({ t: 'cut', id, peers })).then((n) => n as number, () => 0)
  }

  override async partition (side: readonly string[]): Promise<void> {
    this.cut = new Set(side)
    this.counters.partitions++
    for (const c of [...this.procs.keys()]) this.counters.closedConnections += await this.sendCut(c)
  }

  override heal (): void {
    this.cut = undefined
    for (const c of this.procs.keys()) void this.sendCut(c)
  }

  override shape (a: readonly string[], b: readonly string[] | undefined, change: Partial<LinkRule>): void {
    this.links.set(a, b ?? this.countries.filter((c) => !a.includes(c)), change)
    this.applyNetem()
  }

  override unshape (a: readonly string[], b: readonly string[] | undefined): void {
    if (a.length === 0) this.links.clear()
    else this.links.clear(a, b ?? this.countries.filter((c) => !a.includes(c)))
    this.applyNetem()
  }

  /**
   * The link rules: by default to each node's process, where links.ts shapes its
   * connections as in one process; with --netem, as tc netem on each node's interface,
   * per destination (netns.ts).
   */
  private applyNetem (): void {
    if (this.net === undefined || this.mode.netem !== true) {
      for (const c of this.procs.keys()) this.sendLinks(c)
      return
    }
    for (const c of this.countries) {
      const rules = new Map<string, LinkRule>()
      for (const o of this.countries) {
        const r = this.links.rule(c, o)
        if (o !== c && r !== undefined && (r.latencyMs > 0 || r.jitterMs > 0 || r.loss > 0)) rules.set(o, r)
      }
      this.net.shape(c, rules)
    }
  }

  private sendLinks (country: string): void {
    const rules: Array<[string, string, LinkRule]> = []
    for (const o of this.countries) {
      const r = o === country ? undefined : this.links.rule(country, o)
      if (r !== undefined) rules.push([country, o, r])
    }
    this.procs.get(country)?.post({ t: 'links', rules })
  }

  override async leave (): Promise<number | undefined> { throw new Error('the leave fault is not available in the separate-processes mode') }

  override async forge (from: string, now: number): Promise<string[]> {
    const proc = this.procs.get(from)
    if (proc === undefined) return []
    const other = this.countries.find((c) => c !== from)!
    const ids = await proc.request((id) => ({ t: 'forge', id, other, now })) as string[]
    this.counters.forgedPublished += ids.length
    return ids
  }

  /** Every process has run its timers of the last clock advance. */
  private async caughtUp (): Promise<void> {
    for (const p of this.procs.values()) if (p.clock.behind) await p.clock.caughtUp()
  }

  /** A node whose process has not yet run the timers of the last clock advance still owes: the run does not call the step quiet. */
  override owedToReachable (country: string): number {
    return super.owedToReachable(country) + (this.procs.get(country)?.clock.behind === true ? 1 : 0)
  }

  override get bootstrapRunning (): boolean { return this.bootProc !== undefined }

  override async startBootstrap (): Promise<void> {
    const b = this.bootstrap
    if (b === undefined || this.bootProc !== undefined) return
    const proc = this.spawn('bootstrap')
    try {
      const ready = await proc.start({ role: 'bootstrap', federationId: this.federationId, seed: this.init.seed, dataDir: b.dataDir, listen: `/ip4/${this.hosts.get('bootstrap')!}/tcp/${b.port}`, genesis: this.genesis })
      this.note(proc, 'bootstrap', ready)
    } catch (err) {
      proc.kill()
      throw err
    }
    this.bootProc = proc
  }

  override async stopBootstrap (): Promise<void> {
    const proc = this.bootProc
    if (proc === undefined) return
    this.bootProc = undefined
    this.counters.bootstrapStops++
    await proc.stop()
  }

  override async close (removeData = true): Promise<void> {
    try {
      await Promise.all([...this.procs.entries()].map(async ([c, p]) => {
        const node = this.nodes.get(c)
        if (node !== undefined) this.onStop(c, node)
        await p.stop()
      }))
      this.procs.clear()
      this.nodes.clear()
      await this.stopBootstrap().catch(() => {})
    } finally {
      for (const p of this.procs.values()) p.kill()
      await this.net?.destroy()
    }
    if (removeData) await rm(this.init.dir, { recursive: true, force: true })
  }
}
