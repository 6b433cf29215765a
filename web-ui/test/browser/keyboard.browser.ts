/**
 * The whole request workflow with the keyboard alone (Tab, Shift+Tab, Enter, Space,
 * arrow keys and typing; no clicks, no focus set by the test): the Czech official logs
 * in, opens the compose page from the navigation, finds the Polish authority in the
 * directory, picks a question, enters the subject and a needed-by date and sends; the
 * Polish official logs in, opens the request from the inbox, accepts and answers it; the
 * Czech official closes it and rates it with the arrow keys. Every control reached
 * shows its focus, and after each navigation the focus is on the new page's heading.
 */
import { expect } from 'chai'
import type { Browser, Page } from 'playwright-core'
import { renderQuestion } from '@imi/protocol'
import { cs } from '../../src/i18n/cs.js'
import { pl } from '../../src/i18n/pl.js'
import { a11yChecker, checkPrerequisites, cleanRun, launchChromium, screenshot, startUiFederation, until, watchedPage, PASSWORD, type UiFederation } from './harness.js'
import { byLabel, byName, byText, expectHeadingFocused, focusArrives, focused, tabTo, typeDate } from './keyboard.js'

const Q = 'services.legally-established'
const DAY = 86_400_000

describe('the request workflow with the keyboard alone, across two nodes', function () {
  this.timeout(120_000)
  let ui: UiFederation
  let browser: Browser
  const origin = (c: string): string => ui.nodes.get(c)!.origin
  const a11y = a11yChecker()
  let requestPath = ''

  before(async () => {
    await checkPrerequisites()
    ui = await startUiFederation([
      { country: 'CZ', authorities: [{ id: 'cz-brno', names: { cs: 'Živnostenský úřad Brno' } }], officials: [{ username: 'jana.dvorakova', language: 'cs', authority: 'cz-brno' }] },
      { country: 'PL', authorities: [{ id: 'pl-krakow', names: { pl: 'Urząd Miasta Krakowa' } }], officials: [{ username: 'piotr.nowak', language: 'pl', authority: 'pl-krakow' }] }
    ])
    browser = await launchChromium()
  })

  after(async () => {
    await browser?.close()
    await ui?.close()
  })

  afterEach(() => { expect(a11y.serious, 'serious accessibility violations (axe-core)').to.deep.equal({}) })

  /** Logs in by typing: the app focuses the user name field itself. */
  const keyboardLogin = async (page: Page, username: string, heading: string | RegExp): Promise<void> => {
    await page.getByRole('heading', { level: 1 }).waitFor()
    await focusArrives(page, "document.activeElement !== null && document.activeElement.getAttribute('name') === 'username'")
    await page.keyboard.type(username)
    await tabTo(page, 'the password', byName('password'))
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press('Enter')
    await expectHeadingFocused(page, heading)
  }

  it('composes and sends a request: directory search, question, subject, needed-by date', async () => {
    const w = await watchedPage(browser, origin('CZ'), 'cs-CZ')
    const { page } = w
    await page.goto(`${origin('CZ')}/`)
    await keyboardLogin(page, 'jana.dvorakova', cs['requests.inbox.title'])
    // The skip link is the first stop and takes the focus to the main content.
    await tabTo(page, 'the skip link', byText('a', cs['app.skip']), { back: true, max: 20 })
    await page.keyboard.press('Enter')
    expect((await focused(page)).tag).to.equal('main')
    // The navigation sits just before the main content. Every step below is bounded, so a
    // control out of the visual order fails the test.
    await tabTo(page, 'the compose link', byText('a', cs['nav.compose']), { back: true, max: 8 })
    await page.keyboard.press('Enter')
    await expectHeadingFocused(page, cs['compose.title'])

    await tabTo(page, 'the directory search', byName('recipient-q'), { max: 3 })
    await page.keyboard.type('krakow')
    await page.keyboard.press('Enter')
    await page.getByLabel(/Urząd Miasta Krakowa/).waitFor()
    await tabTo(page, 'the authority found', byLabel('radio', /Urząd Miasta Krakowa/), { max: 4 })
    await page.keyboard.press('Space')
    expect(await page.getByLabel(/Urząd Miasta Krakowa/).isChecked()).to.equal(true)
    await page.getByText(cs['compose.chosen'].replace('{name}', 'Urząd Miasta Krakowa').replace('{country}', 'Polsko')).waitFor()

    const question = renderQuestion(Q, 'cs').text
    await tabTo(page, 'the question filter', byName('question-filter'), { max: 3 })
    await page.keyboard.type(question.slice(0, 12))
    await tabTo(page, 'the question', byLabel('checkbox', question))
    await page.keyboard.press('Space')
    expect((await focused(page)).checked).to.equal(true)

    await tabTo(page, 'the subject\'s name', byName('subject-name'))
    await page.keyboard.type('Stavby Novák s.r.o.')
    await tabTo(page, 'the needed-by date', byName('neededBy'), { max: 8 })
    // Typed digit by digit; Chromium moves from one part of the date to the next.
    const neededBy = new Date(Date.now() + 21 * DAY).toISOString().slice(0, 10)
    await typeDate(page, 'neededBy', neededBy)
    await a11y.check(page, 'compose by keyboard')

    await tabTo(page, 'the send button', byText('button', cs['compose.send']), { max: 8 })
    await page.keyboard.press('Enter')
    await expectHeadingFocused(page, new RegExp(cs['request.outgoing']))
    requestPath = new URL(page.url()).hash
    expect(requestPath).to.match(/^#\/requests\/[A-Za-z0-9_-]{22}$/)
    expect(cleanRun(w, origin('CZ'))).to.deep.equal({ errors: [], offOrigin: [], foreign: [] })
    await w.context.close()
  })

  it('accepts and answers the request in Poland', async () => {
    const w = await watchedPage(browser, origin('PL'), 'pl-PL')
    const { page } = w
    await page.goto(`${origin('PL')}/`)
    await keyboardLogin(page, 'piotr.nowak', pl['requests.inbox.title'])
    await until('the request in the Polish inbox', async () => {
      if (await page.getByRole('link', { name: pl['area.services'] }).count() > 0) return true
      await page.reload()
      await page.getByRole('heading', { level: 1 }).waitFor()
      return false
    })
    await tabTo(page, 'the request in the inbox', byText('a', pl['area.services']))
    await page.keyboard.press('Enter')
    await expectHeadingFocused(page, new RegExp(pl['request.incoming']))

    await tabTo(page, 'the accept button', byText('button', pl['action.accept.submit']))
    await page.keyboard.press('Enter')
    await page.getByRole('region', { name: pl['action.answer.title'] }).waitFor()
    await expectHeadingFocused(page, new RegExp(pl['request.incoming']))

    const yes = renderQuestion(Q, 'pl').options[0]?.text ?? ''
    await tabTo(page, 'the answer yes', byLabel('radio', yes.trim()))
    await page.keyboard.press('Space')
    expect((await focused(page)).checked).to.equal(true)
    await tabTo(page, 'the answer\'s comment', (f) => f.tag === 'textarea' && f.name.startsWith('comment-'))
    await page.keyboard.type('Firma działa od 2011 r.')
    await a11y.check(page, 'answer by keyboard')
    await screenshot(page, 'keyboard-answer-pl')
    await tabTo(page, 'the answer button', byText('button', pl['action.answer.submit']))
    await page.keyboard.press('Enter')
    await page.getByText(pl['status.answered']).first().waitFor()
    await expectHeadingFocused(page, new RegExp(pl['request.incoming']))
    expect(cleanRun(w, origin('PL'))).to.deep.equal({ errors: [], offOrigin: [], foreign: [] })
    await w.context.close()
  })

  it('closes and rates the request with the arrow keys in Czechia', async () => {
    const w = await watchedPage(browser, origin('CZ'), 'cs-CZ')
    const { page } = w
    await page.goto(`${origin('CZ')}/${requestPath}`)
    await keyboardLogin(page, 'jana.dvorakova', new RegExp(cs['request.outgoing']))
    await until('the answer in Czechia', async () => {
      if (await page.getByRole('region', { name: cs['action.close.title'] }).count() > 0) return true
      await page.reload()
      await page.getByRole('heading', { level: 1 }).waitFor()
      return false
    })
    // Timeliness 4 and effort 2: Space picks the first mark, each arrow the next.
    await tabTo(page, 'the timeliness rating', (f) => f.type === 'radio' && f.label === '1')
    await page.keyboard.press('Space')
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight')
    expect(await focused(page)).to.include({ label: '4', checked: true })
    await tabTo(page, 'the effort rating', (f) => f.type === 'radio' && f.label === '1')
    await page.keyboard.press('Space')
    await page.keyboard.press('ArrowRight')
    expect(await focused(page)).to.include({ label: '2', checked: true })
    await a11y.check(page, 'close by keyboard')
    await tabTo(page, 'the close button', byText('button', cs['action.close.submit']))
    await page.keyboard.press('Enter')
    await page.getByText(cs['event.rating'].replace('{timeliness}', '4').replace('{effort}', '2')).first().waitFor()
    await expectHeadingFocused(page, new RegExp(cs['request.outgoing']))
    await screenshot(page, 'keyboard-closed-cs')
    expect(cleanRun(w, origin('CZ'))).to.deep.equal({ errors: [], offOrigin: [], foreign: [] })
    await w.context.close()
  })
})
