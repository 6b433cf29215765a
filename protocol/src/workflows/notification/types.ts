/**
 * Services Directive notifications (Art 15(7), 39(5)): a member state notifies a draft
 * requirement to all others before adopting it; the other member states view it and
 * comment, every comment visible to every participant; the notifying state may modify or
 * withdraw it; it closes automatically when its comment period ends (3 months).
 *
 * Each notification is a log of signed broadcast events from any member state. Nothing
 * in it is personal data (it is about draft law), so no event has a sidecar. The closing
 * time is in the signed creation event, set by the notifying node from its configured
 * period, so every node decides "open or closed" alike without a closing event.
 */
import type { LegislativeArea, Multilingual } from '../../directory/index.js'
import type { Language } from '../../member-states.js'

export const NOTIFICATION_KIND = 'notification'

/** Areas whose notification procedure runs here; more are added as data. */
export const NOTIFICATION_AREAS = ['services'] as const satisfies readonly LegislativeArea[]
export type NotificationArea = typeof NOTIFICATION_AREAS[number]

const DAY_MS = 86_400_000
/** The comment period: 3 months. Each node may configure its own; receivers accept up to the maximum. */
export const DEFAULT_NOTIFICATION_PERIOD_MS = 90 * DAY_MS
export const MAX_NOTIFICATION_PERIOD_MS = 366 * DAY_MS

export const MAX_TITLE_CHARS = 300
export const MAX_SUMMARY_CHARS = 4000
/** The draft's text; a longer draft is summarised and its legal basis named (the envelope holds 256 KiB). */
export const MAX_DRAFT_CHARS = 60_000
export const MAX_LEGAL_BASIS_CHARS = 500
export const MAX_COMMENT_CHARS = 8000
export const MAX_REASON_CHARS = 500

export type NotificationAction = 'create' | 'modify' | 'withdraw' | 'comment'
/** 'closed' is never stored: it is the time past `closesAt` (see notificationStatusAt). */
export type NotificationStatus = 'open' | 'withdrawn' | 'closed'

/** What the notifying state says about its draft; a modification replaces some of it. */
export interface NotificationText {
  /** The title in one or more IMI languages. */
  readonly title: Multilingual
  /** The language of the summary and the draft. */
  readonly language: Language
  readonly summary: string
  readonly draftRequirement: string
  readonly legalBasis?: string
  /** YYYY-MM-DD: when the state plans to adopt it (notifications go out well before). */
  readonly plannedAdoption?: string
}

export interface NotificationEventBody extends Partial<NotificationText> {
  readonly notification: string
  readonly action: NotificationAction
  /** create */
  readonly area?: NotificationArea
  /** create: when the comment period ends, ms since the epoch, by the notifying node's clock. */
  readonly closesAt?: number
  /** comment: free text, in `language` when given. */
  readonly text?: string
  /** comment: the id of an earlier comment it answers. */
  readonly replyTo?: string
  /** withdraw */
  readonly reason?: string
}

export interface NotificationEvent {
  /** The envelope id. */
  readonly id: string
  readonly from: string
  readonly fromAuthority?: string
  readonly created: number
  readonly body: NotificationEventBody
}

export interface NotificationVersion extends NotificationText {
  /** 1 for the creation, then one more per modification. */
  readonly version: number
  readonly event: string
  readonly at: number
}

export interface NotificationComment {
  /** The envelope id of the comment. */
  readonly id: string
  readonly from: string
  readonly fromAuthority?: string
  readonly created: number
  readonly text: string
  readonly language?: Language
  readonly replyTo?: string
  /** The version of the draft that was current when the comment was made. */
  readonly onVersion: number
}

export interface NotificationState {
  readonly id: string
  /** The notifying member state. */
  readonly from: string
  readonly fromAuthority?: string
  readonly area: NotificationArea
  /** Stored status: 'closed' follows from the time alone. */
  readonly status: 'open' | 'withdrawn'
  readonly createdAt: number
  readonly closesAt: number
  /** Oldest first; the last is the current text. */
  readonly versions: readonly NotificationVersion[]
  /** In the agreed order (creation time, then id). */
  readonly comments: readonly NotificationComment[]
  readonly withdrawnAt?: number
  readonly reason?: string
}

/** An event the replay refused, with why: the same on every node that holds it. */
export interface RefusedNotificationEvent {
  readonly id: string
  readonly code: string
  /** What a relay does with it: 'ignore' when merely late, 'reject' when no node should have sent it. */
  readonly verdict: 'reject' | 'ignore'
  readonly message: string
}
