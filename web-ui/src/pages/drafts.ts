/**
 * The authority's drafts of requests, last changed first: who they are about, to whom,
 * how many questions, when and by whom last saved, and until when the node keeps it
 * (drafts hold personal data); each continues on the compose page, or is deleted here.
 */
import { deleteDraft, drafts } from '../api-requests.js'
import type { Draft } from '../api-types.js'
import type { Page, PageContext } from '../context.js'
import { h, replace } from '../dom.js'
import { countryName, formatDateTime, formatNumber } from '../format.js'
import { areaLabel } from '../labels.js'
import { routeHref } from '../router.js'
import { dataTable, failedPage, pageOf } from '../widgets.js'

function rows (ctx: PageContext, list: readonly Draft[], errors: HTMLElement): HTMLTableRowElement[] {
  const { t, lang } = ctx
  return list.map((d) => {
    const c = d.content
    const title = c.subject?.name ?? t('drafts.untitled')
    const remove = h('button', { type: 'button', class: 'small-button danger', 'aria-label': t('drafts.deleteOf', { name: title }) }, t('drafts.delete'))
    remove.addEventListener('click', () => {
      remove.disabled = true
      deleteDraft(ctx.api, d.id).then(() => {
        ctx.announce(t('drafts.deleted'))
        ctx.navigate({ page: 'drafts' })
      }, (err: unknown) => { replace(errors, ctx.failure(err)); remove.disabled = false })
    })
    return h('tr', null,
      h('th', { scope: 'row' }, h('a', { href: routeHref({ page: 'compose', draft: d.id }) }, title),
        c.area === undefined ? null : h('span', { class: 'muted small' }, ` · ${areaLabel(t, c.area)}`)),
      h('td', null, c.to === undefined ? '–' : `${countryName(c.to.country, lang)} · ${c.to.authority}`),
      h('td', { class: 'num' }, formatNumber(c.questions?.length ?? 0, lang)),
      h('td', null, formatDateTime(d.updated, lang), h('span', { class: 'muted small' }, ` · ${t('drafts.by', { user: d.createdBy })}`)),
      h('td', null, formatDateTime(d.expires, lang)),
      h('td', null, remove))
  })
}

export const draftsPage: Page = async (ctx) => {
  const { t } = ctx
  let list: Draft[]
  try {
    list = await drafts(ctx.api)
  } catch (err) {
    return failedPage(ctx, t('drafts.title'), err)
  }
  const errors = h('div', { class: 'form-errors' })
  return pageOf('page-drafts', t('drafts.title'),
    h('p', { class: 'lead' }, t('drafts.intro')),
    errors,
    list.length === 0
      ? h('p', { class: 'empty' }, t('drafts.empty'))
      : dataTable(t('drafts.caption'), [t('drafts.col.subject'), t('drafts.col.recipient'), { label: t('drafts.col.questions'), num: true }, t('drafts.col.changed'), t('drafts.col.expires'), t('drafts.col.actions')],
        rows(ctx, list, errors), { hiddenCaption: true }))
}
