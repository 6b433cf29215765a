/** Request budgets at the API's edge, in-process against a real node. */
import { expect } from 'chai'
import { createApiApp } from '../../src/index.js'
import { makeFederation, type TestFederation } from '../fixtures/federation.js'

const TOKEN = 'tok_0123456789abcdefghijklmnopqrstuvwxyzABCDEF'

describe('API rate limits', function () {
  this.timeout(60_000)
  let fed: TestFederation
  before(async () => { fed = await makeFederation(['CZ']) })
  after(async () => { await fed.close() })

  it('slows a client that sprays log-ins over many accounts: 429 with Retry-After, and no log-in is even tried', async () => {
    const app = createApiApp(await fed.start('CZ'), { token: TOKEN })
    const login = async (username: string) => await app.request('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'some password here' }) })
    const responses = await Promise.all(Array.from({ length: 70 }, async (_, i) => await login(`user${i}`)))
    const codes = responses.map((r) => r.status)
    expect(codes.filter((c) => c === 401)).to.have.length(60)
    expect(codes.filter((c) => c === 429)).to.have.length(10)
    const refused = responses.find((r) => r.status === 429)!
    expect(Number(refused.headers.get('retry-after'))).to.be.at.least(1)
    expect((await refused.json() as { error: { code: string } }).error.code).to.equal('ERR_RATE_LIMITED')
    // The operator's own budget is separate.
    expect((await app.request('/api/v1/status', { headers: { authorization: `Bearer ${TOKEN}` } })).status).to.equal(200)
  })
})
