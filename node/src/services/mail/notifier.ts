/**
 * Tells officials by e-mail that something awaits them: a request received by their
 * authority, a request of theirs coming due, an alert routed to them. Each official
 * chooses which of these to get. The e-mail carries a link and no personal data.
 * Failures are retried a few times and logged without addresses.
 */
import type { LegislativeArea, RequestState } from '@imi/protocol'
import type { AlertService } from '../alerts/alert-service.js'
import type { NotifyPreferences, UserAccounts } from '../accounts/user-accounts.js'
import type { Logger } from '../logger.js'
import type { RequestDeadlines, ReminderDetail } from '../requests/deadlines.js'
import type { RequestService } from '../requests/request-service.js'
import { renderMail, type MailKind } from './templates.js'

export interface Mailer {
  send(message: { to: string, subject: string, text: string }): Promise<void>
}

export interface NotifierComponents {
  readonly mailer: Mailer
  readonly accounts: Pick<UserAccounts, 'mailRecipients'>
  readonly requests: Pick<RequestService, 'addEventListener' | 'removeEventListener' | 'log'>
  readonly deadlines: Pick<RequestDeadlines, 'addEventListener' | 'removeEventListener'>
  readonly alerts: Pick<AlertService, 'addEventListener' | 'removeEventListener'>
  readonly alertRecord: (id: string) => Promise<{ state: { from: string, area: LegislativeArea }, routedTo: readonly string[], addressedHere: boolean } | undefined>
  readonly logger: Logger
}

export interface NotifierInit {
  readonly country: string
  readonly publicUrl: string
}

const RETRIES = [1000, 10_000, 60_000]

export class MailNotifier {
  /** Requests already announced: an e-mail per new request, not per event. */
  private readonly announced = new Set<string>()

  constructor (private readonly components: NotifierComponents, private readonly init: NotifierInit) {}

  start (): void {
    this.components.requests.addEventListener('changed', this.onRequest)
    this.components.deadlines.addEventListener('reminder', this.onReminder)
    this.components.alerts.addEventListener('changed', this.onAlert)
  }

  stop (): void {
    this.components.requests.removeEventListener('changed', this.onRequest)
    this.components.deadlines.removeEventListener('reminder', this.onReminder)
    this.components.alerts.removeEventListener('changed', this.onAlert)
  }

  private readonly onRequest = (evt: Event): void => {
    const { id, status } = (evt as CustomEvent<{ id: string, status: string }>).detail
    if (status !== 'sent' || this.announced.has(id)) return
    void this.components.requests.log.record(id).then(async (record) => {
      const s: RequestState | undefined = record?.state
      // Only requests this node's authorities receive; and again after a forward to another one.
      if (s === undefined || s.responder.country !== this.init.country || s.responder.authority === undefined) return
      this.announced.add(`${id}`)
      await this.notify(s.responder.authority, s.area, ['request-handler', 'allocator'], 'requests', 'request-received',
        { from: s.requester.country, area: s.area, link: `${this.init.publicUrl}/#/requests/${id}` })
    }).catch((err: Error) => { this.components.logger.error('request e-mail not sent', { request: id, error: err.message }) })
  }

  private readonly onReminder = (evt: Event): void => {
    const d = (evt as CustomEvent<ReminderDetail>).detail
    if (d.country !== this.init.country || d.authority === undefined) return
    void this.components.requests.log.record(d.id).then(async (record) => {
      if (record === undefined) return
      await this.notify(d.authority!, record.state.area, ['request-handler'], 'deadlines', 'deadline',
        { due: d.due, link: `${this.init.publicUrl}/#/requests/${d.id}` })
    }).catch((err: Error) => { this.components.logger.error('deadline e-mail not sent', { request: d.id, error: err.message }) })
  }

  private readonly onAlert = (evt: Event): void => {
    const { id, action, from } = (evt as CustomEvent<{ id: string, action: string, from: string }>).detail
    if (action !== 'issue' || from === this.init.country) return
    void this.components.alertRecord(id).then(async (r) => {
      if (r === undefined || !r.addressedHere) return
      for (const authority of r.routedTo) {
        await this.notify(authority, r.state.area, ['alert-handler'], 'alerts', 'alert-received',
          { from: r.state.from, area: r.state.area, link: `${this.init.publicUrl}/#/alerts/${id}` })
      }
    }).catch((err: Error) => { this.components.logger.error('alert e-mail not sent', { alert: id, error: err.message }) })
  }

  private async notify (authority: string, area: string, roles: readonly string[], pref: keyof NotifyPreferences, kind: MailKind, values: Record<string, string>): Promise<void> {
    for (const r of await this.components.accounts.mailRecipients(authority, area, roles, pref)) {
      const mail = renderMail(kind, r.language, values)
      await this.deliver({ to: r.email, subject: mail.subject, text: mail.body }, kind)
    }
  }

  private async deliver (message: { to: string, subject: string, text: string }, kind: MailKind): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.components.mailer.send(message)
        return
      } catch (err) {
        if (attempt >= RETRIES.length) {
          // The SMTP library's message may quote the address: log its code only.
          this.components.logger.error('e-mail given up', { kind, code: (err as { code?: unknown }).code === undefined ? 'ERR_MAIL' : String((err as { code?: unknown }).code) })
          return
        }
        await new Promise((resolve) => setTimeout(resolve, RETRIES[attempt]))
      }
    }
  }
}
