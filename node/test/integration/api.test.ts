/** The local API in-process (no socket) against real nodes of a real federation. */
import { expect } from 'chai'
import { cosignRoster, proposeRoster, type RosterDocument } from '@imi/protocol'
import { createApiApp } from '../../src/index.js'
import { eventually, makeFederation, type TestFederation } from '../fixtures/federation.js'

const TOKEN = 'operator-token-0123456789-abcdefghijklmnop'

describe('local HTTP API', function () {
  this.timeout(30_000)
  let fed: TestFederation
  let app: ReturnType<typeof createApiApp>

  before(async () => {
    fed = await makeFederation(['CZ', 'PL', 'AT'])
    await Promise.all(['CZ', 'PL', 'AT'].map(async (c) => await fed.start(c)))
    app = createApiApp(fed.node('CZ'), { token: TOKEN, maxBodyBytes: 64 * 1024 })
  })
  after(async () => { await fed.close() })

  const call = async (method: string, path: string, body?: unknown, token: string | null = TOKEN, raw?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (token !== null) headers.authorization = `Bearer ${token}`
    const res = await app.request(path, { method, headers, ...(body !== undefined || raw !== undefined ? { body: raw ?? JSON.stringify(body) } : {}) })
    return { status: res.status, headers: res.headers, json: await res.json() as Record<string, any> } // eslint-disable-line @typescript-eslint/no-explicit-any -- response shapes vary per route
  }

  it('answers health without a token and with security headers', async () => {
    const res = await call('GET', '/api/v1/health', undefined, null)
    expect(res.status).to.equal(200)
    expect(res.json).to.deep.equal({ status: 'ok' })
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff')
    expect(res.headers.get('content-security-policy')).to.include("default-src 'none'")
    expect(res.headers.get('cache-control')).to.equal('no-store')
  })

  it('refuses every other route without the right token', async () => {
    expect((await call('GET', '/api/v1/status', undefined, null)).status).to.equal(401)
    const wrong = await call('GET', '/api/v1/status', undefined, TOKEN.replace('0', '1'))
    expect(wrong.status).to.equal(401)
    expect(wrong.json.error.code).to.equal('ERR_UNAUTHORIZED')
    expect((await call('POST', '/api/v1/messages', { kind: 'note', to: 'PL', body: { text: 'x' } }, 'short')).status).to.equal(401)
  })

  it('reports status: peers, roster version, outbox', async () => {
    const res = await call('GET', '/api/v1/status')
    expect(res.status).to.equal(200)
    expect(res.json).to.include({ country: 'CZ', rosterVersion: 1, members: 3, running: true })
    expect(res.json.outbox).to.deep.equal([])
    expect(res.json.outboxDepth).to.equal(0)
  })

  it('sends a note and shows it delivered', async () => {
    const sent = await call('POST', '/api/v1/messages', { kind: 'note', to: 'PL', body: { text: 'Czy zezwolenie jest ważne?' } })
    expect(sent.status).to.equal(202)
    const view = await eventually(async () => {
      const r = await call('GET', `/api/v1/messages/${sent.json.id as string}`)
      return r.json.status === 'delivered' ? r.json : undefined
    }, 10_000, 'delivery')
    expect(view).to.include({ direction: 'sent', kind: 'note', from: 'CZ' })
    const list = await call('GET', '/api/v1/messages?direction=sent')
    expect(list.json.messages.map((m: { id: string }) => m.id)).to.include(sent.json.id)
  })

  const bad: Array<[string, unknown, string]> = [
    ['an unknown country', { kind: 'note', to: 'XX', body: { text: 'x' } }, 'ERR_INVALID_REQUEST'],
    ['the sending country itself', { kind: 'note', to: 'CZ', body: { text: 'x' } }, 'ERR_INVALID_REQUEST'],
    ['a country outside the roster', { kind: 'note', to: 'FR', body: { text: 'x' } }, 'ERR_INVALID_REQUEST'],
    ['a missing text', { kind: 'note', to: 'PL', body: {} }, 'ERR_BODY_SCHEMA'],
    ['a text too long', { kind: 'note', to: 'PL', body: { text: 'x'.repeat(4001) } }, 'ERR_BODY_SCHEMA'],
    ['another kind', { kind: 'receipt', to: 'PL', body: { text: 'x' } }, 'ERR_INVALID_REQUEST'],
    ['an extra field', { kind: 'note', to: 'PL', body: { text: 'x' }, priority: 1 }, 'ERR_INVALID_REQUEST'],
    ['an array', [], 'ERR_INVALID_REQUEST']
  ]
  for (const [what, body, code] of bad) {
    it(`refuses a message with ${what} (400 ${code}) and queues nothing`, async () => {
      const res = await call('POST', '/api/v1/messages', body)
      expect(res.status).to.equal(400)
      expect(res.json.error.code).to.equal(code)
      expect(fed.node('CZ').messaging.outboxDepth()).to.equal(0)
    })
  }

  it('refuses non-JSON (400), an oversized body (413), unknown ids (400/404) and routes (404)', async () => {
    expect((await call('POST', '/api/v1/messages', undefined, TOKEN, '{"kind":')).json.error.code).to.equal('ERR_INVALID_JSON')
    const big = await call('POST', '/api/v1/messages', undefined, TOKEN, JSON.stringify({ kind: 'note', to: 'PL', body: { text: 'x'.repeat(70_000) } }))
    expect(big.status).to.equal(413)
    expect((await call('GET', '/api/v1/messages/not-an-id')).status).to.equal(400)
    expect((await call('GET', '/api/v1/messages/AAAAAAAAAAAAAAAAAAAAAA')).status).to.equal(404)
    expect((await call('GET', '/api/v1/nothing-here')).status).to.equal(404)
    expect((await call('GET', '/api/v1/messages?direction=sideways')).status).to.equal(400)
  })

  it('applies no roster version that lacks the quorum (422) and changes nothing', async () => {
    const doc: RosterDocument = { ...fed.doc, version: 2, created: Date.now(), previous: fed.node('CZ').roster.current.digest, bootstraps: [] }
    const oneSignature = cosignRoster(proposeRoster(doc), fed.member('CZ').identity.signer)
    const res = await call('POST', '/api/v1/roster', oneSignature)
    expect(res.status).to.equal(422)
    expect(res.json.error.code).to.equal('ERR_ROSTER_QUORUM')
    expect((await call('GET', '/api/v1/roster')).json.version).to.equal(1)
    expect((await call('POST', '/api/v1/roster', { payload: 1 })).json.error.code).to.equal('ERR_ROSTER_SCHEMA')
    const applied = await call('POST', '/api/v1/roster', cosignRoster(oneSignature, fed.member('PL').identity.signer))
    expect(applied.status).to.equal(200)
    expect(applied.json).to.deep.equal({ version: 2, applied: 1 })
    expect((await call('POST', '/api/v1/roster', cosignRoster(oneSignature, fed.member('PL').identity.signer))).status).to.equal(409)
  })

  it('verifies the evidence log', async () => {
    const res = await call('GET', '/api/v1/evidence/verify')
    expect(res.json.ok).to.equal(true)
    expect(res.json.entries).to.be.greaterThan(2)
  })

  it('reports 503 on health once the node stops', async () => {
    await fed.stop('AT')
    const stopped = createApiApp({ ...fed.node('CZ'), running: false } as never, { token: TOKEN })
    expect((await stopped.request('/api/v1/health')).status).to.equal(503)
  })
})
