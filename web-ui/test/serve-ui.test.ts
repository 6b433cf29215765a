import { expect } from 'chai'
import { request as httpRequest } from 'node:http'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Hono } from 'hono'
import { startApiServer, type ApiServer } from '@imi/node'
import { UI_CSP, webUiRoutes, withWebUi } from '../../node/src/api/ui-routes.js'

/** A raw GET: the path goes on the wire exactly as written (fetch would normalise '..'). */
async function rawGet (port: number, path: string, method = 'GET'): Promise<{ status: number, headers: Record<string, string | string[] | undefined>, body: string }> {
  return await new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => { body += d })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body }) })
    })
    req.on('error', reject)
    req.end()
  })
}

describe('the node serving its web UI', () => {
  let dir: string
  let server: ApiServer
  let apiCalls: string[]

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imi-ui-'))
    const dist = join(dir, 'dist')
    await mkdir(join(dist, 'assets'), { recursive: true })
    await writeFile(join(dist, 'index.html'), '<!doctype html><title>IMI</title>')
    await writeFile(join(dist, 'assets', 'app-ABCD1234.js'), 'console.log("ui")')
    await writeFile(join(dist, 'assets', 'app-ABCD1234.css'), 'body{}')
    await writeFile(join(dist, 'assets', 'plain.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
    await writeFile(join(dist, 'assets', 'notes.txt'), 'not an asset type')
    await writeFile(join(dist, 'assets', '.hidden.js'), 'hidden')
    await writeFile(join(dist, 'secret.js'), 'outside assets')
    await writeFile(join(dir, 'secret.js'), 'outside dist')
    apiCalls = []
    const api = new Hono().all('*', (c) => { apiCalls.push(c.req.path); return c.json({ api: true }) })
    server = await startApiServer(withWebUi(api, webUiRoutes({ distDir: dist })), { host: '127.0.0.1', port: 0 })
  })
  after(async () => { await server.close(); await rm(dir, { recursive: true, force: true }) })

  it('serves index.html at / with the strict CSP and the other protective headers', async () => {
    const res = await rawGet(server.port, '/')
    expect(res.status).to.equal(200)
    expect(res.body).to.include('<title>IMI</title>')
    expect(res.headers['content-type']).to.equal('text/html; charset=utf-8')
    expect(res.headers['content-security-policy']).to.equal(UI_CSP)
    expect(UI_CSP).to.equal("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
    expect(res.headers['x-content-type-options']).to.equal('nosniff')
    expect(res.headers['x-frame-options']).to.equal('DENY')
    expect(res.headers['referrer-policy']).to.equal('no-referrer')
    expect(res.headers['cache-control']).to.equal('no-cache')
  })

  it('serves assets with their content types, hashed names cached for good', async () => {
    const js = await rawGet(server.port, '/assets/app-ABCD1234.js')
    expect(js.status).to.equal(200)
    expect(js.headers['content-type']).to.equal('text/javascript; charset=utf-8')
    expect(js.headers['x-content-type-options']).to.equal('nosniff')
    expect(js.headers['cache-control']).to.equal('public, max-age=31536000, immutable')
    expect((await rawGet(server.port, '/assets/app-ABCD1234.css')).headers['content-type']).to.equal('text/css; charset=utf-8')
    const svg = await rawGet(server.port, '/assets/plain.svg')
    expect(svg.headers['content-type']).to.equal('image/svg+xml')
    expect(svg.headers['cache-control']).to.equal('no-cache')
    expect((await rawGet(server.port, '/assets/app-ABCD1234.js', 'HEAD')).status).to.equal(200)
  })

  it('serves nothing outside dist/assets, however the path is spelled', async () => {
    const attempts = [
      '/assets/../secret.js', '/assets/../../secret.js', '/assets/..%2fsecret.js', '/assets/..%2F..%2Fsecret.js', '/assets/%2e%2e%2fsecret.js',
      '/assets/..%5csecret.js', '/assets/%2e%2e/secret.js', '/%2e%2e/secret.js', '/secret.js', '/index.html/../secret.js', '/assets/',
      '/assets/.hidden.js', '/assets/notes.txt', '/assets/app-ABCD1234.js%00.css', '/assets/app-ABCD1234.js/', '/assets//etc/passwd',
      '/assets/%2fetc%2fpasswd', '/assets/....//secret.js', '/assets/sub/app-ABCD1234.js', '/assets/...js'
    ]
    for (const path of attempts) {
      const res = await rawGet(server.port, path)
      expect(res.status, path).to.be.oneOf([400, 404])
      expect(res.body, path).not.to.include('outside')
      expect(res.body, path).not.to.include('hidden')
      if (res.status === 404) expect(res.headers['x-content-type-options'], path).to.equal('nosniff')
    }
  })

  it('hands every /api path to the API untouched, and nothing else', async () => {
    apiCalls.length = 0
    expect(JSON.parse((await rawGet(server.port, '/api/v1/health')).body)).to.deep.equal({ api: true })
    expect((await rawGet(server.port, '/api')).status).to.equal(200)
    expect((await rawGet(server.port, '/apiary')).status).to.equal(404)
    expect((await rawGet(server.port, '/')).status).to.equal(200)
    expect(apiCalls).to.deep.equal(['/api/v1/health', '/api'])
  })

  it('says how to build the UI when it is not built', async () => {
    const empty = new Hono().route('/', webUiRoutes({ distDir: join(dir, 'nowhere') }))
    const res = await empty.request('/')
    expect(res.status).to.equal(503)
    expect(await res.text()).to.include('npm run build:ui')
  })
})
