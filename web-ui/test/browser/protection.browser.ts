/**
 * Data protection in a real browser, across two nodes: a closed request about a person
 * (Czech requester, Polish responder) shows on the retention page with its blocking and
 * deletion dates beside the policy; the Czech authority's local data administrator
 * registers a data subject's request received 31 days ago (marked overdue), finds the
 * person by name without diacritics, exports the data as a JSON file, records a
 * contest, corrects the name (Poland's copy follows), erases the request early (with
 * Poland's signed receipt) and closes the register entry; the coordinator sees the
 * register without personal data and filters the audit trail by that administrator;
 * a request handler is refused both pages and has no entries for them.
 */
import { expect } from 'chai'
import { readFile } from 'node:fs/promises'
import type { Browser } from 'playwright-core'
import type { RequestState } from '@imi/protocol'
import { cs } from '../../src/i18n/cs.js'
import { en } from '../../src/i18n/en.js'
import { a11yChecker, actorOf, checkPrerequisites, cleanRun, launchChromium, loggedIn, screenshot, startUiFederation, until, type UiFederation } from './harness.js'
import { eventually } from '../../../node/test/fixtures/federation.js'
import { focusArrives } from './keyboard.js'

const PERSON = 'Stanisław Wiśniewski'
const Q = 'services.legally-established'
const DAY = 86_400_000
const fill = (text: string, params: Record<string, string>): string => text.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '')

describe('data protection in a real browser: data subject requests, retention, audit filters', function () {
  this.timeout(120_000)
  let ui: UiFederation
  let browser: Browser
  let request: RequestState
  const origin = (c: string): string => ui.nodes.get(c)!.origin
  const a11y = a11yChecker()

  before(async () => {
    await checkPrerequisites()
    ui = await startUiFederation([
      {
        country: 'CZ',
        coordinatorLanguage: 'en',
        authorities: [{ id: 'cz-brno', names: { cs: 'Živnostenský úřad Brno', en: 'Brno Trade Licensing Office' } }],
        officials: [
          { username: 'jana.dvorakova', language: 'cs', authority: 'cz-brno' },
          { username: 'dpo.brno', language: 'cs', authority: 'cz-brno', grants: [{ area: 'services', role: 'local-data-admin' }] }
        ]
      },
      { country: 'PL', authorities: [{ id: 'pl-krakow', names: { pl: 'Urząd Miasta Krakowa' } }], officials: [{ username: 'piotr.nowak', language: 'pl', authority: 'pl-krakow' }] }
    ])
    // A request about the person, answered by Kraków and closed by Brno.
    const cz = ui.nodes.get('CZ')!.node
    const pl = ui.nodes.get('PL')!.node
    const jana = await actorOf(cz, 'jana.dvorakova')
    const piotr = await actorOf(pl, 'piotr.nowak')
    request = await cz.requests.send(jana, {
      area: 'services', to: { country: 'PL', authority: 'pl-krakow' }, questions: [Q],
      neededBy: new Date(Date.now() + 14 * DAY).toISOString().slice(0, 10), subject: { name: PERSON, registrationNumber: 'PL-2011-0042' }
    })
    const both = async (what: string, check: (s: RequestState) => boolean): Promise<void> => {
      await eventually(async () => {
        const states = await Promise.all([cz, pl].map(async (n) => (await n.requests.log.record(request.id))?.state))
        return states.every((s) => s !== undefined && check(s)) ? true : undefined
      }, 20_000, what)
    }
    await both('the request on both nodes', (s) => s.status === 'sent')
    await pl.requests.act(piotr, request.id, 'accept')
    await both('the subject disclosed', (s) => s.disclosed)
    await pl.requests.act(piotr, request.id, 'answer', {
      fields: { questions: [Q], final: true },
      personalData: { answers: [{ question: Q, value: { type: 'yes-no', value: true }, comment: 'Wiśniewski Instalacje holds a licence' }] }
    })
    await both('the answer', (s) => s.status === 'answered')
    await cz.requests.act(jana, request.id, 'close', { fields: { rating: { timeliness: 5, effort: 5 } } })
    await both('the closure', (s) => s.status === 'closed')
    browser = await launchChromium()
  })

  after(async () => {
    await browser?.close()
    await ui?.close()
  })

  afterEach(() => { expect(a11y.serious, 'serious accessibility violations (axe-core)').to.deep.equal({}) })

  it('shows the local data administrator the retention policy and when the closed request is blocked and deleted', async () => {
    const w = await loggedIn(browser, origin('CZ'), 'dpo.brno', 'cs-CZ', cs['requests.inbox.title'])
    const { page } = w
    await page.getByRole('navigation').getByRole('link', { name: cs['nav.retention'] }).click()
    await page.getByRole('heading', { level: 1, name: cs['retention.title'] }).waitFor()
    const policy = page.getByRole('table', { name: cs['retention.policy.caption'] })
    const services = policy.getByRole('row', { name: new RegExp(cs['area.services']) })
    const days = new Intl.NumberFormat('cs').format(1096)
    expect(await services.getByRole('cell').first().textContent()).to.equal(fill(cs['retention.rule'], { block: '183', delete: days }))
    const due = page.getByRole('table', { name: cs['retention.due.caption'] })
    const row = due.getByRole('row', { name: new RegExp(request.id.slice(0, 8)) })
    await row.waitFor()
    expect(await row.getByRole('cell').first().textContent()).to.equal('Živnostenský úřad Brno')
    // Blocking in six months, as the Czech reader writes dates and distances.
    expect(await row.textContent()).to.match(/za 18[23] dn/)
    await a11y.check(page, 'retention')
    await screenshot(page, 'retention-cs')
    expect(cleanRun(w, origin('CZ'))).to.deep.equal({ errors: [], offOrigin: [], foreign: [] })
    await w.context.close()
  })

  it('registers a data subject request, finds the person without diacritics, exports, contests, corrects, erases and closes', async () => {
    const w = await loggedIn(browser, origin('CZ'), 'dpo.brno', 'cs-CZ', cs['requests.inbox.title'])
    const { page } = w
    await page.getByRole('navigation').getByRole('link', { name: cs['nav.subjects'] }).click()
    await page.getByRole('heading', { level: 1, name: cs['subjects.title'] }).waitFor()
    await page.getByText(cs['subjects.empty']).waitFor()
    await a11y.check(page, 'subject requests (empty)')
    // Received 31 days ago: past its 30 days at once.
    await page.getByLabel(cs['subjects.new.kind']).selectOption('erasure')
    await page.getByLabel(cs['subjects.new.received']).fill(new Date(Date.now() - 31 * DAY).toISOString().slice(0, 10))
    await page.getByLabel(cs['subjects.new.notes']).fill('Dopis ze dne 3. 3.')
    await page.getByRole('button', { name: cs['subjects.new.submit'] }).click()
    await page.getByRole('heading', { level: 1, name: `${cs['subject.title']}: ${cs['subjects.kind.erasure']}` }).waitFor()
    await page.getByText(cs['subjects.overdue'], { exact: true }).waitFor()
    await page.getByText(cs['subject.procedures.none']).waitFor()

    // Found by name without diacritics, in any case.
    await page.getByLabel(cs['subject.find.name'], { exact: true }).fill('stanislaw WISNIEWSKI')
    await page.getByRole('button', { name: cs['subject.find.submit'] }).click()
    await page.getByText(fill(cs['subject.find.result'], { count: '1' })).first().waitFor()
    const found = page.getByRole('table', { name: cs['subject.procedures.caption'] }).getByRole('row', { name: new RegExp(request.id.slice(0, 8)) })
    expect(await found.textContent()).to.contain(cs['subject.where.subject'])
    await a11y.check(page, 'subject request with a procedure found')
    await screenshot(page, 'subject-request-cs')

    // The export: a JSON file holding the person's data.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: cs['subject.export.submit'] }).click()])
    const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as { format: string, procedures: Array<{ id: string, subject?: { name: string } }> }
    expect(exported.format).to.equal('imi-data-subject-export/1')
    expect(exported.procedures.map((p) => p.id)).to.deep.equal([request.id])
    expect(exported.procedures[0]!.subject?.name).to.equal(PERSON)

    // Contest and correct, in the panel for the request found; the correction reaches Poland.
    await page.getByText(fill(cs['subject.actions.label'], { id: request.id.slice(0, 8) })).click()
    await page.getByLabel(cs['subject.contest.note']).fill('Datum narození je chybné')
    await page.getByRole('button', { name: cs['subject.contest.submit'] }).click()
    await page.getByText(cs['subject.contest.done']).first().waitFor()
    await page.getByText(fill(cs['subject.actions.label'], { id: request.id.slice(0, 8) })).click()
    await page.getByLabel(cs['subject.name']).fill('Stanisław Wiśniewski-Nowak')
    await page.getByRole('button', { name: cs['subject.correct.submit'] }).click()
    await page.getByText(cs['subject.correct.done']).first().waitFor()
    const pl = ui.nodes.get('PL')!.node
    const piotr = await actorOf(pl, 'piotr.nowak')
    await until('the correction in Poland', async () => (await pl.requests.get(piotr, request.id, 'pl')).subject?.name === 'Stanisław Wiśniewski-Nowak')

    // Early erasure, confirmed first; Poland's signed receipt shows once in.
    await page.getByText(fill(cs['subject.actions.label'], { id: request.id.slice(0, 8) })).click()
    await page.getByRole('button', { name: cs['subject.erase.submit'] }).click()
    await page.getByText(cs['subject.erase.confirmFirst']).waitFor()
    await page.getByLabel(cs['subject.erase.confirm']).check()
    await page.getByRole('button', { name: cs['subject.erase.submit'] }).click()
    await page.getByText(cs['subject.erase.done']).first().waitFor()
    await until('Poland\'s erasure receipt', async () => {
      if (await page.getByText(/Druhý uzel vymazal svou kopii/).count() > 0) return true
      await page.reload()
      await page.getByRole('heading', { level: 1 }).waitFor()
      return false
    })

    await page.getByLabel(cs['subject.close.outcome']).selectOption('done')
    await page.getByRole('button', { name: cs['subject.close.submit'] }).click()
    await page.getByText(cs['subject.close.done']).first().waitFor()
    expect(await page.getByRole('button', { name: cs['subject.find.submit'] }).count()).to.equal(0)
    for (const step of ['register', 'find', 'export', 'contest', 'correct', 'erase', 'close'] as const) {
      await page.getByRole('cell', { name: new RegExp(`^${cs[`subject.step.${step}`]}`) }).first().waitFor()
    }
    await a11y.check(page, 'subject request closed')
    await screenshot(page, 'subject-request-closed-cs')
    await page.getByRole('link', { name: cs['subjects.title'] }).click()
    // Received 31 days ago, so handled late.
    await page.getByText(cs['subjects.late']).waitFor()
    expect(cleanRun(w, origin('CZ'))).to.deep.equal({ errors: [], offOrigin: [], foreign: [] })
    await w.context.close()
  })

  it('lets the coordinator read the register without acting, and filter the audit trail by the administrator', async () => {
    const w = await loggedIn(browser, origin('CZ'), 'nimic.cz', 'en-GB', en['oversight.title'])
    const { page } = w
    await page.getByRole('navigation').getByRole('link', { name: en['nav.subjects'] }).click()
    await page.getByRole('heading', { level: 1, name: en['subjects.title'] }).waitFor()
    await page.getByText(en['subjects.readOnly']).waitFor()
    expect(await page.getByRole('button', { name: en['subjects.new.submit'] }).count()).to.equal(0)
    await page.getByRole('cell', { name: 'Brno Trade Licensing Office' }).waitFor()
    await a11y.check(page, 'subject requests (coordinator)')
    await screenshot(page, 'subject-requests-en')

    await page.getByRole('navigation').getByRole('link', { name: en['nav.audit'] }).click()
    await page.getByRole('heading', { level: 1, name: en['audit.title'] }).waitFor()
    await page.getByLabel(en['audit.user']).fill('dpo.brno')
    await page.getByRole('button', { name: en['audit.apply'] }).click()
    await page.waitForURL(/user=dpo\.brno/)
    // The filtered page is drawn once the focus is on its heading again (it was on the button).
    await focusArrives(page, "document.activeElement !== null && document.activeElement.tagName === 'H1'")
    const actors = await page.getByRole('table', { name: en['audit.caption'] }).locator('tbody tr td:nth-child(3)').allTextContents()
    expect(actors.length).to.be.greaterThan(5)
    expect(new Set(actors)).to.deep.equal(new Set(['dpo.brno (cz-brno)']))
    await a11y.check(page, 'audit filtered by user')
    expect(cleanRun(w, origin('CZ'))).to.deep.equal({ errors: [], offOrigin: [], foreign: [] })
    await w.context.close()
  })

  it('refuses a request handler the data subject and retention pages, which its navigation does not offer', async () => {
    const w = await loggedIn(browser, origin('CZ'), 'jana.dvorakova', 'cs-CZ', cs['requests.inbox.title'])
    const { page } = w
    const nav = page.getByRole('navigation')
    expect(await nav.getByRole('link', { name: cs['nav.subjects'] }).count()).to.equal(0)
    expect(await nav.getByRole('link', { name: cs['nav.retention'] }).count()).to.equal(0)
    for (const [hash, title] of [['#/subject-requests', cs['subjects.title']], ['#/retention', cs['retention.title']]] as const) {
      await page.goto(`${origin('CZ')}/${hash}`)
      await page.getByRole('heading', { level: 1, name: title }).waitFor()
      await page.getByText(cs['error.ERR_FORBIDDEN']).waitFor()
    }
    await a11y.check(page, 'retention refused')
    expect(cleanRun(w, origin('CZ'))).to.deep.equal({ errors: [], offOrigin: [], foreign: [] })
    await w.context.close()
  })
})
