/**
 * The seeds' example through two real nodes' UIs in headless Chromium: a Czech official
 * (reading Czech) finds a Polish authority in the directory and sends two standard
 * questions; the Polish official (reading Polish) sees them in the inbox in Polish,
 * accepts and answers; the Czech official reads the answer in Czech and closes the
 * request with a rating. Along the way: keyboard-only log-in, the CSP header, output
 * escaping, no console errors, and no request leaving the node's own origin.
 */
import { expect } from 'chai'
import type { Browser, Page } from 'playwright-core'
import { catalogueText, renderQuestion } from '@imi/protocol'
import { UI_CSP } from '../../../node/src/api/ui-routes.js'
import { cs } from '../../src/i18n/cs.js'
import { en } from '../../src/i18n/en.js'
import { pl } from '../../src/i18n/pl.js'
import {
  PASSWORD, accessibilityViolations, actorOf, checkPrerequisites, launchChromium, screenshot, startUiFederation, until, watchedPage, type UiFederation, type Watched
} from './harness.js'

const HOSTILE_NAME = '<img src=x onerror="alert(1)">Izba <b>Rzemieślnicza</b>'
const Q_VALID = 'services.authorisation-valid'
const Q_FORM = 'services.legal-form'
const NATURAL_PERSON = 'services.legal-form.natural-person'

describe('the officials\' web UI in a real browser, through two nodes', function () {
  this.timeout(120_000)
  let ui: UiFederation
  let browser: Browser
  let czOrigin: string
  let plOrigin: string
  const timings: Record<string, number> = {}
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now()
    try { return await fn() } finally { timings[name] = Math.round(performance.now() - t0) }
  }

  before(async () => {
    await checkPrerequisites()
    ui = await timed('start two nodes and sync directories', async () => await startUiFederation([
      {
        country: 'CZ',
        authorities: [{ id: 'cz-brno', names: { cs: 'Živnostenský úřad Brno', en: 'Brno Trade Licensing Office' } }],
        officials: [{ username: 'jana.dvorakova', language: 'cs', authority: 'cz-brno' }, { username: 'petr.zamceny', language: 'cs', authority: 'cz-brno' }]
      },
      {
        country: 'PL',
        authorities: [{ id: 'pl-krakow', names: { pl: 'Urząd Miasta Krakowa' } }, { id: 'pl-hostile', names: { pl: HOSTILE_NAME } }],
        officials: [{ username: 'piotr.nowak', language: 'pl', authority: 'pl-krakow' }]
      }
    ]))
    czOrigin = ui.nodes.get('CZ')!.origin
    plOrigin = ui.nodes.get('PL')!.origin
    browser = await timed('launch chromium', launchChromium)
  })

  after(async () => {
    await browser?.close()
    await ui?.close()
    process.stdout.write(`      browser test timings (ms): ${JSON.stringify(timings)}\n`)
  })

  afterEach(() => {
    expect(serious, 'serious accessibility violations (axe-core)').to.deep.equal({})
  })

  const assertClean = (w: Watched, origin: string): void => {
    expect(w.errors, 'console errors').to.deep.equal([])
    expect(w.offOrigin, 'requests off the origin').to.deep.equal([])
    expect(w.requests.length).to.be.greaterThan(0)
    for (const url of w.requests) expect(new URL(url).origin, url).to.equal(origin)
    for (const url of w.requests) expect(new URL(url).hostname, url).to.equal('127.0.0.1')
  }

  /** Serious and critical axe-core findings per page; lesser ones are listed in the output. */
  const serious: Record<string, string[]> = {}
  const checkA11y = async (page: Page, name: string): Promise<void> => {
    const found = await accessibilityViolations(page)
    const bad = found.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    if (bad.length > 0) serious[name] = bad.map((v) => `${v.impact} ${v.id}: ${v.targets.join(', ')}`)
    const minor = found.filter((v) => !bad.includes(v))
    if (minor.length > 0) process.stdout.write(`      axe (${name}): ${minor.map((v) => `${v.impact} ${v.id}`).join(', ')}\n`)
  }

  const statusIs = async (page: Page, text: string): Promise<boolean> =>
    await page.locator('dl.summary .badge', { hasText: text }).count() > 0

  it('serves the page with a strict CSP and the assets with their types', async () => {
    const res = await fetch(`${czOrigin}/`)
    expect(res.status).to.equal(200)
    expect(res.headers.get('content-security-policy')).to.equal(UI_CSP)
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff')
    expect(res.headers.get('content-type')).to.equal('text/html; charset=utf-8')
    const html = await res.text()
    const script = /src="(\/assets\/app-[^"]+\.js)"/.exec(html)?.[1]
    expect(script).to.be.a('string')
    const js = await fetch(`${czOrigin}${script!}`)
    expect(js.headers.get('content-type')).to.equal('text/javascript; charset=utf-8')
    // The API keeps its own JSON-only headers under the same origin.
    const api = await fetch(`${czOrigin}/api/v1/health`)
    expect(api.headers.get('content-security-policy')).to.equal("default-src 'none'; frame-ancestors 'none'")
  })

  it('tells a wrong password from a locked account, in the browser\'s language', async () => {
    const w = await watchedPage(browser, czOrigin, 'cs-CZ', 'Europe/Prague')
    const { page } = w
    await page.goto(`${czOrigin}/`)
    await page.getByLabel(cs['login.username']).fill('petr.zamceny')
    const tryPassword = async (): Promise<string> => {
      await page.getByLabel(cs['login.password']).fill('not the password')
      await page.getByRole('button', { name: cs['login.submit'] }).click()
      await page.locator('form.login:not([aria-busy])').waitFor()
      return await page.getByRole('alert').innerText()
    }
    expect(await tryPassword()).to.equal(cs['login.error.credentials'])
    let text = ''
    for (let i = 0; i < 6 && !text.includes('15'); i++) text = await tryPassword()
    expect(text).to.equal(cs['login.error.locked'].replace('{minutes}', '15'))
    await screenshot(page, 'login-locked-cs')
    await w.context.close()
  })

  it('takes a request from the Czech UI to the Polish UI and back to closure', async () => {
    const czech = await watchedPage(browser, czOrigin, 'cs-CZ', 'Europe/Prague')
    const page = czech.page

    // Keyboard only: the username field has focus on arrival; Tab to the password, Enter to log in.
    const response = await timed('cz: first page load', async () => await page.goto(`${czOrigin}/`))
    expect(response!.headers()['content-security-policy']).to.equal(UI_CSP)
    await page.getByRole('heading', { level: 1, name: cs['login.title'] }).waitFor()
    expect(await page.locator('input[name="username"]:focus').count(), 'username focused').to.equal(1)
    await checkA11y(page, 'login')
    await timed('cz: keyboard log-in to inbox', async () => {
      await page.keyboard.type('jana.dvorakova')
      await page.keyboard.press('Tab')
      expect(await page.locator('input[name="password"]:focus').count(), 'password focused after Tab').to.equal(1)
      await page.keyboard.type(PASSWORD)
      await page.keyboard.press('Enter')
      await page.getByRole('heading', { level: 1, name: cs['requests.inbox.title'] }).waitFor()
    })
    expect(await page.locator('html').getAttribute('lang')).to.equal('cs')
    expect(await page.getByRole('navigation', { name: cs['nav.label'] }).count()).to.equal(1)
    expect(await page.getByRole('main').count()).to.equal(1)
    await checkA11y(page, 'inbox')

    // The directory: the Polish authority, and a hostile name shown as text, not markup.
    await page.getByRole('link', { name: cs['nav.directory'] }).click()
    await page.getByRole('heading', { level: 1, name: cs['directory.title'] }).waitFor()
    await page.getByLabel(cs['directory.query']).fill('Krakowa')
    await page.getByLabel(cs['directory.country']).selectOption('PL')
    await timed('cz: directory search', async () => {
      await page.getByRole('button', { name: cs['directory.search'] }).click()
      await page.getByRole('heading', { level: 3, name: 'Urząd Miasta Krakowa' }).waitFor()
    })
    expect(await page.locator('table.data tbody tr').count(), 'directory copies listed').to.be.greaterThan(0)
    await screenshot(page, 'directory-cs')
    await checkA11y(page, 'directory')
    await page.getByLabel(cs['directory.query']).fill('Rzemieślnicza')
    await page.getByRole('button', { name: cs['directory.search'] }).click()
    await page.getByRole('heading', { level: 3, name: HOSTILE_NAME }).waitFor()
    expect(await page.locator('main img, main b, main script').count(), 'markup from the directory').to.equal(0)

    // Compose: recipient from the directory, two standard questions in Czech, the subject, send.
    await page.getByRole('link', { name: cs['nav.compose'] }).click()
    await page.getByRole('heading', { level: 1, name: cs['compose.title'] }).waitFor()
    await page.getByLabel(cs['compose.search'], { exact: true }).fill('krakow')
    await page.getByLabel(cs['compose.country']).selectOption('PL')
    await page.getByLabel(cs['compose.search'], { exact: true }).press('Enter')
    await page.getByLabel(/Urząd Miasta Krakowa/).check()
    await page.getByLabel(renderQuestion(Q_VALID, 'cs').text).check()
    await page.getByLabel(renderQuestion(Q_FORM, 'cs').text).check()
    await page.getByLabel(cs['subject.name']).fill('Stanisław Wiśniewski')
    await page.getByLabel(cs['subject.registrationNumber']).fill('PL-2011-0042')
    await screenshot(page, 'compose-cs')
    await checkA11y(page, 'compose')
    await timed('cz: send request', async () => {
      await page.getByRole('button', { name: cs['compose.send'] }).click()
      await page.getByRole('heading', { level: 1, name: new RegExp(cs['request.outgoing']) }).waitFor()
    })
    expect(page.url()).to.match(/#\/requests\/[A-Za-z0-9_-]{22}$/)
    expect(await statusIs(page, cs['status.sent'])).to.equal(true)

    // The Polish official, in another browser context, reads it in Polish.
    const polish = await watchedPage(browser, plOrigin, 'pl-PL', 'Europe/Warsaw')
    const p = polish.page
    await p.goto(`${plOrigin}/`)
    await p.getByLabel(pl['login.username']).fill('piotr.nowak')
    await p.getByLabel(pl['login.password']).fill(PASSWORD)
    await p.getByRole('button', { name: pl['login.submit'] }).click()
    await p.getByRole('heading', { level: 1, name: pl['requests.inbox.title'] }).waitFor()
    await timed('pl: request arrives in the inbox', async () => {
      await until('the request in the Polish inbox', async () => {
        if (await p.getByRole('link', { name: pl['area.services'] }).count() > 0) return true
        await p.getByRole('button', { name: pl['requests.refresh'] }).click()
        return false
      })
    })
    await screenshot(p, 'inbox-pl')
    await checkA11y(p, 'inbox with a request')
    await p.getByRole('link', { name: pl['area.services'] }).click()
    const qValid = renderQuestion(Q_VALID, 'pl')
    const qForm = renderQuestion(Q_FORM, 'pl')
    await p.getByText(qValid.text, { exact: true }).first().waitFor()
    await p.getByText(qForm.text, { exact: true }).first().waitFor()
    expect(await p.getByText(pl['request.subjectAfterAccept']).count()).to.equal(1)

    await p.getByRole('button', { name: pl['action.accept.submit'], exact: true }).click()
    await p.getByRole('heading', { level: 3, name: pl['action.answer.title'] }).waitFor()
    expect(await statusIs(p, pl['status.accepted'])).to.equal(true)
    const yes = qValid.options.find((o) => o.id === 'yes')!.text
    await p.getByRole('group', { name: qValid.text }).getByLabel(yes, { exact: true }).check()
    const formGroup = p.getByRole('group', { name: qForm.text })
    await formGroup.getByLabel(pl['answer.value'], { exact: true }).selectOption(NATURAL_PERSON)
    await formGroup.getByLabel(pl['answer.comment'], { exact: true }).fill('jednoosobowa działalność gospodarcza')
    await screenshot(p, 'request-answer-pl')
    await checkA11y(p, 'request with the answer form')
    await p.getByRole('button', { name: pl['action.answer.submit'] }).click()
    await until('answered on PL', async () => await statusIs(p, pl['status.answered']))
    await screenshot(p, 'request-answered-pl')

    // Back in Czech: the answer reads in Czech (the comment as written), then close with a rating.
    await timed('cz: answer arrives', async () => {
      await until('the answer on the Czech node', async () => {
        await page.reload()
        await page.getByRole('heading', { level: 1, name: new RegExp(cs['request.outgoing']) }).waitFor()
        return await statusIs(page, cs['status.answered'])
      })
    })
    const yesCs = renderQuestion(Q_VALID, 'cs').options.find((o) => o.id === 'yes')!.text
    const naturalPersonCs = catalogueText(NATURAL_PERSON, 'cs').text
    const questions = page.locator('ol.questions')
    expect(await questions.getByText(yesCs, { exact: true }).count()).to.equal(1)
    expect(await questions.getByText(naturalPersonCs, { exact: true }).count()).to.equal(1)
    expect(await questions.getByText('jednoosobowa działalność gospodarcza').count()).to.equal(1)
    await checkA11y(page, 'answered request with the close form')
    // A forged post riding on the session cookie but without the CSRF token is refused.
    const requestId = /#\/requests\/([A-Za-z0-9_-]{22})$/.exec(page.url())![1]!
    const forged = await czech.context.request.post(`${czOrigin}/api/v1/requests/${requestId}/close`, { data: { rating: { timeliness: 1, effort: 1 } } })
    expect(forged.status()).to.equal(403)
    expect((await forged.json() as { error: { code: string } }).error.code).to.equal('ERR_CSRF')
    await page.getByRole('group', { name: cs['action.close.timeliness'] }).getByLabel('5', { exact: true }).check()
    await page.getByRole('group', { name: cs['action.close.effort'] }).getByLabel('4', { exact: true }).check()
    await page.getByRole('button', { name: cs['action.close.submit'] }).click()
    await until('closed on CZ', async () => await statusIs(page, cs['status.closed']))
    expect(await page.getByText(cs['event.rating'].replace('{timeliness}', '5').replace('{effort}', '4')).count()).to.be.greaterThan(0)
    await screenshot(page, 'request-closed-cs')
    // On a tablet in portrait the page reflows: nothing wider than the screen.
    await page.setViewportSize({ width: 768, height: 1024 })
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), 'horizontal scrolling at 768 px').to.equal(true)
    await screenshot(page, 'request-closed-cs-tablet')
    await page.setViewportSize({ width: 1280, height: 900 })

    // The Polish side sees the closure too.
    await until('closed on PL', async () => { await p.reload(); await p.getByRole('heading', { level: 1 }).waitFor(); return await statusIs(p, pl['status.closed']) })

    // The outbox filtered to closed requests lists it; the switcher turns the interface to English.
    await page.getByRole('navigation').getByRole('link', { name: cs['nav.outbox'] }).click()
    await page.getByLabel(cs['requests.filter.status']).selectOption('closed')
    await page.getByRole('button', { name: cs['requests.filter.apply'] }).click()
    await page.getByRole('link', { name: cs['area.services'] }).waitFor()
    expect(page.url()).to.match(/#\/outbox\?status=closed$/)
    await page.getByLabel(cs['app.language']).selectOption('en')
    await page.getByRole('heading', { level: 1, name: en['requests.outbox.title'] }).waitFor()
    expect(await page.locator('html').getAttribute('lang')).to.equal('en')
    expect(await page.getByRole('link', { name: en['nav.directory'] }).count()).to.equal(1)
    await page.getByLabel(en['app.language']).selectOption('cs')
    await page.getByRole('heading', { level: 1, name: cs['requests.outbox.title'] }).waitFor()

    assertClean(czech, czOrigin)
    assertClean(polish, plOrigin)
    await czech.context.close()
    await polish.context.close()
  })

  it('lists an alert from another state and shows it in full to an alert handler', async () => {
    const pl = ui.nodes.get('PL')!.node
    await pl.alerts.issue(await actorOf(pl, 'piotr.nowak'), {
      area: 'services', type: 'services-risk', to: 'all',
      content: { description: 'Niebezpieczne instalacje gazowe wykonywane bez uprawnień.', concerned: { name: 'Gaz-Instal sp. z o.o.', registrationNumber: 'KRS 0000123456' } }
    })
    const czech = await watchedPage(browser, czOrigin, 'cs-CZ', 'Europe/Prague')
    const page = czech.page
    await page.goto(`${czOrigin}/#/alerts`)
    await page.getByLabel(cs['login.username']).fill('jana.dvorakova')
    await page.getByLabel(cs['login.password']).fill(PASSWORD)
    await page.getByRole('button', { name: cs['login.submit'] }).click()
    await page.getByRole('heading', { level: 1, name: cs['alerts.title'] }).waitFor()
    await until('the alert on the Czech node', async () => {
      if (await page.getByRole('link', { name: cs['alertType.services-risk'] }).count() > 0) return true
      await page.reload()
      await page.getByRole('heading', { level: 1, name: cs['alerts.title'] }).waitFor()
      return false
    })
    await checkA11y(page, 'alerts')
    await page.getByRole('link', { name: cs['alertType.services-risk'] }).click()
    await page.getByText('Niebezpieczne instalacje gazowe wykonywane bez uprawnień.').waitFor()
    expect(await page.getByText(`${cs['subject.name']}: Gaz-Instal sp. z o.o.`).count()).to.equal(1)
    expect(await page.getByText(cs['alert.addressed.all']).count()).to.equal(1)
    await screenshot(page, 'alert-cs')
    await checkA11y(page, 'alert')
    // Log-out ends the session on the node: a reload shows the log-in page again.
    await page.getByRole('button', { name: cs['nav.logout'] }).click()
    await page.getByText(cs['app.loggedOut']).waitFor()
    await page.reload()
    await page.getByRole('heading', { level: 1, name: cs['login.title'] }).waitFor()
    expect((await czech.context.request.get(`${czOrigin}/api/v1/session`)).status()).to.equal(401)
    assertClean(czech, czOrigin)
    await czech.context.close()
  })
})
