/**
 * The CLI's way into a running node: its local API, with the operator's token. No
 * answer at all means the node is not running; an error answer is reported as such.
 */
import { readApiToken } from '../api/index.js'
import type { NodeConfig } from '../config.js'
import { CommandFailure } from './errors.js'

const TIMEOUT_MS = 10_000

/** Nobody answers on the API's address: the node is not running (or listens elsewhere). */
export class NoAnswerError extends CommandFailure {
  override name = 'NoAnswerError'
}

/** Where to reach the API: a wildcard bind address is reached on loopback. */
export function apiBaseUrl (config: Pick<NodeConfig, 'api'>): string {
  const host = config.api.host === '0.0.0.0' ? '127.0.0.1' : config.api.host === '::' ? '::1' : config.api.host
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.api.port}`
}

export async function apiGet<T> (config: Pick<NodeConfig, 'api'>, path: string): Promise<T> {
  const token = await readApiToken(config.api.tokenFile)
  const base = apiBaseUrl(config)
  let res: Response
  try {
    res = await fetch(`${base}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(TIMEOUT_MS) })
  } catch {
    throw new NoAnswerError(`node is not running (no answer on ${base})`)
  }
  const body = await res.json().catch(() => undefined) as { error?: { code?: unknown, message?: unknown } } | undefined
  if (!res.ok) {
    const e = body?.error
    const detail = e === undefined ? '' : `: ${String(e.code)}: ${String(e.message)}`
    throw new CommandFailure(`error: the node at ${base} answered ${res.status}${detail}`)
  }
  if (body === undefined) throw new CommandFailure(`error: the node at ${base} answered ${path} with something that is not JSON`)
  return body as T
}
