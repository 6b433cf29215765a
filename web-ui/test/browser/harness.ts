/**
 * What the browser tests stand on: real nodes (the integration fixtures' federation),
 * each serving its API and the built UI on one loopback origin exactly as a node would
 * (withWebUi), officials seeded the way a coordinator creates them, and headless
 * Debian Chromium driven by playwright-core. A missing Chromium or an unbuilt UI is a
 * failure with the fix in its message, never a skip.
 */
import { access, mkdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import type { LegislativeArea } from '@imi/protocol'
import { createApiApp, startApiServer, type ApiServer, type ImiNode, type NodeOverrides } from '@imi/node'
import { WEB_UI_DIST, withWebUi } from '../../../node/src/api/ui-routes.js'
import type { Actor, RoleGrant } from '../../../node/src/services/accounts/permissions.js'
import { eventually, makeFederation, type TestFederation } from '../../../node/test/fixtures/federation.js'

export const PASSWORD = 'correct horse battery'
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const SCREENSHOTS = join(import.meta.dirname, '../../../test-output/screenshots')
const TOKEN = 'tok_0123456789abcdefghijklmnopqrstuvwxyzABCDEF'
const OPERATOR: Actor = { kind: 'operator' }

export interface Authority { readonly id: string, readonly names: Record<string, string>, readonly areas?: LegislativeArea[] }
export interface Official {
  readonly username: string
  readonly language: string
  readonly authority: string
  /** Request and alert handler in services unless given. */
  readonly grants?: RoleGrant[]
  readonly email?: string
}
export interface StateSetup {
  readonly country: string
  readonly authorities: Authority[]
  readonly officials: Official[]
  /** The coordinator's account language. */
  readonly coordinatorLanguage?: string
  readonly overrides?: NodeOverrides
  /** Node settings (imi.json sections), e.g. a short notification comment period. */
  readonly settings?: Record<string, unknown>
}

export interface UiNode { readonly node: ImiNode, readonly server: ApiServer, readonly origin: string }

export interface UiFederation {
  readonly fed: TestFederation
  readonly nodes: ReadonlyMap<string, UiNode>
  close (): Promise<void>
}

/** Fails with the remedy when Chromium or the built UI is missing. */
export async function checkPrerequisites (): Promise<void> {
  try {
    await access(CHROMIUM_PATH)
  } catch {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y --no-install-recommends chromium) or set CHROMIUM_PATH`)
  }
  try {
    await access(join(WEB_UI_DIST, 'index.html'))
  } catch {
    throw new Error(`the web UI is not built (${WEB_UI_DIST}): run npm run build:ui first (npm run test:browser does)`)
  }
  await mkdir(SCREENSHOTS, { recursive: true })
}

async function seed (node: ImiNode, setup: StateSetup): Promise<void> {
  const cc = setup.country.toLowerCase()
  await node.accounts.createCoordinator(OPERATOR, {
    username: `nimic.${cc}`, displayName: `Coordinator ${setup.country}`, password: PASSWORD, ...(setup.coordinatorLanguage !== undefined && { language: setup.coordinatorLanguage as 'cs' })
  })
  const nimic = (await node.accounts.authenticate((await node.accounts.login(`nimic.${cc}`, PASSWORD)).token)).actor
  for (const a of setup.authorities) await node.accounts.registerAuthority(nimic, { ...a, areas: a.areas ?? ['services'], competences: ['trade licensing'] })
  for (const o of setup.officials) {
    await node.accounts.createUser(nimic, o.authority, {
      username: o.username, displayName: o.username, password: PASSWORD, language: o.language as 'cs', ...(o.email !== undefined && { email: o.email }),
      grants: o.grants ?? [{ area: 'services', role: 'request-handler' }, { area: 'services', role: 'alert-handler' }]
    })
  }
}

/** Starts one node per state, seeds it, waits until every node's directory lists every authority, and serves API + UI. */
export async function startUiFederation (states: StateSetup[]): Promise<UiFederation> {
  const fed = await makeFederation(states.map((s) => s.country))
  const nodes = new Map<string, UiNode>()
  try {
    for (const s of states) {
      const node = await fed.start(s.country, s.overrides ?? {}, s.settings ?? {})
      await seed(node, s)
      const server = await startApiServer(withWebUi(createApiApp(node, { token: TOKEN })), { host: '127.0.0.1', port: 0 })
      nodes.set(s.country, { node, server, origin: server.url })
    }
    for (const { node } of nodes.values()) {
      for (const s of states) {
        for (const a of s.authorities) {
          await eventually(async () => { await node.directory.refreshCountry(s.country); return node.directory.authority(s.country, a.id) }, 30_000, `${s.country}/${a.id} in the directory`)
        }
      }
    }
  } catch (err) {
    await Promise.all([...nodes.values()].map(async (n) => { await n.server.close() }))
    await fed.close()
    throw err
  }
  return {
    fed,
    nodes,
    close: async () => {
      await Promise.all([...nodes.values()].map(async (n) => { await n.server.close() }))
      await fed.close()
    }
  }
}

export async function launchChromium (): Promise<Browser> {
  return await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true })
}

/** What a page did that a test asserts on afterwards: console errors, requests, and anything aimed off the origin (aborted). */
export interface Watched {
  readonly page: Page
  readonly errors: string[]
  readonly requests: string[]
  readonly offOrigin: string[]
}

/** An official's actor on a node, for setting up what the UI under test then shows. */
export async function actorOf (node: ImiNode, username: string): Promise<Actor> {
  return (await node.accounts.authenticate((await node.accounts.login(username, PASSWORD)).token)).actor
}

/** A page in its own context (its own cookies), in `locale`, that may talk to `origin` only. */
export async function watchedPage (browser: Browser, origin: string, locale: string, timezoneId = 'Europe/Brussels'): Promise<Watched & { context: BrowserContext }> {
  const context = await browser.newContext({ locale, timezoneId, viewport: { width: 1280, height: 900 } })
  // A missing element fails the test in 15 s, not 30: nothing here should take that long.
  context.setDefaultTimeout(15_000)
  const offOrigin: string[] = []
  await context.route('**/*', async (route) => {
    const url = route.request().url()
    if (new URL(url).origin === origin) { await route.continue(); return }
    offOrigin.push(url)
    await route.abort()
  })
  const page = await context.newPage()
  const errors: string[] = []
  const requests: string[] = []
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
  page.on('pageerror', (e) => { errors.push(e.message) })
  page.on('request', (r) => { requests.push(r.url()) })
  page.on('dialog', (d) => { errors.push(`dialog opened: ${d.message()}`); void d.dismiss() })
  return { context, page, errors, requests, offOrigin }
}

/** axe-core's violations on the page as it stands, worst first: "impact id (n elements)". */
export async function accessibilityViolations (page: Page): Promise<Array<{ impact: string, id: string, targets: string[] }>> {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
  // Evaluated through the DevTools protocol, so the page's CSP (no inline script) does not apply to the checker.
  await page.evaluate(axeSource)
  return await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
    impact: v.impact ?? 'unknown', id: v.id, targets: v.nodes.map((n) => n.target.join(' '))
  })))`)
}
let axeSource: string | undefined

export async function screenshot (page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
}

/** Polls `check` (which may click Refresh or reload) until it holds. */
export async function until (what: string, check: () => Promise<boolean>, timeoutMs = 20_000, intervalMs = 400): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/** Opens the UI in its own context and logs in through the form; resolves on the first page's heading. */
export async function loggedIn (browser: Browser, origin: string, username: string, locale: string, heading: string | RegExp, hash = ''): Promise<Watched & { context: BrowserContext }> {
  const w = await watchedPage(browser, origin, locale)
  await w.page.goto(`${origin}/${hash}`)
  await w.page.locator('input[name="username"]').fill(username)
  await w.page.locator('input[name="password"]').fill(PASSWORD)
  await w.page.locator('form.login button[type="submit"]').click()
  await w.page.getByRole('heading', { level: 1, name: heading }).waitFor()
  return w
}

/** Collects serious and critical axe-core findings per page; the test asserts the collection is empty. */
export function a11yChecker (): { serious: Record<string, string[]>, check: (page: Page, name: string) => Promise<void> } {
  const serious: Record<string, string[]> = {}
  return {
    serious,
    check: async (page, name) => {
      const found = await accessibilityViolations(page)
      const bad = found.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      if (bad.length > 0) serious[name] = bad.map((v) => `${v.impact} ${v.id}: ${v.targets.join(', ')}`)
      const minor = found.filter((v) => !bad.includes(v))
      if (minor.length > 0) process.stdout.write(`      axe (${name}): ${minor.map((v) => `${v.impact} ${v.id}`).join(', ')}\n`)
    }
  }
}

/** No console errors, no request off the node's origin. */
export function cleanRun (w: Watched, origin: string): { errors: string[], offOrigin: string[], foreign: string[] } {
  // A refusal the test provoked on purpose (403, 400) is logged by Chromium as a failed load; the page shows it.
  const errors = w.errors.filter((e) => !/^Failed to load resource: the server responded with a status of 4\d\d/.test(e))
  return { errors, offOrigin: w.offOrigin, foreign: w.requests.filter((u) => new URL(u).origin !== origin) }
}
