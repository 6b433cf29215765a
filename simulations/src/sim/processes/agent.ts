/**
 * A node's process in the separate-processes mode (`--processes`): the harness forks
 * this (inside the node's network namespace with `--netns`), sends `init`, and from then
 * on drives it over IPC. It builds the same node the one-process harness builds
 * (simNodeConfig, the seeded identity, the genesis), on a mirror of the parent's virtual
 * clock (clock-mirror.ts), and answers:
 * - `call`: a method of the node by path (`requests.send`, `requests.log.records`...),
 *   the result structured-cloned back; an async generator comes back as the array of
 *   what it yields; a callback argument is replaced by a no-op and run by the parent
 *   after the call (remote-node.ts);
 * - `watch`: a synchronous method whose result the parent reads from the status
 *   mirrored after every call and change (`directory.authority`);
 * - `on`: forwards a node's events (`requests` 'changed'...) with their details;
 * - `cut`: the partition's cut, on this end: connections to those peers are aborted now
 *   and whenever they open again, as harness.ts does in one process;
 * - `links`: latency and loss on this node's links (links.ts, in this process);
 * - `forge`: a misbehaving member's forged alerts, as harness.ts `forge`;
 * - `stop`: stops the node and exits.
 * The process exits when the parent goes away (the IPC channel closes).
 */
import { readlinkSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { createHash, randomBytes } from 'node:crypto'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { ALERT_KIND, encodeWire, signEnvelope, type Json } from '@imi/protocol'
import { createNode, identityFrom, nodeCrypto, saveIdentity, type ImiNode, type Logger } from '@imi/node'
import { createBootstrapNode, KEY_FILE, type BootstrapNode } from '@imi/bootstrap'
import { seededIdentity, simNodeConfig, simNodeOverrides } from '../harness.js'
import { LinkShaper } from '../links.js'
import { ClockMirror } from './clock-mirror.js'
import { toWire, watchKey, wireError, type BootstrapInit, type FromChild, type NodeInit, type NodeStatus, type ToChild } from './ipc.js'

const send = (m: FromChild): void => { if (process.connected) process.send!(m) }

class ForwardLogger implements Logger {
  constructor (private readonly component: readonly string[] = []) {}
  debug (): void {}
  info (): void {}
  warn (msg: string, fields?: Record<string, unknown>): void { send({ t: 'log', level: 'warn', component: this.component, msg, ...(fields === undefined ? {} : { fields: toWire(fields) as Record<string, unknown> }) }) }
  error (msg: string, fields?: Record<string, unknown>): void { send({ t: 'log', level: 'error', component: this.component, msg, ...(fields === undefined ? {} : { fields: toWire(fields) as Record<string, unknown> }) }) }
  child (component: string): Logger { return new ForwardLogger([...this.component, component]) }
}

const netnsId = (): string => { try { return readlinkSync('/proc/self/ns/net') } catch { return 'unknown' } }

let node: ImiNode | undefined
let boot: BootstrapNode | undefined
let clock: ClockMirror | undefined
let init: NodeInit | undefined
const watches = new Map<string, { path: readonly string[], args: readonly unknown[] }>()
let cut = new Set<string>()
let lastStatus = ''
/** Latency and loss on this node's links, as links.ts does in one process (the same seeded draws per link). */
let links: LinkShaper | undefined

function resolvePath (path: readonly string[]): { target: unknown, value: unknown } {
  let target: unknown
  let value: unknown = node
  for (const p of path) {
    target = value
    value = (value as Record<string, unknown> | undefined)?.[p]
  }
  return { target, value }
}

function status (): NodeStatus {
  const n = node!
  const watched: Record<string, unknown> = {}
  for (const [key, w] of watches) {
    try {
      const { target, value } = resolvePath(w.path)
      watched[key] = toWire((value as (...a: unknown[]) => unknown).apply(target, [...w.args]))
    } catch { watched[key] = undefined }
  }
  const topic = n.broadcastGossip?.topic
  return {
    outboxSummary: n.messaging.outboxSummary().map((q) => ({ country: q.country, pending: q.pending })),
    outboxDepth: n.messaging.outboxDepth(),
    rejected: new Map(n.broadcaster.rejected),
    rejections: new Map(n.directory.rejections),
    topic,
    published: n.directory.published,
    subscribers: topic === undefined ? 0 : n.libp2p?.services.pubsub.getSubscribers(topic).length ?? 0,
    watched,
    rssMb: Math.round(process.memoryUsage().rss / 1e5) / 10,
    links: { ...(links?.counters ?? { shapedConnections: 0, delayedWrites: 0, lostWrites: 0 }) }
  }
}

/** Sends the status when it changed since the last one sent (a few times a second at most). */
function pushStatus (): void {
  if (node === undefined) return
  const s = status()
  const text = JSON.stringify({ ...s, rssMb: 0, rejected: [...s.rejected], rejections: [...s.rejections] })
  if (text === lastStatus) return
  lastStatus = text
  send({ t: 'status', status: s })
}

let pushing: NodeJS.Timeout | undefined
/** A status push in a moment (coalesced): what the event changed is stored by then. */
function soon (): void {
  pushing ??= setTimeout(() => { pushing = undefined; pushStatus() }, 1)
}

function sentStatus (): NodeStatus | undefined {
  if (node === undefined) return undefined
  const s = status()
  lastStatus = JSON.stringify({ ...s, rssMb: 0, rejected: [...s.rejected], rejections: [...s.rejections] })
  return s
}

async function startNode (i: NodeInit): Promise<void> {
  init = i
  clock = new ClockMirror(i.clockStart)
  links = new LinkShaper(`${i.seed}/${i.federationId}`)
  // Watched from the start: the bootstrap fault reads it right after a call, before a watch it sent could be answered.
  for (const path of [['directory', 'status']]) watches.set(watchKey(path, []), { path, args: [] })
  const identity = await seededIdentity(i.seed, i.federationId, i.country)
  const config = simNodeConfig({ federationId: i.federationId, country: i.country, dataDir: i.dataDir, listen: i.listen, settings: i.settings, baseDir: i.baseDir })
  node = await createNode(config, { clock, logger: new ForwardLogger(), identity, roster: [i.genesis], ...simNodeOverrides(i.settings) })
  await node.start()
  node.libp2p!.addEventListener('connection:open', (evt) => {
    if (cut.has(evt.detail.remotePeer.toString())) {
      send({ t: 'counter', name: 'abortedConnections', n: 1 })
      evt.detail.abort(new Error('simulated network partition'))
      return
    }
    const remote = i.countryOf[evt.detail.remotePeer.toString()]
    if (remote !== undefined) links!.attach(i.country, remote, evt.detail)
  })
  setInterval(pushStatus, 50).unref()
  // What changes the outbox sends the status at once (the run waits for it to call a step quiet).
  for (const [target, type] of [[node.messaging, 'delivered'], [node.messaging, 'failed'], [node.messaging, 'received'], [node.requests, 'changed'], [node.alerts, 'changed']] as const) {
    target.addEventListener(type, soon)
  }
  send({ t: 'ready', pid: process.pid, netns: netnsId(), peerId: identity.peerId, status: sentStatus()! })
}

async function startBootstrap (i: BootstrapInit): Promise<void> {
  const identity = await seededIdentity(i.seed, i.federationId, 'bootstrap')
  await mkdir(i.dataDir, { recursive: true })
  await saveIdentity(join(i.dataDir, KEY_FILE), identity).catch((err: NodeJS.ErrnoException) => { if (err.code !== 'EEXIST') throw err })
  boot = createBootstrapNode({ dataDir: i.dataDir, listen: [i.listen], federationId: i.federationId, roster: [i.genesis], singleHost: true, logger: new ForwardLogger(['bootstrap']) })
  await boot.start()
  send({ t: 'ready', pid: process.pid, netns: netnsId(), peerId: identity.peerId })
}

async function call (path: readonly string[], args: readonly unknown[], callbacks: readonly number[]): Promise<unknown> {
  const { target, value } = resolvePath(path)
  if (typeof value !== 'function') throw new Error(`${path.join('.')} is not a method of the node`)
  const a = args.map((x, k) => callbacks.includes(k) ? async () => undefined : x)
  const out = (value as (...a: unknown[]) => unknown).apply(target, a)
  if (out !== null && typeof out === 'object' && Symbol.asyncIterator in out) {
    const items: unknown[] = []
    for await (const x of out as AsyncIterable<unknown>) items.push(toWire(x))
    return items
  }
  return toWire(await out)
}

/** What harness.ts `forge` does, from this member. */
async function forge (other: string, now: number): Promise<string[]> {
  const n = node!
  if (n.broadcastGossip === undefined) return []
  const own = await seededIdentity(init!.seed, init!.federationId, init!.country)
  const stranger = identityFrom(await generateKeyPairFromSeed('Ed25519', new Uint8Array(createHash('sha256').update(`stranger/${now}`).digest())))
  const ids: string[] = []
  const alertId = (k: number): string => createHash('sha256').update(`forged/${init!.country}/${now}/${k}`).digest('base64url').slice(0, 22)
  for (const [k, signer] of [stranger.signer, own.signer].entries()) {
    const env = signEnvelope({
      kind: ALERT_KIND, from: other, to: ['*'], fromAuthority: 'forged',
      body: { alert: alertId(k), action: 'issue', area: 'professional-qualifications', type: 'professional-ban', addressed: ['*'] },
      personalData: { content: { description: 'forged', concerned: { name: 'Nobody' } } } as unknown as Json
    }, { federationId: init!.federationId, signer, crypto: nodeCrypto, now, randomBytes: (b) => new Uint8Array(randomBytes(b)) })
    await n.libp2p!.services.pubsub.publish(n.broadcastGossip.topic, encodeWire(env.wire)).catch(() => {})
    ids.push(env.hdr.id)
  }
  return ids
}

function answer (id: number, p: Promise<unknown>): void {
  p.then(
    (value) => { send({ t: 'result', id, ok: true, value, ...(node === undefined ? {} : { status: sentStatus()! }) }) },
    (err: unknown) => { send({ t: 'result', id, ok: false, error: wireError(err), ...(node === undefined ? {} : { status: sentStatus()! }) }) }
  )
}

process.on('disconnect', () => { process.exit(0) })
process.on('message', (m: ToChild) => {
  switch (m.t) {
    case 'init':
      (m.init.role === 'node' ? startNode(m.init) : startBootstrap(m.init)).catch((err: unknown) => {
        send({ t: 'failed', error: wireError(err) })
        setTimeout(() => process.exit(1), 100)
      })
      return
    case 'advance':
      clock?.follow(m.now)
      send({ t: 'advanced', now: m.now, status: sentStatus()! })
      return
    case 'call':
      answer(m.id, call(m.path, m.args, m.callbacks))
      return
    case 'watch':
      watches.set(m.key, { path: m.path, args: m.args })
      return
    case 'on': {
      const { value } = resolvePath(m.path)
      ;(value as EventTarget).addEventListener(m.type, (evt) => {
        send({ t: 'event', path: m.path, type: m.type, detail: toWire((evt as CustomEvent).detail) })
      })
      return
    }
    case 'cut': {
      cut = new Set(m.peers)
      let closed = 0
      for (const conn of node?.libp2p?.getConnections() ?? []) {
        if (cut.has(conn.remotePeer.toString())) { closed++; conn.abort(new Error('simulated network partition')) }
      }
      answer(m.id, Promise.resolve(closed))
      return
    }
    case 'links':
      links?.clear()
      for (const [from, to, rule] of m.rules) {
        // LinkShaper.set is symmetric; only this node's direction is read here.
        links?.set([from], [to], rule)
      }
      for (const conn of node?.libp2p?.getConnections() ?? []) {
        const remote = init?.countryOf[conn.remotePeer.toString()]
        if (remote !== undefined) links?.attach(init!.country, remote, conn)
      }
      return
    case 'forge':
      answer(m.id, forge(m.other, m.now))
      return
    case 'stop':
      answer(m.id, (async () => {
        await node?.stop()
        await boot?.stop()
        node = undefined
        boot = undefined
        setTimeout(() => process.exit(0), 20)
        return true
      })())
  }
})
