/**
 * `imi diagnose`: every dependency a node needs, each judged green, yellow or red with one
 * line saying why: the files its configuration names, the roster and this node's key in
 * it, the running node, its outbox, the other members and the bootstrap nodes (a TCP
 * connect to each roster address), the SMTP server when mail is on, the clock, the data
 * folder's disk and the directory's freshness. Red fails the command (exit 1); yellow is a warning (exit 0).
 *
 * `--export <file>` also writes the diagnosis with the facts support asks for first:
 * versions, the configuration (it holds file paths, never the key or the token), the
 * node's status, outbox summary, roster (public to the federation) and directory ages.
 * Never a message body, never personal data.
 *
 * What the node does not say about itself is not guessed: the clock skew against peers
 * is estimated from received messages (receipt time minus signed creation time) and is
 * reported as not measured when there are none; peers do not serve a clock.
 */
import { execFile } from 'node:child_process'
import { access, readFile, rename, stat, statfs as fsStatfs, writeFile } from 'node:fs/promises'
import { connect, isIP } from 'node:net'
import { dirname, join } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { MAX_CLOCK_SKEW_MS, Roster, payloadDocument, type SignedRoster } from '@imi/protocol'
import { readApiToken } from '../api/index.js'
import type { NodeConfig } from '../config.js'
import { nodeCrypto } from '../crypto.js'
import { loadIdentity, type NodeIdentity } from '../identity.js'
import { INSTALL_ROOT } from '../install-root.js'
import type { NodeStatus } from '../node.js'
import type { OutboxEntry } from '../services/messaging/records.js'
import { Bucket } from '../storage/index.js'
import { apiBaseUrl, apiGet, NoAnswerError } from './api-client.js'
import { CommandFailure } from './errors.js'
import { rosterFromFile, withStoredState } from './local-files.js'

export type Level = 'green' | 'yellow' | 'red'

export interface Check {
  readonly name: string
  readonly level: Level
  /** One line: what was found and, when not green, what to do. */
  readonly detail: string
}

export interface Diagnosis {
  readonly at: number
  readonly overall: Level
  readonly checks: readonly Check[]
}

/** What fs.statfs answers, as much of it as the disk check reads. */
export interface DiskFigures {
  readonly bsize: number | bigint
  readonly blocks: number | bigint
  readonly bavail: number | bigint
}

export interface DiagnoseOptions {
  /** Write the diagnosis and the support facts to this file as JSON. */
  readonly exportFile?: string
  readonly now?: () => number
  /** fs.statfs by default; tests force a full disk. */
  readonly statfs?: (path: string) => Promise<DiskFigures>
  /** A TCP connect: undefined when it connected, else the reason it did not. */
  readonly probe?: (host: string, port: number, timeoutMs: number) => Promise<string | undefined>
  /** Whether the system clock is NTP-synchronised; undefined when nothing can tell. */
  readonly clockSynchronised?: () => Promise<boolean | undefined>
  /** Per TCP probe. Default 3 s. */
  readonly probeTimeoutMs?: number
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const GIB = 1024 ** 3
/** A key whose validity ends sooner than this is a warning: rotating it takes a roster round. */
export const KEY_WARNING_MS = 30 * DAY
const OUTBOX_YELLOW_MS = HOUR
const OUTBOX_RED_MS = DAY
const DISK_RED_BYTES = GIB
const DISK_YELLOW_FRACTION = 0.1
/** Received messages younger than this are compared with the local clock. */
const CLOCK_SAMPLE_WINDOW_MS = 7 * DAY
const CLOCK_YELLOW_MS = MINUTE
/** Envelopes dated more than MAX_CLOCK_SKEW_MS ahead are refused: warn well before. */
const CLOCK_RED_MS = MAX_CLOCK_SKEW_MS - MINUTE
/** Arrivals this late could be a clock behind, or a message that waited in an outbox. */
const CLOCK_LATE_MS = MAX_CLOCK_SKEW_MS

const RANK: Record<Level, number> = { green: 0, yellow: 1, red: 2 }
const worst = (levels: readonly Level[]): Level => levels.reduce<Level>((a, b) => (RANK[b] > RANK[a] ? b : a), 'green')

const iso = (ms: number): string => new Date(ms).toISOString()
function ago (ms: number): string {
  if (ms < 2 * MINUTE) return `${Math.round(ms / 1000)} s`
  if (ms < 2 * HOUR) return `${Math.round(ms / MINUTE)} min`
  if (ms < 2 * DAY) return `${(ms / HOUR).toFixed(1)} h`
  return `${(ms / DAY).toFixed(1)} days`
}
const gib = (bytes: number): string => `${(bytes / GIB).toFixed(1)} GiB`
const message = (err: unknown): string => ((err as Error).message ?? String(err)).replace(/^error: /, '')

// ---------------------------------------------------------------------------------------
// Probes of the outside world, replaceable in tests.

/** Loopback, RFC 1918, link-local and unique-local addresses; a DNS name counts as public. */
export function isPrivateHost (host: string): boolean {
  if (isIP(host) === 4) {
    const [a = 0, b = 0] = host.split('.').map(Number)
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)
  }
  if (isIP(host) === 6) return /^(::1$|f[cd]|fe[89ab])/i.test(host)
  return false
}

/** A TCP connect to host:port; resolves with the reason it failed, or undefined. */
export async function tcpProbe (host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return await new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (reason?: string): void => { socket.destroy(); resolve(reason) }
    socket.setTimeout(timeoutMs, () => { done(`no answer within ${timeoutMs / 1000} s`) })
    socket.once('connect', () => { done() })
    socket.once('error', (err: NodeJS.ErrnoException) => { done(err.code ?? err.message) })
  })
}

/** systemd's view of NTP (timedatectl); undefined where there is no systemd to ask. */
async function timedatectl (): Promise<boolean | undefined> {
  return await new Promise((resolve) => {
    execFile('timedatectl', ['show', '--property=NTPSynchronized', '--value'], { timeout: 2000 }, (err, stdout) => {
      if (err !== null) { resolve(undefined); return }
      const v = stdout.trim()
      resolve(v === 'yes' ? true : v === 'no' ? false : undefined)
    })
  })
}

/** Host and port of a TCP multiaddr (ip4, ip6, dns, dns4, dns6); undefined for others. */
export function tcpTarget (address: string): { host: string, port: number } | undefined {
  try {
    const parts = multiaddr(address).getComponents()
    const host = parts.find((c) => ['ip4', 'ip6', 'dns', 'dns4', 'dns6'].includes(c.name))?.value
    const port = Number(parts.find((c) => c.name === 'tcp')?.value)
    if (host === undefined || !Number.isInteger(port) || port < 1 || port > 65535) return undefined
    if (host === '0.0.0.0' || host === '::') return undefined
    return { host, port }
  } catch {
    return undefined
  }
}

/** The first of `addresses` that accepts a TCP connection, or why none did. */
async function reach (addresses: readonly string[], probe: NonNullable<DiagnoseOptions['probe']>, timeoutMs: number): Promise<{ ok: boolean, why: string }> {
  const targets = addresses.map(tcpTarget).filter((t) => t !== undefined)
  if (targets.length === 0) return { ok: false, why: 'no TCP address' }
  const reasons: string[] = []
  for (const t of targets) {
    const reason = await probe(t.host, t.port, timeoutMs)
    if (reason === undefined) return { ok: true, why: `${t.host}:${t.port}` }
    reasons.push(`${t.host}:${t.port} ${reason}`)
  }
  return { ok: false, why: reasons.join(', ') }
}

// ---------------------------------------------------------------------------------------
// What the node says about itself: through its API when it runs, else from its files.

interface OutboxPeer { readonly country: string, readonly pending: number, readonly failures: number, readonly retryAt?: number, readonly oldestQueuedAt?: number }
type StatusAnswer = NodeStatus & { readonly outbox?: readonly OutboxPeer[] }
interface DirectoryAge { readonly country: string, readonly name: string, readonly seq: number, readonly entries: number, readonly ageMs: number, readonly expired: boolean }
interface ReceivedView { readonly from: string, readonly created: number, readonly receiptAt?: number }

interface Live {
  readonly status: StatusAnswer
  readonly roster?: Roster
  readonly rosterError?: string
  readonly directories?: readonly DirectoryAge[]
  readonly directoryError?: string
  readonly received?: readonly ReceivedView[]
}

interface Stored {
  readonly roster?: Roster
  readonly outbox: readonly OutboxPeer[]
}

type NodeState =
  | { readonly kind: 'running', readonly live: Live }
  | { readonly kind: 'stopped', readonly stored?: Stored, readonly storedError?: string, readonly why: string }
  | { readonly kind: 'failing', readonly why: string }

async function settle<T> (p: Promise<T>): Promise<{ value?: T, error?: string }> {
  try { return { value: await p } } catch (err) { return { error: message(err) } }
}

async function observeNode (config: NodeConfig): Promise<NodeState> {
  let status: StatusAnswer
  try {
    status = await apiGet<StatusAnswer>(config, '/status')
  } catch (err) {
    if (!(err instanceof NoAnswerError)) return { kind: 'failing', why: message(err) }
    const stored = await settle(readStoredState(config))
    return { kind: 'stopped', why: message(err), ...(stored.value !== undefined && { stored: stored.value }), ...(stored.error !== undefined && { storedError: stored.error }) }
  }
  const [roster, directories, received] = await Promise.all([
    settle(apiGet<{ signed: SignedRoster }>(config, '/roster').then(({ signed }) => new Roster(signed, payloadDocument(signed), nodeCrypto))),
    settle(apiGet<{ directories: DirectoryAge[] }>(config, '/directory/status').then((r) => r.directories)),
    // Only the times and the sender are kept: bodies are dropped as soon as they arrive.
    settle(apiGet<{ messages: Array<ReceivedView & Record<string, unknown>> }>(config, '/messages?direction=received&limit=200')
      .then((r) => r.messages.map((m) => ({ from: m.from, created: m.created, ...(m.receiptAt !== undefined && { receiptAt: m.receiptAt }) }))))
  ])
  return {
    kind: 'running',
    live: {
      status,
      ...(roster.value !== undefined && { roster: roster.value }),
      ...(roster.error !== undefined && { rosterError: roster.error }),
      ...(directories.value !== undefined && { directories: directories.value }),
      ...(directories.error !== undefined && { directoryError: directories.error }),
      ...(received.value !== undefined && { received: received.value })
    }
  }
}

/** A stopped node's stored roster and outbox; undefined before its first start. */
async function readStoredState (config: NodeConfig): Promise<Stored | undefined> {
  return await withStoredState(config, async (node, hasRoster) => {
    const byPeer = new Map<string, { pending: number, oldest: number }>()
    for await (const [, entry] of node.store.entries<OutboxEntry>(Bucket.outbox)) {
      const p = byPeer.get(entry.to) ?? { pending: 0, oldest: Number.POSITIVE_INFINITY }
      p.pending++
      p.oldest = Math.min(p.oldest, entry.queuedAt)
      byPeer.set(entry.to, p)
    }
    const outbox = [...byPeer].map(([country, p]) => ({ country, pending: p.pending, failures: 0, oldestQueuedAt: p.oldest }))
    return { outbox, ...(hasRoster && { roster: node.roster.current }) }
  })
}

// ---------------------------------------------------------------------------------------
// The checks. Each returns one Check; none throws.

async function checkConfig (config: NodeConfig): Promise<{ check: Check, identity?: NodeIdentity }> {
  const name = 'config'
  let identity: NodeIdentity
  try {
    identity = await loadIdentity(config.keyFile)
    await readApiToken(config.api.tokenFile)
  } catch (err) {
    return { check: { name, level: 'red', detail: `${message(err)}` } }
  }
  const warnings: string[] = []
  for (const [setting, file] of [['keyFile', config.keyFile], ['api.tokenFile', config.api.tokenFile]] as const) {
    const mode = (await stat(file)).mode & 0o777
    if ((mode & 0o077) !== 0) warnings.push(`${setting} ${file} is readable by others (mode ${mode.toString(8)}): chmod 600`)
  }
  if (!/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(config.api.host)) warnings.push(`api.host ${config.api.host} is not loopback: the API speaks plain HTTP, put it behind a TLS proxy on 127.0.0.1`)
  const own = (config.p2p.announce.length > 0 ? config.p2p.announce : config.p2p.listen).map(tcpTarget)
  if (config.p2p.singleHost && own.some((t) => t === undefined || !isPrivateHost(t.host))) {
    warnings.push('p2p.singleHost is on for a node with public addresses: it relaxes per-host connection limits and gossip IP scoring; it is meant for one host or a private network')
  }
  if (!config.storage.sync) warnings.push('storage.sync is off: a power cut can lose messages this node acknowledged')
  const wildcard = config.p2p.listen.every((a) => /^\/ip[46]\/(0\.0\.0\.0|::)\//.test(a))
  if (wildcard && config.p2p.announce.length === 0) warnings.push('p2p.announce is empty and p2p.listen is a wildcard: other members learn this node\'s address from the roster only')
  if (warnings.length > 0) return { check: { name, level: 'yellow', detail: warnings.join('; ') }, identity }
  return { check: { name, level: 'green', detail: `settings valid; ${config.keyFile.split('/').pop()} (peer ${identity.peerId}) and ${config.api.tokenFile.split('/').pop()} readable by their owner only` }, identity }
}

interface RosterFinding { readonly check: Check, readonly roster?: Roster }

async function checkRoster (config: NodeConfig, state: NodeState, identity: NodeIdentity | undefined, now: number): Promise<RosterFinding> {
  const name = 'roster'
  const running = state.kind === 'running'
  const file = await settle(rosterFromFile(config))
  const live = state.kind === 'running' ? state.live.roster : undefined
  const stored = state.kind === 'stopped' ? state.stored?.roster : undefined
  const held = live ?? stored
  // Judged against the newest version known: the file's, when newer, is what the next start applies.
  const fileNewer = file.value !== undefined && (held === undefined || file.value.version > held.version)
  const roster = fileNewer ? file.value : held
  const source = fileNewer ? 'from the roster file' : live !== undefined ? 'from the running node' : 'from the node\'s database'
  if (roster === undefined) {
    const why = file.error ?? `${config.rosterFile} does not exist: put the signed roster chain there (see "Joining a federation")`
    return { check: { name, level: 'red', detail: `no roster: ${why}` } }
  }
  const problems: Array<{ level: Level, text: string }> = []
  // The node reads the file at every start: a broken or missing file stops the next one.
  if (file.error !== undefined) problems.push({ level: running ? 'yellow' : 'red', text: `the next start will fail: ${file.error}` })
  else if (file.value === undefined) problems.push({ level: running ? 'yellow' : 'red', text: `the next start will fail: ${config.rosterFile} does not exist` })
  if (fileNewer && held !== undefined) {
    problems.push({ level: 'yellow', text: `the node ${live !== undefined ? 'runs' : 'stored'} version ${held.version}: ${live !== undefined ? 'apply the file (POST /api/v1/roster) or restart' : 'the next start applies the file'}` })
  }
  const me = roster.member(config.country)
  let mine = ''
  if (me === undefined) {
    problems.push({ level: 'red', text: `${config.country} is not a member in roster version ${roster.version}` })
  } else if (identity !== undefined && me.peerId !== identity.peerId) {
    problems.push({ level: 'red', text: `the roster lists peer ${me.peerId} for ${config.country}, not this node's key (${identity.peerId}): rotated? install the new node.key, then restart` })
  } else {
    const current = roster.currentKey(config.country, now)
    if (current === undefined) {
      problems.push({ level: 'red', text: `no key of ${config.country} is valid now: the node cannot sign` })
    } else if (identity !== undefined && current.kid !== identity.signer.kid) {
      problems.push({ level: 'red', text: `the roster's current key for ${config.country} is ${current.kid}, not this node's ${identity.signer.kid} (rotated? install the new node.key)` })
    } else if (current.notAfter !== undefined && current.notAfter - now < KEY_WARNING_MS) {
      problems.push({ level: 'yellow', text: `this node's key ${current.kid} stops being valid on ${iso(current.notAfter)} (in ${ago(current.notAfter - now)}): rotate it through a roster change` })
    } else {
      mine = current.notAfter === undefined ? 'this node\'s key is current, with no end date' : `this node's key is current until ${iso(current.notAfter)}`
    }
  }
  for (const m of roster.doc.members) {
    if (m.country === config.country) continue
    const k = roster.currentKey(m.country, now)
    if (k === undefined) problems.push({ level: 'yellow', text: `${m.country} has no valid key now: its messages are refused` })
    else if (k.notAfter !== undefined && k.notAfter - now < KEY_WARNING_MS) problems.push({ level: 'yellow', text: `${m.country}'s key ends on ${iso(k.notAfter)}` })
  }
  const addresses = roster.doc.members.flatMap((m) => m.addresses).map(tcpTarget)
  if (!config.p2p.singleHost && addresses.length > 0 && addresses.every((t) => t !== undefined && isPrivateHost(t.host))) {
    problems.push({ level: 'yellow', text: 'every member address is private or loopback and p2p.singleHost is off: the DHT drops private addresses, so the directory cannot be published or fetched (turn p2p.singleHost on)' })
  }
  const head = `version ${roster.version} of ${roster.federationId} (${roster.size} members, ${roster.doc.bootstraps.length} bootstrap(s)) ${source}`
  if (roster.federationId !== config.federationId) problems.push({ level: 'red', text: `the roster is federation ${roster.federationId}, the configuration says ${config.federationId}` })
  const level = worst(problems.map((p) => p.level))
  return { roster, check: { name, level, detail: [head, ...(problems.length > 0 ? problems.map((p) => p.text) : [mine])].join('; ') } }
}

function checkRunning (config: NodeConfig, state: NodeState, identity: NodeIdentity | undefined): Check {
  const name = 'node'
  if (state.kind === 'failing') return { name, level: 'red', detail: state.why }
  if (state.kind === 'stopped') return { name, level: 'red', detail: `${state.why}: start it (imi start, or systemctl start imi-node)` }
  const s = state.live.status
  // Two folders configured with one API port: the answer comes from the other node.
  if (s.country !== config.country || s.federationId !== config.federationId || (identity !== undefined && s.peerId !== '' && s.peerId !== identity.peerId)) {
    return { name, level: 'red', detail: `the API at ${apiBaseUrl(config)} belongs to another node (${s.country} of ${s.federationId}, peer ${s.peerId}): check api.port` }
  }
  if (!s.running) return { name, level: 'yellow', detail: `the API at ${apiBaseUrl(config)} answers but the node is starting or stopping` }
  return { name, level: 'green', detail: `running as peer ${s.peerId}, API on ${apiBaseUrl(config)}, ${s.peers} peers connected, ${s.evidenceEntries} evidence entries` }
}

function checkOutbox (state: NodeState, now: number): Check {
  const name = 'outbox'
  const peers = state.kind === 'running' ? state.live.status.outbox : state.kind === 'stopped' ? state.stored?.outbox ?? [] : undefined
  if (peers === undefined) return { name, level: 'yellow', detail: 'not checked: the node does not answer and its database was not read' }
  if (state.kind === 'stopped' && state.storedError !== undefined) return { name, level: 'yellow', detail: `not checked: ${state.storedError}` }
  if (state.kind === 'stopped' && state.stored === undefined) return { name, level: 'green', detail: 'nothing queued: the node has never run (no database yet)' }
  const waiting = peers.filter((p) => p.pending > 0)
  if (waiting.length === 0) return { name, level: 'green', detail: 'empty: every message sent has its receipt' }
  const total = waiting.reduce((n, p) => n + p.pending, 0)
  const oldest = Math.min(...waiting.map((p) => p.oldestQueuedAt ?? now))
  const age = now - oldest
  const level: Level = age > OUTBOX_RED_MS ? 'red' : age > OUTBOX_YELLOW_MS ? 'yellow' : 'green'
  const per = waiting.sort((a, b) => (a.oldestQueuedAt ?? now) - (b.oldestQueuedAt ?? now)).slice(0, 5)
    .map((p) => `${p.country} ${p.pending}${p.oldestQueuedAt !== undefined ? ` since ${ago(now - p.oldestQueuedAt)}` : ''}${p.failures > 0 ? `, ${p.failures} failed tries` : ''}`)
  const advice = level === 'green' ? '' : ': is that member down? see "When a peer or the bootstrap is unreachable"'
  return { name, level, detail: `${total} message(s) waiting, oldest ${ago(age)} (${per.join('; ')})${state.kind === 'stopped' ? ', node stopped' : ''}${advice}` }
}

async function checkMembers (config: NodeConfig, roster: Roster | undefined, state: NodeState, probe: NonNullable<DiagnoseOptions['probe']>, timeoutMs: number): Promise<Check> {
  const name = 'members'
  if (roster === undefined) return { name, level: 'yellow', detail: 'not checked: no roster' }
  const others = roster.doc.members.filter((m) => m.country !== config.country)
  if (others.length === 0) return { name, level: 'green', detail: 'no other member in the roster' }
  const running = state.kind === 'running'
  const connected = new Set(running ? state.live.status.connectedMembers : [])
  const results = await Promise.all(others.map(async (m) => ({
    m,
    connected: connected.has(m.country),
    tcp: connected.has(m.country) ? { ok: true, why: 'connected' } : m.addresses.length === 0 ? { ok: false, why: 'no address in the roster' } : await reach(m.addresses, probe, timeoutMs)
  })))
  // A running node that holds no connection to a member cannot use it, open port or not.
  const usable = results.filter((r) => running ? r.connected : r.tcp.ok)
  const openButApart = results.filter((r) => running && !r.connected && r.tcp.ok)
  const closed = results.filter((r) => !r.tcp.ok)
  const lines = [
    ...openButApart.map((r) => `${r.m.country}: TCP port open but no libp2p connection (different roster versions or keys? compare imi status on both sides)`),
    ...closed.map((r) => `${r.m.country}: ${r.tcp.why}`)
  ]
  const summary = running ? `connected to ${usable.length} of ${others.length} other members` : `${usable.length} of ${others.length} other members accept TCP connections (the node is not running)`
  const advice = closed.length > 0 ? '; check outbound TCP to their p2p ports, or ask them whether their node runs' : ''
  if (usable.length === 0) return { name, level: 'red', detail: `${summary}: ${lines.join('; ')}${advice}` }
  if (lines.length > 0) return { name, level: 'yellow', detail: `${summary}; ${lines.join('; ')}${advice}` }
  return { name, level: 'green', detail: summary }
}

async function checkBootstraps (config: NodeConfig, roster: Roster | undefined, probe: NonNullable<DiagnoseOptions['probe']>, timeoutMs: number): Promise<Check> {
  const name = 'bootstrap'
  const entries = new Map<string, string[]>()
  for (const b of roster?.doc.bootstraps ?? []) entries.set(b.peerId, [...b.addresses])
  for (const a of config.p2p.bootstrap) {
    const at = a.lastIndexOf('/p2p/')
    const peer = a.slice(at + 5)
    entries.set(peer, [...(entries.get(peer) ?? []), a.slice(0, at)])
  }
  if (entries.size === 0) return { name, level: roster === undefined ? 'yellow' : 'green', detail: roster === undefined ? 'not checked: no roster' : 'no bootstrap node in the roster: members dial each other from roster addresses' }
  const results = await Promise.all([...entries].map(async ([peer, addrs]) => ({ peer, r: await reach(addrs, probe, timeoutMs) })))
  const down = results.filter((x) => !x.r.ok)
  const short = (peer: string): string => `${peer.slice(0, 8)}…${peer.slice(-6)}`
  if (down.length === 0) return { name, level: 'green', detail: `${results.length} of ${results.length} bootstrap(s) accept TCP connections (${results.map((x) => x.r.why).join(', ')})` }
  const list = down.map((x) => `${short(x.peer)} ${x.r.why}`).join('; ')
  if (down.length === results.length) return { name, level: 'red', detail: `no bootstrap answers (${list}): members still meet from roster addresses, but check outbound TCP and tell the bootstrap operator` }
  return { name, level: 'yellow', detail: `${results.length - down.length} of ${results.length} bootstraps answer; down: ${list}` }
}

async function checkMail (config: NodeConfig, probe: NonNullable<DiagnoseOptions['probe']>, timeoutMs: number): Promise<Check> {
  const name = 'mail'
  const mail = config.mail
  if (!mail.enabled) return { name, level: 'green', detail: 'off (mail.enabled is false)' }
  const problems: Array<{ level: Level, text: string }> = []
  if ((mail.user === undefined) !== (mail.passwordFile === undefined)) problems.push({ level: 'yellow', text: 'mail.user and mail.passwordFile go together: with one alone, mail is sent without authentication' })
  if (mail.passwordFile !== undefined) {
    try {
      const mode = (await stat(mail.passwordFile)).mode & 0o777
      await readFile(mail.passwordFile)
      if ((mode & 0o077) !== 0) problems.push({ level: 'yellow', text: `mail.passwordFile ${mail.passwordFile} is readable by others (mode ${mode.toString(8)}): chmod 600` })
    } catch (err) {
      problems.push({ level: 'red', text: `mail.passwordFile ${mail.passwordFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? message(err)}): the node will not start` })
    }
  }
  if (mail.publicUrl.startsWith('http://') && !/^http:\/\/(127\.|\[::1\]|localhost)/.test(mail.publicUrl)) problems.push({ level: 'yellow', text: `mail.publicUrl ${mail.publicUrl} is plain http: links in e-mails should be https` })
  const reason = await probe(mail.host, mail.port, timeoutMs)
  if (reason !== undefined) problems.push({ level: 'red', text: `SMTP server ${mail.host}:${mail.port}: ${reason}` })
  const head = `SMTP server ${mail.host}:${mail.port} (${mail.secure ? 'TLS' : 'STARTTLS when offered'})`
  if (problems.length === 0) return { name, level: 'green', detail: `${head} accepts TCP connections` }
  return { name, level: worst(problems.map((p) => p.level)), detail: problems.map((p) => p.text).join('; ') }
}

async function checkClock (state: NodeState, now: number, synchronised: () => Promise<boolean | undefined>): Promise<Check> {
  const name = 'clock'
  const ntp = await synchronised()
  const ntpText = ntp === true ? 'system clock NTP-synchronised (timedatectl)' : ntp === false ? 'system clock NOT NTP-synchronised (timedatectl): enable NTP' : 'no NTP status available (no timedatectl): make sure NTP or chrony runs'
  const received = state.kind === 'running' ? state.live.received ?? [] : []
  // Per sender, the smallest (receipt time - signed time): transit plus the clocks' offset.
  const offsets = new Map<string, { min: number, n: number }>()
  for (const m of received) {
    if (m.receiptAt === undefined || now - m.receiptAt > CLOCK_SAMPLE_WINDOW_MS) continue
    const o = offsets.get(m.from) ?? { min: Number.POSITIVE_INFINITY, n: 0 }
    o.min = Math.min(o.min, m.receiptAt - m.created)
    o.n++
    offsets.set(m.from, o)
  }
  if (offsets.size === 0) {
    const scope = state.kind === 'running' ? 'no message received in the last 7 days to compare with' : 'the node is not running'
    return { name, level: ntp === true ? 'green' : 'yellow', detail: `skew against peers not measured (${scope}); ${ntpText}` }
  }
  const findings: Array<{ level: Level, text: string }> = []
  for (const [from, o] of offsets) {
    if (o.min < -CLOCK_RED_MS) findings.push({ level: 'red', text: `${from} signs ${ago(-o.min)} ahead of this clock (at 5 min its messages, or ours to it, are refused)` })
    else if (o.min < -CLOCK_YELLOW_MS) findings.push({ level: 'yellow', text: `${from} signs ${ago(-o.min)} ahead of this clock` })
    else if (o.min > CLOCK_LATE_MS) findings.push({ level: 'yellow', text: `${from}'s messages arrive at least ${ago(o.min)} after their signed time (its clock is behind, or they waited in its outbox)` })
  }
  if (ntp === false) findings.push({ level: 'yellow', text: ntpText })
  const n = [...offsets.values()].reduce((a, o) => a + o.n, 0)
  const basis = `estimated from ${n} message(s) received from ${[...offsets.keys()].sort().join(', ')} (receipt time minus signed time, smallest per sender)`
  if (findings.length === 0) return { name, level: 'green', detail: `within ±${CLOCK_YELLOW_MS / 1000} s, ${basis}; ${ntpText}` }
  return { name, level: worst(findings.map((f) => f.level)), detail: `${findings.map((f) => f.text).join('; ')}; ${basis}` }
}

async function existing (path: string): Promise<string> {
  for (let p = path; ; p = dirname(p)) {
    if (await access(p).then(() => true, () => false)) return p
    if (dirname(p) === p) return p
  }
}

async function checkDisk (config: NodeConfig, statfs: NonNullable<DiagnoseOptions['statfs']>): Promise<Check> {
  const name = 'disk'
  const path = await existing(config.dataDir)
  let figures: DiskFigures
  try {
    figures = await statfs(path)
  } catch (err) {
    return { name, level: 'red', detail: `cannot read the file system of ${path}: ${message(err)}` }
  }
  const free = Number(figures.bavail) * Number(figures.bsize)
  const total = Number(figures.blocks) * Number(figures.bsize)
  const share = total > 0 ? free / total : 0
  const text = `${gib(free)} free of ${gib(total)} (${(share * 100).toFixed(0)} %) where ${config.dataDir} lives`
  if (free < DISK_RED_BYTES) return { name, level: 'red', detail: `${text}: under 1 GiB, the database will soon refuse writes; free space or grow the volume` }
  if (share < DISK_YELLOW_FRACTION) return { name, level: 'yellow', detail: `${text}: under 10 %` }
  return { name, level: 'green', detail: text }
}

function checkDirectory (config: NodeConfig, roster: Roster | undefined, state: NodeState): Check {
  const name = 'directory'
  if (state.kind !== 'running') return { name, level: 'yellow', detail: 'not checked: the node is not running (directory ages live in the running node)' }
  const dirs = state.live.directories
  if (dirs === undefined) return { name, level: 'yellow', detail: `not checked: ${state.live.directoryError ?? 'no answer'}` }
  if (roster === undefined) return { name, level: 'yellow', detail: 'not checked: no roster' }
  const staleOthers = Math.max(3 * config.directory.refreshMs, 15 * MINUTE)
  // This state's own copy is confirmed when it is published: every republishMs.
  const staleOwn = config.directory.republishMs + staleOthers
  const problems: Array<{ level: Level, text: string }> = []
  let fresh = 0
  for (const m of roster.doc.members) {
    for (const dir of ['authorities', 'registers']) {
      const d = dirs.find((x) => x.country === m.country && x.name === dir)
      const own = m.country === config.country
      if (d === undefined) problems.push({ level: 'yellow', text: `${m.country} ${dir}: ${own ? 'not published yet' : 'no copy yet'}` })
      else if (d.expired) problems.push({ level: own ? 'red' : 'yellow', text: `${m.country} ${dir}: expired (${own ? 'this node has not republished it: see its log' : 'its node has not republished it for a day'})` })
      else if (d.ageMs > (own ? staleOwn : staleOthers)) problems.push({ level: 'yellow', text: `${m.country} ${dir}: last confirmed ${ago(d.ageMs)} ago` })
      else fresh++
    }
  }
  const head = `${fresh} of ${roster.size * 2} directories fresh`
  if (problems.length === 0) return { name, level: 'green', detail: `${head} (oldest confirmed ${ago(Math.max(0, ...dirs.map((d) => d.ageMs)))} ago)` }
  const shown = problems.slice(0, 6).map((p) => p.text).join('; ') + (problems.length > 6 ? `; and ${problems.length - 6} more` : '')
  return { name, level: worst(problems.map((p) => p.level)), detail: `${head}; ${shown}` }
}

// ---------------------------------------------------------------------------------------

const ROOT = INSTALL_ROOT

async function versions (): Promise<Record<string, string>> {
  const version = async (file: string): Promise<string> => {
    try { return (JSON.parse(await readFile(file, 'utf8')) as { version?: string }).version ?? 'unknown' } catch { return 'unknown' }
  }
  const commit = await new Promise<string>((resolve) => {
    execFile('git', ['rev-parse', 'HEAD'], { cwd: ROOT, timeout: 2000 }, (err, out) => { resolve(err === null ? out.trim() : 'unknown') })
  })
  return {
    imi: await version(join(ROOT, 'package.json')),
    commit,
    node: process.version,
    libp2p: await version(join(ROOT, 'node_modules', 'libp2p', 'package.json')),
    platform: `${process.platform} ${process.arch}`
  }
}

function rosterFacts (roster: Roster): unknown {
  return {
    federationId: roster.federationId, version: roster.version, digest: roster.digest, created: roster.doc.created,
    members: roster.doc.members.map((m) => ({ country: m.country, peerId: m.peerId, addresses: m.addresses, keys: m.keys.map((k) => ({ kid: k.kid, notBefore: k.notBefore, ...(k.notAfter !== undefined && { notAfter: k.notAfter }) })) })),
    bootstraps: roster.doc.bootstraps
  }
}

async function writeExport (file: string, value: unknown): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`
  try {
    await writeFile(tmp, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 })
    await rename(tmp, file)
  } catch (err) {
    throw new CommandFailure(`error: cannot write ${file}: ${message(err)}`)
  }
}

/** Runs every check; never throws for what it finds, only for what it cannot write. */
export async function diagnose (config: NodeConfig, options: DiagnoseOptions = {}): Promise<Diagnosis> {
  const now = (options.now ?? Date.now)()
  const probe = options.probe ?? tcpProbe
  const timeoutMs = options.probeTimeoutMs ?? 3000
  const { check: configCheck, identity } = await checkConfig(config)
  const state = await observeNode(config)
  const roster = await checkRoster(config, state, identity, now)
  const [members, bootstraps, mail, clock, disk] = await Promise.all([
    checkMembers(config, roster.roster, state, probe, timeoutMs),
    checkBootstraps(config, roster.roster, probe, timeoutMs),
    checkMail(config, probe, timeoutMs),
    checkClock(state, now, options.clockSynchronised ?? timedatectl),
    checkDisk(config, options.statfs ?? (async (p) => await fsStatfs(p)))
  ])
  const checks = [configCheck, roster.check, checkRunning(config, state, identity), checkOutbox(state, now), members, bootstraps, mail, clock, disk, checkDirectory(config, roster.roster, state)]
  const diagnosis: Diagnosis = { at: now, overall: worst(checks.map((c) => c.level)), checks }
  if (options.exportFile !== undefined) {
    const live = state.kind === 'running' ? state.live : undefined
    await writeExport(options.exportFile, {
      generated: iso(now),
      diagnosis,
      versions: await versions(),
      // Paths and settings only: the key and the token stay in their files.
      config,
      node: state.kind === 'running' ? 'running' : state.kind === 'stopped' ? 'stopped' : `failing: ${state.why}`,
      ...(live !== undefined && { status: live.status }),
      ...(live?.directories !== undefined && { directories: live.directories }),
      ...(state.kind === 'stopped' && state.stored !== undefined && { storedOutbox: state.stored.outbox }),
      ...(roster.roster !== undefined && { roster: rosterFacts(roster.roster) })
    })
  }
  return diagnosis
}

const MARK: Record<Level, string> = { green: 'green ', yellow: 'yellow', red: 'red   ' }

export function formatDiagnosis (d: Diagnosis): string[] {
  const count = (l: Level): number => d.checks.filter((c) => c.level === l).length
  const summary = d.overall === 'green'
    ? 'all green'
    : d.overall === 'yellow' ? `${count('yellow')} warning(s), nothing red` : `${count('red')} red, ${count('yellow')} yellow: the node needs attention`
  return [...d.checks.map((c) => `${MARK[c.level]} ${c.name.padEnd(10)} ${c.detail}`), `overall: ${d.overall} (${summary})`]
}

/** `imi diagnose`: prints the diagnosis; red fails the command (exit 1), yellow only warns. */
export async function diagnoseCommand (config: NodeConfig, options: DiagnoseOptions = {}): Promise<string[]> {
  const d = await diagnose(config, options)
  const lines = formatDiagnosis(d)
  if (options.exportFile !== undefined) lines.push(`wrote the diagnosis and support facts to ${options.exportFile}`)
  if (d.overall === 'red') throw new CommandFailure(lines.join('\n'))
  return lines
}
