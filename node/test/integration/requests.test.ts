/**
 * Information requests between real nodes over loopback TCP: the two examples of the
 * seeds end to end, need to know before acceptance, forward and split, a node offline
 * while the other answers, and two conflicting actions taken at once on both sides.
 */
import { expect } from 'chai'
import { catalogueText, renderQuestion, type AuthorityEntry, type LegislativeArea, type RequestState } from '@imi/protocol'
import type { ImiNode } from '../../src/index.js'
import type { Actor, AreaRole } from '../../src/services/accounts/permissions.js'
import { eventually, makeFederation, type TestFederation } from '../fixtures/federation.js'

const authority = (id: string, names: AuthorityEntry['names'], areas: LegislativeArea[]): AuthorityEntry => ({ id, names, areas, competences: ['licensing'] })
const official = (authorityId: string, area: LegislativeArea, roles: AreaRole[] = ['request-handler']): Actor =>
  ({ kind: 'user', username: `u.${authorityId}`, authority: authorityId, coordinator: false, grants: roles.map((role) => ({ area, role })) })
const COORDINATOR: Actor = { kind: 'user', username: 'nimic', coordinator: true, grants: [] }
const inDays = (d: number): string => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10)

describe('information requests between two real nodes', function () {
  this.timeout(60_000)
  let fed: TestFederation
  let cz: ImiNode
  let pl: ImiNode

  const brno = official('cz-brno', 'services')
  const krakow = official('pl-krakow', 'services')
  const warszawa = official('pl-warszawa', 'services')
  const gdansk = official('pl-gdansk', 'services')

  const setUp = async (node: ImiNode, entries: AuthorityEntry[]): Promise<void> => { await node.authorities.importAuthorities(entries) }
  /** Officials pick the recipient from the directory: wait until each node lists the other's authorities. */
  const listed = async (node: ImiNode, country: string, id: string): Promise<void> => {
    await eventually(async () => { await node.directory.refreshCountry(country); return node.directory.authority(country, id) }, 20_000, `${node.config.country} to list ${id}`)
  }
  /** Both nodes hold the request and agree on its state. */
  const agreed = async (id: string, check: (s: RequestState) => boolean, nodes = [cz, pl]): Promise<RequestState> => {
    return await eventually(async () => {
      const states = await Promise.all(nodes.map(async (n) => (await n.requests.log.record(id))?.state))
      if (states.some((s) => s === undefined || !check(s))) return undefined
      // Still converging (an event on its way) until both computed the very same state.
      return JSON.stringify(states[0]) === JSON.stringify(states[1]) ? states[0] : undefined
    }, 15_000, `request ${id} to agree on both nodes`)
  }

  before(async () => {
    fed = await makeFederation(['CZ', 'PL', 'AT', 'RO'])
    cz = await fed.start('CZ')
    pl = await fed.start('PL')
    await setUp(cz, [authority('cz-brno', { cs: 'Živnostenský úřad Brno', en: 'Brno Trade Licensing Office' }, ['services'])])
    await setUp(pl, [
      authority('pl-krakow', { pl: 'Urząd Miasta Krakowa', en: 'Kraków City Office' }, ['services']),
      authority('pl-warszawa', { pl: 'Urząd Miasta Warszawy', en: 'Warsaw City Office' }, ['services']),
      authority('pl-gdansk', { pl: 'Urząd Miasta Gdańska', en: 'Gdańsk City Office' }, ['services'])
    ])
    await listed(cz, 'PL', 'pl-krakow')
    await listed(pl, 'CZ', 'cz-brno')
  })
  after(async () => { await fed.close() })

  const sendFromBrno = async (): Promise<RequestState> => await cz.requests.send(brno, {
    area: 'services', to: { country: 'PL', authority: 'pl-krakow' },
    questions: ['services.legally-established', 'services.authorisation-valid', 'services.suspension-or-ban'],
    freeQuestions: ['Does the authorisation cover installation of gas appliances?'],
    neededBy: inDays(14),
    subject: { name: 'Stanisław Wiśniewski', businessName: 'Wiśniewski Instalacje', registrationNumber: 'PL-2011-0042' }
  })

  it('runs the Czech trade licensing example to closure, each side seeing only what it may', async () => {
    const sent = await sendFromBrno()
    expect(sent.status).to.equal('sent')
    await agreed(sent.id, (s) => s.status === 'sent')

    // Before accepting, Kraków sees the questions (in Polish) and who asks, not the person.
    const before = await pl.requests.get(krakow, sent.id, 'pl')
    expect(before.questions.map((q) => 'lang' in q ? q.lang : 'original')).to.deep.equal(['pl', 'pl', 'pl', 'original'])
    expect(before.questions[1]!.text).to.equal(renderQuestion('services.authorisation-valid', 'pl').text).and.not.equal(renderQuestion('services.authorisation-valid', 'en').text)
    expect(before.questions[3]!.text).to.equal('Does the authorisation cover installation of gas appliances?')
    expect(before.state.questions).to.have.length(3)
    expect(before.state.requester).to.deep.equal({ country: 'CZ', authority: 'cz-brno' })
    expect(before).not.to.have.property('subject')
    expect(JSON.stringify(before)).not.to.contain('Wiśniewski')
    expect(JSON.stringify(await pl.store.get('request-subjects', sent.id) ?? null)).to.equal('null')
    // Another Polish authority on the same node does not see it at all.
    await pl.requests.get(warszawa, sent.id).then(() => { throw new Error('visible to another authority') }, (err: { code: string }) => { expect(err.code).to.equal('ERR_NOT_FOUND') })
    expect(await pl.requests.list(warszawa)).to.deep.equal([])

    await pl.requests.act(krakow, sent.id, 'accept', { fields: { answerBy: inDays(10) } })
    // The requesting node discloses the subject by itself once the acceptance arrives.
    const disclosed = await agreed(sent.id, (s) => s.disclosed)
    expect(disclosed).to.include({ status: 'accepted', answerBy: inDays(10) })
    const after = await pl.requests.get(krakow, sent.id)
    expect(after.subject).to.deep.include({ name: 'Stanisław Wiśniewski', registrationNumber: 'PL-2011-0042' })

    await pl.requests.act(krakow, sent.id, 'answer', {
      fields: { questions: ['services.legally-established'], final: false },
      personalData: { answers: [{ question: 'services.legally-established', value: { type: 'yes-no', value: true }, comment: 'Since 2011' }] }
    })
    await pl.requests.act(krakow, sent.id, 'answer', {
      fields: { questions: ['services.authorisation-valid', 'services.suspension-or-ban', 'free.1'], final: true },
      personalData: { answers: [{ question: 'free.1', comment: 'Tak: instalacje gazowe są objęte zezwoleniem.' }] }
    })
    await agreed(sent.id, (s) => s.status === 'answered')
    await cz.requests.act(brno, sent.id, 'request-info', { personalData: { text: 'Until when is the authorisation valid?' } })
    await agreed(sent.id, (s) => s.status === 'info-requested')
    await pl.requests.act(krakow, sent.id, 'answer', { fields: { questions: ['services.authorisation-valid'], final: true }, personalData: { answers: [{ question: 'services.authorisation-valid', comment: 'Do 31.12.2030' }] } })
    await agreed(sent.id, (s) => s.status === 'answered')
    await cz.requests.act(brno, sent.id, 'close', { fields: { rating: { timeliness: 5, effort: 4 } } })
    const closed = await agreed(sent.id, (s) => s.status === 'closed')
    expect(closed.rating).to.deep.equal({ timeliness: 5, effort: 4 })

    // Brno reads every answer, in Czech where the catalogue has it; the coordinator supervises without seeing the person.
    const view = await cz.requests.get(brno, sent.id, 'cs')
    const firstAnswer = view.events.find((e) => e.action === 'answer')!.answers![0]!
    expect(firstAnswer.answer).to.deep.include({ text: catalogueText('answer.yes', 'cs').text, lang: 'cs', fallback: false })
    expect(view.events.filter((e) => e.action === 'answer').map((e) => e.personalData?.answers?.[0]?.comment)).to.deep.equal(['Since 2011', 'Tak: instalacje gazowe są objęte zezwoleniem.', 'Do 31.12.2030'])
    const supervised = await cz.requests.get(COORDINATOR, sent.id)
    expect(supervised).not.to.have.property('subject')
    expect(supervised.events.every((e) => e.personalData === undefined)).to.equal(true)
  })

  it('refuses questions outside the area\'s catalogue and answers that do not fit their question', async () => {
    const bad = await cz.requests.send(brno, { area: 'services', to: { country: 'PL', authority: 'pl-krakow' }, questions: ['pq.diploma-authentic'], neededBy: inDays(5), subject: { name: 'X' } })
      .then(() => undefined, (e: { code: string }) => e)
    expect(bad?.code).to.equal('ERR_INVALID_REQUEST')
    const sent = await sendFromBrno()
    await agreed(sent.id, (s) => s.status === 'sent')
    await pl.requests.act(krakow, sent.id, 'accept')
    const wrong = await pl.requests.act(krakow, sent.id, 'answer', {
      fields: { questions: ['services.authorisation-valid'], final: true },
      personalData: { answers: [{ question: 'services.authorisation-valid', value: { type: 'date', date: '2026-02-30' } }] }
    }).then(() => undefined, (e: { code: string }) => e)
    expect(wrong?.code).to.equal('ERR_INVALID_ANSWER')
    expect((await pl.requests.log.record(sent.id))?.state.status).to.equal('accepted')
  })

  it('refuses a transition that is not allowed, or by the wrong party, and changes nothing on either node', async () => {
    const sent = await sendFromBrno()
    await agreed(sent.id, (s) => s.status === 'sent')
    const attempts: Array<[Actor, ImiNode, string, string]> = [
      [brno, cz, 'accept', 'ERR_NOT_PARTY'], // the requester cannot accept its own request
      [krakow, pl, 'close', 'ERR_NOT_PARTY'], // closing is the requester's
      [krakow, pl, 'answer', 'ERR_TRANSITION_NOT_ALLOWED'], // not accepted yet
      [official('pl-krakow', 'services', ['viewer']), pl, 'accept', 'ERR_FORBIDDEN'],
      [official('pl-krakow', 'professional-qualifications'), pl, 'accept', 'ERR_FORBIDDEN']
    ]
    for (const [actor, node, action, code] of attempts) {
      const fields = action === 'answer' ? { questions: ['free.1'], final: true } : action === 'close' ? { rating: { timeliness: 1, effort: 1 } } : {}
      const err = await node.requests.act(actor, sent.id, action as 'accept', { fields }).then(() => undefined, (e: { code: string }) => e)
      expect(err?.code, `${action}`).to.equal(code)
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
    for (const node of [cz, pl]) expect((await node.requests.log.record(sent.id))?.state).to.include({ status: 'sent', version: 1 })
  })

  it('forwards to another authority, which accepts afresh before it sees the person, and splits a question off', async () => {
    const sent = await sendFromBrno()
    await agreed(sent.id, (s) => s.status === 'sent')
    await pl.requests.act(krakow, sent.id, 'accept')
    await agreed(sent.id, (s) => s.disclosed)
    await pl.requests.act(krakow, sent.id, 'forward', { fields: { toAuthority: 'pl-warszawa', reason: 'registered in Warsaw' } })
    const forwarded = await agreed(sent.id, (s) => s.responder.authority === 'pl-warszawa')
    expect(forwarded.status).to.equal('sent')
    // Kraków lost it; Warsaw has it but sees no person until it accepts.
    await pl.requests.get(krakow, sent.id).then(() => { throw new Error('still visible to Kraków') }, () => {})
    expect(await pl.requests.get(warszawa, sent.id)).not.to.have.property('subject')
    await pl.requests.act(warszawa, sent.id, 'accept')
    await agreed(sent.id, (s) => s.status === 'accepted')
    expect((await pl.requests.get(warszawa, sent.id)).subject?.name).to.equal('Stanisław Wiśniewski')

    await pl.requests.act(warszawa, sent.id, 'split', { fields: { questions: ['services.suspension-or-ban'], toAuthority: 'pl-gdansk' } })
    const parent = await agreed(sent.id, (s) => s.children.length === 1)
    expect(parent.questions).to.deep.equal(['services.legally-established', 'services.authorisation-valid'])
    const childId = parent.children[0]!
    const child = await agreed(childId, (s) => s.status === 'sent')
    expect(child).to.include({ parent: sent.id })
    expect(child.responder).to.deep.equal({ country: 'PL', authority: 'pl-gdansk' })
    // The child is a request of its own: Gdańsk accepts and the requesting node discloses the subject to it.
    await pl.requests.act(gdansk, childId, 'accept')
    await agreed(childId, (s) => s.disclosed)
    expect((await pl.requests.get(gdansk, childId)).subject?.name).to.equal('Stanisław Wiśniewski')
    expect((await cz.requests.list(brno, { box: 'outbox' })).map((s) => s.id)).to.include.members([sent.id, childId])
  })

  it('keeps attachments on the requesting node until acceptance, then delivers them, hash-checked, to the responder alone', async () => {
    const pdf = new Uint8Array(120_000).map((_, i) => (i * 31 + 7) % 256) // three chunks
    const sent = await cz.requests.send(brno, {
      area: 'services', to: { country: 'PL', authority: 'pl-krakow' }, questions: ['services.authorisation-valid'], neededBy: inDays(14),
      subject: { name: 'Jan Kowalski' }, attachments: [{ name: 'zezwolenie-Kowalski.pdf', type: 'application/pdf', data: pdf }]
    })
    expect(sent.attachments).to.have.length(1)
    const sha = sent.attachments[0]!.sha256
    await agreed(sent.id, (s) => s.status === 'sent')
    const heldOnPl = async (): Promise<number> => {
      let n = 0
      for await (const [k] of pl.store.entries('attachments')) if (k.startsWith(sent.id)) n++
      for await (const [k] of pl.store.entries('attachment-chunks')) if (k.startsWith(sent.id)) n++
      return n
    }
    expect(await heldOnPl()).to.equal(0)
    await pl.requests.attachment(krakow, sent.id, sha).then(() => { throw new Error('readable before acceptance') }, (e: { code: string }) => { expect(e.code).to.equal('ERR_NOT_FOUND') })

    await pl.requests.act(krakow, sent.id, 'accept')
    const file = await eventually(async () => await pl.requests.attachment(krakow, sent.id, sha).catch(() => undefined), 15_000, 'attachment on PL')
    expect(file.name).to.equal('zezwolenie-Kowalski.pdf')
    expect(Buffer.from(file.data, 'base64').equals(Buffer.from(pdf))).to.equal(true)
    await pl.requests.attachment(warszawa, sent.id, sha).then(() => { throw new Error('readable by another authority') }, () => {})
    let chunksLeft = 0
    for await (const [k] of pl.store.entries('attachment-chunks')) if (k.startsWith(sent.id)) chunksLeft++
    expect(chunksLeft).to.equal(0)

    const scan = new TextEncoder().encode('Zezwolenie nr 42 jest ważne.')
    await pl.requests.act(krakow, sent.id, 'answer', {
      fields: { questions: ['services.authorisation-valid'], final: true },
      personalData: { answers: [{ question: 'services.authorisation-valid', value: { type: 'yes-no', value: true } }] },
      attachments: [{ name: 'odpis.txt', type: 'text/plain', data: scan }]
    })
    const answer = await agreed(sent.id, (s) => s.status === 'answered')
    const back = await eventually(async () => await cz.requests.attachment(brno, sent.id, answer.answerAttachments![0]!.sha256).catch(() => undefined), 15_000, 'answer attachment on CZ')
    expect(Buffer.from(back.data, 'base64').toString('utf8')).to.equal('Zezwolenie nr 42 jest ważne.')
    expect(back.name).to.equal('odpis.txt')
  })

  it('delivers an answer given while the requesting node is offline when it comes back', async () => {
    const sent = await sendFromBrno()
    await agreed(sent.id, (s) => s.status === 'sent')
    await pl.requests.act(krakow, sent.id, 'accept')
    await agreed(sent.id, (s) => s.disclosed)
    await fed.stop('CZ')
    await pl.requests.act(krakow, sent.id, 'answer', { fields: { questions: ['services.legally-established', 'services.authorisation-valid', 'services.suspension-or-ban', 'free.1'], final: true } })
    expect((await pl.requests.log.record(sent.id))?.state.status).to.equal('answered')
    cz = await fed.start('CZ')
    await agreed(sent.id, (s) => s.status === 'answered')
  })

  it('ends two conflicting actions taken at once in the same state on both nodes', async () => {
    for (let round = 0; round < 3; round++) {
      const sent = await sendFromBrno()
      await agreed(sent.id, (s) => s.status === 'sent')
      // The requester withdraws while the responder accepts: both act on version 1.
      const [withdrawn, accepted] = await Promise.allSettled([
        cz.requests.act(brno, sent.id, 'withdraw', { fields: { reason: 'sent by mistake' } }),
        pl.requests.act(krakow, sent.id, 'accept')
      ])
      expect(withdrawn.status).to.equal('fulfilled')
      expect(accepted.status).to.equal('fulfilled')
      // Accepted wins: the requester then discloses, a fourth event. Withdrawn wins: three.
      const final = await agreed(sent.id, (s) => s.status === 'withdrawn' ? s.version === 3 : s.disclosed)
      expect(['withdrawn', 'accepted']).to.include(final.status)
      const outcomes = (await cz.requests.log.record(sent.id))!.outcomes
      expect(outcomes.filter((o) => o.outcome !== 'applied')).to.have.length(1)
      expect((await pl.requests.log.record(sent.id))!.outcomes).to.deep.equal(outcomes)
    }
  })

  it('runs the Austrian-Romanian doctors example in professional qualifications', async () => {
    const at = await fed.start('AT')
    const ro = await fed.start('RO')
    await setUp(at, [authority('at-aerztekammer-wien', { de: 'Ärztekammer für Wien', en: 'Vienna Medical Chamber' }, ['professional-qualifications'])])
    await setUp(ro, [authority('ro-cmr-bucuresti', { ro: 'Colegiul Medicilor din București', en: 'Bucharest College of Physicians' }, ['professional-qualifications'])])
    await listed(at, 'RO', 'ro-cmr-bucuresti')
    await listed(ro, 'AT', 'at-aerztekammer-wien')
    const vienna = official('at-aerztekammer-wien', 'professional-qualifications')
    const bucharest = official('ro-cmr-bucuresti', 'professional-qualifications')
    const sent = await at.requests.send(vienna, {
      area: 'professional-qualifications', to: { country: 'RO', authority: 'ro-cmr-bucuresti' },
      questions: ['pq.good-standing-genuine', 'pq.sanctions'], neededBy: inDays(20),
      subject: { name: 'Dr. Andrei Popescu', birthDate: '1980-04-12', profession: 'medical doctor' }
    })
    await agreed(sent.id, (s) => s.status === 'sent', [at, ro])
    await ro.requests.act(bucharest, sent.id, 'accept')
    await agreed(sent.id, (s) => s.disclosed, [at, ro])
    expect((await ro.requests.get(bucharest, sent.id)).subject?.name).to.equal('Dr. Andrei Popescu')
    await ro.requests.act(bucharest, sent.id, 'answer', {
      fields: { questions: ['pq.good-standing-genuine', 'pq.sanctions'], final: true },
      personalData: { answers: [{ question: 'pq.good-standing-genuine', value: { type: 'yes-no', value: true } }, { question: 'pq.sanctions', value: { type: 'yes-no', value: false } }] }
    })
    await agreed(sent.id, (s) => s.status === 'answered', [at, ro])
    await at.requests.act(vienna, sent.id, 'close', { fields: { rating: { timeliness: 4, effort: 5 } } })
    await agreed(sent.id, (s) => s.status === 'closed', [at, ro])
  })
})
