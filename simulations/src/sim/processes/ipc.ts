/**
 * The messages between the harness (parent) and a node's process (agent.ts), over the
 * IPC channel of child_process with structured-clone serialization ('advanced').
 */
import type { SignedRoster } from '@imi/protocol'
import type { LinkRule } from '../links.js'
import type { NodeSettings } from '../scenario.js'

export interface NodeInit {
  readonly role: 'node'
  readonly federationId: string
  readonly country: string
  readonly seed: number
  readonly dataDir: string
  readonly baseDir: string
  readonly listen: string
  readonly settings: NodeSettings
  readonly genesis: SignedRoster
  readonly clockStart: number
  /** Peer ids of the roster's states, to name the other end of a connection. */
  readonly countryOf: Readonly<Record<string, string>>
}

export interface BootstrapInit {
  readonly role: 'bootstrap'
  readonly federationId: string
  readonly seed: number
  readonly dataDir: string
  readonly listen: string
  readonly genesis: SignedRoster
}

/** What the parent reads synchronously, mirrored from the child after every call, every advance and whenever it changes. */
export interface NodeStatus {
  readonly outboxSummary: ReadonlyArray<{ country: string, pending: number }>
  readonly outboxDepth: number
  readonly rejected: ReadonlyMap<string, number>
  readonly rejections: ReadonlyMap<string, number>
  readonly topic: string | undefined
  /** `directory.published`. */
  readonly published: boolean
  readonly subscribers: number
  /** Results of the synchronous calls the parent watches, by `path(args)` key. */
  readonly watched: Readonly<Record<string, unknown>>
  readonly rssMb: number
  /** links.ts's counters in this process, since it started. */
  readonly links: { readonly shapedConnections: number, readonly delayedWrites: number, readonly lostWrites: number }
}

export type ToChild =
  | { readonly t: 'init', readonly init: NodeInit | BootstrapInit }
  | { readonly t: 'advance', readonly now: number }
  | { readonly t: 'call', readonly id: number, readonly path: readonly string[], readonly args: readonly unknown[], readonly callbacks: readonly number[] }
  | { readonly t: 'watch', readonly key: string, readonly path: readonly string[], readonly args: readonly unknown[] }
  | { readonly t: 'on', readonly path: readonly string[], readonly type: string }
  | { readonly t: 'cut', readonly id: number, readonly peers: readonly string[] }
  /** Every latency and loss rule on this node's links now (`from` is this node): links.ts in the process. */
  | { readonly t: 'links', readonly rules: ReadonlyArray<readonly [string, string, LinkRule]> }
  | { readonly t: 'forge', readonly id: number, readonly other: string, readonly now: number }
  | { readonly t: 'stop', readonly id: number }

export interface WireError { readonly message: string, readonly name: string, readonly code?: string }

export type FromChild =
  | { readonly t: 'ready', readonly pid: number, readonly netns: string, readonly peerId: string, readonly status?: NodeStatus }
  | { readonly t: 'failed', readonly error: WireError }
  | { readonly t: 'advanced', readonly now: number, readonly status: NodeStatus }
  | { readonly t: 'result', readonly id: number, readonly ok: boolean, readonly value?: unknown, readonly error?: WireError, readonly status?: NodeStatus }
  | { readonly t: 'event', readonly path: readonly string[], readonly type: string, readonly detail: unknown }
  | { readonly t: 'status', readonly status: NodeStatus }
  | { readonly t: 'log', readonly level: 'warn' | 'error', readonly component: readonly string[], readonly msg: string, readonly fields?: Record<string, unknown> }
  | { readonly t: 'counter', readonly name: 'abortedConnections', readonly n: number }

export const watchKey = (path: readonly string[], args: readonly unknown[]): string => `${path.join('.')}(${JSON.stringify(args)})`

/**
 * A value made safe for structured clone: plain data, Maps, Sets, typed arrays and dates
 * pass; functions are dropped; other class instances (PeerIds, multiaddrs) become their
 * string form when they have one of their own, else their own enumerable fields.
 */
export function toWire (v: unknown, depth = 0): unknown {
  if (v === null || typeof v !== 'object') return typeof v === 'function' || typeof v === 'symbol' ? undefined : v
  if (depth > 40) return undefined
  if (ArrayBuffer.isView(v) || v instanceof Date || v instanceof RegExp) return v
  if (Array.isArray(v)) return v.map((x) => toWire(x, depth + 1))
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [toWire(k, depth + 1), toWire(x, depth + 1)]))
  if (v instanceof Set) return new Set([...v].map((x) => toWire(x, depth + 1)))
  if (v instanceof Error) return { message: v.message, name: v.name, code: (v as { code?: unknown }).code }
  const proto = Object.getPrototypeOf(v) as object | null
  if (proto !== null && proto !== Object.prototype && Object.prototype.hasOwnProperty.call(proto, 'toString')) return String(v)
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(v)) {
    const w = toWire(x, depth + 1)
    if (w !== undefined) out[k] = w
  }
  return out
}

export function wireError (err: unknown): WireError {
  const e = err as { message?: unknown, name?: unknown, code?: unknown }
  return { message: String(e?.message ?? err), name: typeof e?.name === 'string' ? e.name : 'Error', ...(typeof e?.code === 'string' ? { code: e.code } : {}) }
}

export function fromWireError (w: WireError): Error {
  const err = new Error(w.message)
  err.name = w.name
  if (w.code !== undefined) (err as Error & { code: string }).code = w.code
  return err
}
