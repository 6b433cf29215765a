import { expect } from 'chai'
import { DEFAULT_ROUTE, navSection, parseRoute, routeHref, type Route } from '../src/router.js'

describe('web UI routes', () => {
  const id = 'AbCdEfGhIjKlMnOpQrSt_-'

  it('parses each page, with its filters', () => {
    expect(parseRoute('')).to.deep.equal(DEFAULT_ROUTE)
    expect(parseRoute('#/')).to.deep.equal(DEFAULT_ROUTE)
    expect(parseRoute('#/login')).to.deep.equal({ page: 'login' })
    expect(parseRoute('#/inbox?status=answered')).to.deep.equal({ page: 'requests', box: 'inbox', status: 'answered' })
    expect(parseRoute('#/outbox')).to.deep.equal({ page: 'requests', box: 'outbox' })
    expect(parseRoute(`#/requests/${id}`)).to.deep.equal({ page: 'request', id })
    expect(parseRoute('#/compose')).to.deep.equal({ page: 'compose' })
    expect(parseRoute('#/directory?q=izba%20lekarska&country=PL&area=services&kind=authorities'))
      .to.deep.equal({ page: 'directory', q: 'izba lekarska', country: 'PL', area: 'services', kind: 'authorities' })
    expect(parseRoute('#/alerts')).to.deep.equal({ page: 'alerts' })
    expect(parseRoute(`#/alerts/${id}`)).to.deep.equal({ page: 'alert', id })
  })

  it('parses the administration, supervision and casework pages', () => {
    expect(parseRoute('#/users')).to.deep.equal({ page: 'users' })
    expect(parseRoute('#/users?authority=cz-brno')).to.deep.equal({ page: 'users', authority: 'cz-brno' })
    expect(parseRoute('#/users/cz-brno/jana.dvorakova')).to.deep.equal({ page: 'user', authority: 'cz-brno', username: 'jana.dvorakova' })
    expect(parseRoute('#/authorities?status=pending')).to.deep.equal({ page: 'authorities', status: 'pending' })
    expect(parseRoute('#/authorities/new')).to.deep.equal({ page: 'authority-new' })
    expect(parseRoute('#/oversight?status=sent&q=brno')).to.deep.equal({ page: 'oversight', status: 'sent', q: 'brno' })
    expect(parseRoute('#/indicators?authority=cz-brno&from=2026-01-01&to=2026-06-30')).to.deep.equal({ page: 'indicators', authority: 'cz-brno', from: '2026-01-01', to: '2026-06-30' })
    expect(parseRoute(`#/audit?procedure=${id}&kind=request`)).to.deep.equal({ page: 'audit', procedure: id, kind: 'request' })
    expect(parseRoute('#/audit?user=dpo.brno&authority=cz-brno')).to.deep.equal({ page: 'audit', user: 'dpo.brno', authority: 'cz-brno' })
    expect(parseRoute('#/subject-requests?status=open')).to.deep.equal({ page: 'subject-requests', status: 'open' })
    expect(parseRoute('#/subject-requests/sr-abcdefghijklmno_')).to.deep.equal({ page: 'subject-request', id: 'sr-abcdefghijklmno_' })
    expect(parseRoute('#/retention')).to.deep.equal({ page: 'retention' })
    expect(parseRoute('#/alerts/new')).to.deep.equal({ page: 'alert-new' })
    expect(parseRoute('#/notifications?status=open')).to.deep.equal({ page: 'notifications', status: 'open' })
    expect(parseRoute(`#/notifications/${id}`)).to.deep.equal({ page: 'notification', id })
    expect(parseRoute('#/notifications/new')).to.deep.equal({ page: 'notification-new' })
    expect(parseRoute(`#/compose?draft=${id}`)).to.deep.equal({ page: 'compose', draft: id })
    expect(parseRoute('#/drafts')).to.deep.equal({ page: 'drafts' })
    expect(parseRoute('#/settings')).to.deep.equal({ page: 'settings' })
    expect(parseRoute('#/inbox?q=krakow&overdue=1')).to.deep.equal({ page: 'requests', box: 'inbox', q: 'krakow', overdue: true })
  })

  it('drops filter values it does not know instead of passing them on', () => {
    expect(parseRoute('#/users?authority=%3Cimg%3E')).to.deep.equal({ page: 'users' })
    expect(parseRoute('#/indicators?from=yesterday&to=2026-13')).to.deep.equal({ page: 'indicators' })
    expect(parseRoute('#/authorities?status=gone')).to.deep.equal({ page: 'authorities' })
    expect(parseRoute('#/audit?user=Not%20Valid&authority=%3Cb%3E')).to.deep.equal({ page: 'audit' })
    expect(parseRoute('#/subject-requests?status=late')).to.deep.equal({ page: 'subject-requests' })
    expect(parseRoute('#/compose?draft=x')).to.deep.equal({ page: 'compose' })
    expect(parseRoute('#/inbox?status=<script>')).to.deep.equal({ page: 'requests', box: 'inbox' })
    expect(parseRoute('#/directory?country=pl&area=x&kind=y&q=%20%20')).to.deep.equal({ page: 'directory' })
    expect((parseRoute(`#/directory?q=${'a'.repeat(500)}`) as { q: string }).q).to.have.length(200)
  })

  it('sends malformed ids and unknown paths to not-found', () => {
    for (const hash of ['#/requests/short', '#/requests/../../x', `#/requests/${id}/extra`, '#/alerts/%3Cimg%3E', '#/nowhere', '#/login/x',
      '#/users/cz-brno/Not..Valid!', '#/users/x/y/z', '#/authorities/cz-brno', '#/settings/x', '#/notifications/short',
      '#/subject-requests/sr-short', `#/subject-requests/${id}`, '#/retention/x']) {
      expect(parseRoute(hash).page, hash).to.equal('not-found')
    }
  })

  it('builds hrefs that parse back to the same route', () => {
    const routes: Route[] = [
      { page: 'login' }, { page: 'requests', box: 'inbox' }, { page: 'requests', box: 'outbox', status: 'info-requested' },
      { page: 'request', id }, { page: 'compose' }, { page: 'directory' }, { page: 'directory', q: 'Urząd & co', country: 'PL', kind: 'registers' },
      { page: 'alerts' }, { page: 'alert', id }, { page: 'alert-new' }, { page: 'users' }, { page: 'users', authority: 'pl-krakow' },
      { page: 'user', authority: 'pl-krakow', username: 'piotr.nowak' }, { page: 'authorities', status: 'suspended' }, { page: 'authority-new' },
      { page: 'oversight', q: 'Kraków & co', status: 'answered' }, { page: 'indicators', from: '2026-01-01' }, { page: 'audit', kind: 'alert', to: '2026-02-01' },
      { page: 'notifications' }, { page: 'notification', id }, { page: 'notification-new' }, { page: 'compose', draft: id }, { page: 'drafts' },
      { page: 'settings' }, { page: 'requests', box: 'inbox', q: 'brno', overdue: true },
      { page: 'audit', user: 'dpo.brno', authority: 'cz-brno' }, { page: 'subject-requests' }, { page: 'subject-requests', status: 'refused' },
      { page: 'subject-request', id: 'sr-abcdefghijklmnop' }, { page: 'retention' }
    ]
    for (const r of routes) expect(parseRoute(routeHref(r)), routeHref(r)).to.deep.equal(r)
  })

  it('names the navigation entry of each page', () => {
    expect(navSection({ page: 'request', id })).to.equal(undefined)
    expect(navSection({ page: 'alert', id })).to.equal('alerts')
    expect(navSection({ page: 'requests', box: 'outbox' })).to.equal('outbox')
    expect(navSection({ page: 'user', authority: 'a', username: 'b' })).to.equal('users')
    expect(navSection({ page: 'authority-new' })).to.equal('authorities')
    expect(navSection({ page: 'subject-request', id: 'sr-abcdefghijklmnop' })).to.equal('subjects')
    expect(navSection({ page: 'retention' })).to.equal('retention')
    expect(navSection({ page: 'notification', id })).to.equal('notifications')
    expect(navSection({ page: 'settings' })).to.equal(undefined)
  })
})
