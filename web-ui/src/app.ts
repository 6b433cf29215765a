/**
 * The application frame: skip link, banner with the user and the language switcher,
 * main navigation, the main region each page renders into, and a live region for
 * announcements. It owns the session and the language; pages get both through
 * PageContext. Route changes move focus to the new page's heading, so keyboard and
 * screen-reader users start where the content starts.
 */
import { savePreferences } from './api-accounts.js'
import { ApiClient, ApiError, type Session, type User } from './api-client.js'
import { LANGUAGES } from './catalogue.js'
import type { PageContext } from './context.js'
import { h, notice, replace, select } from './dom.js'
import { languageName, localName, todayIso } from './format.js'
import { UI_LANGUAGES, pickUiLanguage, translator, type MessageKey, type Translate, type UiLanguage } from './i18n/index.js'
import { alertNewPage } from './pages/alert-new.js'
import { alertPage, alertsPage } from './pages/alerts.js'
import { authoritiesPage } from './pages/authorities.js'
import { auditPage } from './pages/audit.js'
import { authorityNewPage } from './pages/authority-new.js'
import { composePage } from './pages/compose.js'
import { directoryPage } from './pages/directory.js'
import { draftsPage } from './pages/drafts.js'
import { indicatorsPage } from './pages/indicators.js'
import { loginPage } from './pages/login.js'
import { notificationNewPage } from './pages/notification-new.js'
import { notificationPage } from './pages/notification.js'
import { notificationsPage } from './pages/notifications.js'
import { oversightPage } from './pages/oversight.js'
import { requestPage } from './pages/request.js'
import { retentionPage } from './pages/retention.js'
import { requestsListPage } from './pages/requests-list.js'
import { settingsPage } from './pages/settings.js'
import { subjectRequestPage } from './pages/subject-request.js'
import { subjectRequestsPage } from './pages/subject-requests.js'
import { userPage } from './pages/user.js'
import { usersPage } from './pages/users.js'
import { homeRoute, navItems } from './nav.js'
import { navSection, parseRoute, routeHref, type Route } from './router.js'
import { preference, setPreference } from './storage.js'

/** Remembered in the browser only: whether to ask the node who is logged in (the cookie itself is HttpOnly). */
const SESSION_HINT = 'imi.session'
const LANG_KEY = 'imi.lang'

export class App {
  private readonly api = new ApiClient({ baseUrl: '' })
  private session: Session | undefined
  private uiLang: UiLanguage = 'en'
  private lang = 'en'
  private t: Translate = translator('en')
  private main!: HTMLElement
  private nav: HTMLElement | undefined
  private live!: HTMLElement
  private renderSeq = 0
  private leaving: Array<() => void> = []
  /** Shown once on the log-in page (why the user is there). */
  private loginMessage: string | undefined

  constructor (private readonly root: HTMLElement) {}

  async start (): Promise<void> {
    this.chooseLanguage()
    window.addEventListener('hashchange', () => { void this.render() })
    if (preference(SESSION_HINT) === '1') {
      this.session = await this.api.session().catch(() => undefined)
      if (this.session === undefined) setPreference(SESSION_HINT, undefined)
    }
    this.chooseLanguage()
    this.frame()
    await this.render()
  }

  /** Account language first, then this browser's choice, then the browser's languages. */
  private chooseLanguage (): void {
    const user = this.session?.user
    const chosen = preference(user === undefined ? LANG_KEY : `${LANG_KEY}.${user.username}`) ?? undefined
    this.uiLang = pickUiLanguage([chosen, user?.language, preference(LANG_KEY) ?? undefined, ...navigator.languages])
    const content = chosen ?? user?.language
    this.lang = content !== undefined && (LANGUAGES as readonly string[]).includes(content) ? content : this.uiLang
    this.t = translator(this.uiLang)
    document.documentElement.lang = this.uiLang
  }

  private languageSwitcher (): HTMLElement {
    const sel = select({ id: 'language' }, UI_LANGUAGES.map((l): [string, string] => [l, languageName(l)]), this.uiLang)
    for (const option of sel.options) option.lang = option.value
    sel.addEventListener('change', () => { void this.switchLanguage(sel.value) })
    return h('div', { class: 'language' }, h('label', { for: 'language' }, this.t('app.language')), sel)
  }

  /**
   * The switcher's choice: saved to the account when logged in (so it holds wherever the
   * official logs in), kept in this browser only when the node refuses or before log-in.
   */
  private async switchLanguage (lang: string): Promise<void> {
    const session = this.session
    if (session === undefined) {
      setPreference(LANG_KEY, lang)
    } else {
      const key = `${LANG_KEY}.${session.user.username}`
      try {
        this.session = { ...session, user: await savePreferences(this.api, { language: lang }) }
        setPreference(key, undefined)
      } catch {
        setPreference(key, lang)
      }
    }
    this.chooseLanguage()
    this.frame()
    await this.render()
    document.getElementById('language')?.focus()
  }

  /** Builds the frame for the current session and language. */
  private frame (): void {
    const t = this.t
    this.main = h('main', { id: 'main', tabindex: '-1' })
    this.live = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite' })
    const skip = h('a', { class: 'skip-link', href: '#main' }, t('app.skip'))
    // The hash is the router's: the skip link moves focus itself instead of changing it.
    skip.addEventListener('click', (e) => { e.preventDefault(); this.main.focus() })
    const user = this.session?.user
    const logout = h('button', { type: 'button', class: 'link-button' }, t('nav.logout'))
    logout.addEventListener('click', () => { void this.logout() })
    this.nav = user === undefined ? undefined : h('nav', { 'aria-label': t('nav.label') },
      h('ul', null, navItems(user).map((item) => h('li', null, h('a', { href: routeHref(item.route), 'data-section': item.section }, t(item.label))))))
    const banner = h('header', { class: 'banner' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'IMI'), ' ', h('span', null, t('app.title'))),
      h('div', { class: 'banner-tools' },
        user === undefined ? null : h('p', { class: 'user' }, t('nav.user', { name: user.displayName, authority: this.authorityLabel() })),
        user === undefined ? null : h('a', { href: routeHref({ page: 'settings' }), class: 'banner-link' }, t('nav.settings')),
        this.languageSwitcher(),
        user === undefined ? null : logout))
    replace(this.root, skip, banner, this.nav, this.main, h('footer', { class: 'footer' }, h('p', null, t('app.footer'))), this.live)
  }

  /** The official's authority by its name in the interface language (its id if the node has none), or "national coordinator". */
  private authorityLabel (): string {
    const session = this.session
    if (session?.user.authority === undefined) return this.t('nav.coordinator')
    const name = session.authorityNames === undefined ? '' : localName(session.authorityNames, this.uiLang)
    return name === '' ? session.user.authority : name
  }

  private context (): PageContext {
    const session = this.session!
    return {
      api: this.api, session, lang: this.lang, uiLang: this.uiLang, t: this.t, today: todayIso(new Date()),
      navigate: (route) => { this.navigate(route) },
      announce: (text) => { this.announce(text) },
      failure: (err) => this.failure(err),
      onLeave: (fn) => { this.leaving.push(fn) },
      userChanged: (user) => { this.userChanged(user) },
      sessionEnded: (message) => { this.sessionEnded(message) }
    }
  }

  /** The account changed (settings saved): language and frame follow it. */
  private userChanged (user: User): void {
    if (this.session === undefined) return
    this.session = { ...this.session, user }
    setPreference(`${LANG_KEY}.${user.username}`, undefined)
    this.chooseLanguage()
    this.frame()
    void this.render()
  }

  /** The node ended the session (the password changed): back to the log-in page with why. */
  private sessionEnded (message: string): void {
    this.session = undefined
    setPreference(SESSION_HINT, undefined)
    this.loginMessage = message
    this.chooseLanguage()
    this.frame()
    location.hash = routeHref({ page: 'login' })
    void this.render()
  }

  private navigate (route: Route): void {
    const href = routeHref(route)
    if (location.hash === href) void this.render()
    else location.hash = href
  }

  private announce (text: string): void {
    // Emptied first so that the same text twice is read twice.
    replace(this.live)
    setTimeout(() => { replace(this.live, text) }, 50)
  }

  private failure (err: unknown): HTMLElement {
    // Only a lapsed session is ERR_UNAUTHORIZED (a wrong current password is 403 ERR_WRONG_PASSWORD).
    if (err instanceof ApiError && err.code === 'ERR_UNAUTHORIZED' && this.session !== undefined) {
      queueMicrotask(() => { this.sessionLost() })
      return notice('error', this.t('app.sessionExpired'))
    }
    if (err instanceof ApiError) {
      const key = `error.${err.code}` as MessageKey
      const known = this.t(key)
      // The node's own message is English and technical: shown as a detail, marked as English.
      return h('div', { class: 'notice notice-error', role: 'alert' },
        h('p', null, known === key ? this.t('error.generic', { code: err.code }) : known),
        h('p', { class: 'small', lang: 'en' }, `${err.code}: ${err.message}`))
    }
    return notice('error', this.t('error.network'))
  }

  private sessionLost (): void {
    if (this.session === undefined) return
    this.session = undefined
    setPreference(SESSION_HINT, undefined)
    this.loginMessage = this.t('app.sessionExpired')
    this.chooseLanguage()
    this.frame()
    void this.render()
  }

  private async logout (): Promise<void> {
    await this.api.logout().catch(() => undefined)
    this.session = undefined
    setPreference(SESSION_HINT, undefined)
    this.loginMessage = this.t('app.loggedOut')
    this.chooseLanguage()
    this.frame()
    location.hash = routeHref({ page: 'login' })
    await this.render()
  }

  private onLoggedIn (session: Session): void {
    this.session = session
    setPreference(SESSION_HINT, '1')
    this.loginMessage = undefined
    this.chooseLanguage()
    this.frame()
    const route = parseRoute(location.hash)
    if (route.page === 'login' || this.atHome()) location.hash = routeHref(homeRoute(session.user))
    void this.render()
  }

  /** The bare address, before any page was chosen. */
  private atHome (): boolean { return location.hash === '' || location.hash === '#' || location.hash === '#/' }

  private async render (): Promise<void> {
    for (const fn of this.leaving.splice(0)) fn()
    const seq = ++this.renderSeq
    const route = this.session !== undefined && this.atHome() ? homeRoute(this.session.user) : parseRoute(location.hash)
    if (this.session === undefined) {
      replace(this.main, loginPage({ api: this.api, t: this.t, ...(this.loginMessage !== undefined && { message: this.loginMessage }), onLoggedIn: (s) => { this.onLoggedIn(s) } }))
      document.title = `${this.t('login.title')} – IMI`
      this.main.querySelector<HTMLInputElement>('input')?.focus()
      return
    }
    const section = navSection(route)
    for (const a of this.nav?.querySelectorAll('a') ?? []) {
      if (a.dataset.section === section) a.setAttribute('aria-current', 'page')
      else a.removeAttribute('aria-current')
    }
    this.main.setAttribute('aria-busy', 'true')
    const content = await this.page(route).catch((err: unknown) => h('div', { class: 'page' }, h('h1', { tabindex: '-1' }, this.t('app.error')), this.failure(err)))
    if (seq !== this.renderSeq) return
    replace(this.main, content)
    this.main.removeAttribute('aria-busy')
    const heading = this.main.querySelector<HTMLElement>('h1')
    document.title = `${heading?.textContent ?? ''} – IMI`
    heading?.focus()
  }

  private async page (route: Route): Promise<HTMLElement> {
    const ctx = this.context()
    switch (route.page) {
      case 'login': {
        const home = homeRoute(ctx.session.user)
        return await this.page(home)
      }
      case 'requests': return await requestsListPage(ctx, route)
      case 'request': return await requestPage(ctx, route)
      case 'compose': return await composePage(ctx, route)
      case 'drafts': return await draftsPage(ctx, route)
      case 'directory': return await directoryPage(ctx, route)
      case 'alerts': return await alertsPage(ctx, route)
      case 'alert': return await alertPage(ctx, route)
      case 'alert-new': return await alertNewPage(ctx, route)
      case 'notifications': return await notificationsPage(ctx, route)
      case 'notification': return await notificationPage(ctx, route)
      case 'notification-new': return await notificationNewPage(ctx, route)
      case 'settings': return await settingsPage(ctx, route)
      case 'users': return await usersPage(ctx, route)
      case 'user': return await userPage(ctx, route)
      case 'authorities': return await authoritiesPage(ctx, route)
      case 'authority-new': return await authorityNewPage(ctx, route)
      case 'oversight': return await oversightPage(ctx, route)
      case 'indicators': return await indicatorsPage(ctx, route)
      case 'audit': return await auditPage(ctx, route)
      case 'subject-requests': return await subjectRequestsPage(ctx, route)
      case 'subject-request': return await subjectRequestPage(ctx, route)
      case 'retention': return await retentionPage(ctx, route)
      case 'not-found': return h('div', { class: 'page' }, h('h1', { tabindex: '-1' }, this.t('app.notFound')),
        h('p', null, h('a', { href: routeHref(homeRoute(ctx.session.user)) }, this.t(homeRoute(ctx.session.user).page === 'oversight' ? 'nav.oversight' : 'nav.inbox'))))
    }
  }
}
