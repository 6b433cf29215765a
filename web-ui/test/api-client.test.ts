import { expect } from 'chai'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createApiToken, serveNodeApi, type ApiServer } from '@imi/node'
import { eventually, makeFederation, type TestFederation } from '../../node/test/fixtures/federation.js'
import { ApiClient, ApiError } from '../src/api-client.js'

describe('web UI API client against a real node', function () {
  this.timeout(30_000)
  let fed: TestFederation
  let server: ApiServer
  let client: ApiClient

  before(async () => {
    fed = await makeFederation(['CZ', 'PL'])
    const cz = await fed.start('CZ')
    await fed.start('PL')
    const tokenFile = join(fed.dir, 'cz-token')
    await createApiToken(tokenFile)
    server = await serveNodeApi(cz, { api: { host: '127.0.0.1', port: 0, tokenFile } })
    client = new ApiClient({ baseUrl: `http://127.0.0.1:${server.port}`, token: (await readFile(tokenFile, 'utf8')).trim() })
  })
  after(async () => { await server.close(); await fed.close() })

  it('reads health and status', async () => {
    expect(await client.health()).to.deep.equal({ status: 'ok' })
    expect((await client.status()).country).to.equal('CZ')
  })

  it('sends a note and follows it to delivered', async () => {
    const { id } = await client.sendNote('PL', 'Dobrý den')
    const m = await eventually(async () => { const v = await client.message(id); return v.status === 'delivered' ? v : undefined }, 10_000, 'delivery')
    expect(m.to).to.deep.equal(['PL'])
    expect((await client.messages('sent', 5))[0]?.id).to.equal(id)
  })

  it('logs in as an official, searches the directory and manages its own authority\'s users', async () => {
    const cz = fed.node('CZ')
    const password = 'correct horse battery'
    await cz.accounts.createCoordinator({ kind: 'operator' }, { username: 'nimic.cz', displayName: 'Coordinator', password })
    const official = new ApiClient({ baseUrl: `http://127.0.0.1:${server.port}` })
    const coordinator = await official.login('nimic.cz', password, { bearer: true })
    expect(coordinator.user.coordinator).to.equal(true)
    await cz.accounts.registerAuthority((await cz.accounts.authenticate((await cz.accounts.login('nimic.cz', password)).token)).actor,
      { id: 'cz-brno', names: { cs: 'Živnostenský úřad Brno', en: 'Brno Trade Licensing Office' }, areas: ['services'], competences: ['trade licensing'] },
      { username: 'admin.brno', displayName: 'Admin', password })
    expect((await official.authorities()).map((a) => a.entry.id)).to.deep.equal(['cz-brno'])
    await official.logout()
    await official.login('admin.brno', password, { bearer: true })
    await official.createUser('cz-brno', { username: 'jana.dvorakova', displayName: 'Jana Dvořáková', password, grants: [{ area: 'services', role: 'request-handler' }] })
    expect((await official.users('cz-brno')).map((u) => u.username).sort()).to.deep.equal(['admin.brno', 'jana.dvorakova'])
    const hits = await eventually(async () => { const h = await official.searchDirectory({ q: 'zivnostensky urad', country: 'CZ' }); return h.length > 0 ? h : undefined }, 10_000, 'own directory')
    expect(hits[0]?.entry.id).to.equal('cz-brno')
    expect((await official.directoryStatus()).some((d) => d.country === 'CZ')).to.equal(true)
    const denied = await official.users('cz-other').then(() => undefined, (e: unknown) => e)
    expect((denied as ApiError).code).to.equal('ERR_FORBIDDEN')
  })

  it('turns refusals into ApiError with the stable code', async () => {
    const err = await client.sendNote('XX', 'x').then(() => undefined, (e: unknown) => e)
    expect(err).to.be.instanceOf(ApiError)
    expect((err as ApiError).code).to.equal('ERR_INVALID_REQUEST')
    const anonymous = new ApiClient({ baseUrl: `http://127.0.0.1:${server.port}` })
    const denied = await anonymous.status().then(() => undefined, (e: unknown) => e)
    expect((denied as ApiError).status).to.equal(401)
  })
})
