/**
 * The people who run things, in a real browser on an Austrian node: the local data
 * administrator (reading German) adds a user with roles per area, changes the roles,
 * disables, unlocks and sets a password, and is refused taking away their own
 * administrator role; the national coordinator (reading English) approves a join
 * request, registers an authority with its first administrator, suspends and reinstates
 * one, and reaches its users; an official's own settings (language, e-mails, password)
 * are saved to the account.
 */
import { expect } from 'chai'
import type { Browser } from 'playwright-core'
import { de } from '../../src/i18n/de.js'
import { en } from '../../src/i18n/en.js'
import { fr } from '../../src/i18n/fr.js'
import { PASSWORD, a11yChecker, checkPrerequisites, cleanRun, launchChromium, loggedIn, screenshot, startUiFederation, type UiFederation } from './harness.js'

const HOSTILE = '<img src=x onerror="alert(1)">Eva <b>Huber</b>'

describe('administration in a real browser: users, roles and authorities', function () {
  this.timeout(120_000)
  let ui: UiFederation
  let browser: Browser
  let origin: string
  const a11y = a11yChecker()

  before(async () => {
    await checkPrerequisites()
    ui = await startUiFederation([{
      country: 'AT',
      coordinatorLanguage: 'en',
      authorities: [
        { id: 'at-wien', names: { de: 'Magistrat der Stadt Wien' }, areas: ['services', 'professional-qualifications'] },
        { id: 'at-salzburg', names: { de: 'Magistrat Salzburg' } }
      ],
      officials: [{
        username: 'admin.wien', language: 'de', authority: 'at-wien',
        grants: [{ area: 'services', role: 'local-data-admin' }, { area: 'services', role: 'request-handler' }]
      }]
    },
    // A second member: a lone node has no DHT peer to publish its directory to.
    { country: 'DE', authorities: [{ id: 'de-berlin', names: { de: 'Bezirksamt Mitte' } }], officials: [] }])
    origin = ui.nodes.get('AT')!.origin
    browser = await launchChromium()
  })

  after(async () => {
    await browser?.close()
    await ui?.close()
  })

  afterEach(() => { expect(a11y.serious, 'serious accessibility violations (axe-core)').to.deep.equal({}) })

  it('lets the local data administrator manage the authority\'s users and roles', async () => {
    const w = await loggedIn(browser, origin, 'admin.wien', 'de-AT', de['requests.inbox.title'])
    const { page } = w
    await page.getByRole('navigation').getByRole('link', { name: de['nav.users'] }).click()
    await page.getByRole('heading', { level: 1, name: de['users.title'].replace('{authority}', 'Magistrat der Stadt Wien') }).waitFor()

    // Nothing filled in: the form says what is missing and sends nothing.
    await page.getByRole('button', { name: de['users.add.submit'] }).click()
    await page.getByRole('alert').filter({ hasText: de['users.error.username'] }).waitFor()

    await page.getByLabel(de['users.username'], { exact: true }).fill('eva.huber')
    await page.getByLabel(de['users.displayName']).fill(HOSTILE)
    await page.getByLabel(de['users.email']).fill('eva.huber@wien.gv.at')
    await page.getByLabel(de['users.password'], { exact: true }).fill(PASSWORD)
    const services = page.getByRole('group', { name: de['area.services'], exact: true })
    await services.getByLabel(de['role.request-handler']).check()
    await page.getByRole('group', { name: de['area.professional-qualifications'] }).getByLabel(de['role.viewer']).check()
    await page.getByRole('button', { name: de['users.add.submit'] }).click()
    await page.getByRole('link', { name: HOSTILE }).waitFor()
    expect(await page.locator('main img, main b').count(), 'markup from a user name').to.equal(0)
    expect(await page.getByRole('row', { name: /eva\.huber/ }).getByText(de['users.status.active']).count()).to.equal(1)
    await screenshot(page, 'users-de')
    await a11y.check(page, 'users')

    // The user's page: one more role, the account disabled.
    await page.getByRole('link', { name: HOSTILE }).click()
    await page.getByRole('heading', { level: 1, name: de['user.title'].replace('{name}', HOSTILE) }).waitFor()
    await page.getByRole('group', { name: de['area.services'], exact: true }).getByLabel(de['role.alert-handler']).check()
    await page.getByLabel(de['user.disabled']).check()
    await page.getByRole('button', { name: de['user.save'] }).click()
    await page.locator('dl.summary').getByText(de['users.status.disabled']).waitFor()
    expect(await page.getByRole('group', { name: de['area.services'], exact: true }).getByLabel(de['role.alert-handler']).isChecked()).to.equal(true)

    // Five wrong passwords lock the account; the administrator unlocks it.
    for (let i = 0; i < 5; i++) {
      await fetch(`${origin}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'eva.huber', password: 'wrong password!' }) })
    }
    await page.reload()
    await page.getByText(de['user.locked']).waitFor()
    await a11y.check(page, 'user')
    await screenshot(page, 'user-locked-de')
    await page.getByRole('button', { name: de['user.unlock'] }).click()
    await page.getByText(de['user.locked']).waitFor({ state: 'detached' })
    expect(await page.locator('dl.summary').getByText(de['users.status.locked']).count()).to.equal(0)

    // A new password, set by the administrator.
    await page.getByLabel(de['user.password.new'], { exact: true }).fill('another good password')
    await page.getByRole('button', { name: de['user.password.submit'] }).click()
    await page.getByText(de['user.password.done']).waitFor()

    // Taking away one's own administrator role is refused by the node, and the page says so.
    await page.goto(`${origin}/#/users/at-wien/admin.wien`)
    await page.getByRole('heading', { level: 1, name: de['user.title'].replace('{name}', 'admin.wien') }).waitFor()
    await page.getByRole('group', { name: de['area.services'], exact: true }).getByLabel(de['role.local-data-admin']).uncheck()
    await page.getByRole('button', { name: de['user.save'] }).click()
    await page.getByText(de['error.ERR_INVALID_REQUEST']).waitFor()

    // Another authority's users are not this administrator's to see.
    await page.goto(`${origin}/#/users?authority=at-salzburg`)
    await page.getByText(de['error.ERR_FORBIDDEN']).waitFor()
    expect(cleanRun(w, origin)).to.deep.equal({ errors: [], offOrigin: [], foreign: [] })
    await w.context.close()
  })

  it('lets the national coordinator approve, register, suspend and reinstate authorities', async () => {
    const joined = await fetch(`${origin}/api/v1/join-requests`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ authority: { id: 'at-graz', names: { de: 'Magistrat Graz' }, areas: ['services'], competences: ['trade licensing'] }, admin: { username: 'admin.graz', displayName: 'Admin Graz', password: PASSWORD } })
    })
    expect(joined.status).to.equal(202)
    const w = await loggedIn(browser, origin, 'nimic.at', 'en-GB', en['authorities.title'], '#/authorities')
    const { page } = w
    const pending = page.getByRole('region', { name: new RegExp(en['authorities.pending.title']) })
    await pending.getByRole('row', { name: /Magistrat Graz/ }).waitFor()
    await a11y.check(page, 'authorities')
    await screenshot(page, 'authorities-en')
    await pending.getByRole('button', { name: 'Approve: Magistrat Graz' }).click()
    await page.getByRole('heading', { level: 2, name: 'Approve: Magistrat Graz' }).waitFor()
    await page.getByRole('button', { name: en['authorities.confirm'] }).click()
    await page.getByRole('region', { name: en['authorities.caption'] }).getByRole('row', { name: /Magistrat Graz/ }).getByText(en['authorities.status.active']).waitFor()
    expect((await fetch(`${origin}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin.graz', password: PASSWORD }) })).status).to.equal(201)

    // Suspend with a reason; Cancel first returns focus to the button.
    const wien = (): ReturnType<typeof page.getByRole> => page.getByRole('region', { name: en['authorities.caption'] }).getByRole('row', { name: /Magistrat der Stadt Wien/ })
    await wien().getByRole('button', { name: 'Suspend: Magistrat der Stadt Wien' }).click()
    await page.getByRole('button', { name: en['common.cancel'] }).click()
    expect(await page.evaluate('document.activeElement?.getAttribute("aria-label")')).to.equal('Suspend: Magistrat der Stadt Wien')
    await page.keyboard.press('Enter')
    await page.getByLabel(en['common.reasonOptional']).fill('audit of its accounts')
    await page.getByRole('button', { name: en['authorities.confirm'] }).click()
    await wien().getByText('audit of its accounts').waitFor()
    expect(await wien().getByText(en['authorities.status.suspended']).count()).to.equal(1)
    await wien().getByRole('button', { name: 'Reinstate: Magistrat der Stadt Wien' }).click()
    await page.getByRole('button', { name: en['authorities.confirm'] }).click()
    await wien().getByText(en['authorities.status.active']).waitFor()

    // Register an authority with its first administrator.
    await page.getByRole('link', { name: en['authorities.register'] }).click()
    await page.getByRole('heading', { level: 1, name: en['authority.new.title'] }).waitFor()
    await page.getByRole('button', { name: en['authority.submit'] }).click()
    await page.getByRole('alert').filter({ hasText: en['authority.error.areas'] }).waitFor()
    await page.getByLabel(en['authority.id'], { exact: true }).fill('at-linz')
    await page.getByLabel(en['authority.name'], { exact: true }).fill('Magistrat Linz')
    await page.getByLabel(en['authority.nameLanguage']).selectOption('de')
    await page.getByLabel(en['authority.nameEn']).fill('City of Linz')
    await page.getByRole('group', { name: en['authority.areas'] }).getByLabel(en['area.services']).check()
    await page.getByLabel(en['authority.competences'], { exact: true }).fill('trade licensing, architects')
    await page.getByLabel(en['directory.email'], { exact: true }).fill('gewerbe@linz.at')
    await page.getByRole('group', { name: en['authority.admin'] }).getByLabel(en['users.username'], { exact: true }).fill('admin.linz')
    await page.getByRole('group', { name: en['authority.admin'] }).getByLabel(en['users.displayName']).fill('Admin Linz')
    await page.getByRole('group', { name: en['authority.admin'] }).getByLabel(en['users.password'], { exact: true }).fill(PASSWORD)
    await a11y.check(page, 'register an authority')
    await page.getByRole('button', { name: en['authority.submit'] }).click()
    await page.getByRole('heading', { level: 1, name: en['authorities.title'] }).waitFor()
    await page.getByRole('row', { name: /City of Linz|Magistrat Linz/ }).waitFor()

    // The coordinator reaches any authority's users.
    await wien().getByRole('link', { name: 'Users of Magistrat der Stadt Wien' }).click()
    await page.getByRole('heading', { level: 1, name: en['users.title'].replace('{authority}', 'Magistrat der Stadt Wien') }).waitFor()
    expect(await page.getByRole('link', { name: HOSTILE }).count()).to.equal(1)
    expect(cleanRun(w, origin)).to.deep.equal({ errors: [], offOrigin: [], foreign: [] })
    await w.context.close()
  })

  it('saves an official\'s language and e-mail choices to the account, and changes the password', async () => {
    const w = await loggedIn(browser, origin, 'admin.wien', 'de-AT', de['requests.inbox.title'])
    const { page } = w
    const account = async (): Promise<{ language?: string, notify?: Record<string, boolean> }> =>
      (await (await w.context.request.get(`${origin}/api/v1/session`)).json() as { user: { language?: string, notify?: Record<string, boolean> } }).user
    await page.getByRole('link', { name: de['nav.settings'] }).click()
    await page.getByRole('heading', { level: 1, name: de['settings.title'] }).waitFor()
    await page.getByText(de['settings.notify.noAddress']).waitFor()
    await a11y.check(page, 'settings')
    await page.getByLabel(de['settings.language'], { exact: true }).selectOption('fr')
    await page.getByLabel(de['settings.notify.alerts']).uncheck()
    await page.getByRole('button', { name: de['settings.save'] }).click()
    // Drawn again in the account's new language, with the confirmation.
    await page.getByRole('heading', { level: 1, name: fr['settings.title'] }).waitFor()
    await page.getByText(fr['settings.saved']).first().waitFor()
    expect(await page.getByLabel(fr['settings.notify.alerts']).isChecked()).to.equal(false)
    expect(await account()).to.deep.include({ language: 'fr', notify: { requests: true, deadlines: true, alerts: false } })
    await screenshot(page, 'settings-fr')

    // The banner's switcher saves to the account too.
    await page.locator('#language').selectOption('de')
    await page.getByRole('heading', { level: 1, name: de['settings.title'] }).waitFor()
    expect((await account()).language).to.equal('de')

    // A wrong current password is said so, and the session lives on; the right one ends it.
    const form = page.getByRole('region', { name: de['settings.password.title'] })
    await form.getByLabel(de['settings.password.current']).fill('not my password at all')
    await form.getByLabel(de['settings.password.new'], { exact: true }).fill('a brand new passphrase')
    await form.getByLabel(de['settings.password.repeat']).fill('a brand new passphrase')
    await form.getByRole('button', { name: de['settings.password.submit'] }).click()
    await form.getByText(de['error.ERR_WRONG_PASSWORD']).waitFor()
    expect(await page.getByRole('heading', { level: 1, name: de['settings.title'] }).count()).to.equal(1)
    await form.getByLabel(de['settings.password.current']).fill(PASSWORD)
    await form.getByRole('button', { name: de['settings.password.submit'] }).click()
    await page.getByText(de['settings.password.done']).waitFor()
    await page.getByLabel(de['login.username']).fill('admin.wien')
    await page.getByLabel(de['login.password']).fill('a brand new passphrase')
    await page.getByRole('button', { name: de['login.submit'] }).click()
    await page.getByRole('heading', { level: 1, name: de['requests.inbox.title'] }).waitFor()
    expect(cleanRun(w, origin)).to.deep.equal({ errors: [], offOrigin: [], foreign: [] })
    await w.context.close()
  })
})
