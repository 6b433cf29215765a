/**
 * The web UI's only way to its node: a typed client for the node's local API. It runs
 * in the browser (fetch), imports nothing but types, and turns the API's error bodies
 * into one error type carrying the stable code, so pages branch on codes, not text.
 */

import type { MessageView, NodeStatus } from '@imi/protocol'

export class ApiError extends Error {
  override name = 'ApiError'
  constructor (readonly status: number, readonly code: string, message: string) { super(message) }
}

export interface ApiClientInit {
  /** The node's API origin, e.g. http://127.0.0.1:8080 (same origin when served by the node). */
  readonly baseUrl: string
  readonly token?: string
  readonly fetch?: typeof fetch
  readonly timeoutMs?: number
}

export class ApiClient {
  private readonly fetchFn: typeof fetch

  constructor (private readonly init: ApiClientInit) {
    this.fetchFn = init.fetch ?? globalThis.fetch.bind(globalThis)
  }

  async health (): Promise<{ status: string }> { return await this.call('GET', '/health', undefined, false) }
  async status (): Promise<NodeStatus> { return await this.call('GET', '/status') }
  async messages (direction: 'sent' | 'received', limit = 50): Promise<MessageView[]> {
    return (await this.call<{ messages: MessageView[] }>('GET', `/messages?direction=${direction}&limit=${limit}`)).messages
  }

  async message (id: string): Promise<MessageView> { return await this.call('GET', `/messages/${encodeURIComponent(id)}`) }
  async sendNote (to: string, text: string): Promise<{ id: string }> {
    return await this.call('POST', '/messages', { kind: 'note', to, body: { text } })
  }

  private async call<T> (method: string, path: string, body?: unknown, auth = true): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (auth && this.init.token !== undefined) headers.authorization = `Bearer ${this.init.token}`
    const res = await this.fetchFn(`${this.init.baseUrl}/api/v1${path}`, {
      method, headers, signal: AbortSignal.timeout(this.init.timeoutMs ?? 10_000),
      ...(body !== undefined && { body: JSON.stringify(body) })
    })
    const json = await res.json().catch(() => undefined) as { error?: { code?: string, message?: string } } | undefined
    if (!res.ok) throw new ApiError(res.status, json?.error?.code ?? `ERR_HTTP_${res.status}`, json?.error?.message ?? res.statusText)
    return json as T
  }
}
