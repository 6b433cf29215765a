/**
 * The read-only retention routes and the audit trail's filters by user and authority,
 * over the HTTP API of a real node (a second node receives the requests): the policy per
 * area and kind, the closed procedures still holding personal data with their blocking
 * and deletion dates, soonest first; only the coordinator and local data administrators
 * may read them; the audit trail filtered to one official or one authority; the register
 * of data subject requests refused to an official who does not handle them.
 */
import { expect } from 'chai'
import { decodeRetentionPolicy, type RequestState } from '@imi/protocol'
import { createApiApp, type ImiNode, type NodeOverrides } from '../../src/index.js'
import type { Actor, AreaRole } from '../../src/services/accounts/permissions.js'
import { eventually, makeFederation, type TestFederation } from '../fixtures/federation.js'
import { OffsetClock } from '../fixtures/offset-clock.js'

const TOKEN = 'tok_0123456789abcdefghijklmnopqrstuvwxyzABCDEF'
const PASSWORD = 'correct horse battery'
const OPERATOR: Actor = { kind: 'operator' }
const DAY = 86_400_000
type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- response shapes vary per route

describe('retention and audit filters over the HTTP API', function () {
  this.timeout(60_000)
  const clock = new OffsetClock()
  let fed: TestFederation
  let cz: ImiNode
  let pl: ImiNode
  let app: ReturnType<typeof createApiApp>
  let first: RequestState
  let second: RequestState

  const as = async (username: string) => {
    const login = await app.request('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD, bearer: true }) })
    const token = (await login.json() as Json).token as string
    return async (method: string, path: string, body?: unknown): Promise<{ status: number, json: Json }> => {
      const res = await app.request(`/api/v1${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, ...(body !== undefined && { body: JSON.stringify(body) }) })
      return { status: res.status, json: await res.json() as Json }
    }
  }
  const actor = async (node: ImiNode, username: string): Promise<Actor> => (await node.accounts.authenticate((await node.accounts.login(username, PASSWORD)).token)).actor

  const staff = async (node: ImiNode, cc: string, id: string, people: Array<[string, AreaRole[]]>): Promise<void> => {
    await node.accounts.createCoordinator(OPERATOR, { username: `nimic.${cc}`, displayName: 'Coordinator', password: PASSWORD })
    const nimic = await actor(node, `nimic.${cc}`)
    await node.accounts.registerAuthority(nimic, { id, names: { en: id }, areas: ['services'], competences: ['licensing'] })
    for (const [username, roles] of people) {
      await node.accounts.createUser(nimic, id, { username, displayName: username, password: PASSWORD, grants: roles.map((role) => ({ area: 'services' as const, role })) })
    }
  }

  before(async () => {
    fed = await makeFederation(['CZ', 'PL'])
    // Services requests: blocked 10 days after closure, deleted after 20.
    const retentionPolicy = decodeRetentionPolicy({ version: 1, areas: { services: { request: { blockAfterDays: 10, deleteAfterDays: 20 } } } })
    cz = await fed.start('CZ', { clock, retentionPolicy } as NodeOverrides)
    pl = await fed.start('PL', { clock })
    await staff(cz, 'cz', 'cz-brno', [['jana.dvorakova', ['request-handler']], ['dpo.brno', ['local-data-admin']]])
    await staff(pl, 'pl', 'pl-krakow', [['piotr.nowak', ['request-handler']]])
    for (const [node, country, id] of [[cz, 'PL', 'pl-krakow'], [pl, 'CZ', 'cz-brno']] as const) {
      await eventually(async () => { await node.directory.refreshCountry(country); return node.directory.authority(country, id) }, 20_000, 'directories')
    }
    app = createApiApp(cz, { token: TOKEN })
    const jana = await actor(cz, 'jana.dvorakova')
    const send = async (): Promise<RequestState> => await cz.requests.send(jana, {
      area: 'services', to: { country: 'PL', authority: 'pl-krakow' }, questions: ['services.legally-established'],
      neededBy: new Date(clock.now() + 14 * DAY).toISOString().slice(0, 10), subject: { name: 'Jan Novák' }
    })
    // The first withdrawn and blocked eleven days later; the second withdrawn then.
    first = await send()
    await cz.requests.act(jana, first.id, 'withdraw', { fields: { reason: 'sent by mistake' } })
    clock.jump(11 * DAY)
    await cz.retention.scan()
    second = await send()
    await cz.requests.act(jana, second.id, 'withdraw', { fields: { reason: 'sent by mistake' } })
  })
  after(async () => { await fed.close() })

  it('shows the policy per area and kind to the coordinator and local data administrators only', async () => {
    const policy = (await (await as('nimic.cz'))('GET', '/retention/policy'))
    expect(policy.status).to.equal(200)
    expect(policy.json.policy.areas.services.request).to.deep.equal({ blockAfterDays: 10, deleteAfterDays: 20 })
    expect(policy.json.policy.areas.services.alert).to.deep.equal({ blockAfterDays: 183, deleteAfterDays: 1096 })
    expect((await (await as('dpo.brno'))('GET', '/retention/policy')).status).to.equal(200)
    const handler = await as('jana.dvorakova')
    expect((await handler('GET', '/retention/policy')).json.error.code).to.equal('ERR_FORBIDDEN')
    expect((await handler('GET', '/retention/due')).status).to.equal(403)
    const operator = await app.request('/api/v1/retention/policy', { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(operator.status).to.equal(403)
  })

  it('lists the closed procedures still holding personal data, what is blocked and when each is deleted, next due first', async () => {
    const due = await (await as('dpo.brno'))('GET', '/retention/due')
    expect(due.status, JSON.stringify(due.json)).to.equal(200)
    expect(due.json.total).to.equal(2)
    const [a, b] = due.json.procedures as [Json, Json]
    // The first is blocked and deleted in 9 days; the second is blocked in 10.
    expect(a).to.include({ kind: 'request', id: first.id, area: 'services', status: 'withdrawn', authority: 'cz-brno' })
    expect(a.blockedAt).to.be.a('number')
    expect(a.deleteAt - a.closedAt).to.equal(20 * DAY)
    expect(b).to.include({ id: second.id }).and.not.have.property('blockedAt')
    expect(b.blockAt - b.closedAt).to.equal(10 * DAY)
    expect(due.json.now).to.be.within(clock.now() - 60_000, clock.now())
    expect((await (await as('nimic.cz'))('GET', '/retention/due?limit=1')).json.procedures).to.have.length(1)
    expect(JSON.stringify(due.json)).not.to.contain('Nov')
  })

  it('filters the audit trail by official and by authority, for the coordinator', async () => {
    const dpo = await as('dpo.brno')
    expect((await dpo('POST', '/subject-requests', { kind: 'access' })).status).to.equal(201)
    const nimic = await as('nimic.cz')
    const byUser = await nimic('GET', '/audit?user=dpo.brno')
    expect(byUser.status, JSON.stringify(byUser.json)).to.equal(200)
    expect(byUser.json.entries).to.have.length.greaterThan(0)
    for (const e of byUser.json.entries as Json[]) expect(e.actor).to.deep.equal({ kind: 'user', username: 'dpo.brno', authority: 'cz-brno' })
    const byAuthority = await nimic('GET', '/audit?authority=cz-brno&limit=1')
    expect(byAuthority.json.entries).to.have.length(1)
    expect(byAuthority.json.entries[0].actor.authority).to.equal('cz-brno')
    const everyone = (await nimic('GET', '/audit')).json.entries as Json[]
    const nobody = await nimic('GET', '/audit?user=nobody.here')
    expect(nobody.json).to.deep.equal({ entries: [], scanned: everyone.length, complete: true })
    // Reading on from an entry: only older ones.
    const older = await nimic('GET', `/audit?user=dpo.brno&before=${byUser.json.entries[0].seq}`)
    expect((older.json.entries as Json[]).every((e) => e.seq < byUser.json.entries[0].seq)).to.equal(true)
    expect((await nimic('GET', '/audit?user=dpo.brno&before=soon')).status).to.equal(400)
    expect((await nimic('GET', '/audit?user=NOT%20A%20USER')).status).to.equal(400)
    expect((await dpo('GET', '/audit?user=dpo.brno')).status).to.equal(403)
  })

  it('refuses the register of data subject requests to an official who does not handle them, instead of an empty list', async () => {
    const handler = await as('jana.dvorakova')
    expect((await handler('GET', '/subject-requests')).json.error.code).to.equal('ERR_FORBIDDEN')
    expect((await (await as('dpo.brno'))('GET', '/subject-requests')).json.subjectRequests).to.have.length(1)
    expect((await (await as('nimic.cz'))('GET', '/subject-requests')).status).to.equal(200)
  })
})
