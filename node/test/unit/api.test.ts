/**
 * The local API in-process (app.request, no socket) against a real started node, plus
 * the socket side (server.ts) on loopback. PL and AT are roster members that stay
 * offline, so what CZ sends stays queued and nothing depends on delivery timing.
 */
import { expect } from 'chai'
import { createServer, type Server } from 'node:net'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { cosignRoster, proposeRoster, type RosterDocument } from '@imi/protocol'
import {
  ConfigError, createApiApp, createNode, parseConfig, readApiToken, serveNodeApi, silentLogger, startApiServer,
  type ApiNode, type ImiNode
} from '../../src/index.js'
import { makeFederation, TEST_FED, type TestFederation } from '../fixtures/federation.js'

const TOKEN = 'tok_0123456789abcdefghijklmnopqrstuvwxyzABCDEF'
type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- response shapes vary per route

describe('local HTTP API', function () {
  this.timeout(20_000)
  let fed: TestFederation
  let cz: ImiNode
  let app: ReturnType<typeof createApiApp>

  before(async () => {
    fed = await makeFederation(['CZ', 'PL', 'AT'])
    cz = await fed.start('CZ')
    app = createApiApp(cz, { token: TOKEN })
  })
  after(async () => { await fed.close() })

  interface CallInit { body?: unknown, raw?: string | ReadableStream<Uint8Array>, token?: string | null, type?: string, headers?: Record<string, string> }
  const call = async (method: string, path: string, init: CallInit = {}, target = app) => {
    const headers: Record<string, string> = { 'content-type': init.type ?? 'application/json', ...init.headers }
    const token = init.token === undefined ? TOKEN : init.token
    if (token !== null) headers.authorization = `Bearer ${token}`
    const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body))
    const res = await target.request(path, { method, headers, ...(body !== undefined && { body, duplex: 'half' }) })
    return { status: res.status, headers: res.headers, json: await res.json() as Json }
  }
  const send = async (body: unknown) => await call('POST', '/api/v1/messages', { body })

  describe('health, authentication and headers', () => {
    it('answers health without a token', async () => {
      const res = await call('GET', '/api/v1/health', { token: null })
      expect(res.status).to.equal(200)
      expect(res.json).to.deep.equal({ status: 'ok' })
    })

    it('requires the bearer token on every other route, known or not', async () => {
      for (const token of [null, 'wrong-token-of-some-length-0123456789', TOKEN.slice(0, -1), `${TOKEN}x`]) {
        const res = await call('GET', '/api/v1/status', { token })
        expect(res.status).to.equal(401)
        expect(res.json.error.code).to.equal('ERR_UNAUTHORIZED')
        expect(res.headers.get('www-authenticate')).to.equal('Bearer')
      }
      expect((await call('GET', '/api/v1/status', { token: null, headers: { authorization: `Basic ${TOKEN}` } })).status).to.equal(401)
      expect((await call('GET', '/api/v1/no-such-thing', { token: null })).status).to.equal(401)
      const before = cz.messaging.outboxDepth()
      expect((await call('POST', '/api/v1/messages', { token: null, body: { kind: 'note', to: 'PL', body: { text: 'x' } } })).status).to.equal(401)
      expect(cz.messaging.outboxDepth()).to.equal(before)
    })

    it('sets the security headers on successes and errors alike', async () => {
      for (const res of [await call('GET', '/api/v1/health'), await call('GET', '/api/v1/status', { token: null }), await call('GET', '/api/v1/nothing')]) {
        expect(res.headers.get('x-content-type-options')).to.equal('nosniff')
        expect(res.headers.get('referrer-policy')).to.equal('no-referrer')
        expect(res.headers.get('cache-control')).to.equal('no-store')
        expect(res.headers.get('content-security-policy')).to.match(/^default-src 'none'/)
      }
    })

    it('answers unknown routes with 404 ERR_NOT_FOUND', async () => {
      const res = await call('GET', '/api/v1/nothing')
      expect(res.status).to.equal(404)
      expect(res.json.error.code).to.equal('ERR_NOT_FOUND')
    })
  })

  it('reports the node status with the outbox summary', async () => {
    const res = await call('GET', '/api/v1/status')
    expect(res.status).to.equal(200)
    expect(res.json).to.include({ country: 'CZ', federationId: TEST_FED, running: true, rosterVersion: 1, members: 3 })
    expect(res.json.outbox).to.be.an('array')
  })

  describe('messages', () => {
    it('queues a note (202) and shows it in the message, list and outbox resources', async () => {
      const res = await send({ kind: 'note', to: 'PL', body: { text: 'Is authorisation PL-123 still valid?' } })
      expect(res.status).to.equal(202)
      expect(res.json.id).to.match(/^[A-Za-z0-9_-]{22}$/)
      expect(res.headers.get('location')).to.equal(`/api/v1/messages/${res.json.id as string}`)
      const view = await call('GET', `/api/v1/messages/${res.json.id as string}`)
      expect(view.json).to.include({ id: res.json.id, direction: 'sent', kind: 'note', from: 'CZ', status: 'pending' })
      expect(view.json.body).to.deep.equal({ text: 'Is authorisation PL-123 still valid?' })
      const list = await call('GET', '/api/v1/messages?direction=sent&limit=10')
      expect(list.json.messages.map((m: Json) => m.id)).to.include(res.json.id)
      expect((await call('GET', '/api/v1/messages?direction=received')).json.messages).to.deep.equal([])
      const outbox = await call('GET', '/api/v1/outbox')
      expect(outbox.json.peers.find((p: Json) => p.country === 'PL').pending).to.be.greaterThan(0)
    })

    const bad: Array<[string, unknown, string]> = [
      ['an unknown country', { kind: 'note', to: 'XX', body: { text: 'x' } }, 'ERR_INVALID_REQUEST'],
      ['a lower-case country', { kind: 'note', to: 'pl', body: { text: 'x' } }, 'ERR_INVALID_REQUEST'],
      ['a missing text', { kind: 'note', to: 'PL', body: {} }, 'ERR_BODY_SCHEMA'],
      ['a text too long', { kind: 'note', to: 'PL', body: { text: 'x'.repeat(4001) } }, 'ERR_BODY_SCHEMA'],
      ['a wrong kind', { kind: 'alert', to: 'PL', body: { text: 'x' } }, 'ERR_INVALID_REQUEST'],
      ['a missing kind', { to: 'PL', body: { text: 'x' } }, 'ERR_INVALID_REQUEST'],
      ['a body that is a string', { kind: 'note', to: 'PL', body: 'x' }, 'ERR_INVALID_REQUEST'],
      ['an extra field', { kind: 'note', to: 'PL', body: { text: 'x' }, urgent: true }, 'ERR_INVALID_REQUEST'],
      ['a JSON null', null, 'ERR_INVALID_REQUEST']
    ]
    for (const [what, body, code] of bad) {
      it(`refuses ${what} with 400 ${code} and queues nothing`, async () => {
        const before = cz.messaging.outboxDepth()
        const res = await send(body)
        expect(res.status).to.equal(400)
        expect(res.json.error.code).to.equal(code)
        expect(cz.messaging.outboxDepth()).to.equal(before)
      })
    }

    it('refuses non-JSON (400), other media types (415) and oversized bodies (413), declared or streamed', async () => {
      expect((await call('POST', '/api/v1/messages', { raw: '{"kind":' })).json.error.code).to.equal('ERR_INVALID_JSON')
      expect((await call('POST', '/api/v1/messages', { raw: '{}', type: 'text/plain' })).status).to.equal(415)
      const big = JSON.stringify({ kind: 'note', to: 'PL', body: { text: 'x'.repeat(70_000) } })
      const declared = await call('POST', '/api/v1/messages', { raw: big, headers: { 'content-length': String(big.length) } })
      expect(declared.status).to.equal(413)
      expect(declared.json.error.code).to.equal('ERR_PAYLOAD_TOO_LARGE')
      const chunks = [big.slice(0, 40_000), big.slice(40_000)]
      const stream = new ReadableStream({ pull: (ctl) => { const c = chunks.shift(); if (c === undefined) ctl.close(); else ctl.enqueue(new TextEncoder().encode(c)) } })
      expect((await call('POST', '/api/v1/messages', { raw: stream })).status).to.equal(413)
    })

    it('answers 404 for an unknown message and 400 for a malformed id or query', async () => {
      const missing = await call('GET', '/api/v1/messages/AAAAAAAAAAAAAAAAAAAAAA')
      expect(missing.status).to.equal(404)
      expect(missing.json.error.code).to.equal('ERR_NOT_FOUND')
      expect((await call('GET', '/api/v1/messages/..%2F..%2Fetc')).status).to.equal(400)
      expect((await call('GET', '/api/v1/messages?direction=both')).status).to.equal(400)
      expect((await call('GET', '/api/v1/messages?limit=0')).status).to.equal(400)
    })
  })

  describe('roster', () => {
    it('shows the current version with its signatures', async () => {
      const res = await call('GET', '/api/v1/roster')
      expect(res.json).to.include({ version: 1, federationId: TEST_FED })
      expect(res.json.members.map((m: Json) => m.country)).to.deep.equal(['CZ', 'PL', 'AT'])
      expect(res.json.signed.signatures).to.have.length(3)
    })

    it('refuses a version without quorum (422) and changes nothing', async () => {
      const before = cz.roster.current
      const doc: RosterDocument = { ...fed.doc, version: 2, created: Date.now(), previous: before.digest, members: fed.doc.members.slice(0, 2) }
      const res = await call('POST', '/api/v1/roster', { body: cosignRoster(proposeRoster(doc), fed.member('CZ').identity.signer) })
      expect(res.status).to.equal(422)
      expect(res.json.error.code).to.equal('ERR_ROSTER_QUORUM')
      expect(cz.roster.current.digest).to.equal(before.digest)
      expect((await call('GET', '/api/v1/roster')).json.version).to.equal(1)
    })

    it('answers 409 for a version the node holds and 400 for a malformed roster', async () => {
      expect((await call('POST', '/api/v1/roster', { body: fed.genesis })).json.error.code).to.equal('ERR_ROSTER_VERSION')
      const bad = await call('POST', '/api/v1/roster', { body: { payload: 'x', signatures: 'none' } })
      expect(bad.status).to.equal(400)
      expect(bad.json.error.code).to.equal('ERR_ROSTER_SCHEMA')
    })
  })

  it('returns the evidence report', async () => {
    const res = await call('GET', '/api/v1/evidence/verify')
    expect(res.json.ok).to.equal(true)
    expect(res.json.entries).to.be.greaterThan(0)
  })

  it('hides the inside of unexpected failures behind a plain 500', async () => {
    const failing: ApiNode = Object.assign(Object.create(cz) as ImiNode, { verifyEvidence: async () => { throw new Error('EACCES /var/lib/imi/secret') } })
    const res = await call('GET', '/api/v1/evidence/verify', {}, createApiApp(failing, { token: TOKEN }, { logger: silentLogger }))
    expect(res.status).to.equal(500)
    expect(res.json).to.deep.equal({ error: { code: 'ERR_INTERNAL', message: 'internal error' } })
  })

  it('answers 503 ERR_NOT_RUNNING for a node that is not started', async () => {
    const idle = await createNode(parseConfig({ country: 'CZ', federationId: TEST_FED }, join(fed.dir, 'idle')), { logger: silentLogger })
    const idleApp = createApiApp(idle, { token: TOKEN })
    expect((await call('GET', '/api/v1/health', {}, idleApp)).status).to.equal(503)
    const status = await call('GET', '/api/v1/status', {}, idleApp)
    expect(status.status).to.equal(503)
    expect(status.json.error.code).to.equal('ERR_NOT_RUNNING')
  })

  describe('on a socket', () => {
    it('serves the configured node API on loopback and closes', async () => {
      const tokenFile = join(fed.dir, 'api-token')
      await writeFile(tokenFile, TOKEN + '\n', { mode: 0o600 })
      expect(await readApiToken(tokenFile)).to.equal(TOKEN)
      const server = await serveNodeApi(cz, { api: { host: '127.0.0.1', port: 0, tokenFile } })
      try {
        const res = await fetch(`${server.url}/api/v1/status`, { headers: { authorization: `Bearer ${TOKEN}` } })
        expect(res.status).to.equal(200)
        expect(((await res.json()) as Json).country).to.equal('CZ')
      } finally {
        await server.close()
      }
    })

    it('names api.port when the port is in use and api.tokenFile when the token is missing', async () => {
      const blocker: Server = createServer()
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
      const port = (blocker.address() as { port: number }).port
      try {
        const err = await startApiServer(app, { host: '127.0.0.1', port }).then(() => undefined, (e: unknown) => e)
        expect(err).to.be.instanceOf(ConfigError)
        expect((err as ConfigError).setting).to.equal('api.port')
      } finally {
        blocker.close()
      }
      const missing = await serveNodeApi(cz, { api: { host: '127.0.0.1', port: 0, tokenFile: join(fed.dir, 'nope') } }).then(() => undefined, (e: unknown) => e)
      expect((missing as ConfigError).setting).to.equal('api.tokenFile')
    })
  })
})
