/**
 * Sections of a request page beyond its questions: the attachments of both sides with
 * download links (for those who may see personal data), the messages exchanged, and
 * what retention did (deleted here, and the counterpart's signed confirmation).
 */
import { attachmentHref } from '../api-requests.js'
import type { RequestView } from '../api-types.js'
import type { PageContext } from '../context.js'
import { h, type Child } from '../dom.js'
import { countryName, formatDateTime } from '../format.js'
import { formatBytes } from '../files.js'
import { partyLabel } from '../labels.js'
import { section } from '../widgets.js'

/** The responding authority sees personal data (and files) only once it has accepted; the coordinator never. */
export function seesPersonalData (ctx: PageContext, view: RequestView): boolean {
  const s = view.state
  if (ctx.session.user.coordinator || view.blocked === true || view.erasure !== undefined) return false
  return view.role === 'requester' || s.acceptedAt !== undefined || ['answered', 'info-requested', 'closed'].includes(s.status)
}

export function attachmentsSection (ctx: PageContext, view: RequestView): HTMLElement | null {
  const { t, lang } = ctx
  const s = view.state
  const groups = [['attachments.fromRequester', s.attachments], ['attachments.fromResponder', s.answerAttachments ?? []]] as const
  if (groups.every(([, list]) => list.length === 0)) return null
  const names: Record<string, string> = {}
  for (const e of view.events) Object.assign(names, e.personalData?.attachmentNames ?? {})
  const downloadable = seesPersonalData(ctx, view)
  let n = 0
  return section('attachments-h', t('attachments.title'),
    downloadable ? null : h('p', { class: 'muted' }, t('attachments.notYet')),
    groups.map(([key, list]) => list.length === 0 ? null : [
      h('h3', null, t(key)),
      h('ul', { class: 'plain attachments' }, list.map((a) => {
        const name = names[a.sha256] ?? t('attachments.unnamed', { n: ++n })
        return h('li', null,
          downloadable
            ? h('a', { href: attachmentHref(s.id, a.sha256), download: name, 'aria-label': t('attachments.download', { name }) }, name)
            : h('span', null, name),
          h('span', { class: 'muted small' }, ` · ${a.type} · ${formatBytes(a.size, lang)}`))
      }))
    ]))
}

export function messagesSection (ctx: PageContext, view: RequestView): HTMLElement | null {
  const { t, lang } = ctx
  const messages = view.events.filter((e) => (e.action === 'message' || e.action === 'request-info') && e.outcome === 'applied')
  if (messages.length === 0) return null
  return section('messages-h', t('messages.title'), h('ol', { class: 'timeline messages' }, messages.map((e) => h('li', null,
    h('p', { class: 'event-head' },
      h('strong', null, e.coordinator ? partyLabel(t, lang, { country: e.from }) : partyLabel(t, lang, { country: e.from, ...(e.fromAuthority !== undefined && { authority: e.fromAuthority }) })),
      ' · ', h('time', { datetime: new Date(e.created).toISOString() }, formatDateTime(e.created, lang)),
      e.action === 'request-info' ? [' · ', h('span', { class: 'muted' }, t('event.request-info'))] : null),
    e.personalData?.text === undefined ? h('p', { class: 'muted' }, t('request.subjectHidden')) : h('blockquote', null, e.personalData.text)))))
}

export function erasureNotices (ctx: PageContext, view: RequestView): Child {
  const { t, lang } = ctx
  const e = view.erasure
  if (e === undefined) return null
  return h('div', { class: 'notice', role: 'note' },
    h('p', null, t('blocked.deleted', { date: formatDateTime(e.local, lang) })),
    e.counterpart === undefined ? null : h('p', null, t('blocked.counterpart', { country: countryName(e.counterpart.from, lang), date: formatDateTime(e.counterpart.at, lang) })))
}
