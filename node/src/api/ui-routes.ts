/**
 * The officials' web UI, served by the node itself from web-ui/dist (built by
 * `npm run build:ui`): index.html at `/`, the bundle under `/assets/`. Nothing comes from
 * anywhere else, and the Content Security Policy says so to the browser: scripts, styles
 * and connections from this origin only, no inline code, no framing.
 *
 * Kept apart from createApiApp: the API's headers (a JSON-only CSP, no-store) would be
 * wrong for pages and cacheable assets, and the UI needs no authentication to be loaded
 * (it logs in through the API). withWebUi() puts both on one origin.
 */
import { readFile } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'
import { Hono, type Context } from 'hono'
import { INSTALL_ROOT } from '../install-root.js'

/** Where `npm run build:ui` writes, in the installed checkout. */
export const WEB_UI_DIST = join(INSTALL_ROOT, 'web-ui', 'dist')

export const UI_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': UI_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()'
}

/** The only files served, by extension: anything else in dist/assets is not ours to serve. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2'
}

/** One file name: letters, digits, '-', '_', dot-separated parts; no leading dot, no separators, no '..'. */
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+$/
/** A name with a content hash (app-L6LMOZ5U.js) never changes content: cached for good. */
const HASHED = /-[A-Za-z0-9]{8,}\.[a-z0-9]+$/

export interface WebUiInit {
  /** The built UI; defaults to the repository's web-ui/dist. */
  readonly distDir?: string
}

function respond (c: Context, status: 200 | 404 | 503, body: string | Uint8Array, type: string, cache: string): Response {
  for (const [name, value] of Object.entries(COMMON_HEADERS)) c.header(name, value)
  c.header('Content-Type', type)
  c.header('Cache-Control', cache)
  return c.body(typeof body === 'string' ? body : new Uint8Array(body), status)
}

async function readOrUndefined (path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined
    throw err
  }
}

export function webUiRoutes (init: WebUiInit = {}): Hono {
  const dist = resolve(init.distDir ?? WEB_UI_DIST)
  const assets = join(dist, 'assets')
  const notFound = (c: Context): Response => respond(c, 404, 'not found\n', 'text/plain; charset=utf-8', 'no-store')
  const app = new Hono()
  app.get('/', async (c) => {
    const html = await readOrUndefined(join(dist, 'index.html'))
    if (html === undefined) return respond(c, 503, 'the web UI is not built: run npm run build:ui\n', 'text/plain; charset=utf-8', 'no-store')
    // Revalidated on every load, so a rebuilt UI (new asset names) is picked up at once.
    return respond(c, 200, html, 'text/html; charset=utf-8', 'no-cache')
  })
  app.get('/assets/:name', async (c) => {
    const name = c.req.param('name')
    const type = CONTENT_TYPES[extname(name).toLowerCase()]
    if (!ASSET_NAME.test(name) || name.includes('..') || type === undefined) return notFound(c)
    const path = resolve(assets, name)
    // Belt and braces: the name check already keeps the path inside assets/.
    if (!path.startsWith(assets + sep)) return notFound(c)
    const bytes = await readOrUndefined(path)
    if (bytes === undefined) return notFound(c)
    return respond(c, 200, bytes, type, HASHED.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache')
  })
  app.notFound(notFound)
  return app
}

/** What an API app offers to be served: its fetch handler. */
export interface FetchApp {
  fetch (request: Request, env?: unknown): Response | Promise<Response>
}

/**
 * One origin for the UI and the API: every path under /api goes to `api` untouched (its
 * own headers, authentication and JSON errors), everything else to the UI routes.
 */
export function withWebUi (api: FetchApp, ui: Hono = webUiRoutes()): Hono {
  const app = new Hono()
  const toApi = async (c: Context): Promise<Response> => await api.fetch(c.req.raw, c.env)
  app.all('/api', toApi)
  app.all('/api/*', toApi)
  app.route('/', ui)
  app.notFound((c) => respond(c, 404, 'not found\n', 'text/plain; charset=utf-8', 'no-store'))
  return app
}
