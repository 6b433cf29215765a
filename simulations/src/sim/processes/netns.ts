/**
 * Network namespaces standing in for separate hosts (`--processes --netns`): one
 * namespace per node, each with one interface (`eth0`, one end of a veth pair) and an
 * address in 10.77.0.0/16; the other ends are on a bridge (`br0`) in a namespace of its
 * own, so the nodes talk across a real (virtual) Ethernet segment and nothing is added
 * to the host's own network. Needs root and iproute2 (`ip`, `tc`).
 *
 * Names: `imisim-<pid of the harness>-<federation>-<node index>` and `...-br` for the
 * bridge. Removed at the end of the run, on failure, on SIGINT/SIGTERM and at exit; a
 * run that was killed outright (SIGKILL) leaves them, and the next run removes every
 * `imisim-` namespace whose harness process is gone before it creates its own. Deleting
 * a namespace deletes its end of each veth pair, and with it the other end.
 *
 * Latency and loss with `--netem` (`shape`): `tc netem` on the sending node's eth0, per destination
 * address: a prio qdisc whose extra bands each carry a netem (one per distinct rule),
 * u32 filters sending the packets for a peer's address to its band. Each direction is
 * shaped on its sending end, as links.ts delays each direction on its sending end.
 */
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import type { LinkRule } from '../links.js'

const run = promisify(execFile)
export const NETNS_PREFIX = 'imisim-'
/** Every node listens on this port, on its own address. */
export const NETNS_PORT = 4001

/** Networks not yet destroyed, for the exit and signal handlers. */
const live = new Set<NetnsNetwork>()
let handlersInstalled = false

function installHandlers (): void {
  if (handlersInstalled) return
  handlersInstalled = true
  process.once('exit', () => { for (const n of live) n.destroySync() })
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      for (const n of live) n.destroySync()
      process.exit(sig === 'SIGINT' ? 130 : 143)
    })
  }
}

async function ip (...args: string[]): Promise<void> {
  try {
    await run('ip', args)
  } catch (err) {
    throw new Error(`ip ${args.join(' ')}: ${((err as { stderr?: string }).stderr ?? (err as Error).message).trim()}`)
  }
}

/** Names of the namespaces on this machine. */
export function namespaces (): string[] {
  const out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
  return out.split('\n').map((l) => l.trim().split(' ')[0]!).filter((n) => n !== '')
}

const alive = (pid: number): boolean => {
  try { process.kill(pid, 0); return true } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM' }
}

/** Removes what runs killed outright left: `imisim-` namespaces whose harness process is gone. Returns their names. */
export function cleanStale (): string[] {
  const removed: string[] = []
  for (const n of namespaces()) {
    if (!n.startsWith(NETNS_PREFIX)) continue
    const pid = Number(n.slice(NETNS_PREFIX.length).split('-')[0])
    if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) continue
    if (pid === process.pid) continue
    try { execFileSync('ip', ['netns', 'del', n], { stdio: 'ignore' }) } catch { /* gone meanwhile */ }
    removed.push(n)
  }
  return removed
}

/** What the mode needs, or why it cannot run here. */
export function netnsProblem (): string | undefined {
  if (process.getuid?.() !== 0) return `--netns needs root (creating network namespaces, veth pairs and a bridge); this process runs as uid ${process.getuid?.() ?? '?'}`
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' })
    execFileSync('tc', ['-V'], { stdio: 'ignore' })
  } catch (err) {
    return `--netns needs iproute2 (ip and tc): ${(err as Error).message}`
  }
  return undefined
}

export class NetnsNetwork {
  private readonly index = new Map<string, number>()
  private destroyed = false
  private readonly created: string[] = []

  private constructor (readonly tag: string, names: readonly string[]) {
    names.forEach((n, i) => this.index.set(n, i))
  }

  /** One namespace per name, on one bridge. Cleans stale namespaces first. */
  static async create (tag: string, names: readonly string[]): Promise<NetnsNetwork> {
    const problem = netnsProblem()
    if (problem !== undefined) throw new Error(problem)
    if (names.length > 60_000) throw new Error('too many nodes for 10.77.0.0/16')
    cleanStale()
    installHandlers()
    const net = new NetnsNetwork(tag, names)
    live.add(net)
    try {
      const br = net.bridgeNamespace
      await ip('netns', 'add', br)
      net.created.push(br)
      await ip('-n', br, 'link', 'add', 'br0', 'type', 'bridge')
      await ip('-n', br, 'link', 'set', 'br0', 'up')
      for (const name of names) {
        const ns = net.namespace(name)
        const i = net.index.get(name)!
        await ip('netns', 'add', ns)
        net.created.push(ns)
        await ip('-n', br, 'link', 'add', `vb${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns)
        await ip('-n', br, 'link', 'set', `vb${i}`, 'master', 'br0', 'up')
        await ip('-n', ns, 'addr', 'add', `${net.address(name)}/16`, 'dev', 'eth0')
        await ip('-n', ns, 'link', 'set', 'eth0', 'up')
        await ip('-n', ns, 'link', 'set', 'lo', 'up')
      }
    } catch (err) {
      net.destroySync()
      throw err
    }
    return net
  }

  get bridgeNamespace (): string { return `${NETNS_PREFIX}${process.pid}-${this.tag}-br` }

  namespace (name: string): string {
    const i = this.index.get(name)
    if (i === undefined) throw new Error(`no namespace for ${name}`)
    return `${NETNS_PREFIX}${process.pid}-${this.tag}-${i}`
  }

  address (name: string): string {
    const n = this.index.get(name)! + 10
    return `10.77.${n >> 8}.${n & 255}`
  }

  /** The namespaces this network made (those still there). */
  get names (): readonly string[] { return this.created }

  /** Latency and loss from `name` to each peer (others unshaped): rebuilds the node's qdisc. */
  shape (name: string, rules: ReadonlyMap<string, LinkRule>): void {
    const ns = this.namespace(name)
    const tc = (...args: string[]): void => { execFileSync('ip', ['netns', 'exec', ns, 'tc', ...args], { stdio: ['ignore', 'ignore', 'pipe'] }) }
    try { tc('qdisc', 'del', 'dev', 'eth0', 'root') } catch { /* none yet */ }
    if (rules.size === 0) return
    const distinct = [...new Set([...rules.values()].map((r) => JSON.stringify(r)))]
    if (distinct.length > 13) throw new Error(`${name}: more than 13 different link rules`)
    // Bands 1-3 as pfifo_fast's; bands 4.. only through the filters below.
    tc('qdisc', 'add', 'dev', 'eth0', 'root', 'handle', '1:', 'prio', 'bands', String(3 + distinct.length), 'priomap', ...'1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1'.split(' '))
    distinct.forEach((text, k) => {
      const r = JSON.parse(text) as LinkRule
      // links.ts adds [0, jitter) to the latency; netem varies around its delay: the same mean and range.
      const netem = ['delay', `${r.latencyMs + r.jitterMs / 2}ms`, ...(r.jitterMs > 0 ? [`${r.jitterMs / 2}ms`, 'distribution', 'uniform'] : []), ...(r.loss > 0 ? ['loss', `${r.loss * 100}%`] : [])]
      tc('qdisc', 'add', 'dev', 'eth0', 'parent', `1:${4 + k}`, 'handle', `${40 + k}:`, 'netem', ...netem)
    })
    for (const [peer, r] of rules) {
      const k = distinct.indexOf(JSON.stringify(r))
      tc('filter', 'add', 'dev', 'eth0', 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32', 'match', 'ip', 'dst', `${this.address(peer)}/32`, 'flowid', `1:${4 + k}`)
    }
  }

  /** Why `shape` cannot work on this kernel (no netem or prio qdisc), or undefined: tried on the bridge's first port. */
  netemProblem (): string | undefined {
    const br = this.bridgeNamespace
    const tc = (...args: string[]): void => { execFileSync('ip', ['netns', 'exec', br, 'tc', ...args], { stdio: ['ignore', 'ignore', 'pipe'] }) }
    try {
      tc('qdisc', 'add', 'dev', 'vb0', 'root', 'handle', '1:', 'prio', 'bands', '4')
      tc('qdisc', 'add', 'dev', 'vb0', 'parent', '1:4', 'handle', '40:', 'netem', 'delay', '1ms')
      return undefined
    } catch (err) {
      return `--netem: this kernel cannot shape with tc netem (${String((err as { stderr?: Buffer }).stderr ?? (err as Error).message).trim()}); it needs the sch_prio and sch_netem qdiscs. Without --netem, latency and loss are shaped in each node's process`
    } finally {
      try { tc('qdisc', 'del', 'dev', 'vb0', 'root') } catch { /* none added */ }
    }
  }

  /** Removes every namespace (with their interfaces and the bridge). */
  async destroy (): Promise<void> {
    if (this.destroyed) return
    this.destroyed = true
    live.delete(this)
    for (const ns of this.created.splice(0).reverse()) await ip('netns', 'del', ns).catch(() => {})
  }

  destroySync (): void {
    if (this.destroyed) return
    this.destroyed = true
    live.delete(this)
    for (const ns of this.created.splice(0).reverse()) {
      try { execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' }) } catch { /* already gone */ }
    }
  }
}
