/**
 * Services Directive notifications: draft requirements a member state notifies to all
 * the others, who comment until the comment period ends. Shapes mirror
 * node/src/services/notifications/notification-service.ts (NotificationSummary,
 * NotificationView) and protocol/src/workflows/notification/types.ts, which the UI may
 * not import as values.
 */
import type { ApiClient } from './api-client.js'
import type { NotificationStatus } from './router.js'

const seg = encodeURIComponent

export interface NotificationText {
  readonly title: Readonly<Record<string, string>>
  readonly language: string
  readonly summary: string
  readonly draftRequirement: string
  readonly legalBasis?: string
  readonly plannedAdoption?: string
}

export interface NotificationVersion extends NotificationText { readonly version: number, readonly event: string, readonly at: number }

export interface NotificationComment {
  readonly id: string
  readonly from: string
  readonly fromAuthority?: string
  readonly created: number
  readonly text: string
  readonly language?: string
  readonly replyTo?: string
  readonly onVersion: number
}

export interface NotificationSummary {
  readonly id: string
  readonly from: string
  readonly fromAuthority?: string
  readonly area: 'services'
  readonly status: NotificationStatus
  readonly createdAt: number
  readonly closesAt: number
  readonly title: Readonly<Record<string, string>>
  readonly language: string
  readonly version: number
  readonly comments: number
  readonly ours: boolean
}

export interface NotificationView {
  readonly id: string
  readonly from: string
  readonly fromAuthority?: string
  readonly area: 'services'
  readonly status: NotificationStatus
  readonly createdAt: number
  readonly closesAt: number
  readonly versions: readonly NotificationVersion[]
  readonly comments: readonly NotificationComment[]
  readonly withdrawnAt?: number
  readonly reason?: string
  readonly current: NotificationVersion
  readonly ours: boolean
}

export async function notifications (api: ApiClient, status?: NotificationStatus): Promise<NotificationSummary[]> {
  return (await api.json<{ notifications: NotificationSummary[] }>('GET', `/notifications${status === undefined ? '' : `?status=${status}`}`)).notifications
}

export async function notification (api: ApiClient, id: string): Promise<NotificationView> {
  return await api.json('GET', `/notifications/${seg(id)}`)
}

export async function notify (api: ApiClient, text: NotificationText): Promise<NotificationView> {
  return await api.json('POST', '/notifications', text)
}

export async function commentOn (api: ApiClient, id: string, comment: { text: string, language?: string, replyTo?: string }): Promise<NotificationView> {
  return await api.json('POST', `/notifications/${seg(id)}/comment`, comment)
}

export async function modifyNotification (api: ApiClient, id: string, changes: Partial<NotificationText>): Promise<NotificationView> {
  return await api.json('POST', `/notifications/${seg(id)}/modify`, changes)
}

export async function withdrawNotification (api: ApiClient, id: string, reason?: string): Promise<NotificationView> {
  return await api.json('POST', `/notifications/${seg(id)}/withdraw`, reason === undefined ? {} : { reason })
}
