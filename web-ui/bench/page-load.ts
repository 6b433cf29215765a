/**
 * How fast an official's pages come up from a local node, in real headless Chromium: a
 * Czech official's inbox (with 60 incoming requests), one request, compose, the directory
 * and the alerts, each loaded in full (a new document: HTML, bundle from the cache, the
 * session and the page's API calls, rendering) and changed to within the app (what a
 * click on a link does). A page counts as up when the app has rendered its heading and
 * cleared aria-busy.
 *
 * Floors, measured in the same browser on the same node: for a full load, a bare
 * navigation to one small static file the node serves (its icon); for a change within
 * the app, one API round trip from the page (GET /session), the least either can cost.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { percentile, result, type BenchResult } from '../../node/bench/stats.js'
import { eventually } from '../../node/test/fixtures/federation.js'
import { WEB_UI_DIST } from '../../node/src/api/ui-routes.js'
import { cs } from '../src/i18n/cs.js'
import { actorOf, checkPrerequisites, launchChromium, loggedIn, startUiFederation } from '../test/browser/harness.js'

const PAGES = ['#/inbox', '#/requests/{id}', '#/compose', '#/directory', '#/alerts'] as const
const READY = 'main:not([aria-busy]) h1:not([data-bench-old])'

async function timed (fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

/** Marks the heading on screen, so that waiting for READY waits for the next page's. */
async function markOld (page: Page): Promise<void> {
  // A string, evaluated in the page: this file is compiled for Node, without the DOM's types.
  await page.evaluate("for (const h of document.querySelectorAll('main h1')) h.setAttribute('data-bench-old', '')")
}

export async function benchPageLoad (rounds: number): Promise<BenchResult[]> {
  await checkPrerequisites()
  const ui = await startUiFederation([
    { country: 'CZ', authorities: [{ id: 'cz-brno', names: { cs: 'Živnostenský úřad Brno' } }], officials: [{ username: 'jana.dvorakova', language: 'cs', authority: 'cz-brno' }] },
    { country: 'PL', authorities: [{ id: 'pl-krakow', names: { pl: 'Urząd Miasta Krakowa' } }], officials: [{ username: 'piotr.nowak', language: 'pl', authority: 'pl-krakow' }] }
  ])
  const browser = await launchChromium()
  try {
    const cz = ui.nodes.get('CZ')!
    const pl = ui.nodes.get('PL')!
    const piotr = await actorOf(pl.node, 'piotr.nowak')
    const neededBy = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10)
    let id = ''
    for (let i = 0; i < 60; i++) {
      id = (await pl.node.requests.send(piotr, {
        area: 'services', to: { country: 'CZ', authority: 'cz-brno' }, questions: ['services.authorisation-valid'], neededBy, subject: { name: `Jan Kowalski ${i}` }
      })).id
    }
    await eventually(async () => (await cz.node.requests.log.record(id)) !== undefined, 30_000, 'the requests on CZ')

    // Logged in once the inbox is up (the log-in page has a heading too).
    const w = await loggedIn(browser, cz.origin, 'jana.dvorakova', 'cs', cs['requests.inbox.title'])
    const page = w.page
    const icon = /href="\/assets\/(icon-[^"]+\.svg)"/.exec(await readFile(join(WEB_UI_DIST, 'index.html'), 'utf8'))?.[1]
    if (icon === undefined) throw new Error('index.html names no icon')
    const hashes = PAGES.map((p) => p.replace('{id}', id))

    // Warm up: the bundle in the browser's cache, the node's code paths compiled.
    for (const hash of hashes) { await page.goto(`${cz.origin}/?warm${hash}`); await page.locator(READY).waitFor() }

    const floor: number[] = []
    const full: number[] = []
    const inApp: number[] = []
    const apiFloor: number[] = []
    for (let r = 0; r < rounds; r++) {
      for (const hash of hashes) {
        floor.push(await timed(async () => await page.goto(`${cz.origin}/assets/${icon}`)))
        // A new query string each time: a new document, not a same-document hash change.
        full.push(await timed(async () => { await page.goto(`${cz.origin}/?r=${r}${hash}`, { waitUntil: 'commit' }); await page.locator(READY).waitFor() }))
      }
      for (const hash of hashes) {
        apiFloor.push(await timed(async () => await page.evaluate(async () => await (await fetch('/api/v1/session')).text())))
        await markOld(page)
        inApp.push(await timed(async () => { await page.evaluate(`location.hash = ${JSON.stringify(hash)}`); await page.locator(READY).waitFor() }))
      }
    }
    if (w.errors.length > 0) throw new Error(`the pages logged errors: ${w.errors.join('; ')}`)
    await w.context.close()
    return [
      result('web UI full page load p50 (inbox, request, compose, directory, alerts)', percentile(full, 50), 'ms', percentile(floor, 50)),
      result('web UI full page load p99', percentile(full, 99), 'ms', percentile(floor, 99)),
      result('web UI in-app page change p50', percentile(inApp, 50), 'ms', percentile(apiFloor, 50)),
      result('web UI in-app page change p99', percentile(inApp, 99), 'ms', percentile(apiFloor, 99))
    ]
  } finally {
    await browser.close()
    await ui.close()
  }
}
