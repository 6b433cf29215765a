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

  it('turns refusals into ApiError with the stable code', async () => {
    const err = await client.sendNote('XX', 'x').then(() => undefined, (e: unknown) => e)
    expect(err).to.be.instanceOf(ApiError)
    expect((err as ApiError).code).to.equal('ERR_INVALID_REQUEST')
    const anonymous = new ApiClient({ baseUrl: `http://127.0.0.1:${server.port}` })
    const denied = await anonymous.status().then(() => undefined, (e: unknown) => e)
    expect((denied as ApiError).status).to.equal(401)
  })
})
