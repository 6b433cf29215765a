/**
 * Data subject rights (Art 19) between two real nodes: a Czech authority (requester)
 * and a Polish one (responder). A data subject's request with its 30-day deadline; the
 * person found by name with and without diacritics and by identifier, in requests and
 * in a sealed alert; the export holds their data and nothing of another person; a
 * contest and a correction on CZ reach PL's view; a correction by PL reaches CZ; an
 * open request is not erased early, a closed one is, on both nodes, with PL's signed
 * receipt; the coordinator and request handlers cannot search or export; every step is
 * on both nodes' audit trails, which never name the person.
 */
import { expect } from 'chai'
import { verifyEnvelope, type AuthorityEntry, type RequestState } from '@imi/protocol'
import { createApiApp, nodeCrypto, type ImiNode } from '../../src/index.js'
import type { Actor, AreaRole } from '../../src/services/accounts/permissions.js'
import type { AuditEntry } from '../../src/services/audit/audit-trail.js'
import { eventually, makeFederation, TEST_FED, type TestFederation } from '../fixtures/federation.js'
import { OffsetClock } from '../fixtures/offset-clock.js'
import { compactAll, scanDatabase, scanDisk, textNeedle } from '../fixtures/raw-store.js'

const DAY = 86_400_000
const authority = (id: string): AuthorityEntry => ({ id, names: { en: id }, areas: ['services'], competences: ['licensing'] })
const official = (id: string, roles: AreaRole[], username = `u.${id}`): Actor =>
  ({ kind: 'user', username, authority: id, coordinator: false, grants: roles.map((role) => ({ area: 'services', role })) })
const COORDINATOR: Actor = { kind: 'user', username: 'nimic.cz', coordinator: true, grants: [] }
const refusal = async (p: Promise<unknown>): Promise<string> => await p.then(() => 'accepted', (e: { code?: string }) => e.code ?? 'no code')

const PERSON = 'Stanisław Wiśniewski'
const ID_NUMBER = 'PL-2011-0042'
const ANSWER = 'Wiśniewski Instalacje is licensed for gas appliances since 2011'
const OTHER = 'Jan Kowalski'
const OTHER_ANSWER = 'Kowalski holds permit K-77'

describe('data subject rights across two real nodes', function () {
  this.timeout(90_000)
  const clock = new OffsetClock()
  let fed: TestFederation
  let cz: ImiNode
  let pl: ImiNode
  const brno = official('cz-brno', ['request-handler', 'alert-handler'])
  const brnoDpo = official('cz-brno', ['local-data-admin'], 'dpo.cz-brno')
  const krakow = official('pl-krakow', ['request-handler', 'alert-handler'])
  const krakowDpo = official('pl-krakow', ['local-data-admin'], 'dpo.pl-krakow')
  let requestA: RequestState
  let requestB: RequestState
  let alertId: string
  let sr: string
  const since = clock.now()

  const state = async (n: ImiNode, id: string): Promise<RequestState | undefined> => (await n.requests.log.record(id))?.state
  const agreed = async (id: string, check: (s: RequestState) => boolean): Promise<RequestState> => await eventually(async () => {
    const [a, b] = await Promise.all([state(cz, id), state(pl, id)])
    return a !== undefined && b !== undefined && check(a) && check(b) && JSON.stringify(a) === JSON.stringify(b) ? a : undefined
  }, 15_000, `request ${id} to agree`)
  const send = async (subject: Record<string, string>): Promise<RequestState> => await cz.requests.send(brno, {
    area: 'services', to: { country: 'PL', authority: 'pl-krakow' }, questions: ['services.legally-established'],
    neededBy: new Date(clock.now() + 14 * DAY).toISOString().slice(0, 10), subject
  })
  const answered = async (id: string, comment: string): Promise<void> => {
    await agreed(id, (s) => s.status === 'sent')
    await pl.requests.act(krakow, id, 'accept')
    await agreed(id, (s) => s.disclosed)
    await pl.requests.act(krakow, id, 'answer', {
      fields: { questions: ['services.legally-established'], final: true },
      personalData: { answers: [{ question: 'services.legally-established', value: { type: 'yes-no', value: true }, comment }] }
    })
    await agreed(id, (s) => s.status === 'answered')
  }

  before(async () => {
    fed = await makeFederation(['CZ', 'PL'])
    cz = await fed.start('CZ', { clock })
    pl = await fed.start('PL', { clock })
    await cz.authorities.importAuthorities([authority('cz-brno')])
    await pl.authorities.importAuthorities([authority('pl-krakow')])
    for (const [n, country, id] of [[cz, 'PL', 'pl-krakow'], [pl, 'CZ', 'cz-brno']] as const) {
      await eventually(async () => { await n.directory.refreshCountry(country); return n.directory.authority(country, id) }, 20_000, `${id} listed`)
    }
    // Request A about the data subject, answered and closed; request B about another person, answered and left open.
    requestA = await send({ name: PERSON, registrationNumber: ID_NUMBER })
    await answered(requestA.id, ANSWER)
    await cz.requests.act(brno, requestA.id, 'close', { fields: { rating: { timeliness: 5, effort: 5 } } })
    await agreed(requestA.id, (s) => s.status === 'closed')
    requestB = await send({ name: OTHER, registrationNumber: 'CZ-1999-0007' })
    await answered(requestB.id, OTHER_ANSWER)
    // An alert to Poland only (its content sealed to the two nodes' keys) naming the data subject.
    const issued = await cz.alerts.issue(brno, {
      area: 'services', type: 'services-risk', to: ['PL'],
      content: { description: 'Unsafe gas installations', concerned: { name: 'Stanislaw WISNIEWSKI', birthDate: '1970-04-02' } }
    })
    alertId = issued.state.id
    await eventually(async () => (await pl.alerts.list(krakow)).some((a) => a.state.id === alertId), 20_000, 'the alert on PL')
  })
  after(async () => { await fed.close() })

  it('registers a data subject request with its 30-day deadline from the node\'s clock, and shows what is overdue', async () => {
    const created = await cz.subjects.create(brnoDpo, { kind: 'access', notes: 'letter of the data subject, reference in the paper file' })
    sr = created.id
    expect(created).to.include({ authority: 'cz-brno', status: 'open', kind: 'access', daysLeft: 30, overdue: false })
    expect(created.receivedAt).to.be.within(since, clock.now())
    expect(created.dueAt).to.equal(created.receivedAt + 30 * DAY)
    const late = await cz.subjects.create(brnoDpo, { kind: 'erasure', receivedAt: clock.now() - 31 * DAY })
    expect(late).to.include({ overdue: true, daysLeft: -1 })
    // The coordinator supervises the deadlines: the register holds no personal data.
    const listed = await cz.subjects.list(COORDINATOR, { status: 'open' })
    expect(listed.map((r) => r.id)).to.deep.equal([late.id, sr])
    expect(await refusal(cz.subjects.create(brno, { kind: 'access' }))).to.equal('ERR_FORBIDDEN')
    expect(await refusal(cz.subjects.create(COORDINATOR, { kind: 'access', authority: 'cz-brno' }))).to.equal('ERR_FORBIDDEN')
    await cz.subjects.close(brnoDpo, late.id, { status: 'refused', notes: 'identity not proven' })
    expect(await cz.subjects.get(brnoDpo, late.id)).to.include({ status: 'refused', handledBy: 'dpo.cz-brno', handledInTime: false, overdue: false })
  })

  it('finds the person by name, with or without diacritics, and by identifier, in requests and in the sealed alert', async () => {
    const plain = await cz.subjects.find(brnoDpo, { name: 'stanislaw wisniewski', subjectRequest: sr })
    expect(plain.matches.map((m) => m.id).sort()).to.deep.equal([requestA.id, alertId].sort())
    const a = plain.matches.find((m) => m.id === requestA.id)!
    expect(a).to.include({ kind: 'request', role: 'requester', area: 'services' })
    expect(a.fields).to.include('subject.name')
    expect(plain.matches.find((m) => m.id === alertId)!.fields).to.include('content.concerned.name')
    const accented = await cz.subjects.find(brnoDpo, { name: 'WIŚNIEWSKI Stanisław', subjectRequest: sr })
    expect(accented.matches.map((m) => m.id).sort()).to.deep.equal([requestA.id, alertId].sort())
    const byId = await cz.subjects.find(brnoDpo, { identifier: ' pl-2011-0042 ', subjectRequest: sr })
    expect(byId.matches.map((m) => m.id)).to.deep.equal([requestA.id])
    expect(byId.matches[0]!.fields).to.include('subject.registrationNumber')
    // Words match whole: "Stan" is not "Stanisław".
    expect((await cz.subjects.find(brnoDpo, { name: 'Stan', subjectRequest: sr })).matches).to.deep.equal([])
    // On the responding node, the authority that accepted finds the disclosed subject, the answer and the alert routed to it.
    const plSr = await pl.subjects.create(krakowDpo, { kind: 'access' })
    const onPl = await pl.subjects.find(krakowDpo, { name: 'Stanisław Wiśniewski', subjectRequest: plSr.id })
    expect(onPl.matches.map((m) => m.id).sort()).to.deep.equal([requestA.id, alertId].sort())
    expect(onPl.matches.find((m) => m.id === requestA.id)).to.include({ role: 'responder' })
    const register = await cz.subjects.get(brnoDpo, sr)
    expect(register.procedures.map((p) => p.id).sort()).to.deep.equal([requestA.id, alertId].sort())
    expect(JSON.stringify(register)).not.to.match(/Wi[sś]niewski|Stanis|2011-0042/i)
  })

  it('refuses a search and an export to the coordinator and to officials who are not the authority\'s data administrators', async () => {
    expect(await refusal(cz.subjects.find(COORDINATOR, { name: PERSON }))).to.equal('ERR_FORBIDDEN')
    expect(await refusal(cz.subjects.find(COORDINATOR, { name: PERSON, subjectRequest: sr }))).to.equal('ERR_FORBIDDEN')
    expect(await refusal(cz.subjects.export(COORDINATOR, sr))).to.equal('ERR_FORBIDDEN')
    expect(await refusal(cz.subjects.find(brno, { name: PERSON, subjectRequest: sr }))).to.equal('ERR_FORBIDDEN')
    expect(await refusal(cz.subjects.export(brno, sr))).to.equal('ERR_FORBIDDEN')
    // Another authority's administrator does not even see the register entry.
    expect(await refusal(cz.subjects.export(official('cz-ostrava', ['local-data-admin']), sr))).to.equal('ERR_NOT_FOUND')
  })

  it('exports the person\'s data as JSON: the subject, the answers, the alert, and nothing of another person', async () => {
    const exported = await cz.subjects.export(brnoDpo, sr)
    const text = JSON.stringify(exported)
    expect(exported).to.include({ format: 'imi-data-subject-export/1', subjectRequest: sr, node: 'CZ', authority: 'cz-brno' })
    const request = exported.procedures.find((p) => p.id === requestA.id)!
    expect(request).to.deep.include({ kind: 'request', role: 'requester', status: 'closed', subject: { name: PERSON, registrationNumber: ID_NUMBER } })
    expect(request.kind === 'request' && request.answers?.[0]?.items[0]?.comment).to.equal(ANSWER)
    const alert = exported.procedures.find((p) => p.id === alertId)!
    expect(alert.kind === 'alert' && alert.content?.concerned).to.deep.equal({ name: 'Stanislaw WISNIEWSKI', birthDate: '1970-04-02' })
    expect(text).not.to.contain('Kowalski')
    expect(text).not.to.contain(requestB.id)
    expect(text).not.to.contain('K-77')
  })

  it('records a contested accuracy on CZ and shows it in both nodes\' views', async () => {
    await cz.subjects.contest(brnoDpo, sr, { request: requestA.id, note: 'the data subject says the registration number is wrong' })
    const onCz = await cz.requests.get(brno, requestA.id)
    expect(onCz.contested).to.include({ from: 'CZ', note: 'the data subject says the registration number is wrong' })
    const onPl = await eventually(async () => { const v = await pl.requests.get(krakow, requestA.id); return v.contested !== undefined ? v : undefined }, 15_000, 'the contest on PL')
    expect(onPl.contested).to.deep.equal(onCz.contested)
    // The coordinator sees that the data are contested, not the note.
    const supervised = await pl.requests.get({ ...COORDINATOR, username: 'nimic.pl' }, requestA.id)
    expect(supervised.contested).to.include({ from: 'CZ' }).and.not.to.have.property('note')
  })

  it('corrects the subject on CZ; the correction reaches PL\'s view and resolves the contest; PL\'s own correction reaches CZ', async () => {
    await cz.subjects.correct(brnoDpo, sr, { request: requestA.id, subject: { name: 'Stanisław Wiśniewski-Nowak', registrationNumber: 'PL-2011-0043' } })
    const onCz = await cz.requests.get(brno, requestA.id)
    expect(onCz.subject).to.deep.equal({ name: 'Stanisław Wiśniewski-Nowak', registrationNumber: 'PL-2011-0043' })
    expect(onCz.corrected).to.include({ from: 'CZ' })
    expect(onCz.contested?.resolvedAt).to.equal(onCz.corrected!.at)
    const onPl = await eventually(async () => { const v = await pl.requests.get(krakow, requestA.id); return v.corrected !== undefined ? v : undefined }, 15_000, 'the correction on PL')
    expect(onPl.subject).to.deep.equal(onCz.subject)
    expect(onPl.corrected).to.deep.equal(onCz.corrected)
    expect(onPl.contested?.resolvedAt).to.equal(onCz.corrected!.at)

    // The data subject asked the Polish authority too: it corrects its copy and tells CZ.
    const plSr = (await pl.subjects.list(krakowDpo))[0]!.id
    await pl.subjects.correct(krakowDpo, plSr, { request: requestA.id, subject: { name: 'Stanisław Wiśniewski-Nowak', registrationNumber: 'PL-2011-0043', birthDate: '1970-04-02' } })
    const back = await eventually(async () => { const v = await cz.requests.get(brno, requestA.id); return v.corrected?.from === 'PL' ? v : undefined }, 15_000, 'PL\'s correction on CZ')
    expect(back.subject).to.include({ birthDate: '1970-04-02' })
    expect((await pl.requests.get(krakow, requestA.id)).subject).to.deep.equal(back.subject)
    // The export now holds the corrections and the subject as disclosed before them.
    const exported = await cz.subjects.export(brnoDpo, sr)
    const request = exported.procedures.find((p) => p.id === requestA.id)!
    expect(request.kind === 'request' && request.corrections?.map((c) => `${c.kind}:${c.by}`)).to.deep.equal(['contest:CZ/cz-brno', 'rectification:CZ/cz-brno', 'rectification:PL/pl-krakow'])
    expect(request.kind === 'request' && request.disclosedSubject).to.deep.equal({ name: PERSON, registrationNumber: ID_NUMBER })
  })

  it('refuses to erase an open request early; erases a closed one on both nodes, with PL\'s signed receipt', async () => {
    await cz.subjects.find(brnoDpo, { name: OTHER, subjectRequest: sr })
    expect(await refusal(cz.subjects.erase(brnoDpo, sr, { request: requestB.id }))).to.equal('ERR_INVALID_STATE')
    expect((await cz.retention.status('request', requestB.id))?.deletedAt).to.equal(undefined)
    expect(await refusal(cz.subjects.erase(COORDINATOR, sr, { request: requestA.id }))).to.equal('ERR_FORBIDDEN')

    const needles = [textNeedle('corrected name', 'Wiśniewski-Nowak'), textNeedle('answer', ANSWER), textNeedle('contest note', 'registration number is wrong'), textNeedle('identifier', ID_NUMBER)]
    for (const n of [cz, pl]) expect((await scanDatabase(n.store, needles)).hits, n.config.country).to.have.length(needles.length)
    await cz.subjects.erase(brnoDpo, sr, { request: requestA.id })
    expect(await cz.retention.status('request', requestA.id)).to.include({ deletedFor: 'data-subject' })
    await eventually(async () => (await pl.retention.status('request', requestA.id))?.deletedFor === 'counterpart', 15_000, 'PL to delete its copy')
    const register = await eventually(async () => {
      const v = await cz.subjects.get(brnoDpo, sr)
      return v.procedures.find((p) => p.id === requestA.id)?.erasure?.counterpart !== undefined ? v : undefined
    }, 15_000, 'PL\'s receipt in the register')
    const erasure = register.procedures.find((p) => p.id === requestA.id)!.erasure!
    expect(erasure.counterpart).to.include({ from: 'PL', kind: 'erasure-receipt' })
    const receipt = verifyEnvelope(erasure.counterpart!.receipt, { federationId: TEST_FED, keys: cz.roster.historicKeys(), crypto: nodeCrypto, now: clock.now() })
    expect(receipt.body).to.deep.include({ request: requestA.id, held: true })
    expect(register.steps.map((s) => s.step)).to.deep.equal(['register', 'find', 'find', 'find', 'find', 'export', 'contest', 'correct', 'export', 'find', 'erase'])

    for (const n of [cz, pl]) {
      const country = n.config.country
      expect((await scanDatabase(n.store, needles)).hits, `${country} database`).to.deep.equal([])
      await compactAll(n.store)
      expect((await scanDisk(n.config.dataDir, needles)).hits, `${country} disk`).to.deep.equal([])
      expect((await n.verifyEvidence()).ok, `${country} evidence`).to.equal(true)
    }
    const view = await pl.requests.get(krakow, requestA.id)
    expect(view).not.to.have.property('subject')
    expect(view.erasure?.counterpart).to.include({ from: 'CZ', kind: 'erasure' })
    // Done: the register keeps the deadline kept, the steps and the procedures, and takes no more steps.
    const closed = await cz.subjects.close(brnoDpo, sr, { status: 'done' })
    expect(closed).to.include({ status: 'done', handledInTime: true })
    expect(await refusal(cz.subjects.find(brnoDpo, { name: PERSON, subjectRequest: sr }))).to.equal('ERR_INVALID_STATE')
  })

  it('has every step on both nodes\' audit trails, with ids only and never the person\'s name', async () => {
    const trail = async (n: ImiNode): Promise<AuditEntry[]> => await n.audit.list({ limit: 1000 })
    const onCz = await trail(cz)
    const onPl = await trail(pl)
    const has = (entries: AuditEntry[], action: string, kind: string, id: string, by?: string): boolean =>
      entries.some((e) => e.action === action && e.procedure.kind === kind && e.procedure.id === id && (by === undefined || (e.actor.kind === 'user' ? e.actor.username : e.actor.kind) === by))
    for (const [action, kind, id, by] of [
      ['change', 'subject-request', sr, 'dpo.cz-brno'], ['read', 'subject-request', sr, 'dpo.cz-brno'],
      ['read', 'request', requestA.id, 'dpo.cz-brno'], ['read', 'alert', alertId, 'dpo.cz-brno'],
      ['export', 'subject-request', sr, 'dpo.cz-brno'], ['export', 'request', requestA.id, 'dpo.cz-brno'], ['export', 'alert', alertId, 'dpo.cz-brno'],
      ['contest', 'request', requestA.id, 'dpo.cz-brno'], ['correct', 'request', requestA.id, 'dpo.cz-brno'], ['correct', 'request', requestA.id, 'system'],
      ['delete', 'subject-request', sr, 'dpo.cz-brno'], ['delete', 'request', requestA.id, 'dpo.cz-brno'], ['delete', 'request', requestA.id, 'system']
    ] as const) expect(has(onCz, action, kind, id, by), `CZ: ${action} ${kind} by ${by}`).to.equal(true)
    for (const [action, by] of [['contest', 'system'], ['correct', 'system'], ['correct', 'dpo.pl-krakow'], ['read', 'dpo.pl-krakow'], ['delete', 'system']] as const) {
      expect(has(onPl, action, 'request', requestA.id, by), `PL: ${action} by ${by}`).to.equal(true)
    }
    expect(onCz.some((e) => e.action === 'export' && e.procedure.id === requestB.id)).to.equal(false)
    for (const entries of [onCz, onPl]) expect(JSON.stringify(entries)).not.to.match(/Wi[sś]niewski|Stanis|Kowalski|2011-004|1970-04-02|registration number/i)
    for (const n of [cz, pl]) expect((await n.audit.verify()).ok).to.equal(true)
  })

  it('keeps need to know: a contest and a correction before the responder accepted stay on CZ until it accepts', async () => {
    const c = await send({ name: 'Eva Nováková', birthDate: '1985-01-01' })
    await agreed(c.id, (s) => s.status === 'sent')
    const own = await cz.subjects.create(brnoDpo, { kind: 'contest' })
    expect((await cz.subjects.find(brnoDpo, { name: 'Eva Novakova', subjectRequest: own.id })).matches.map((m) => m.id)).to.deep.equal([c.id])
    await cz.subjects.contest(brnoDpo, own.id, { request: c.id, note: 'birth date disputed EVA-NOTE' })
    await cz.subjects.correct(brnoDpo, own.id, { request: c.id, subject: { name: 'Eva Nováková-Svobodová', birthDate: '1985-01-01' } })
    expect((await cz.requests.get(brno, c.id)).subject?.name).to.equal('Eva Nováková-Svobodová')
    await new Promise((resolve) => setTimeout(resolve, 500))
    const notOnPl = [textNeedle('note', 'EVA-NOTE'), textNeedle('name', 'Svobodová'), textNeedle('name', 'Nováková')]
    expect((await scanDatabase(pl.store, notOnPl)).hits).to.deep.equal([])
    expect(await pl.requests.get(krakow, c.id)).not.to.have.property('contested')

    await pl.requests.act(krakow, c.id, 'accept')
    const onPl = await eventually(async () => {
      const v = await pl.requests.get(krakow, c.id)
      return v.subject !== undefined && v.contested !== undefined ? v : undefined
    }, 15_000, 'the subject and the contest on PL after acceptance')
    // The disclosure carries the corrected subject; the contest follows it.
    expect(onPl.subject).to.deep.equal({ name: 'Eva Nováková-Svobodová', birthDate: '1985-01-01' })
    expect(onPl.contested).to.include({ from: 'CZ', note: 'birth date disputed EVA-NOTE' })
  })

  it('serves the register and its steps over the HTTP API, to the authority\'s data administrator only', async () => {
    const PASSWORD = 'correct horse battery'
    const OPERATOR: Actor = { kind: 'operator' }
    await cz.accounts.createCoordinator(OPERATOR, { username: 'nimic.cz', displayName: 'Coordinator', password: PASSWORD })
    const nimic = (await cz.accounts.authenticate((await cz.accounts.login('nimic.cz', PASSWORD)).token)).actor
    await cz.accounts.createUser(nimic, 'cz-brno', { username: 'jana.dpo', displayName: 'Jana', password: PASSWORD, grants: [{ area: 'services', role: 'local-data-admin' }] })
    const app = createApiApp(cz, { token: 'tok_0123456789abcdefghijklmnopqrstuvwxyzABCDEF' })
    const as = async (username: string) => {
      const login = await app.request('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD, bearer: true }) })
      const { token } = await login.json() as { token: string }
      return async (method: string, path: string, body?: unknown) => {
        const res = await app.request(`/api/v1${path}`, {
          method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, ...(body !== undefined && { body: JSON.stringify(body) })
        })
        return { status: res.status, headers: res.headers, json: await res.json() as Record<string, any> } // eslint-disable-line @typescript-eslint/no-explicit-any -- response shapes vary per route
      }
    }
    const dpo = await as('jana.dpo')
    const today = new Date(clock.now()).toISOString().slice(0, 10)
    const created = await dpo('POST', '/subject-requests', { kind: 'access', receivedAt: today })
    expect(created.status, JSON.stringify(created.json)).to.equal(201)
    const id = created.json.subjectRequest.id as string
    expect(created.headers.get('location')).to.equal(`/api/v1/subject-requests/${id}`)
    expect(created.json.subjectRequest.dueAt).to.equal(Date.parse(`${today}T00:00:00Z`) + 30 * DAY)
    expect((await dpo('POST', '/subject-requests', { kind: 'gossip' })).status).to.equal(400)
    const found = await dpo('POST', `/subject-requests/${id}/find`, { name: 'eva novakova svobodova' })
    expect(found.status, JSON.stringify(found.json)).to.equal(200)
    expect(found.json.matches).to.have.length(1)
    const exported = await dpo('POST', `/subject-requests/${id}/export`)
    expect(exported.status).to.equal(200)
    expect(exported.headers.get('content-disposition')).to.equal(`attachment; filename="${id}.json"`)
    expect(JSON.stringify(exported.json)).to.contain('Eva Nováková-Svobodová')
    const request = found.json.matches[0].id as string
    expect((await dpo('POST', `/subject-requests/${id}/erase`, { request })).json.error.code).to.equal('ERR_INVALID_STATE')
    expect((await dpo('GET', `/subject-requests/${id}`)).json.subjectRequest.procedures).to.have.length(1)
    const coordinator = await as('nimic.cz')
    expect((await coordinator('GET', '/subject-requests?status=open')).json.subjectRequests.map((r: { id: string }) => r.id)).to.include(id)
    expect((await coordinator('POST', `/subject-requests/${id}/find`, { name: 'Eva' })).status).to.equal(403)
    expect((await coordinator('POST', `/subject-requests/${id}/export`)).status).to.equal(403)
    const closed = await dpo('POST', `/subject-requests/${id}/close`, { status: 'done', notes: 'answered by post' })
    expect(closed.json.subjectRequest).to.include({ status: 'done', handledBy: 'jana.dpo', notes: 'answered by post' })
  })
})
