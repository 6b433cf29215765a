/**
 * Alerts through each node's own HTTP API: an alert handler issues one, the other
 * state's handler reads it, the issuer sees the receipt and withdraws it, the
 * coordinator routes it; callers without the role see nothing.
 */
import { expect } from 'chai'
import { createApiApp, type ImiNode } from '../../src/index.js'
import type { Actor } from '../../src/services/accounts/permissions.js'
import { eventually, makeFederation, type TestFederation } from '../fixtures/federation.js'

const TOKEN = 'tok_0123456789abcdefghijklmnopqrstuvwxyzABCDEF'
const PASSWORD = 'correct horse battery'
type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- response shapes vary per route

describe('alerts over the HTTP API of two nodes', function () {
  this.timeout(60_000)
  let fed: TestFederation

  const client = (node: ImiNode) => {
    const app = createApiApp(node, { token: TOKEN })
    let token: string | undefined
    return {
      call: async (method: string, path: string, body?: unknown) => {
        const headers: Record<string, string> = { 'content-type': 'application/json', ...(token !== undefined && { authorization: `Bearer ${token}` }) }
        const res = await app.request(`/api/v1${path}`, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) })
        return { status: res.status, json: await res.json() as Json }
      },
      login: async (username: string) => {
        const res = await app.request('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD, bearer: true }) })
        token = (await res.json() as Json).token as string
      },
      asOperator: () => { token = TOKEN }
    }
  }

  const staff = async (node: ImiNode, cc: string): Promise<void> => {
    await node.accounts.createCoordinator({ kind: 'operator' }, { username: `nimic.${cc}`, displayName: 'Coordinator', password: PASSWORD })
    const nimic: Actor = (await node.accounts.authenticate((await node.accounts.login(`nimic.${cc}`, PASSWORD)).token)).actor
    for (const id of [`${cc}-services`, `${cc}-inspectorate`]) {
      await node.accounts.registerAuthority(nimic, { id, names: { en: id }, areas: ['services'], competences: ['inspection'] })
    }
    await node.accounts.createUser(nimic, `${cc}-services`, { username: `alerts.${cc}`, displayName: 'Alert handler', password: PASSWORD, grants: [{ area: 'services', role: 'alert-handler' }] })
    await node.accounts.createUser(nimic, `${cc}-services`, { username: `viewer.${cc}`, displayName: 'Viewer', password: PASSWORD, grants: [{ area: 'services', role: 'viewer' }] })
  }

  before(async () => {
    fed = await makeFederation(['CZ', 'PL'])
    await staff(await fed.start('CZ'), 'cz')
    await staff(await fed.start('PL'), 'pl')
  })
  after(async () => { await fed.close() })

  it('issues, reads, acknowledges, routes and withdraws an alert', async () => {
    const cz = client(fed.node('CZ'))
    await cz.login('alerts.cz')
    const issued = await cz.call('POST', '/alerts', {
      area: 'services', type: 'services-risk', to: ['PL'],
      content: { description: 'Unsafe gas installations by a provider also active in Poland.', concerned: { businessName: 'Novák Topení s.r.o.' } }
    })
    expect(issued.status, JSON.stringify(issued.json)).to.equal(201)
    const id = issued.json.state.id as string

    const pl = client(fed.node('PL'))
    await pl.login('alerts.pl')
    const seen = await eventually(async () => { const r = await pl.call('GET', `/alerts/${id}`); return r.status === 200 ? r.json : undefined }, 10_000, 'PL to hold the alert')
    expect(seen.content.concerned.businessName).to.equal('Novák Topení s.r.o.')
    const viewer = client(fed.node('PL'))
    await viewer.login('viewer.pl')
    const notForViewers = await viewer.call('GET', `/alerts/${id}`)
    expect(notForViewers.status).to.equal(200)
    expect(notForViewers.json).not.to.have.property('content') // sees that there is an alert, not the person

    await eventually(async () => (await cz.call('GET', `/alerts/${id}`)).json.delivery?.PL === 'received', 10_000, 'receipt')

    const nimic = client(fed.node('PL'))
    await nimic.login('nimic.pl')
    const routed = await nimic.call('PUT', `/alerts/${id}/routing`, { authorities: ['pl-inspectorate'] })
    expect(routed.json.routedTo).to.deep.equal(['pl-inspectorate'])
    expect((await pl.call('GET', `/alerts/${id}`)).status).to.equal(404) // no longer routed to pl-services
    expect((await pl.call('POST', `/alerts/${id}/withdraw`, {})).status).to.equal(404) // and never PL's to withdraw

    expect((await cz.call('POST', `/alerts/${id}/withdraw`, { reason: 'the provider was cleared' })).json.state.status).to.equal('withdrawn')
    await eventually(async () => (await nimic.call('GET', `/alerts/${id}`)).json.state?.status === 'withdrawn', 10_000, 'withdrawal on PL')

    const operator = client(fed.node('CZ'))
    operator.asOperator()
    expect((await operator.call('GET', '/alerts')).status).to.equal(403)
    expect((await cz.call('POST', '/alerts', { area: 'services', type: 'services-risk', to: ['CZ'], content: { description: 'x', concerned: { a: 'b' } } })).status).to.equal(400)
  })
})
