/**
 * Data protection through the node's API: the register of data subject requests (Art 19)
 * and the steps that answer one (find, export, correct, contest, erase, close), and the
 * read-only view of retention (the policy and what falls due). The shapes mirror
 * node/src/services/subjects/subject-rights.ts and node/src/api/routes/retention.ts,
 * which the UI may not import. The search term travels in a POST body, never a URL.
 */
import type { SubjectData } from '@imi/protocol'
import type { ApiClient } from './api-client.js'
import type { SubjectRequestStatus } from './router.js'

export const SUBJECT_REQUEST_KINDS = ['access', 'rectification', 'erasure', 'contest'] as const
export type SubjectRequestKind = typeof SUBJECT_REQUEST_KINDS[number]
export type SubjectStep = 'register' | 'find' | 'export' | 'correct' | 'contest' | 'erase' | 'close'

export interface ProcedureView {
  readonly kind: 'request' | 'alert'
  readonly id: string
  /** Which fields named the person (paths, never values). */
  readonly fields: readonly string[]
  readonly blocked?: true
  readonly erasure?: { readonly local: number, readonly counterpart?: { readonly at: number, readonly from: string } }
}

export interface SubjectRequest {
  readonly id: string
  readonly kind: SubjectRequestKind
  readonly authority: string
  readonly receivedAt: number
  readonly dueAt: number
  readonly status: SubjectRequestStatus
  readonly notes?: string
  readonly procedures: readonly ProcedureView[]
  readonly handledAt?: number
  readonly handledBy?: string
  readonly steps: ReadonlyArray<{ readonly at: number, readonly by: string, readonly step: SubjectStep, readonly procedure?: { readonly kind: string, readonly id: string } }>
  readonly daysLeft?: number
  readonly overdue: boolean
  readonly handledInTime?: boolean
}

export interface FoundProcedure {
  readonly kind: 'request' | 'alert'
  readonly id: string
  readonly fields: readonly string[]
  readonly role?: 'requester' | 'responder'
  readonly area: string
}

const seg = encodeURIComponent
const path = (id: string, step?: string): string => `/subject-requests/${seg(id)}${step === undefined ? '' : `/${step}`}`

export async function subjectRequests (api: ApiClient, status?: SubjectRequestStatus): Promise<SubjectRequest[]> {
  return (await api.json<{ subjectRequests: SubjectRequest[] }>('GET', `/subject-requests${status === undefined ? '' : `?status=${status}`}`)).subjectRequests
}

export async function subjectRequest (api: ApiClient, id: string): Promise<SubjectRequest> {
  return (await api.json<{ subjectRequest: SubjectRequest }>('GET', path(id))).subjectRequest
}

/** `receivedAt` is a calendar day (YYYY-MM-DD) the node reads as midnight UTC. */
export async function registerSubjectRequest (api: ApiClient, input: { kind: SubjectRequestKind, receivedAt?: string, notes?: string }): Promise<SubjectRequest> {
  return (await api.json<{ subjectRequest: SubjectRequest }>('POST', '/subject-requests', input)).subjectRequest
}

export async function findSubject (api: ApiClient, id: string, query: { name?: string, identifier?: string }): Promise<FoundProcedure[]> {
  return (await api.json<{ matches: FoundProcedure[] }>('POST', path(id, 'find'), query)).matches
}

/** The machine-readable copy of the person's data (JSON), as the node built it. */
export async function exportSubject (api: ApiClient, id: string): Promise<unknown> {
  return await api.json('POST', path(id, 'export'), {})
}

type Step = (api: ApiClient, id: string, body: Record<string, unknown>) => Promise<SubjectRequest>
const step = (name: string): Step => async (api, id, body) => (await api.json<{ subjectRequest: SubjectRequest }>('POST', path(id, name), body)).subjectRequest

export const correctSubject: (api: ApiClient, id: string, body: { request: string, subject: SubjectData, note?: string }) => Promise<SubjectRequest> = step('correct')
export const contestSubject: (api: ApiClient, id: string, body: { request: string, note?: string }) => Promise<SubjectRequest> = step('contest')
export const eraseSubject: (api: ApiClient, id: string, body: { request: string }) => Promise<SubjectRequest> = step('erase')
export const closeSubjectRequest: (api: ApiClient, id: string, body: { status: 'done' | 'refused', notes?: string }) => Promise<SubjectRequest> = step('close')

// Retention, read-only.

export const PROCEDURE_KINDS = ['request', 'alert', 'notification'] as const
export interface RetentionRule { readonly blockAfterDays: number, readonly deleteAfterDays: number }
export interface RetentionPolicy {
  readonly version: 1
  readonly areas: Readonly<Record<string, Readonly<Record<typeof PROCEDURE_KINDS[number], RetentionRule>>>>
}

export interface DueProcedure {
  readonly kind: 'request' | 'alert'
  readonly id: string
  readonly area: string
  readonly status: string
  readonly authority?: string
  readonly closedAt: number
  readonly blockAt: number
  readonly deleteAt: number
  readonly blockedAt?: number
}

export async function retentionPolicy (api: ApiClient): Promise<RetentionPolicy> {
  return (await api.json<{ policy: RetentionPolicy }>('GET', '/retention/policy')).policy
}

export async function retentionDue (api: ApiClient, limit = 200): Promise<{ now: number, total: number, procedures: DueProcedure[] }> {
  return await api.json('GET', `/retention/due?limit=${limit}`)
}
