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

  it('drops filter values it does not know instead of passing them on', () => {
    expect(parseRoute('#/inbox?status=<script>')).to.deep.equal({ page: 'requests', box: 'inbox' })
    expect(parseRoute('#/directory?country=pl&area=x&kind=y&q=%20%20')).to.deep.equal({ page: 'directory' })
    expect((parseRoute(`#/directory?q=${'a'.repeat(500)}`) as { q: string }).q).to.have.length(200)
  })

  it('sends malformed ids and unknown paths to not-found', () => {
    for (const hash of ['#/requests/short', '#/requests/../../x', `#/requests/${id}/extra`, '#/alerts/%3Cimg%3E', '#/nowhere', '#/login/x']) {
      expect(parseRoute(hash).page, hash).to.equal('not-found')
    }
  })

  it('builds hrefs that parse back to the same route', () => {
    const routes: Route[] = [
      { page: 'login' }, { page: 'requests', box: 'inbox' }, { page: 'requests', box: 'outbox', status: 'info-requested' },
      { page: 'request', id }, { page: 'compose' }, { page: 'directory' }, { page: 'directory', q: 'Urząd & co', country: 'PL', kind: 'registers' },
      { page: 'alerts' }, { page: 'alert', id }
    ]
    for (const r of routes) expect(parseRoute(routeHref(r)), routeHref(r)).to.deep.equal(r)
  })

  it('names the navigation entry of each page', () => {
    expect(navSection({ page: 'request', id })).to.equal(undefined)
    expect(navSection({ page: 'alert', id })).to.equal('alerts')
    expect(navSection({ page: 'requests', box: 'outbox' })).to.equal('outbox')
  })
})
