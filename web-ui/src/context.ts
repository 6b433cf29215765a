/**
 * What every page gets from the app: the API client, who is logged in, the language,
 * and a few shared services (navigate, announce, error display). Pages never reach for
 * globals, so each one can be read on its own.
 */
import type { ApiClient, Session, User } from './api-client.js'
import type { Translate, UiLanguage } from './i18n/index.js'
import type { Route } from './router.js'

export interface PageContext {
  readonly api: ApiClient
  readonly session: Session
  /** The official's language: catalogue texts, dates and numbers (any of the 26). */
  readonly lang: string
  /** The interface text's language (one of the UI catalogues). */
  readonly uiLang: UiLanguage
  readonly t: Translate
  /** Today's local date, YYYY-MM-DD, fixed for one rendering. */
  readonly today: string
  navigate (route: Route): void
  /** Says something to screen-reader users without moving focus. */
  announce (text: string): void
  /** An error notice for `err` (a lapsed session goes back to the log-in page instead). */
  failure (err: unknown): HTMLElement
  /** Runs `fn` when the page is left (timers, listeners). */
  onLeave (fn: () => void): void
  /** The own account changed (settings): the app takes its language and redraws. */
  userChanged (user: User): void
  /** The node ended the session (own password changed): the log-in page, with `message`. */
  sessionEnded (message: string): void
}

/** A page: builds its content (a heading and the rest) for a route. */
export type Page<R extends Route = Route> = (ctx: PageContext, route: R) => Promise<HTMLElement>
