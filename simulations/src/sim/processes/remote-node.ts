/**
 * The parent's side of a node's process: spawns agent.ts (in a network namespace with
 * `--netns`), and gives the harness an object it uses as it uses an ImiNode in one
 * process (`fed.node(c)` in run.ts and faults.ts):
 * - a method call by path (`node.requests.send(...)`, `node.alerts.issue(...)`) is sent
 *   to the child and its result comes back structured-cloned, as a promise;
 * - an async generator (`for await (... of node.requests.log.records())`) is iterated in
 *   the child and comes back as a whole;
 * - a callback argument (`node.requests.log.exclusive(id, fn)`) runs in the parent once
 *   the call returned in the child: for `exclusive`, after the request's lock was taken
 *   and released there, so a replay running when it was called has finished;
 * - `addEventListener` on any part of the node subscribes to the child's events;
 * - what the harness reads synchronously (the outbox, rejection counts, the gossip
 *   topic and its subscribers, `directory.published`, `directory.authority(...)`,
 *   `directory.status()`) comes from the status the
 *   child mirrors after every call, every clock advance and every change (at most 50 ms
 *   late; the first read of a watched call answers undefined until the child answers).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ImiNode, Logger } from '@imi/node'
import { ClockLink } from './clock-mirror.js'
import { fromWireError, watchKey, type BootstrapInit, type FromChild, type NodeInit, type NodeStatus, type ToChild } from './ipc.js'

const AGENT = fileURLToPath(new URL('./agent.ts', import.meta.url))
/** The repository root: where tsx and the workspace packages resolve from. */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

/** What the harness records of each process it started. */
export interface ChildRecord {
  readonly federation: string
  readonly name: string
  readonly pid: number
  /** The network namespace the process ran in, as /proc/<pid>/ns/net names it (`net:[inode]`). */
  readonly netns: string
  /** The namespace's name with --netns. */
  readonly namespace?: string
  peakRssMb: number
}

/**
 * Properties read synchronously, answered from the status. Any other property read gives
 * a proxy (always truthy): a new synchronous read in the driver must be added here.
 */
const SYNC_PROPS = new Set(['broadcaster.rejected', 'directory.rejections', 'broadcastGossip', 'directory.published'])
const SYNC_CALLS = new Set(['messaging.outboxSummary', 'messaging.outboxDepth', 'libp2p.services.pubsub.getSubscribers'])
/** Synchronous calls answered from the child's watched results. */
const WATCHED_CALLS = new Set(['directory.authority', 'directory.status'])

export class RemoteProcess {
  private readonly child: ChildProcess
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (v: unknown) => void, reject: (e: Error) => void }>()
  private readonly listeners = new Map<string, Array<(evt: { detail: unknown }) => void>>()
  private readonly watchesSent = new Set<string>()
  status: NodeStatus | undefined
  readonly clock: ClockLink
  private exited = false
  readonly exit: Promise<number | null>
  record: ChildRecord | undefined
  /** Called on each connection the child aborted across a partition, and with what its link shaping counted since the last status. */
  onCounter: (name: 'abortedConnections' | 'shapedConnections' | 'delayedWrites' | 'lostWrites', n: number) => void = () => {}
  private readyWait: { resolve: (m: Extract<FromChild, { t: 'ready' }>) => void, reject: (e: Error) => void } | undefined

  constructor (readonly name: string, private readonly logger: Logger, namespace?: string) {
    const args = ['--import', 'tsx', AGENT]
    const opts = { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] as Array<'ignore' | 'inherit' | 'ipc'>, serialization: 'advanced' as const }
    this.child = namespace === undefined
      ? spawn(process.execPath, args, opts)
      : spawn('ip', ['netns', 'exec', namespace, process.execPath, ...args], opts)
    this.clock = new ClockLink((now) => this.post({ t: 'advance', now }))
    this.exit = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        this.exited = true
        this.clock.gone()
        const err = Object.assign(new Error(`the process of ${name} exited (${code})`), { code: 'node-process-exited' })
        for (const p of this.pending.values()) p.reject(err)
        this.pending.clear()
        this.readyWait?.reject(err)
        resolve(code)
      })
    })
    this.child.on('error', (err) => { this.readyWait?.reject(err) })
    this.child.on('message', (m: FromChild) => { this.receive(m) })
  }

  get pid (): number | undefined { return this.child.pid }
  get alive (): boolean { return !this.exited }

  post (m: ToChild): boolean {
    if (this.exited || !this.child.connected) return false
    this.child.send(m)
    return true
  }

  /** Sends `init`; resolves when the node (or bootstrap node) runs. */
  async start (init: NodeInit | BootstrapInit): Promise<Extract<FromChild, { t: 'ready' }>> {
    const ready = new Promise<Extract<FromChild, { t: 'ready' }>>((resolve, reject) => { this.readyWait = { resolve, reject } })
    this.post({ t: 'init', init })
    const m = await ready
    this.readyWait = undefined
    return m
  }

  private receive (m: FromChild): void {
    switch (m.t) {
      case 'ready':
        if (m.status !== undefined) this.setStatus(m.status)
        this.readyWait?.resolve(m)
        return
      case 'failed':
        this.readyWait?.reject(fromWireError(m.error))
        return
      case 'advanced':
        this.setStatus(m.status)
        this.clock.answered()
        return
      case 'status':
        this.setStatus(m.status)
        return
      case 'result': {
        if (m.status !== undefined) this.setStatus(m.status)
        const p = this.pending.get(m.id)
        if (p === undefined) return
        this.pending.delete(m.id)
        if (m.ok) p.resolve(m.value)
        else p.reject(fromWireError(m.error!))
        return
      }
      case 'event':
        for (const fn of this.listeners.get(`${m.path.join('.')}|${m.type}`) ?? []) {
          try { fn({ detail: m.detail }) } catch { /* a listener's error is the listener's */ }
        }
        return
      case 'log': {
        let l = this.logger
        for (const c of m.component) l = l.child(c)
        l[m.level](m.msg, m.fields as Parameters<Logger['warn']>[1])
        return
      }
      case 'counter':
        this.onCounter(m.name, m.n)
    }
  }

  private setStatus (s: NodeStatus): void {
    const before = this.status?.links
    for (const k of ['shapedConnections', 'delayedWrites', 'lostWrites'] as const) {
      const d = s.links[k] - (before?.[k] ?? 0)
      if (d > 0) this.onCounter(k, d)
    }
    this.status = s
    if (this.record !== undefined) this.record.peakRssMb = Math.max(this.record.peakRssMb, s.rssMb)
  }

  /**
   * Resolves when a call may go to the child: the federation sets it to wait until every
   * process ran its timers of the last clock advance, so what the call sends never reaches
   * a process whose clock is still behind (it would refuse it as from the future).
   */
  gate: () => Promise<void> = async () => {}

  /** A request to the child that answers with `result`. */
  async request (make: (id: number) => ToChild): Promise<unknown> {
    await this.gate()
    const id = this.nextId++
    const p = new Promise<unknown>((resolve, reject) => { this.pending.set(id, { resolve, reject }) })
    if (!this.post(make(id))) {
      this.pending.delete(id)
      throw Object.assign(new Error(`the process of ${this.name} is not running`), { code: 'node-process-exited' })
    }
    return await p
  }

  on (path: readonly string[], type: string, fn: (evt: { detail: unknown }) => void): void {
    const key = `${path.join('.')}|${type}`
    const list = this.listeners.get(key)
    if (list !== undefined) { list.push(fn); return }
    this.listeners.set(key, [fn])
    this.post({ t: 'on', path, type })
  }

  watched (path: readonly string[], args: readonly unknown[]): unknown {
    const key = watchKey(path, args)
    if (!this.watchesSent.has(key)) {
      this.watchesSent.add(key)
      this.post({ t: 'watch', key, path, args })
    }
    return this.status?.watched[key]
  }

  /** Stops the node and waits for the process to end (killed after 20 s). */
  async stop (): Promise<void> {
    if (this.exited) return
    const timer = setTimeout(() => { this.child.kill('SIGKILL') }, 20_000)
    await this.request((id) => ({ t: 'stop', id })).catch(() => {})
    await this.exit
    clearTimeout(timer)
  }

  kill (): void { if (!this.exited) this.child.kill('SIGKILL') }

  /** The node, as the harness uses it. */
  node (): ImiNode { return nodeProxy(this, []) as unknown as ImiNode }
}

function nodeProxy (proc: RemoteProcess, path: readonly string[]): unknown {
  const key = path.join('.')
  // A function target, so that a path can be called.
  return new Proxy(function remote () {}, {
    get (_t, prop) {
      if (typeof prop === 'symbol' || prop === 'then') return undefined
      const next = [...path, prop]
      const nextKey = next.join('.')
      if (SYNC_PROPS.has(nextKey)) {
        const s = proc.status
        if (nextKey === 'broadcaster.rejected') return s?.rejected ?? new Map()
        if (nextKey === 'directory.rejections') return s?.rejections ?? new Map()
        if (nextKey === 'directory.published') return s?.published ?? false
        return s?.topic === undefined ? undefined : { topic: s.topic }
      }
      return nodeProxy(proc, next)
    },
    apply (_t, _this, args: unknown[]) {
      const s = proc.status
      if (SYNC_CALLS.has(key)) {
        if (key === 'messaging.outboxSummary') return s?.outboxSummary ?? []
        if (key === 'messaging.outboxDepth') return s?.outboxDepth ?? 0
        return Array.from({ length: s?.subscribers ?? 0 }, (_, i) => `subscriber-${i}`)
      }
      if (WATCHED_CALLS.has(key)) return proc.watched(path, args) ?? (key === 'directory.status' ? [] : undefined)
      const last = path.at(-1)
      if (last === 'addEventListener') {
        proc.on(path.slice(0, -1), args[0] as string, args[1] as (evt: { detail: unknown }) => void)
        return undefined
      }
      if (last === 'removeEventListener') return undefined
      const callbacks: number[] = []
      const sent = args.map((a, i) => { if (typeof a === 'function') { callbacks.push(i); return null } return a })
      const result = (async () => {
        const value = await proc.request((id) => ({ t: 'call', id, path, args: sent, callbacks }))
        // Callbacks run here, once the call returned in the child (see above); the last one's result is the call's.
        let out = value
        for (const i of callbacks) out = await (args[i] as () => unknown)()
        return out
      })()
      // An async generator in the child: iterated there, its items come back together.
      return Object.assign(result, {
        [Symbol.asyncIterator]: async function * () { yield * (await result) as unknown[] }
      })
    }
  })
}
