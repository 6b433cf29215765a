/**
 * Services Directive notifications in a real browser across two nodes: a French official
 * notifies a draft requirement (in French), an Italian official reads it and comments
 * (in Italian), the French official sees the comment and sends a new version, and once
 * the comment period (14 seconds on the French node here) ends, both see it closed and
 * no form to comment.
 */
import { expect } from 'chai'
import type { Browser } from 'playwright-core'
import { fr } from '../../src/i18n/fr.js'
import { it as itText } from '../../src/i18n/it.js'
import { a11yChecker, checkPrerequisites, cleanRun, launchChromium, loggedIn, screenshot, startUiFederation, until, type UiFederation } from './harness.js'

const TITLE = 'Obligation d\'assurance pour les guides touristiques'
/** Italian readers get the English title the notifying state gave (no Italian one). */
const TITLE_EN = 'Insurance obligation for tourist guides'
const COMMENT = 'L\'obbligo sembra sproporzionato per i prestatori temporanei.'

describe('notifications in a real browser: notify, comment, new version, closure', function () {
  this.timeout(120_000)
  let ui: UiFederation
  let browser: Browser
  const origin = (c: string): string => ui.nodes.get(c)!.origin
  const a11y = a11yChecker()
  let notificationHash = ''

  before(async () => {
    await checkPrerequisites()
    ui = await startUiFederation([
      { country: 'FR', authorities: [{ id: 'fr-paris', names: { fr: 'Préfecture de Paris' } }], officials: [{ username: 'marie.dubois', language: 'fr', authority: 'fr-paris' }], settings: { notifications: { closeAfterMs: 14_000 } } },
      { country: 'IT', authorities: [{ id: 'it-roma', names: { it: 'Comune di Roma' } }], officials: [{ username: 'giulia.rossi', language: 'it', authority: 'it-roma' }] }
    ])
    browser = await launchChromium()
  })

  after(async () => {
    await browser?.close()
    await ui?.close()
  })

  afterEach(() => { expect(a11y.serious, 'serious accessibility violations (axe-core)').to.deep.equal({}) })

  it('notifies a draft requirement, gets a comment from another state and sends a new version', async () => {
    const f = await loggedIn(browser, origin('FR'), 'marie.dubois', 'fr-FR', fr['requests.inbox.title'])
    await f.page.getByRole('navigation').getByRole('link', { name: fr['nav.notifications'] }).click()
    await f.page.getByRole('heading', { level: 1, name: fr['notifications.title'] }).waitFor()
    await f.page.getByRole('link', { name: fr['notifications.new'] }).click()
    await f.page.getByRole('heading', { level: 1, name: fr['notificationNew.title'] }).waitFor()
    await f.page.getByRole('button', { name: fr['notificationNew.submit'] }).click()
    await f.page.getByRole('alert').filter({ hasText: fr['notificationNew.error.titleField'] }).waitFor()
    expect(await f.page.getByLabel(fr['notificationNew.language']).inputValue()).to.equal('fr')
    await f.page.getByLabel(fr['notificationNew.titleField'], { exact: true }).fill(TITLE)
    await f.page.getByLabel(fr['notificationNew.titleEn']).fill(TITLE_EN)
    await f.page.getByLabel(fr['notificationNew.summary']).fill('Les guides devront justifier d\'une assurance de responsabilité civile.')
    await f.page.getByLabel(fr['notificationNew.draft']).fill('Article 1. Tout guide touristique exerçant sur le territoire justifie d\'une assurance.')
    await a11y.check(f.page, 'notify a draft requirement')
    await f.page.getByRole('button', { name: fr['notificationNew.submit'] }).click()
    await f.page.getByRole('heading', { level: 1, name: fr['notification.heading'].replace('{title}', TITLE) }).waitFor()
    notificationHash = new URL(f.page.url()).hash
    expect(await f.page.locator('dl.summary').getByText(fr['notifications.status.open']).count()).to.equal(1)

    // Italy reads it (the title in English, marked as such) and comments in Italian.
    const i = await loggedIn(browser, origin('IT'), 'giulia.rossi', 'it-IT', itText['notifications.title'], '#/notifications')
    await until('the notification in Italy', async () => {
      if (await i.page.getByRole('link', { name: TITLE_EN }).count() > 0) return true
      await i.page.reload()
      await i.page.getByRole('heading', { level: 1 }).waitFor()
      return false
    })
    expect(await i.page.getByRole('link', { name: TITLE_EN }).getAttribute('lang')).to.equal('en')
    await a11y.check(i.page, 'notifications')
    await screenshot(i.page, 'notifications-it')
    await i.page.getByRole('link', { name: TITLE_EN }).click()
    await i.page.getByLabel(itText['notification.comment.text']).fill(COMMENT)
    await i.page.getByRole('button', { name: itText['notification.comment.submit'] }).click()
    await i.page.getByRole('heading', { level: 2, name: itText['notification.comments'].replace('{count}', '1') }).waitFor()
    expect(await i.page.locator('ol.comments blockquote[lang="it"]').innerText()).to.equal(COMMENT)
    expect(await i.page.getByRole('region', { name: itText['notification.modify.title'] }).count(), 'only the notifying state changes it').to.equal(0)
    await a11y.check(i.page, 'notification with a comment')
    expect(cleanRun(i, origin('IT'))).to.deep.equal({ errors: [], offOrigin: [], foreign: [] })
    await i.context.close()

    // France sees the comment and sends a new version.
    await until('the comment in France', async () => {
      await f.page.reload()
      await f.page.getByRole('heading', { level: 1 }).waitFor()
      return await f.page.getByText(COMMENT).count() > 0
    })
    const modify = f.page.getByRole('region', { name: fr['notification.modify.title'] })
    await modify.getByLabel(fr['notification.summary']).fill('Les guides devront justifier d\'une assurance, sauf prestation temporaire.')
    await modify.getByRole('button', { name: fr['notification.modify.submit'] }).click()
    await f.page.getByRole('heading', { level: 2, name: fr['notification.versions'].replace('{count}', '1') }).waitFor()
    expect(await f.page.getByText(fr['notification.onVersion'].replace('{version}', '1')).count()).to.equal(1)
    await screenshot(f.page, 'notification-fr')
    expect(cleanRun(f, origin('FR'))).to.deep.equal({ errors: [], offOrigin: [], foreign: [] })
    await f.context.close()
  })

  it('shows the notification closed once its comment period has ended, with no form to comment', async () => {
    const i = await loggedIn(browser, origin('IT'), 'giulia.rossi', 'it-IT', itText['notification.heading'].replace('{title}', TITLE_EN), notificationHash)
    await until('closed in Italy', async () => {
      if (await i.page.locator('dl.summary').getByText(itText['notifications.status.closed']).count() > 0) return true
      await i.page.reload()
      await i.page.getByRole('heading', { level: 1 }).waitFor()
      return false
    }, 30_000, 1000)
    await i.page.getByText(itText['notification.closedNote']).waitFor()
    expect(await i.page.getByRole('region', { name: itText['notification.comment.title'] }).count()).to.equal(0)
    expect(await i.page.getByText(itText['notification.closedAt']).count()).to.equal(1)
    await i.context.close()
  })
})
