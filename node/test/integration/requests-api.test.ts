/**
 * Information requests through each node's own HTTP API, as officials use them: log in,
 * send with an attachment, the inbox on the other node, accept, answer, read in one's
 * language, download, close; the indicators and deadlines for the coordinator.
 */
import { expect } from 'chai'
import { createApiApp, type ImiNode } from '../../src/index.js'
import type { Actor } from '../../src/services/accounts/permissions.js'
import { eventually, makeFederation, type TestFederation } from '../fixtures/federation.js'

const TOKEN = 'tok_0123456789abcdefghijklmnopqrstuvwxyzABCDEF'
const PASSWORD = 'correct horse battery'
const OPERATOR: Actor = { kind: 'operator' }
type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- response shapes vary per route
const inDays = (d: number): string => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10)

describe('information requests over the HTTP API of two nodes', function () {
  this.timeout(60_000)
  let fed: TestFederation
  let cz: ImiNode
  let pl: ImiNode

  const client = (node: ImiNode) => {
    const app = createApiApp(node, { token: TOKEN })
    let token: string | undefined
    const call = async (method: string, path: string, body?: unknown) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(token !== undefined && { authorization: `Bearer ${token}` }) }
      const res = await app.request(`/api/v1${path}`, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) })
      const type = res.headers.get('content-type') ?? ''
      return { status: res.status, headers: res.headers, json: type.includes('json') ? await res.json() as Json : {}, bytes: type.includes('json') ? undefined : new Uint8Array(await res.arrayBuffer()) }
    }
    return {
      call,
      login: async (username: string) => {
        const res = await call('POST', '/session', { username, password: PASSWORD, bearer: true })
        expect(res.status, JSON.stringify(res.json)).to.equal(201)
        token = res.json.token as string
      }
    }
  }

  /** A coordinator, an authority and one official with the given roles, created as the node's people would. */
  const staff = async (node: ImiNode, cc: string, authority: { id: string, names: Record<string, string> }, official: string, language: string): Promise<void> => {
    await node.accounts.createCoordinator(OPERATOR, { username: `nimic.${cc}`, displayName: 'Coordinator', password: PASSWORD })
    const nimic = (await node.accounts.authenticate((await node.accounts.login(`nimic.${cc}`, PASSWORD)).token)).actor
    await node.accounts.registerAuthority(nimic, { ...authority, areas: ['services'], competences: ['trade licensing'] })
    await node.accounts.createUser(nimic, authority.id, {
      username: official, displayName: official, password: PASSWORD, language: language as 'cs',
      grants: [{ area: 'services', role: 'request-handler' }]
    })
  }

  before(async () => {
    fed = await makeFederation(['CZ', 'PL'])
    cz = await fed.start('CZ')
    pl = await fed.start('PL')
    await staff(cz, 'cz', { id: 'cz-brno', names: { cs: 'Živnostenský úřad Brno' } }, 'jana.dvorakova', 'cs')
    await staff(pl, 'pl', { id: 'pl-krakow', names: { pl: 'Urząd Miasta Krakowa' } }, 'piotr.nowak', 'pl')
    for (const [node, country, id] of [[cz, 'PL', 'pl-krakow'], [pl, 'CZ', 'cz-brno']] as const) {
      await eventually(async () => { await node.directory.refreshCountry(country); return node.directory.authority(country, id) }, 20_000, 'directories')
    }
  })
  after(async () => { await fed.close() })

  it('takes a request from sending to closure, each official through their own node', async () => {
    const jana = client(cz)
    const piotr = client(pl)
    await jana.login('jana.dvorakova')
    await piotr.login('piotr.nowak')
    const file = Buffer.from('%PDF-1.4 zezwolenie nr 42')
    const sent = await jana.call('POST', '/requests', {
      area: 'services', to: { country: 'PL', authority: 'pl-krakow' }, questions: ['services.authorisation-valid', 'services.legal-form'],
      neededBy: inDays(14), subject: { name: 'Stanisław Wiśniewski', registrationNumber: 'PL-2011-0042' },
      attachments: [{ name: 'zezwolenie.pdf', type: 'application/pdf', data: file.toString('base64') }]
    })
    expect(sent.status, JSON.stringify(sent.json)).to.equal(201)
    const id = sent.json.request.id as string
    expect(sent.headers.get('location')).to.equal(`/api/v1/requests/${id}`)

    const inbox = await eventually(async () => { const r = await piotr.call('GET', '/requests?box=inbox'); return r.json.requests?.length > 0 ? r.json.requests as Json[] : undefined }, 10_000, 'inbox')
    expect(inbox[0]!.id).to.equal(id)
    const before = await piotr.call('GET', `/requests/${id}`)
    expect(before.json.questions[0].lang).to.equal('pl') // the user's own language by default
    expect(before.json).not.to.have.property('subject')
    const sha = before.json.state.attachments[0].sha256 as string
    expect((await piotr.call('GET', `/requests/${id}/attachments/${sha}`)).status).to.equal(404)

    expect((await piotr.call('POST', `/requests/${id}/accept`, { answerBy: inDays(7) })).status).to.equal(200)
    const download = await eventually(async () => { const r = await piotr.call('GET', `/requests/${id}/attachments/${sha}`); return r.status === 200 ? r : undefined }, 10_000, 'attachment')
    expect(Buffer.from(download.bytes!).equals(file)).to.equal(true)
    expect(download.headers.get('content-disposition')).to.equal("attachment; filename*=UTF-8''zezwolenie.pdf")
    expect((await piotr.call('GET', `/requests/${id}`)).json.subject.name).to.equal('Stanisław Wiśniewski')

    const refused = await piotr.call('POST', `/requests/${id}/answer`, { answers: [{ question: 'services.legal-form', value: { type: 'choice', option: 'no-such-option' } }], final: true })
    expect(refused.status).to.equal(400)
    expect(refused.json.error.code).to.equal('ERR_INVALID_ANSWER')
    const answered = await piotr.call('POST', `/requests/${id}/answer`, {
      answers: [
        { question: 'services.authorisation-valid', value: { type: 'yes-no', value: true } },
        { question: 'services.legal-form', value: { type: 'choice', option: 'services.legal-form.natural-person' }, comment: 'jednoosobowa działalność' }
      ],
      final: true
    })
    expect(answered.status, JSON.stringify(answered.json)).to.equal(200)
    const read = await eventually(async () => { const r = await jana.call('GET', `/requests/${id}?lang=cs`); return r.json.state?.status === 'answered' ? r.json : undefined }, 10_000, 'answer on CZ')
    const answers = read.events.find((e: Json) => e.action === 'answer').answers as Json[]
    expect(answers[0]!.answer).to.include({ lang: 'cs', fallback: false })
    expect(answers[1]!.comment).to.equal('jednoosobowa działalność')

    expect((await jana.call('POST', `/requests/${id}/close`, { rating: { timeliness: 5, effort: 5 } })).json.request.status).to.equal('closed')
    // Wrong-side and malformed actions are refused with their codes.
    expect((await jana.call('POST', `/requests/${id}/accept`, {})).json.error.code).to.equal('ERR_NOT_PARTY')
    expect((await jana.call('POST', `/requests/${id}/teleport`, {})).status).to.equal(404)
    expect((await jana.call('POST', `/requests/${id}/close`, { rating: { timeliness: 9, effort: 1 } })).status).to.equal(400)
  })

  it('saves a draft, completes it later and sends it; only its authority sees it', async () => {
    const jana = client(cz)
    await jana.login('jana.dvorakova')
    const draft = await jana.call('POST', '/request-drafts', { area: 'services', to: { country: 'PL', authority: 'pl-krakow' }, subject: { name: 'Jan Kowalski' } })
    expect(draft.status, JSON.stringify(draft.json)).to.equal(201)
    const early = await jana.call('POST', `/request-drafts/${draft.json.id as string}/send`)
    expect(early.status).to.equal(400)
    await jana.call('PUT', `/request-drafts/${draft.json.id as string}`, { ...draft.json.content, questions: ['services.registered'], neededBy: inDays(9) })
    expect((await jana.call('GET', '/request-drafts')).json.drafts).to.have.length(1)
    const nimic = client(cz)
    await nimic.login('nimic.cz')
    expect((await nimic.call('GET', '/request-drafts')).status).to.equal(400) // a coordinator has no authority, so no drafts
    const sent = await jana.call('POST', `/request-drafts/${draft.json.id as string}/send`)
    expect(sent.status, JSON.stringify(sent.json)).to.equal(201)
    expect(sent.json.request.questions).to.deep.equal(['services.registered'])
    expect((await jana.call('GET', '/request-drafts')).json.drafts).to.deep.equal([])
  })

  it('shows the coordinator the country\'s indicators and deadlines, and an official only their own', async () => {
    const nimic = client(pl)
    await nimic.login('nimic.pl')
    const indicators = await nimic.call('GET', '/requests-indicators')
    expect(indicators.status, JSON.stringify(indicators.json)).to.equal(200)
    expect(indicators.json.indicators.received).to.be.greaterThan(0)
    expect(indicators.json.indicators.byCountry.CZ.received).to.be.greaterThan(0)
    expect((await nimic.call('GET', '/requests-deadlines')).status).to.equal(200)
    const piotr = client(pl)
    await piotr.login('piotr.nowak')
    expect((await piotr.call('GET', '/requests-indicators?authority=pl-other')).status).to.equal(403)
    // The coordinator sees the request but not the person in it.
    const list = await nimic.call('GET', '/requests')
    const view = await nimic.call('GET', `/requests/${list.json.requests[0].id as string}`)
    expect(view.status).to.equal(200)
    expect(view.json).not.to.have.property('subject')
    // Every read of the person's data is on the audit trail, by whom; the trail names no person.
    const closed = (list.json.requests as Json[]).find((r) => r.status === 'closed')!
    const audit = await nimic.call('GET', `/audit?procedure=${closed.id as string}`)
    expect(audit.status, JSON.stringify(audit.json)).to.equal(200)
    const reads = (audit.json.entries as Json[]).filter((e) => e.action === 'read')
    expect(reads.map((e) => e.actor.username)).to.include('piotr.nowak')
    expect(JSON.stringify(audit.json)).not.to.contain('Wiśniewski')
    expect((await nimic.call('GET', '/audit/verify')).json.ok).to.equal(true)
  })
})
