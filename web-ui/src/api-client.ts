/**
 * The web UI's only way to its node: a typed client for the node's local API. It runs
 * in the browser (fetch), imports nothing but types, and turns the API's error bodies
 * into one error type carrying the stable code, so pages branch on codes, not text.
 * The officials' daily calls are methods here; the rest (administration, supervision,
 * notifications, drafts) are functions over `json()` in the api-*.ts files beside it.
 */

import type { AuthorityEntry, LegislativeArea, MessageView, NodeStatus, RegisterEntry, RequestState, RequestStatus } from '@imi/protocol'
import type { ActionBodies, AlertRecord, AlertView, NewRequestInput, RequestView } from './api-types.js'

export const AREA_ROLES = ['request-handler', 'allocator', 'alert-handler', 'viewer', 'local-data-admin'] as const
export type AreaRole = typeof AREA_ROLES[number]
export interface RoleGrant { readonly area: LegislativeArea, readonly role: AreaRole }

export interface User {
  readonly username: string
  readonly displayName: string
  readonly email?: string
  readonly language?: string
  readonly authority?: string
  readonly coordinator: boolean
  readonly grants: readonly RoleGrant[]
  readonly disabled: boolean
  readonly locked: boolean
  /** Which e-mails the official wants; each defaults to yes. */
  readonly notify?: { readonly requests?: boolean, readonly deadlines?: boolean, readonly alerts?: boolean }
}

export interface Session {
  readonly user: User
  readonly csrfToken: string
  readonly expires: number
  /** The member state this node serves. */
  readonly country: string
  /** The official's authority in the node's own register, its names by language (none for the coordinator). */
  readonly authorityNames?: Readonly<Record<string, string>>
}

export interface DirectoryHit {
  readonly kind: 'authorities' | 'registers'
  readonly country: string
  readonly score: number
  readonly entry: AuthorityEntry | RegisterEntry
}

export interface DirectoryQuery {
  readonly q?: string
  readonly kind?: 'authorities' | 'registers'
  readonly country?: string
  readonly area?: LegislativeArea
  readonly competence?: string
  readonly limit?: number
}

export interface DirectoryStatus {
  readonly country: string
  readonly name: 'authorities' | 'registers'
  readonly seq: number
  readonly entries: number
  readonly ageMs: number
  readonly expired: boolean
}

export interface LocalAuthority {
  readonly entry: AuthorityEntry
  readonly status: 'pending' | 'active' | 'suspended' | 'removed'
  /** The coordinator's view only: why it was suspended or removed, and when it last changed. */
  readonly reason?: string
  readonly created?: number
  readonly updated?: number
}

export class ApiError extends Error {
  override name = 'ApiError'
  /** From Retry-After: how long a locked account stays locked, for instance. */
  readonly retryAfterSeconds: number | undefined
  constructor (readonly status: number, readonly code: string, message: string, retryAfterSeconds?: number) {
    super(message)
    this.retryAfterSeconds = retryAfterSeconds
  }
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
  /** A bearer token: the operator's, or a session's when logged in with `bearer`. */
  private token: string | undefined
  /** A browser session rides in its HttpOnly cookie; state changes also send this. */
  private csrf: string | undefined

  constructor (private readonly init: ApiClientInit) {
    this.fetchFn = init.fetch ?? globalThis.fetch.bind(globalThis)
    this.token = init.token
  }

  /**
   * Logs in. In a browser the session is an HttpOnly cookie this code never sees;
   * `bearer: true` (scripts, tests) asks for the token instead and sends it from then on.
   */
  async login (username: string, password: string, opts: { bearer?: boolean } = {}): Promise<Session> {
    const res = await this.call<Session & { token?: string }>('POST', '/session', { username, password, ...(opts.bearer === true && { bearer: true }) }, false)
    if (res.token !== undefined) this.token = res.token
    this.csrf = res.csrfToken
    const { token: _token, ...session } = res
    return session
  }

  /** Who is logged in; in a browser after a reload, also recovers the CSRF token the cookie needs. */
  async session (): Promise<Session> {
    const s = await this.call<Session>('GET', '/session')
    this.csrf = s.csrfToken
    return s
  }

  async logout (): Promise<void> {
    await this.call('DELETE', '/session')
    this.token = this.init.token
    this.csrf = undefined
  }

  async searchDirectory (query: DirectoryQuery): Promise<DirectoryHit[]> {
    const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]): [string, string] => [k, String(v)]))
    return (await this.call<{ hits: DirectoryHit[] }>('GET', `/directory/search?${params.toString()}`)).hits
  }

  /** One authority of any state, from this node's copy of the directory. */
  async directoryAuthority (country: string, id: string): Promise<AuthorityEntry> {
    return (await this.call<{ entry: AuthorityEntry }>('GET', `/directory/${encodeURIComponent(country)}/authorities/${encodeURIComponent(id)}`)).entry
  }

  async directoryStatus (): Promise<DirectoryStatus[]> { return (await this.call<{ directories: DirectoryStatus[] }>('GET', '/directory/status')).directories }
  async authorities (status?: LocalAuthority['status']): Promise<LocalAuthority[]> {
    return (await this.call<{ authorities: LocalAuthority[] }>('GET', `/authorities${status === undefined ? '' : `?status=${status}`}`)).authorities
  }

  async users (authority: string): Promise<User[]> {
    return (await this.call<{ users: User[] }>('GET', `/authorities/${encodeURIComponent(authority)}/users`)).users
  }

  async createUser (authority: string, user: { username: string, displayName: string, password: string, email?: string, grants?: RoleGrant[] }): Promise<User> {
    return await this.call('POST', `/authorities/${encodeURIComponent(authority)}/users`, user)
  }

  async requests (box: 'inbox' | 'outbox', status?: RequestStatus): Promise<RequestState[]> {
    const params = new URLSearchParams({ box, ...(status !== undefined && { status }) })
    return (await this.call<{ requests: RequestState[] }>('GET', `/requests?${params.toString()}`)).requests
  }

  /** One request, its catalogue questions and answers rendered in `lang`. */
  async request (id: string, lang: string): Promise<RequestView> {
    return await this.call('GET', `/requests/${encodeURIComponent(id)}?lang=${encodeURIComponent(lang)}`)
  }

  async sendRequest (input: NewRequestInput): Promise<RequestState> {
    return (await this.call<{ request: RequestState }>('POST', '/requests', input)).request
  }

  async act<A extends keyof ActionBodies> (id: string, action: A, body: ActionBodies[A]): Promise<RequestState> {
    return (await this.call<{ request: RequestState }>('POST', `/requests/${encodeURIComponent(id)}/${action}`, body)).request
  }

  async alerts (): Promise<AlertRecord[]> { return (await this.call<{ alerts: AlertRecord[] }>('GET', '/alerts')).alerts }
  async alert (id: string): Promise<AlertView> { return await this.call('GET', `/alerts/${encodeURIComponent(id)}`) }

  async health (): Promise<{ status: string }> { return await this.call('GET', '/health', undefined, false) }
  async status (): Promise<NodeStatus> { return await this.call('GET', '/status') }
  async messages (direction: 'sent' | 'received', limit = 50): Promise<MessageView[]> {
    return (await this.call<{ messages: MessageView[] }>('GET', `/messages?direction=${direction}&limit=${limit}`)).messages
  }

  async message (id: string): Promise<MessageView> { return await this.call('GET', `/messages/${encodeURIComponent(id)}`) }
  async sendNote (to: string, text: string): Promise<{ id: string }> {
    return await this.call('POST', '/messages', { kind: 'note', to, body: { text } })
  }

  /** Any call under /api/v1 with the session's credentials: the topic modules (api-*.ts) are built on it. */
  async json<T> (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    return await this.call<T>(method, path, body)
  }

  private async call<T> (method: string, path: string, body?: unknown, auth = true): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (auth && this.token !== undefined) headers.authorization = `Bearer ${this.token}`
    if (this.csrf !== undefined && method !== 'GET') headers['x-csrf-token'] = this.csrf
    const res = await this.fetchFn(`${this.init.baseUrl}/api/v1${path}`, {
      method, headers, signal: AbortSignal.timeout(this.init.timeoutMs ?? 10_000), credentials: 'same-origin',
      ...(body !== undefined && { body: JSON.stringify(body) })
    })
    const json = res.status === 204 ? undefined : await res.json().catch(() => undefined) as { error?: { code?: string, message?: string } } | undefined
    if (!res.ok) {
      const retryAfter = Number(res.headers.get('retry-after') ?? Number.NaN)
      throw new ApiError(res.status, json?.error?.code ?? `ERR_HTTP_${res.status}`, json?.error?.message ?? res.statusText, Number.isFinite(retryAfter) ? retryAfter : undefined)
    }
    return json as T
  }
}
