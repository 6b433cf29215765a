/**
 * The accounts side of the local API, in-process against a real started node: who may
 * call what (operator, coordinator, local data administrator, official), session
 * cookies and their CSRF token, join requests, lock-out over HTTP, and the directory
 * reading this state's own authorities.
 */
import { expect } from 'chai'
import type { AuthorityEntry } from '@imi/protocol'
import { createApiApp, type ImiNode } from '../../src/index.js'
import { eventually, makeFederation, type TestFederation } from '../fixtures/federation.js'

const TOKEN = 'tok_0123456789abcdefghijklmnopqrstuvwxyzABCDEF'
const PASSWORD = 'correct horse battery'
type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- response shapes vary per route

const authority = (id: string, en: string): AuthorityEntry => ({
  id, names: { cs: `Živnostenský úřad ${id}`, en }, areas: ['services'], competences: ['trade licensing'], contact: { email: `${id}@example.cz` }
})
const person = (username: string): Json => ({ username, displayName: `Official ${username}`, password: PASSWORD })

interface Caller { token?: string, cookie?: string, csrf?: string }

describe('local HTTP API: authorities, users and sessions', function () {
  this.timeout(30_000)
  let fed: TestFederation
  let cz: ImiNode
  let app: ReturnType<typeof createApiApp>
  const operator: Caller = { token: TOKEN }
  let coordinator: Caller

  const call = async (method: string, path: string, who: Caller | null, body?: unknown, headers: Record<string, string> = {}) => {
    const h: Record<string, string> = { 'content-type': 'application/json', ...headers }
    if (who?.token !== undefined) h.authorization = `Bearer ${who.token}`
    if (who?.cookie !== undefined) h.cookie = who.cookie
    if (who?.csrf !== undefined) h['x-csrf-token'] = who.csrf
    const res = await app.request(`/api/v1${path}`, { method, headers: h, ...(body !== undefined && { body: JSON.stringify(body) }) })
    const text = await res.text()
    return { status: res.status, headers: res.headers, json: (text === '' ? {} : JSON.parse(text)) as Json }
  }

  /** Logs in like a browser: the cookie and the CSRF token from the body. */
  const login = async (username: string, password = PASSWORD): Promise<Caller> => {
    const res = await call('POST', '/session', null, { username, password })
    expect(res.status, JSON.stringify(res.json)).to.equal(201)
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!
    return { cookie, csrf: res.json.csrfToken as string }
  }

  before(async () => {
    fed = await makeFederation(['CZ', 'PL'])
    cz = await fed.start('CZ')
    app = createApiApp(cz, { token: TOKEN })
    expect((await call('POST', '/coordinators', operator, person('nimic.cz'))).status).to.equal(201)
    coordinator = await login('nimic.cz')
    for (const [id, en] of [['cz-brno', 'Brno Trade Licensing Office'], ['cz-praha', 'Prague Trade Licensing Office']] as const) {
      const res = await call('POST', '/authorities', coordinator, { authority: authority(id, en), admin: person(`admin.${id.slice(3)}`) })
      expect(res.status, JSON.stringify(res.json)).to.equal(201)
    }
  })
  after(async () => { await fed.close() })

  it('sets the session cookie HttpOnly, SameSite=Strict, and without Secure over plain HTTP', async () => {
    const res = await call('POST', '/session', null, { username: 'nimic.cz', password: PASSWORD })
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).to.match(/^imi_session=[A-Za-z0-9_-]{43};/)
    expect(cookie).to.match(/HttpOnly/).and.match(/SameSite=Strict/)
    expect(cookie).not.to.match(/Secure/)
    expect(res.json).not.to.have.property('token')
    expect(res.json.user).to.include({ username: 'nimic.cz', coordinator: true }).and.not.have.property('password')
    const secure = await app.request('https://node.example/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nimic.cz', password: PASSWORD }) })
    expect(secure.headers.get('set-cookie')).to.match(/Secure/)
  })

  it('refuses a state-changing call on a cookie without the session\'s CSRF token, and changes nothing', async () => {
    const before = cz.authorities.list().length
    for (const csrf of [undefined, 'forged-token', (await login('nimic.cz')).csrf]) {
      const res = await call('POST', '/authorities', { cookie: coordinator.cookie!, ...(csrf !== undefined && { csrf }) }, { authority: authority('cz-evil', 'Evil Office') })
      expect(res.status).to.equal(403)
      expect(res.json.error.code).to.equal('ERR_CSRF')
    }
    expect(cz.authorities.list().length).to.equal(before)
    // Reading needs no CSRF token.
    expect((await call('GET', '/authorities', { cookie: coordinator.cookie! })).status).to.equal(200)
  })

  it('keeps the operator\'s token out of officials\' work and officials out of the node\'s operations', async () => {
    expect((await call('GET', '/authorities', operator)).status).to.equal(403)
    expect((await call('GET', '/authorities/cz-brno/users', operator)).status).to.equal(403)
    expect((await call('GET', '/status', coordinator)).status).to.equal(403)
    expect((await call('GET', '/evidence/verify', coordinator)).status).to.equal(403)
    expect((await call('POST', '/coordinators', coordinator, person('nimic.two'))).status).to.equal(403)
    expect((await call('GET', '/status', operator)).status).to.equal(200)
    expect((await call('GET', '/authorities', null)).status).to.equal(401)
  })

  it('lets an authority ask to join, and its administrator in once the coordinator approves', async () => {
    const joined = await call('POST', '/join-requests', null, { authority: authority('cz-ostrava', 'Ostrava Trade Licensing Office'), admin: person('admin.ostrava') })
    expect(joined.status, JSON.stringify(joined.json)).to.equal(202)
    expect(joined.json).to.include({ authority: 'cz-ostrava', status: 'pending' })
    const early = await call('POST', '/session', null, { username: 'admin.ostrava', password: PASSWORD })
    expect(early.status).to.equal(409)
    expect(early.json.error.code).to.equal('ERR_INVALID_STATE')
    const pending = await call('GET', '/authorities?status=pending', coordinator)
    expect(pending.json.authorities.map((a: Json) => a.entry.id)).to.deep.equal(['cz-ostrava'])
    expect((await call('POST', '/authorities/cz-ostrava/approve', coordinator)).json.status).to.equal('active')
    await login('admin.ostrava')
    // Malformed join requests change nothing.
    const bad = await call('POST', '/join-requests', null, { authority: { ...authority('cz-x', 'X'), areas: [] }, admin: person('admin.x') })
    expect(bad.status).to.equal(400)
    expect(cz.authorities.get('cz-x')).to.equal(undefined)
  })

  it('lets a local data administrator manage its own authority\'s users and no one else\'s', async () => {
    const brno = await login('admin.brno')
    const created = await call('POST', '/authorities/cz-brno/users', brno, { ...person('jana.dvorakova'), grants: [{ area: 'services', role: 'request-handler' }] })
    expect(created.status, JSON.stringify(created.json)).to.equal(201)
    expect(created.json.grants).to.deep.equal([{ area: 'services', role: 'request-handler' }])
    expect((await call('GET', '/authorities/cz-brno/users', brno)).json.users.map((u: Json) => u.username)).to.have.members(['admin.brno', 'jana.dvorakova'])

    expect((await call('GET', '/authorities/cz-praha/users', brno)).status).to.equal(403)
    expect((await call('POST', '/authorities/cz-praha/users', brno, person('mole'))).status).to.equal(403)
    expect((await call('GET', '/authorities/cz-brno/users/admin.praha', brno)).status).to.equal(404)
    expect((await call('PATCH', '/authorities/cz-brno/users/admin.praha', brno, { disabled: true })).status).to.equal(404)
    expect((await call('POST', '/authorities/cz-praha/suspend', brno)).status).to.equal(403)
    expect((await call('PUT', '/authorities/cz-praha', brno, authority('cz-praha', 'Hijacked'))).status).to.equal(403)
    expect(cz.authorities.get('cz-praha')?.entry.names.en).to.equal('Prague Trade Licensing Office')

    const handler = await login('jana.dvorakova')
    expect((await call('GET', '/authorities/cz-brno/users', handler)).status).to.equal(403)
    expect((await call('GET', '/session', handler)).json.user).to.include({ username: 'jana.dvorakova', authority: 'cz-brno' })
  })

  it('tells the UI the node\'s state and the official\'s authority names, at log-in and from GET /session', async () => {
    const res = await call('POST', '/session', null, { username: 'admin.brno', password: PASSWORD })
    expect(res.json).to.include({ country: 'CZ' })
    expect(res.json.authorityNames).to.deep.equal({ cs: 'Živnostenský úřad cz-brno', en: 'Brno Trade Licensing Office' })
    const brno = await login('admin.brno')
    const session = (await call('GET', '/session', brno)).json
    expect(session).to.include({ country: 'CZ' })
    expect(session.authorityNames.en).to.equal('Brno Trade Licensing Office')
    // The coordinator works for no authority: the state only.
    const own = (await call('GET', '/session', coordinator)).json
    expect(own).to.include({ country: 'CZ' }).and.not.have.property('authorityNames')
  })

  it('refuses a wrong current password with 403 ERR_WRONG_PASSWORD, never a 401, and the session lives on', async () => {
    await call('POST', '/authorities/cz-brno/users', await login('admin.brno'), person('karel.novak'))
    const karel = await login('karel.novak')
    const wrong = await call('PUT', '/session/password', karel, { current: 'not my password at all', password: 'a brand new passphrase' })
    expect(wrong.status).to.equal(403)
    expect(wrong.json.error.code).to.equal('ERR_WRONG_PASSWORD')
    expect((await call('GET', '/session', karel)).status).to.equal(200)
    expect((await call('PUT', '/session/password', karel, { current: PASSWORD, password: 'a brand new passphrase' })).status).to.equal(204)
    expect((await call('GET', '/session', karel)).status).to.equal(401)
  })

  it('answers a locked account with 423 and Retry-After, over HTTP as in the service', async () => {
    await call('POST', '/authorities/cz-praha/users', await login('admin.praha'), person('petr.svoboda'))
    for (let i = 0; i < 5; i++) expect((await call('POST', '/session', null, { username: 'petr.svoboda', password: 'not the password' })).status).to.equal(401)
    const locked = await call('POST', '/session', null, { username: 'petr.svoboda', password: PASSWORD })
    expect(locked.status).to.equal(423)
    expect(Number(locked.headers.get('retry-after'))).to.be.within(890, 900)
  })

  it('gives a back-office client a bearer token on request, and logs out for good', async () => {
    const res = await call('POST', '/session', null, { username: 'admin.brno', password: PASSWORD, bearer: true })
    const bearer = { token: res.json.token as string }
    expect(res.headers.get('set-cookie')).to.equal(null)
    expect((await call('GET', '/session', bearer)).status).to.equal(200)
    // Bearer calls need no CSRF token: a browser never attaches them by itself.
    expect((await call('PATCH', '/authorities/cz-brno/users/admin.brno', bearer, { displayName: 'Brno Administrator' })).status).to.equal(200)
    expect((await call('DELETE', '/session', bearer)).status).to.equal(204)
    expect((await call('GET', '/session', bearer)).status).to.equal(401)
  })

  it('suspending an authority ends its officials\' sessions and unpublishes it', async () => {
    const praha = await login('admin.praha')
    expect((await call('GET', '/session', praha)).status).to.equal(200)
    expect((await call('POST', '/authorities/cz-praha/suspend', coordinator, { reason: 'merged into another office' })).json.status).to.equal('suspended')
    expect((await call('GET', '/session', praha)).status).to.equal(401)
    expect(await cz.authorities.publishedAuthorities()).to.satisfy((list: AuthorityEntry[]) => !list.some((a) => a.id === 'cz-praha'))
    // An official sees active authorities only; the coordinator sees why one was suspended.
    const brno = await login('admin.brno')
    expect((await call('GET', '/authorities/cz-praha', brno)).status).to.equal(404)
    expect((await call('GET', '/authorities/cz-praha', coordinator)).json).to.include({ status: 'suspended', reason: 'merged into another office' })
  })

  it('publishes this state\'s registers and authorities to its own directory', async () => {
    const register = {
      id: 'cz-reg-trades', names: { cs: 'Živnostenský rejstřík', en: 'Trade Register' }, descriptions: { en: 'Licensed trades in Czechia' },
      legalBasis: 'Act No. 455/1991', registerAuthority: 'Ministry of Industry and Trade', url: 'https://rzp.example.cz', languages: ['cs']
    }
    expect((await call('PUT', '/registers/cz-reg-trades', coordinator, register)).status).to.equal(200)
    expect((await call('PUT', '/registers/cz-reg-trades', await login('admin.brno'), register)).status).to.equal(403)
    const hits = await eventually(async () => {
      const res = await call('GET', '/directory/search?q=zivnostensky&country=CZ', coordinator)
      return res.json.hits?.length >= 2 ? res.json.hits as Json[] : undefined
    }, 10_000, 'CZ directory to hold its own entries')
    expect(hits.map((h) => h.entry.id)).to.include.members(['cz-reg-trades', 'cz-brno'])
    expect(hits.map((h) => h.entry.id)).not.to.include('cz-praha')
  })
})
