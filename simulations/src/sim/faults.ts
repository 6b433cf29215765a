/**
 * The faults of a scenario, applied at their step, and what the nodes did about them
 * (read by the assertions in assertions.ts). The connection-level mechanics (partition,
 * latency and loss, roster change, bootstrap node) are in harness.ts and links.ts; the
 * misbehaving member's acts are here:
 *
 * - replay: the member sends again `count` old, validly signed envelopes it sent before,
 *   each to its original recipient (a duplicate: answered with the stored receipt, never
 *   applied again), and `count` it received, each to a third member (not addressed to
 *   it: refused); and it puts `count` old alerts it holds back on gossip (held already:
 *   ignored). Straight through its libp2p host, past its own node's outbox.
 * - flood: the member pipelines `count` frames (random bytes, default 15,000) to each
 *   target over the direct-message protocol, as fast as the streams take them, while
 *   the step's honest traffic goes on. The receiver's per-peer rate limit (2,000 a second,
 *   10,000 at once, on real time) must refuse what exceeds it, and honest messages must
 *   still be accepted meanwhile.
 * - withhold: from that day the member's officials accept requests but never answer:
 *   the requesting node's deadline service must declare them overdue once the answer
 *   date passed and escalate them after `escalateAfterDays` without activity.
 * - leave: see harness.ts. The driver stops the other members' officials from acting on
 *   requests with the member that left (their nodes refuse to send to a non-member);
 *   the member's own officials go on, and what they send must be refused.
 * - bootstrap-down: besides stopping the bootstrap node, every running node publishes its
 *   directory again and fetches the next state's from the DHT without it.
 */
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { lpStream } from '@libp2p/utils'
import { peerIdFromString } from '@libp2p/peer-id'
import { MAX_WIRE_BYTES, decodeReply, encodeWire, protocolId, type WireEnvelope } from '@imi/protocol'
import type { ImiNode, ReceivedRecord, SentRecord } from '@imi/node'
import { DirectMessageClient } from '../../../node/src/p2p/direct-message-client.js'
import { Bucket } from '../../../node/src/storage/index.js'
import type { SimFederation } from './harness.js'
import type { Fault, Scenario } from './scenario.js'
import type { SimClock } from './sim-clock.js'

/** Direct-message streams a flooding member opens to each target at once. */
const FLOOD_STREAMS = 6
/** Frames per write. */
const FLOOD_BATCH = 256

export interface ReplayOutcome {
  readonly fed: number
  readonly from: string
  readonly day: number
  /**
   * Direct replays by kind and by what the receiver answered: `again: receipt` (sent again
   * to its recipient, answered with the stored receipt), `elsewhere: <code>` (a received
   * envelope sent on to a third member: must be refused), or a refusal code.
   */
  readonly direct: Record<string, number>
  directSent: number
  gossipPublished: number
}

export interface FloodOutcome {
  readonly fed: number
  readonly from: string
  readonly day: number
  readonly targets: readonly string[]
  readonly sent: number
  /** Replies by code: ERR_RATE_LIMITED for frames refused undecoded, others for frames the receiver looked at. */
  readonly replies: Record<string, number>
  readonly realMs: number
  /** Messages from other members each target accepted while the flood ran. */
  readonly honestAccepted: number
  /** The most messages other members owed the targets at once while it ran (sampled every 200 ms). */
  readonly honestOwed: number
  /**
   * Honest probes: every quarter second of the flood, each other member sends a target its
   * newest message to it again (the receiver verifies it and answers with the
   * stored receipt: the path of every message up to the store). Replies by code, and
   * their real round-trip times.
   */
  readonly probes: { sent: number, replies: Record<string, number>, ms: number[] }
}

export interface LeaveOutcome {
  readonly fed: number
  readonly country: string
  readonly day: number
  readonly version: number | undefined
  /** Virtual time at which each other node applied the version without the member. */
  readonly applied: Record<string, number>
  /** Open requests with the member when it left, and who had to act on each. */
  readonly openRequests: ReadonlyArray<{ readonly id: string, readonly from: string, readonly to: string, readonly status: string, readonly awaiting: string }>
  /** Messages each other node still owed the member then. */
  readonly owedToIt: Record<string, number>
  /** Deliveries to the member each node abandoned afterwards (ERR_NOT_A_MEMBER). */
  readonly abandoned: Record<string, number>
  /** Messages and alerts from the member a node accepted after applying the change: must stay empty. */
  readonly acceptedAfter: string[]
}

export interface BootstrapOutcome {
  readonly fed: number
  readonly downDay: number
  upDay?: number
  /** Without the bootstrap node: each running node's directory published again, and the next state's fetched from the DHT. */
  readonly probes: Array<{ readonly country: string, readonly published: boolean, readonly fetched: string, readonly confirmed: boolean }>
}

export interface FaultOutcomes {
  readonly replays: ReplayOutcome[]
  readonly floods: FloodOutcome[]
  /** Members withholding answers, and the requests they accepted and never answered. */
  readonly withheld: Array<{ readonly fed: number, readonly country: string, readonly day: number }>
  readonly leaves: LeaveOutcome[]
  readonly bootstrap: BootstrapOutcome[]
  /** Envelopes a node stored twice, alert actions applied twice: `fed/country/id`. Only tracked in scenarios with replays. */
  readonly appliedTwice: string[]
  /** Deadline notices per request on each node, `fed/country/id` -> kind -> count. Only tracked with withheld answers. */
  readonly deadlineNotices: Record<string, Record<string, number>>
}

/** What the driver lends the faults. */
export interface FaultHost {
  readonly scenario: Scenario
  readonly feds: readonly SimFederation[]
  readonly clock: SimClock
  /** A crash: the node's holdings before it goes. */
  snapshot: (fed: number, country: string, node: ImiNode, day: number) => Promise<void>
  forged: (fed: number, ids: string[]) => void
}

export class FaultDriver {
  readonly outcomes: FaultOutcomes = { replays: [], floods: [], withheld: [], leaves: [], bootstrap: [], appliedTwice: [], deadlineNotices: {} }
  private readonly kinds: ReadonlySet<Fault['kind']>
  private readonly seen = new Set<string>()
  private readonly withholding = new Set<string>()
  /** Floods under way: awaited before the end state is read. */
  private readonly running: Array<Promise<void>> = []
  private readonly floodsActive = new Map<string, FloodOutcome & { honestAccepted: number }>()

  constructor (private readonly host: FaultHost) {
    this.kinds = new Set(host.scenario.faults.map((f) => f.kind))
  }

  /** A member state withholds answers from now on. */
  withholds (fed: number, country: string): boolean { return this.withholding.has(`${fed}/${country}`) }

  /** A member left the roster: the others' officials no longer act with it. */
  hasLeft (fed: number, country: string): boolean { return this.host.feds[fed]!.hasLeft(country) }

  /** Listens to a node that (re)started: what the fault assertions need. */
  listen (f: number, country: string, node: ImiNode): void {
    const tracksReplays = this.kinds.has('replay')
    node.messaging.addEventListener('received', (evt) => {
      const { id, from } = (evt as CustomEvent<{ id: string, from: string }>).detail
      if (tracksReplays) this.once(`${f}/${country}/${id}`)
      this.fromLeft(f, country, from, `message ${id}`)
      for (const flood of this.floodsActive.values()) if (flood.fed === f && flood.targets.includes(country) && from !== flood.from) flood.honestAccepted++
    })
    node.alerts.addEventListener('changed', (evt) => {
      const { id, action, from } = (evt as CustomEvent<{ id: string, action: string, from?: string }>).detail
      if (tracksReplays) this.once(`${f}/${country}/${id}/${action}`)
      if (from !== undefined) this.fromLeft(f, country, from, `alert ${id} (${action})`)
    })
    if (this.kinds.has('leave')) {
      node.roster.addEventListener('change', () => {
        const now = this.host.clock.now()
        for (const l of this.outcomes.leaves) {
          if (l.fed === f && l.applied[country] === undefined && node.roster.current.member(l.country) === undefined) l.applied[country] = now
        }
      })
      node.messaging.addEventListener('failed', (evt) => {
        const { to, code } = (evt as CustomEvent<{ to: string, code: string }>).detail
        for (const l of this.outcomes.leaves) if (l.fed === f && l.country === to && code === 'ERR_NOT_A_MEMBER') l.abandoned[country] = (l.abandoned[country] ?? 0) + 1
      })
    }
    if (this.kinds.has('withhold')) {
      for (const kind of ['reminder', 'overdue', 'escalated']) {
        node.requestDeadlines.addEventListener(kind, (evt) => {
          const key = `${f}/${country}/${(evt as CustomEvent<{ id: string }>).detail.id}`
          const n = this.outcomes.deadlineNotices[key] ??= {}
          n[kind] = (n[kind] ?? 0) + 1
        })
      }
    }
  }

  private once (key: string): void {
    if (this.seen.has(key)) this.outcomes.appliedTwice.push(key)
    else this.seen.add(key)
  }

  /** A node accepted something from a member that left, after applying the change. */
  private fromLeft (f: number, country: string, from: string, what: string): void {
    for (const l of this.outcomes.leaves) {
      if (l.fed === f && l.country === from && l.applied[country] !== undefined) l.acceptedAfter.push(`${country} accepted ${what} from ${from} on day ${this.dayOf(this.host.clock.now())}`)
    }
  }

  private dayOf (ms: number): string {
    const day0 = Date.parse(`${this.host.scenario.start}T00:00:00Z`)
    return ((ms - day0) / 86_400_000).toFixed(2)
  }

  async apply (fault: Fault, f: number): Promise<void> {
    const fed = this.host.feds[f]!
    const now = this.host.clock.now()
    switch (fault.kind) {
      case 'crash':
        for (const c of fault.nodes) {
          const node = fed.node(c)
          if (node === undefined) continue
          await this.host.snapshot(f, c, node, fault.at)
          await fed.crash(c)
        }
        break
      case 'restart':
        for (const c of fault.nodes) await fed.restart(c)
        break
      case 'partition':
        await fed.partition(fault.nodes)
        break
      case 'heal':
        fed.heal()
        break
      case 'forge':
        this.host.forged(f, await fed.forge(fault.nodes[0]!, now))
        break
      case 'latency':
        fed.shape(fault.nodes, fault.to, { latencyMs: fault.ms ?? 0, jitterMs: fault.jitter ?? 0 })
        break
      case 'loss':
        fed.shape(fault.nodes, fault.to, { loss: fault.rate ?? 0 })
        break
      case 'clear':
        fed.unshape(fault.nodes, fault.to)
        break
      case 'replay':
        this.outcomes.replays.push(await this.replay(fed, f, fault.nodes[0]!, fault.count ?? 20, fault.at))
        break
      case 'flood':
        this.running.push(this.flood(fed, f, fault.nodes[0]!, fault.to ?? fed.countries.filter((c) => c !== fault.nodes[0]), fault.count ?? 50_000, fault.at))
        break
      case 'withhold':
        this.withholding.add(`${f}/${fault.nodes[0]!}`)
        this.outcomes.withheld.push({ fed: f, country: fault.nodes[0]!, day: fault.at })
        break
      case 'leave':
        await this.leave(fed, f, fault.nodes[0]!, fault.at, now)
        break
      case 'bootstrap-down':
        await fed.stopBootstrap()
        this.outcomes.bootstrap.push({ fed: f, downDay: fault.at, probes: await this.probeDirectories(fed) })
        break
      case 'bootstrap-up': {
        await fed.startBootstrap()
        const b = this.outcomes.bootstrap.findLast((x) => x.fed === f)
        if (b !== undefined) b.upDay = fault.at
        break
      }
    }
  }

  /** Waits for what still runs (floods). */
  async drain (): Promise<void> {
    await Promise.all(this.running.splice(0))
  }

  // Replays.

  private async replay (fed: SimFederation, f: number, from: string, count: number, day: number): Promise<ReplayOutcome> {
    const outcome: ReplayOutcome = { fed: f, from, day, direct: {}, directSent: 0, gossipPublished: 0 }
    const node = fed.node(from)
    if (node?.libp2p === undefined) return outcome
    const client = new DirectMessageClient(node.libp2p, fed.federationId)
    const roster = node.roster.current
    const frames: Array<{ what: 'again' | 'elsewhere', to: string, frame: Uint8Array }> = []
    // Sent before, to the original recipient: a duplicate.
    for (const view of await node.messaging.list('sent', count)) {
      const sent = await node.store.get<SentRecord>(Bucket.sent, view.id)
      if (sent === undefined) continue
      frames.push({ what: 'again', to: sent.hdr.to[0]!, frame: await this.frameOf(node, sent.jws, sent.id) })
    }
    // Received from one member, sent on to another: not addressed to it, not from this peer.
    for (const view of await node.messaging.list('received', count)) {
      const received = await node.store.get<ReceivedRecord>(Bucket.received, view.id)
      if (received === undefined) continue
      const third = fed.countries.find((c) => c !== from && c !== received.hdr.from && fed.isLive(c))
      if (third !== undefined) frames.push({ what: 'elsewhere', to: third, frame: await this.frameOf(node, received.jws, received.id) })
    }
    await Promise.all(frames.map(async ({ what, to, frame }) => {
      const peer = roster.member(to)
      if (peer === undefined || !fed.reachable(from, to)) return
      outcome.directSent++
      let code: string
      try {
        const reply = decodeReply(await client.request(peer.peerId, frame, { signal: AbortSignal.timeout(10_000) }))
        code = 'error' in reply ? reply.error.code : 'receipt'
      } catch (err) {
        code = `no reply (${(err as Error).name})`
      }
      outcome.direct[`${what}: ${code}`] = (outcome.direct[`${what}: ${code}`] ?? 0) + 1
    }))
    client.close()
    // Old alerts back on gossip.
    if (node.broadcastGossip !== undefined) {
      for (const entry of await node.broadcaster.since(0, count)) {
        await node.libp2p.services.pubsub.publish(node.broadcastGossip.topic, encodeWire(entry.wire)).catch(() => {})
        outcome.gossipPublished++
      }
    }
    return outcome
  }

  private async frameOf (node: ImiNode, jws: string, id: string): Promise<Uint8Array> {
    const pd = await node.store.get<WireEnvelope['pd']>(Bucket.personalData, id)
    return encodeWire(pd === undefined ? { jws } : { jws, pd })
  }

  // Floods.

  private async flood (fed: SimFederation, f: number, from: string, targets: readonly string[], count: number, day: number): Promise<void> {
    const outcome = { fed: f, from, day, targets, sent: 0, replies: {} as Record<string, number>, realMs: 0, honestAccepted: 0, honestOwed: 0, probes: { sent: 0, replies: {} as Record<string, number>, ms: [] as number[] } }
    this.outcomes.floods.push(outcome)
    const node = fed.node(from)
    if (node?.libp2p === undefined) return
    const key = `${f}/${from}/${day}`
    this.floodsActive.set(key, outcome)
    const probes = await this.probes(fed, from, targets)
    // Raw frames written in batches on several streams at once (the receiver takes 8 per
    // connection): the node's own client waits for each reply and cannot outrun the limit.
    const t0 = performance.now()
    // Whether honest members had anything for the targets meanwhile.
    const sampler = setInterval(() => {
      let owed = 0
      for (const c of fed.live()) {
        if (c === from || targets.includes(c)) continue
        for (const q of fed.node(c)?.messaging.outboxSummary() ?? []) if (targets.includes(q.country)) owed += q.pending
      }
      outcome.honestOwed = Math.max(outcome.honestOwed, owed)
    }, 200)
    let flooding = true
    const probing = this.probe(probes, outcome.probes, () => flooding)
    try {
      await Promise.all(targets.map(async (to) => {
        const peer = node.roster.current.member(to)
        if (peer === undefined) return
        const per = Math.ceil(count / FLOOD_STREAMS)
        await Promise.all(Array.from({ length: FLOOD_STREAMS }, async (_, k) => {
          const n = Math.min(per, count - k * per)
          if (n <= 0) return
          const signal = AbortSignal.timeout(120_000)
          let stream
          try {
            stream = await node.libp2p!.dialProtocol(peerIdFromString(peer.peerId), protocolId(fed.federationId, 'dm'), { signal })
          } catch (err) {
            outcome.replies[`no stream (${(err as Error).name})`] = (outcome.replies[`no stream (${(err as Error).name})`] ?? 0) + n
            return
          }
          const lp = lpStream(stream, { maxDataLength: MAX_WIRE_BYTES })
          const frame = new Uint8Array(randomBytes(64))
          const reading = (async () => {
            for (let i = 0; i < n; i++) {
              let code: string
              try {
                const reply = decodeReply((await lp.read({ signal })).subarray())
                code = 'error' in reply ? reply.error.code : 'receipt'
              } catch (err) {
                outcome.replies[`no reply (${(err as Error).name})`] = (outcome.replies[`no reply (${(err as Error).name})`] ?? 0) + n - i
                return
              }
              outcome.replies[code] = (outcome.replies[code] ?? 0) + 1
            }
          })()
          try {
            for (let i = 0; i < n; i += FLOOD_BATCH) {
              const batch = Array.from({ length: Math.min(FLOOD_BATCH, n - i) }, () => frame)
              outcome.sent += batch.length
              await lp.writeV(batch, { signal })
            }
          } catch { /* the stream broke: the reader counts what got no reply */ }
          await reading
          await stream.close().catch(() => {})
        }))
      }))
    } finally {
      clearInterval(sampler)
      flooding = false
      await probing
      outcome.realMs = Math.round(performance.now() - t0)
      this.floodsActive.delete(key)
    }
  }

  /**
   * Honest members' newest message to each target (delivered or still on its way: a
   * duplicate either way), found before the flood starts: under the flood every store
   * read of every node in this process waits its turn on the one event loop.
   */
  private async probes (fed: SimFederation, flooder: string, targets: readonly string[]): Promise<Array<{ client: DirectMessageClient, peerId: string, frame: Uint8Array }>> {
    const out: Array<{ client: DirectMessageClient, peerId: string, frame: Uint8Array }> = []
    for (const c of fed.live()) {
      const node = fed.node(c)!
      if (c === flooder || targets.includes(c) || node.libp2p === undefined) continue
      const client = new DirectMessageClient(node.libp2p, fed.federationId)
      const views = await node.messaging.list('sent', 100)
      for (const to of targets) {
        const peer = node.roster.current.member(to)
        const view = views.find((v) => v.to.includes(to) && v.status !== 'failed')
        const sent = view === undefined ? undefined : await node.store.get<SentRecord>(Bucket.sent, view.id)
        if (peer !== undefined && sent !== undefined) out.push({ client, peerId: peer.peerId, frame: await this.frameOf(node, sent.jws, sent.id) })
      }
    }
    return out
  }

  /** Sends the probes every quarter second while `on()`. */
  private async probe (probes: Array<{ client: DirectMessageClient, peerId: string, frame: Uint8Array }>, into: FloodOutcome['probes'], on: () => boolean): Promise<void> {
    while (on() && probes.length > 0) {
      await Promise.all(probes.map(async (p) => {
        into.sent++
        const t = performance.now()
        let code: string
        try {
          const reply = decodeReply(await p.client.request(p.peerId, p.frame, { signal: AbortSignal.timeout(10_000) }))
          code = 'error' in reply ? reply.error.code : 'receipt'
        } catch (err) {
          code = `no reply (${(err as Error).name})`
        }
        into.ms.push(Math.round(performance.now() - t))
        into.replies[code] = (into.replies[code] ?? 0) + 1
      }))
      await sleep(250)
    }
    for (const p of new Set(probes.map((x) => x.client))) p.close()
  }

  // A member leaving.

  private async leave (fed: SimFederation, f: number, country: string, day: number, now: number): Promise<void> {
    const owedToIt: Record<string, number> = {}
    const open = new Map<string, LeaveOutcome['openRequests'][number]>()
    for (const c of fed.live()) {
      if (c === country) continue
      const node = fed.node(c)!
      owedToIt[c] = node.messaging.outboxSummary().find((q) => q.country === country)?.pending ?? 0
      for await (const r of node.requests.log.records()) {
        const s = r.state
        const parties = [s.requester.country, s.responder.country]
        if (!parties.includes(country) || ['closed', 'withdrawn'].includes(s.status)) continue
        const awaiting = s.status === 'answered' ? s.requester.country : s.responder.country
        open.set(s.id, { id: s.id, from: s.requester.country, to: s.responder.country, status: s.status, awaiting })
      }
    }
    const outcome: LeaveOutcome = { fed: f, country, day, version: undefined, applied: {}, openRequests: [...open.values()], owedToIt, abandoned: {}, acceptedAfter: [] }
    this.outcomes.leaves.push(outcome)
    ;(outcome as { version: number | undefined }).version = await fed.leave(country, now)
  }

  // Without the bootstrap node.

  private async probeDirectories (fed: SimFederation): Promise<BootstrapOutcome['probes']> {
    const live = fed.live().filter((c) => !fed.hasLeft(c))
    const published = new Map<string, boolean>()
    // One at a time, as the warm-up does: publications at once time out on two cores.
    for (const c of live) published.set(c, await fed.node(c)!.directory.publish().then(() => true, () => false))
    const now = this.host.clock.now()
    const probes: BootstrapOutcome['probes'] = []
    for (const [i, c] of live.entries()) {
      const other = live[(i + 1) % live.length]!
      const node = fed.node(c)!
      await node.directory.refreshCountry(other).catch(() => {})
      const confirmed = node.directory.status().some((s) => s.country === other && s.name === 'authorities' && s.confirmedAt >= now)
      probes.push({ country: c, published: published.get(c)!, fetched: other, confirmed })
    }
    return probes
  }
}
