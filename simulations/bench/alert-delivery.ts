/**
 * Alerts to every member state on a federation of real nodes over loopback TCP:
 *
 * 1. Time for an alert to reach every other node: from `alerts.issue()` on the issuer to
 *    the broadcaster's 'accepted' event (verified against the roster, stored) on the last
 *    node, issuers rotating over the states; p50, p99, and the delivery ratio (alerts every
 *    node holds at the end of the phase / alerts issued). Each alert waits until the last
 *    node has it and the issuer holds every receipt, so the figure is an alert's latency
 *    on a quiet federation (alerts are rare: a few a day), not throughput.
 * 2. Floor, in the same run over the same libp2p nodes and connections: plain floodsub
 *    (its own protocol id, beside gossipsub) publishing a payload of the same size, timed
 *    to its 'message' event on the last node, interleaved with the alerts so both see the
 *    same conditions. It verifies the libp2p message signature and nothing else: no
 *    envelope verification, no storage, no receipts.
 * 3. Catch-up of a node that was offline: stopped, N alerts issued while it is away, then
 *    restarted; time from its `start()` until it holds all N (anti-entropy on reconnect).
 *    Twice: before the alert phase (peers hold a few dozen envelopes) and after it (they
 *    hold every alert of the run), because on reconnect a node pulls every envelope of the
 *    last 24 hours from every peer, and verifies each before it finds it a duplicate.
 *
 * The directory stays out of it: no node publishes its directory to the DHT or fetches
 * the others' (DirectoryService's publish, refresh and refreshCountry are made inert for
 * the run). Alerts do not use other states' directories, and on one thread 30 nodes
 * fetching each other's directories after start cost most of a core for minutes (900
 * DHT lookups), which a real federation spreads over 30 machines.
 *
 * Every node shares this one process and one JavaScript thread: 29 receivers validate and
 * store each alert one after the other on the same two cores, where a real federation
 * does so on 29 machines at once. Read the figures as upper bounds for loopback.
 */
import { floodsub, type FloodSub } from '@libp2p/floodsub'
import { ALERT_RECEIPT_KIND, MEMBER_STATES, encodeWire, type AlertContent, type WireEnvelope } from '@imi/protocol'
import type { ImiNode } from '@imi/node'
import type { Actor } from '../../node/src/services/accounts/permissions.js'
import { DirectoryService } from '../../node/src/services/directory/directory-service.js'
import { Bucket } from '../../node/src/storage/index.js'
import { percentile, result, type BenchResult } from '../../node/bench/stats.js'
import { eventually, makeFederation } from '../../node/test/fixtures/federation.js'

/** Not gossipsub's own /floodsub/1.0.0 (its fallback), so the two never mix. */
const FLOOD_PROTOCOL = '/imi-bench/floodsub/1.0.0'
const FLOOD_TOPIC = 'imi-bench-flood'
/** A hop on loopback takes milliseconds: an alert not everywhere after this is counted as not delivered in time. */
const DELIVERY_TIMEOUT_MS = 10_000
const SETTINGS = { directory: { refreshMs: 3_600_000 } }

const CONTENT: AlertContent = {
  description: 'The provider installed gas boilers without the required authorisation; two installations caused carbon monoxide leaks.',
  concerned: { name: 'Karel Novák', businessName: 'Novák Topení s.r.o.', registrationNumber: 'CZ-IČO-12345678' },
  decision: 'Trade licence withdrawn by decision of 3 November 2026',
  periodFrom: '2026-11-03'
}

export interface AlertDeliveryOptions {
  /** Member states taking part (at most 30). */
  readonly states: number
  /** Alerts to all (and as many floodsub messages), issuers rotating over the states. */
  readonly alerts: number
  /** Alerts issued while one node is offline (default 20). */
  readonly missed?: number
  /** Added to the result names, e.g. "quick". */
  readonly label?: string
}

const now = (): number => Number(process.hrtime.bigint()) / 1e6
const authorityOf = (c: string): string => `${c.toLowerCase()}-services`
const handlerOf = (c: string): Actor => ({ kind: 'user', username: `bench.${c}`, authority: authorityOf(c), coordinator: false, grants: [{ area: 'services', role: 'alert-handler' }] })
const floodOf = (node: ImiNode): FloodSub => (node.libp2p!.services as unknown as { floodsub: FloodSub }).floodsub

/** When each message (envelope id or floodsub sequence) reached each node; resolves waiters once `need` nodes have it. */
class Arrivals {
  private readonly times = new Map<string, Map<string, number>>()
  private readonly waiters = new Map<string, { need: number, resolve: () => void }>()

  note (id: string, country: string, at: number): void {
    let m = this.times.get(id)
    if (m === undefined) this.times.set(id, m = new Map())
    if (!m.has(country)) m.set(country, at)
    const w = this.waiters.get(id)
    if (w !== undefined && m.size >= w.need) { this.waiters.delete(id); w.resolve() }
  }

  /** Waits until `need` nodes have `id`; false on timeout. */
  async all (id: string, need: number, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<boolean> {
    if ((this.times.get(id)?.size ?? 0) >= need) return true
    let timer: NodeJS.Timeout | undefined
    const done = await Promise.race([
      new Promise<boolean>((resolve) => { this.waiters.set(id, { need, resolve: () => { resolve(true) } }) }),
      new Promise<boolean>((resolve) => { timer = setTimeout(() => { resolve(false) }, timeoutMs) })
    ])
    clearTimeout(timer)
    this.waiters.delete(id)
    return done
  }

  /** Time from `t0` to the first arrival among `countries`. */
  first (id: string, t0: number, countries: readonly string[]): number {
    const m = this.times.get(id)
    return Math.min(...countries.map((c) => m?.get(c) ?? Infinity)) - t0
  }

  /** Time from `t0` to the last arrival among `countries`. */
  last (id: string, t0: number, countries: readonly string[]): number {
    const m = this.times.get(id)!
    return Math.max(...countries.map((c) => m.get(c)!)) - t0
  }
}

/** How many receipts each issuer holds, and when the last came in. */
class Counts {
  private readonly n = new Map<string, { count: number, at: number }>()
  private readonly waiters = new Map<string, { need: number, resolve: () => void }>()

  count (key: string): number { return this.n.get(key)?.count ?? 0 }
  lastAt (key: string): number { return this.n.get(key)?.at ?? NaN }

  add (key: string, at: number): void {
    const c = { count: this.count(key) + 1, at }
    this.n.set(key, c)
    const w = this.waiters.get(key)
    if (w !== undefined && c.count >= w.need) { this.waiters.delete(key); w.resolve() }
  }

  async all (key: string, need: number, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<boolean> {
    if (this.count(key) >= need) return true
    let timer: NodeJS.Timeout | undefined
    const done = await Promise.race([
      new Promise<boolean>((resolve) => { this.waiters.set(key, { need, resolve: () => { resolve(true) } }) }),
      new Promise<boolean>((resolve) => { timer = setTimeout(() => { resolve(false) }, timeoutMs) })
    ])
    clearTimeout(timer)
    this.waiters.delete(key)
    return done
  }
}

const cpuMsSince = (start: NodeJS.CpuUsage): number => { const d = process.cpuUsage(start); return (d.user + d.system) / 1000 }
const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

/**
 * Until the event loop is idle (three 2 ms sleeps in a row that take under 6 ms), at most
 * `maxMs`: gossip heartbeats of 30 nodes and other processes on the machine keep it from
 * ever being perfectly still.
 */
async function quiet (maxMs = 300): Promise<void> {
  const end = now() + maxMs
  for (let calm = 0; calm < 3 && now() < end;) {
    const t = now()
    await sleep(2)
    calm = now() - t < 6 ? calm + 1 : 0
  }
}

export async function benchAlertDelivery (opts: AlertDeliveryOptions): Promise<BenchResult[]> {
  const missed = opts.missed ?? 20
  const countries = MEMBER_STATES.map((s) => s.code).slice(0, opts.states)
  const n = countries.length
  const label = `${n} states in one process${opts.label === undefined ? '' : `, ${opts.label}`}`
  const fed = await makeFederation(countries)
  const alerts = new Arrivals()
  const floods = new Arrivals()
  const receipts = new Counts()
  const start = async (c: string): Promise<ImiNode> => {
    const node = await fed.start(c, { p2pServices: { floodsub: floodsub({ protocol: FLOOD_PROTOCOL }) } }, SETTINGS)
    node.broadcaster.addEventListener('accepted', (e) => { alerts.note((e as CustomEvent<{ id: string }>).detail.id, c, now()) })
    node.messaging.addEventListener('received', (e) => { if ((e as CustomEvent<{ kind: string }>).detail.kind === ALERT_RECEIPT_KIND) receipts.add(c, now()) })
    const flood = floodOf(node)
    flood.addEventListener('message', (e) => { if (e.detail.topic === FLOOD_TOPIC) floods.note(seqOf(e.detail.data), c, now()) })
    flood.subscribe(FLOOD_TOPIC)
    return node
  }
  const proto = DirectoryService.prototype
  const saved = { refresh: proto.refresh, refreshCountry: proto.refreshCountry, publish: proto.publish }
  const inert = async (): Promise<void> => {}
  Object.assign(proto, { refresh: inert, refreshCountry: inert, publish: inert })
  try {
    const t0 = now()
    // One by one: started all at once, some connections came up with no protocol streams
    // at all (no gossipsub, no sync; identify not completed, it seems) and stayed so.
    for (const c of countries) {
      const node = await start(c)
      await node.authorities.importAuthorities([{ id: authorityOf(c), names: { en: `${c} services authority` }, areas: ['services'], competences: ['trade licensing'] }])
    }
    // Both topics need every other member subscribed, and gossip a mesh, before the clock runs.
    const node = (c: string): ImiNode => fed.node(c)
    const ready = (): { subscribers: number, mesh: number, flood: number } => {
      const min = (f: (node: ImiNode) => number): number => Math.min(...countries.map((c) => f(node(c))))
      return {
        subscribers: min((x) => x.libp2p!.services.pubsub.getSubscribers(x.broadcastGossip!.topic).length),
        mesh: min((x) => (x.libp2p!.services.pubsub as unknown as { getMeshPeers(topic: string): unknown[] }).getMeshPeers(x.broadcastGossip!.topic).length),
        flood: min((x) => floodOf(x).getSubscribers(FLOOD_TOPIC).length)
      }
    }
    const meshReady = async (): Promise<void> => {
      await eventually(() => {
        const r = ready()
        return r.subscribers === n - 1 && r.mesh >= Math.min(4, n - 1) && r.flood === n - 1
      }, 120_000, 'gossip mesh and floodsub subscriptions on every node').catch((err: Error) => {
        throw new Error(`${err.message}: fewest on one node ${JSON.stringify(ready())}, of ${n - 1} peers`)
      })
    }
    await meshReady()
    const readyMs = now() - t0

    // One message at a time, each sent once the previous one's echoes have died down (quiet()).
    interface Sample { ms: number | undefined, firstMs: number, cpuMs: number }
    const issue = async (from: string, others: readonly string[], waitReceipts: boolean): Promise<Sample & { id: string, receiptsMs: number | undefined }> => {
      const cpu = process.cpuUsage()
      const receiptsBefore = receipts.count(from)
      const t = now()
      const issued = await node(from).alerts.issue(handlerOf(from), { area: 'services', type: 'services-risk', to: 'all', content: CONTENT })
      const id = issued.state.issueEvent
      const ok = await alerts.all(id, others.length + 1)
      const ms = ok ? alerts.last(id, t, others) : undefined
      const receiptsOk = waitReceipts && await receipts.all(from, receiptsBefore + others.length)
      const receiptsMs = receiptsOk ? receipts.lastAt(from) - t : undefined
      return { id, ms, firstMs: alerts.first(id, t, others), receiptsMs, cpuMs: cpuMsSince(cpu) }
    }
    const publishFlood = async (from: string, seq: number, size: number): Promise<Sample> => {
      const cpu = process.cpuUsage()
      const others = countries.filter((c) => c !== from)
      const t = now()
      await floodOf(node(from)).publish(FLOOD_TOPIC, payload(seq, size))
      const ok = await floods.all(String(seq), n - 1)
      const ms = ok ? floods.last(String(seq), t, others) : undefined
      // Floodsub goes on echoing after the last node has it (every node sends it to every
      // other): counted in its CPU, and over before the next alert goes out.
      await quiet()
      return { ms, firstMs: floods.first(String(seq), t, others), cpuMs: cpuMsSince(cpu) }
    }

    // Warm-up (JIT, the first streams between each pair): three of each, not counted.
    let size = 0
    for (let i = 0; i < 3; i++) {
      const from = countries[i % n]!
      const a = await issue(from, countries.filter((c) => c !== from), true)
      size = await wireSize(node(from), a.id)
      await quiet()
      await publishFlood(from, -1 - i, size)
    }

    /** One state goes offline, `missed` alerts go out, it comes back: until it holds all of them. */
    const catchUp = async (away: string): Promise<{ ms: number, startMs: number, held: number }> => {
      const live = countries.filter((c) => c !== away)
      await fed.stop(away)
      const missedIds: string[] = []
      for (let i = 0; i < missed; i++) {
        const from = live[i % live.length]!
        missedIds.push((await issue(from, live.filter((c) => c !== from), false)).id)
        await quiet()
      }
      const held = (await node(live[0]!).broadcaster.since(0, 100_000)).length
      await quiet()
      const t = now()
      const back = await start(away)
      const startMs = now() - t
      // Polled every 10 ms: it may hold some before start() returns, before any listener could be on it.
      while (await countHeld([back], missedIds) < missedIds.length) {
        if (now() - t > 30_000) throw new Error(`${away} did not catch up on ${missed} alerts in 30 s`)
        await sleep(10)
      }
      const ms = now() - t
      // Back in the mesh before anything else is measured; its receipts in.
      await meshReady()
      await quiet(2000)
      return { ms, startMs, held }
    }

    // The first catch-up: peers hold only the warm-up's alerts and the missed ones.
    const early = await catchUp(countries[n - 1]!)
    await quiet()

    const gossip: Sample[] = []
    const flood: Sample[] = []
    const receiptTimes: number[] = []
    const issuedIds: string[] = []
    const t1 = now()
    for (let i = 0; i < opts.alerts; i++) {
      const from = countries[i % n]!
      const a = await issue(from, countries.filter((c) => c !== from), true)
      issuedIds.push(a.id)
      gossip.push(a)
      if (a.receiptsMs !== undefined) receiptTimes.push(a.receiptsMs)
      await quiet()
      flood.push(await publishFlood(from, i, size))
    }
    const phaseS = (now() - t1) / 1000
    // Delivered: held by every node at the end of the phase, however it got there.
    const heldByAll = await countHeld(countries.map(node), issuedIds)

    // The second catch-up: every peer now holds every alert of the run (all of the last 24 h).
    const late = await catchUp(countries[n - 2]!)
    global.gc?.()
    const rssMb = process.memoryUsage().rss / 1e6
    const others = n - 1
    // An alert or message that missed a node counts as the timeout.
    const all = (xs: readonly Sample[]): number[] => xs.map((x) => x.ms ?? DELIVERY_TIMEOUT_MS)
    const pct = (xs: readonly number[], p: number): number => percentile(xs, p)
    const floor = `floor: plain floodsub over the same nodes, ${size} B payload`
    const rows = [
      result(`alert to all ${others} other nodes p50 (${label}; ${floor})`, pct(all(gossip), 50), 'ms', pct(all(flood), 50)),
      result(`alert to all ${others} other nodes p99 (${label}; ${floor})`, pct(all(gossip), 99), 'ms', pct(all(flood), 99)),
      result(`alert delivery ratio: held by all ${n} nodes / issued (${opts.alerts} alerts)`, heldByAll / opts.alerts, 'ratio'),
      result(`alert to the first of ${others} other nodes p50 (${label}; ${floor})`, pct(gossip.map((x) => x.firstMs), 50), 'ms', pct(flood.map((x) => x.firstMs), 50)),
      result(`alert, all ${others} signed receipts back at the issuer p50 (${label})`, pct(receiptTimes, 50), 'ms'),
      result(`process CPU per alert, all ${n} nodes, issue to last receipt p50 (${floor})`, pct(gossip.map((x) => x.cpuMs), 50), 'ms', pct(flood.map((x) => x.cpuMs), 50)),
      result(`plain floodsub messages that missed a node (${opts.alerts} sent)`, flood.filter((x) => x.ms === undefined).length, 'messages'),
      result(`offline node catch-up of ${missed} alerts, start() to holding all (${label}; peers hold ${early.held} envelopes)`, early.ms, 'ms'),
      result(`  of which the returning node's start()`, early.startMs, 'ms'),
      result(`offline node catch-up of ${missed} alerts, start() to holding all (${label}; peers hold ${late.held} envelopes)`, late.ms, 'ms'),
      result(`  of which the returning node's start()`, late.startMs, 'ms'),
      result(`federation start to gossip mesh on every node (${label})`, readyMs, 'ms'),
      result(`alert phase: ${opts.alerts} alerts + ${opts.alerts} floodsub messages, one at a time`, phaseS, 's'),
      result(`process RSS after alert delivery (${n} nodes in one process)`, rssMb, 'MB')
    ]
    return rows
  } finally {
    await fed.close()
    Object.assign(proto, saved)
  }
}

async function wireSize (node: ImiNode, id: string): Promise<number> {
  const key = await node.store.get<string>(Bucket.broadcastIds, id)
  const entry = await node.store.get<{ wire: WireEnvelope }>(Bucket.broadcasts, key!)
  return encodeWire(entry!.wire).length
}

/** Alert-sized floodsub payload: its sequence number first, then filler. */
function payload (seq: number, size: number): Uint8Array {
  const bytes = new Uint8Array(Math.max(size, 8))
  new DataView(bytes.buffer).setFloat64(0, seq)
  bytes.fill(0x61, 8)
  return bytes
}

function seqOf (data: Uint8Array): string {
  return String(new DataView(data.buffer, data.byteOffset, data.byteLength).getFloat64(0))
}

async function countHeld (nodes: readonly ImiNode[], ids: readonly string[]): Promise<number> {
  let held = 0
  for (const id of ids) {
    let everywhere = true
    for (const node of nodes) if (!await node.broadcaster.has(id)) { everywhere = false; break }
    if (everywhere) held++
  }
  return held
}
