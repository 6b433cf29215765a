/**
 * Supervision in a real browser, over two nodes with requests between them: the Czech
 * national coordinator (reading Czech) sees the state's requests and their deadlines,
 * filters them by status and by text, opens one without its personal data, reads the
 * performance indicators as SVG charts with their figures, and the audit trail with a
 * check of its chain; the Polish official filters the inbox by text and "overdue only".
 */
import { expect } from 'chai'
import type { Browser } from 'playwright-core'
import type { RequestState } from '@imi/protocol'
import { eventually } from '../../../node/test/fixtures/federation.js'
import { addDays, todayIso } from '../../src/format.js'
import { cs } from '../../src/i18n/cs.js'
import { pl } from '../../src/i18n/pl.js'
import { a11yChecker, actorOf, checkPrerequisites, cleanRun, launchChromium, loggedIn, screenshot, startUiFederation, type UiFederation } from './harness.js'

const Q = 'services.authorisation-valid'

describe('supervision in a real browser: the state\'s requests, indicators and audit trail', function () {
  this.timeout(120_000)
  let ui: UiFederation
  let browser: Browser
  let czOrigin: string
  let plOrigin: string
  let answered: RequestState
  let waiting: RequestState
  const a11y = a11yChecker()

  before(async () => {
    await checkPrerequisites()
    ui = await startUiFederation([
      {
        country: 'CZ', coordinatorLanguage: 'cs',
        authorities: [{ id: 'cz-brno', names: { cs: 'Živnostenský úřad Brno' } }, { id: 'cz-praha', names: { cs: 'Živnostenský úřad Praha' } }],
        officials: [{ username: 'jana.dvorakova', language: 'cs', authority: 'cz-brno' }]
      },
      { country: 'PL', authorities: [{ id: 'pl-krakow', names: { pl: 'Urząd Miasta Krakowa' } }], officials: [{ username: 'piotr.nowak', language: 'pl', authority: 'pl-krakow' }] }
    ])
    czOrigin = ui.nodes.get('CZ')!.origin
    plOrigin = ui.nodes.get('PL')!.origin
    const cz = ui.nodes.get('CZ')!.node
    const plNode = ui.nodes.get('PL')!.node
    const jana = await actorOf(cz, 'jana.dvorakova')
    const piotr = await actorOf(plNode, 'piotr.nowak')
    const neededBy = addDays(todayIso(new Date()), 10)
    const send = async (name: string): Promise<RequestState> =>
      await cz.requests.send(jana, { area: 'services', to: { country: 'PL', authority: 'pl-krakow' }, questions: [Q], neededBy, subject: { name } })
    answered = await send('Stavby Novák s.r.o.')
    waiting = await send('Malíř Dvořák')
    await eventually(async () => await plNode.requests.list(piotr).then((l) => l.length === 2 ? true : undefined), 20_000, 'both requests on PL')
    await plNode.requests.act(piotr, answered.id, 'accept')
    await plNode.requests.act(piotr, answered.id, 'answer', { fields: { questions: [Q], final: true }, personalData: { answers: [{ question: Q, value: { type: 'yes-no', value: true } }] } })
    await eventually(async () => (await cz.requests.get(jana, answered.id)).state.status === 'answered' ? true : undefined, 20_000, 'the answer on CZ')
    browser = await launchChromium()
  })

  after(async () => {
    await browser?.close()
    await ui?.close()
  })

  afterEach(() => { expect(a11y.serious, 'serious accessibility violations (axe-core)').to.deep.equal({}) })

  it('shows the coordinator the state\'s requests, filtered by status and by text', async () => {
    const w = await loggedIn(browser, czOrigin, 'nimic.cz', 'cs-CZ', cs['oversight.title'])
    const { page } = w
    expect(await page.getByRole('navigation').getByRole('link', { name: cs['nav.oversight'] }).getAttribute('aria-current')).to.equal('page')
    await page.getByRole('heading', { level: 2, name: cs['oversight.overdue.title'].replace('{count}', '0') }).waitFor()
    await page.getByRole('heading', { level: 2, name: cs['oversight.escalated.title'].replace('{count}', '0') }).waitFor()
    const all = page.getByRole('region', { name: cs['oversight.all.title'] })
    expect(await all.locator('tbody tr').count()).to.equal(2)
    await a11y.check(page, 'oversight')
    await screenshot(page, 'oversight-cs')

    // Text: the start of one request's id leaves that one; the counter says so.
    await all.getByLabel(cs['common.search']).fill(waiting.id.slice(0, 8))
    await all.getByText(cs['common.shown'].replace('{shown}', '1').replace('{total}', '2')).waitFor()
    expect(await all.locator('tbody tr:not([hidden])').count()).to.equal(1)
    expect(decodeURIComponent(page.url())).to.include(`q=${waiting.id.slice(0, 8)}`)
    await all.getByLabel(cs['common.search']).fill('krakow polsko')
    expect(await all.locator('tbody tr:not([hidden])').count()).to.equal(2)

    // Status: asked of the node.
    await all.getByLabel(cs['requests.filter.status']).selectOption('answered')
    await all.getByRole('button', { name: cs['requests.filter.apply'] }).click()
    await page.waitForURL(/status=answered/)
    await until(async () => await page.getByRole('region', { name: cs['oversight.all.title'] }).locator('tbody tr').count() === 1)

    // One request, as the coordinator sees it: no personal data.
    await page.getByRole('region', { name: cs['oversight.all.title'] }).getByRole('link', { name: new RegExp(cs['area.services']) }).click()
    await page.getByText(cs['request.subjectHidden']).waitFor()
    expect(await page.getByText('Stavby Novák s.r.o.').count()).to.equal(0)
    expect(cleanRun(w, czOrigin)).to.deep.equal({ errors: [], offOrigin: [], foreign: [] })
    await w.context.close()
  })

  it('draws the performance indicators as charts with their figures, for the state and one authority', async () => {
    const w = await loggedIn(browser, czOrigin, 'nimic.cz', 'cs-CZ', cs['indicators.title'], '#/indicators')
    const { page } = w
    const charts = page.locator('figure.chart svg[role="img"]')
    expect(await charts.count()).to.be.at.least(4)
    const requesting = page.getByRole('img', { name: cs['indicators.percentChart'].replace('{title}', cs['indicators.requesting.title']) })
    expect(await requesting.locator('rect').count()).to.equal(2)
    // Answered within the agreed date: one of one, 100 %, rated good (colour and word).
    const section = page.getByRole('region', { name: cs['indicators.requesting.title'] })
    expect(await section.locator('rect.bar-good').count()).to.be.at.least(1)
    await section.getByText(cs['common.figures']).click()
    await section.getByRole('cell', { name: /100\s%/ }).first().waitFor()
    expect(await page.locator('main svg *[style], main svg script').count(), 'no inline styles or scripts in the SVG').to.equal(0)
    await a11y.check(page, 'indicators')
    await screenshot(page, 'indicators-cs')
    // On a tablet in portrait the charts shrink with the page: nothing wider than the screen.
    await page.setViewportSize({ width: 768, height: 1024 })
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), 'horizontal scrolling at 768 px').to.equal(true)
    await screenshot(page, 'indicators-cs-tablet')
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.getByLabel(cs['indicators.authority'], { exact: true }).selectOption('cz-brno')
    await page.getByRole('button', { name: cs['indicators.apply'] }).click()
    await page.waitForURL(/authority=cz-brno/)
    await page.getByRole('heading', { level: 1, name: cs['indicators.title'] }).waitFor()
    // The page renders the authority's figures after the address changes: wait for the state-wide breakdown to go.
    await page.getByRole('region', { name: cs['indicators.byAuthority.title'] }).waitFor({ state: 'detached' })
    expect(cleanRun(w, czOrigin)).to.deep.equal({ errors: [], offOrigin: [], foreign: [] })
    await w.context.close()
  })

  it('lists the audit trail and verifies its chain', async () => {
    // An official's read of the subject is what the trail records.
    const cz = ui.nodes.get('CZ')!.node
    await cz.requests.get(await actorOf(cz, 'jana.dvorakova'), answered.id)
    const w = await loggedIn(browser, czOrigin, 'nimic.cz', 'cs-CZ', cs['audit.title'], '#/audit')
    const { page } = w
    const row = page.getByRole('row', { name: /jana\.dvorakova \(cz-brno\)/ }).first()
    await row.waitFor()
    expect(await row.getByText(cs['audit.action.read']).count()).to.equal(1)
    await page.getByRole('button', { name: cs['audit.verify'] }).click()
    await page.getByText(/Auditní záznam je neporušený/).waitFor()
    await page.getByLabel(cs['audit.kind']).selectOption('alert')
    await page.getByRole('button', { name: cs['audit.apply'] }).click()
    await page.getByText(cs['audit.empty']).waitFor()
    await a11y.check(page, 'audit')
    await screenshot(page, 'audit-cs')
    expect(cleanRun(w, czOrigin)).to.deep.equal({ errors: [], offOrigin: [], foreign: [] })
    await w.context.close()
  })

  it('filters an official\'s inbox by text and overdue marks, kept in the address', async () => {
    const w = await loggedIn(browser, plOrigin, 'piotr.nowak', 'pl-PL', pl['requests.inbox.title'])
    const { page } = w
    await page.locator('tbody tr').nth(1).waitFor()
    await page.getByLabel(pl['common.search']).fill(answered.id.slice(0, 10))
    await page.getByText(pl['common.shown'].replace('{shown}', '1').replace('{total}', '2')).waitFor()
    await page.getByLabel(pl['requests.overdueOnly']).check()
    await page.getByText(pl['common.shown'].replace('{shown}', '0').replace('{total}', '2')).waitFor()
    expect(page.url()).to.match(/overdue=1/)
    await page.reload()
    await page.getByRole('heading', { level: 1, name: pl['requests.inbox.title'] }).waitFor()
    expect(await page.getByLabel(pl['requests.overdueOnly']).isChecked()).to.equal(true)
    expect(await page.getByLabel(pl['common.search']).inputValue()).to.equal(answered.id.slice(0, 10))
    await a11y.check(page, 'inbox with filters')
    expect(cleanRun(w, plOrigin)).to.deep.equal({ errors: [], offOrigin: [], foreign: [] })
    await w.context.close()
  })
})

async function until (check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
