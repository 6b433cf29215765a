/**
 * Alerts in a real browser across three nodes: a Czech alert handler issues one alert to
 * Poland only (sealed) and one to all, and sees which states have confirmed receipt; the
 * Polish official reads the sealed one in Polish, the Spanish official reads only the one
 * to all, in Spanish, and sees it withdrawn; the Polish coordinator routes the incoming
 * alert to another authority; once retention blocks the withdrawn alert on the Czech
 * node, its content is read there only with a stated reason, which the audit trail keeps.
 */
import { expect } from 'chai'
import type { Browser } from 'playwright-core'
import { decodeRetentionPolicy } from '@imi/protocol'
import { cs } from '../../src/i18n/cs.js'
import { es } from '../../src/i18n/es.js'
import { pl } from '../../src/i18n/pl.js'
import { a11yChecker, checkPrerequisites, cleanRun, launchChromium, loggedIn, screenshot, startUiFederation, until, type UiFederation } from './harness.js'

const SEALED = 'Falšované osvědčení o odborné způsobilosti elektrikáře.'
const TO_ALL = 'Nebezpečné plynové instalace bez oprávnění.'
/** Closed and withdrawn alerts are blocked at once on the Czech node, so the test can read one with a reason. */
const BLOCK_AT_ONCE = decodeRetentionPolicy({ version: 1, default: { alert: { blockAfterDays: 0, deleteAfterDays: 1096 } } })

describe('alerts in a real browser: issue, delivery, withdrawal, routing and blocked content', function () {
  this.timeout(120_000)
  let ui: UiFederation
  let browser: Browser
  const origin = (c: string): string => ui.nodes.get(c)!.origin
  const a11y = a11yChecker()
  let sealedUrl = ''
  let toAllUrl = ''

  before(async () => {
    await checkPrerequisites()
    ui = await startUiFederation([
      { country: 'CZ', authorities: [{ id: 'cz-brno', names: { cs: 'Živnostenský úřad Brno' } }], officials: [{ username: 'jana.dvorakova', language: 'cs', authority: 'cz-brno' }], overrides: { retentionPolicy: BLOCK_AT_ONCE } },
      {
        country: 'PL', coordinatorLanguage: 'pl',
        authorities: [{ id: 'pl-krakow', names: { pl: 'Urząd Miasta Krakowa' } }, { id: 'pl-gdansk', names: { pl: 'Urząd Miejski w Gdańsku' } }],
        officials: [{ username: 'piotr.nowak', language: 'pl', authority: 'pl-krakow' }]
      },
      { country: 'ES', authorities: [{ id: 'es-madrid', names: { es: 'Ayuntamiento de Madrid' } }], officials: [{ username: 'lucia.garcia', language: 'es', authority: 'es-madrid' }] }
    ])
    browser = await launchChromium()
  })

  after(async () => {
    await browser?.close()
    await ui?.close()
  })

  afterEach(() => { expect(a11y.serious, 'serious accessibility violations (axe-core)').to.deep.equal({}) })

  it('issues an alert to selected states and one to all, and shows who confirmed receipt', async () => {
    const w = await loggedIn(browser, origin('CZ'), 'jana.dvorakova', 'cs-CZ', cs['alerts.title'], '#/alerts')
    const { page } = w
    await page.getByRole('link', { name: cs['alerts.new'] }).click()
    await page.getByRole('heading', { level: 1, name: cs['alertNew.title'] }).waitFor()
    await page.getByLabel(cs['alertNew.to.selected']).check()
    // Nothing chosen yet: the form says so and sends nothing.
    await page.getByRole('button', { name: cs['alertNew.submit'] }).click()
    await page.getByRole('alert').filter({ hasText: cs['alertNew.error.states'] }).waitFor()
    const states = page.getByRole('group', { name: cs['alertNew.states'] })
    expect(await states.getByRole('checkbox').count(), 'the other two members, not the Czech Republic').to.equal(2)
    await states.getByLabel('Polsko').check()
    await page.getByLabel(cs['alertNew.type']).selectOption('falsified-qualification')
    await page.getByLabel(cs['alertNew.description']).fill(SEALED)
    await page.getByLabel(cs['subject.name']).fill('Karel Elektro')
    await page.getByLabel(cs['alertNew.profession']).fill('elektrikář')
    await a11y.check(page, 'issue an alert')
    await screenshot(page, 'alert-new-cs')
    await page.getByRole('button', { name: cs['alertNew.submit'] }).click()
    await page.getByRole('heading', { level: 1, name: new RegExp(cs['alertType.falsified-qualification']) }).waitFor()
    sealedUrl = page.url()
    await until('Poland confirms the sealed alert', async () => {
      if (await page.getByText(cs['alert.delivery.summary'].replace('{received}', '1').replace('{total}', '1')).count() > 0) return true
      await page.reload()
      await page.getByRole('heading', { level: 1 }).waitFor()
      return false
    })

    await page.goto(`${origin('CZ')}/#/alerts/new`)
    await page.getByRole('heading', { level: 1, name: cs['alertNew.title'] }).waitFor()
    await page.getByLabel(cs['alertNew.description']).fill(TO_ALL)
    await page.getByLabel(cs['subject.name']).fill('Plyn-Servis s.r.o.')
    await page.getByRole('button', { name: cs['alertNew.submit'] }).click()
    await page.getByRole('heading', { level: 1, name: new RegExp(cs['alertType.services-risk']) }).waitFor()
    toAllUrl = page.url()
    await until('both states confirm the alert to all', async () => {
      if (await page.getByText(cs['alert.delivery.summary'].replace('{received}', '2').replace('{total}', '2')).count() > 0) return true
      await page.reload()
      await page.getByRole('heading', { level: 1 }).waitFor()
      return false
    })
    await a11y.check(page, 'alert with delivery and end forms')
    await screenshot(page, 'alert-delivery-cs')
    expect(cleanRun(w, origin('CZ'))).to.deep.equal({ errors: [], offOrigin: [], foreign: [] })
    await w.context.close()
  })

  it('shows the sealed alert in Poland and only the alert to all in Spain, then its withdrawal', async () => {
    const p = await loggedIn(browser, origin('PL'), 'piotr.nowak', 'pl-PL', pl['alerts.title'], '#/alerts')
    await until('both alerts in Poland', async () => {
      if (await p.page.locator('tbody tr').count() === 2) return true
      await p.page.reload()
      await p.page.getByRole('heading', { level: 1 }).waitFor()
      return false
    })
    await p.page.getByRole('link', { name: pl['alertType.falsified-qualification'] }).click()
    await p.page.getByText(SEALED).waitFor()
    expect(await p.page.getByText(`${pl['subject.name']}: Karel Elektro`).count()).to.equal(1)
    await p.context.close()

    const s = await loggedIn(browser, origin('ES'), 'lucia.garcia', 'es-ES', es['alerts.title'], '#/alerts')
    await until('the alert to all in Spain', async () => {
      if (await s.page.getByRole('link', { name: es['alertType.services-risk'] }).count() > 0) return true
      await s.page.reload()
      await s.page.getByRole('heading', { level: 1 }).waitFor()
      return false
    })
    expect(await s.page.getByRole('link', { name: es['alertType.falsified-qualification'] }).count(), 'the sealed alert is not Spain\'s').to.equal(0)

    // The issuer withdraws the alert to all, with a reason every state sees.
    const w = await loggedIn(browser, origin('CZ'), 'jana.dvorakova', 'cs-CZ', new RegExp(cs['alertType.services-risk']), toAllUrl.slice(toAllUrl.indexOf('#')))
    const withdraw = w.page.getByRole('region', { name: cs['alert.withdraw'] })
    await withdraw.getByLabel(cs['common.reasonOptional']).fill('vydáno omylem')
    await withdraw.getByRole('button', { name: cs['alert.withdraw'] }).click()
    await w.page.locator('dl.summary').getByText(cs['alertStatus.withdrawn']).waitFor()
    expect(await w.page.getByRole('region', { name: cs['alert.end.title'] }).count()).to.equal(0)
    await w.context.close()

    await s.page.getByRole('link', { name: es['alertType.services-risk'] }).click()
    await until('withdrawn in Spain', async () => {
      if (await s.page.locator('dl.summary').getByText(es['alertStatus.withdrawn']).count() > 0) return true
      await s.page.reload()
      await s.page.getByRole('heading', { level: 1 }).waitFor()
      return false
    })
    expect(await s.page.getByText('vydáno omylem').count()).to.equal(1)
    await a11y.check(s.page, 'withdrawn alert (es)')
    expect(cleanRun(s, origin('ES'))).to.deep.equal({ errors: [], offOrigin: [], foreign: [] })
    await s.context.close()
  })

  it('lets the coordinator route an incoming alert to another authority', async () => {
    const w = await loggedIn(browser, origin('PL'), 'nimic.pl', 'pl-PL', pl['alerts.title'], '#/alerts')
    const { page } = w
    await page.getByRole('link', { name: pl['alertType.falsified-qualification'] }).click()
    const routing = page.getByRole('region', { name: pl['alert.routing.title'] })
    await routing.getByLabel(/Urząd Miejski w Gdańsku/).check()
    await routing.getByLabel(/Urząd Miasta Krakowa/).uncheck()
    await a11y.check(page, 'routing')
    await routing.getByRole('button', { name: pl['alert.routing.submit'] }).click()
    // Routed to both authorities handling the area on arrival; now to Gdańsk alone.
    await page.locator('dl.summary dd', { hasText: /^pl-gdansk$/ }).waitFor()
    expect(await page.getByText(pl['alert.contentHidden']).count(), 'the coordinator routes, but does not read people').to.equal(1)
    expect(cleanRun(w, origin('PL'))).to.deep.equal({ errors: [], offOrigin: [], foreign: [] })
    await w.context.close()
  })

  it('reads a blocked alert\'s content only with a stated reason', async () => {
    const cz = ui.nodes.get('CZ')!.node
    await cz.retention.scan()
    const w = await loggedIn(browser, origin('CZ'), 'jana.dvorakova', 'cs-CZ', new RegExp(cs['alertType.services-risk']), toAllUrl.slice(toAllUrl.indexOf('#')))
    const { page } = w
    await page.getByRole('heading', { level: 2, name: cs['blocked.title'] }).waitFor()
    expect(await page.getByText(TO_ALL).count()).to.equal(0)
    await page.getByRole('button', { name: cs['blocked.submit'] }).click()
    await page.getByRole('alert').filter({ hasText: cs['error.textRequired'] }).waitFor()
    await page.getByLabel(cs['blocked.reason'], { exact: true }).fill('kontrola úřadu pro ochranu osobních údajů')
    await a11y.check(page, 'blocked alert')
    await page.getByRole('button', { name: cs['blocked.submit'] }).click()
    await page.getByText(TO_ALL).waitFor()
    await page.getByText(cs['blocked.shown']).waitFor()
    const entries = await cz.audit.list({ limit: 10 })
    expect(entries.some((e) => e.action === 'read-blocked' && e.reason === 'kontrola úřadu pro ochranu osobních údajů')).to.equal(true)
    expect(sealedUrl).to.match(/#\/alerts\/[A-Za-z0-9_-]{22}$/)
    expect(cleanRun(w, origin('CZ'))).to.deep.equal({ errors: [], offOrigin: [], foreign: [] })
    await w.context.close()
  })
})
