/**
 * Retention under a virtual clock (Regulation 1024/2012 Art 14), on two in-process nodes
 * with real LevelDB, real signed messages and one ManualClock: the policy as data; a
 * closed request blocked the day after six months (not the day before), then shown by
 * no normal view and read only with a stated reason; deleted after three years, gone
 * from the raw database and from the files on disk after compaction, while the evidence
 * chain and every envelope signature still verify; both nodes holding the other's signed
 * statement of deletion; a node that was off past both dates enforcing on start; alerts.
 */
import { expect } from 'chai'
import { randomBytes } from 'node:crypto'
import {
  DEFAULT_RETENTION_POLICY, MAX_MESSAGE_AGE_MS, decodeRetentionPolicy, retentionDates, retentionRule, verifyEnvelope,
  type AuthorityEntry, type RequestState
} from '@imi/protocol'
import { ManualClock, nodeCrypto } from '../../src/index.js'
import type { Actor } from '../../src/services/accounts/permissions.js'
import type { ReceivedRecord, SentRecord } from '../../src/services/messaging/records.js'
import type { AuditTrail } from '../../src/services/audit/audit-trail.js'
import type { PersonalDataAuditHook, RetentionRecord } from '../../src/services/retention/records.js'
import { Bucket } from '../../src/storage/index.js'
import { eventually } from '../fixtures/federation.js'
import { FED, makeInProcessFederation, official, type InProcessFederation, type InProcessNode } from '../fixtures/in-process-node.js'
import { bytesNeedle, compactAll, scanDatabase, scanDisk, textNeedle, type Needle } from '../fixtures/raw-store.js'

const DAY = 86_400_000
const T0 = Date.UTC(2026, 0, 5, 9)
const authority = (id: string, areas: AuthorityEntry['areas'] = ['services']): AuthorityEntry => ({ id, names: { en: id }, areas, competences: ['licensing'] })
const COORDINATOR: Actor = { kind: 'user', username: 'nimic', coordinator: true, grants: [] }
const brno = official('cz-brno', 'services')
const krakow = official('pl-krakow', 'services')
const warszawa = official('pl-warszawa', 'services')
const errCode = async (p: Promise<unknown>): Promise<string | undefined> => await p.then(() => undefined, (e: { code?: string }) => e.code ?? 'no code')

describe('retention policy (data, not code)', () => {
  it('blocks after 6 months and deletes after 3 years by default, in every area and kind', () => {
    for (const rules of Object.values(DEFAULT_RETENTION_POLICY.areas)) {
      for (const kind of ['request', 'alert', 'notification'] as const) expect(rules[kind]).to.deep.equal({ blockAfterDays: 183, deleteAfterDays: 1096 })
    }
    const closed = Date.UTC(2026, 2, 31, 15)
    expect(retentionDates(DEFAULT_RETENTION_POLICY, 'request', 'services', closed)).to.deep.equal({ blockAt: closed + 183 * DAY, deleteAt: closed + 1096 * DAY })
  })

  it('reads a policy document: a default per kind, overrides per area, the rest filled in', () => {
    const policy = decodeRetentionPolicy({
      version: 1,
      default: { request: { blockAfterDays: 183, deleteAfterDays: 183 } }, // the older regime: deleted 6 months after closure
      areas: { 'professional-qualifications': { alert: { blockAfterDays: 548 } } } // a Union act allows 18 months
    })
    expect(retentionRule(policy, 'request', 'services')).to.deep.equal({ blockAfterDays: 183, deleteAfterDays: 183 })
    expect(retentionRule(policy, 'alert', 'professional-qualifications')).to.deep.equal({ blockAfterDays: 548, deleteAfterDays: 1096 })
    expect(retentionRule(policy, 'alert', 'services')).to.deep.equal({ blockAfterDays: 183, deleteAfterDays: 1096 })
    expect(retentionRule(policy, 'request', 'professional-qualifications')).to.deep.equal({ blockAfterDays: 183, deleteAfterDays: 183 })
    expect(Object.keys(policy.areas)).to.have.length(Object.keys(DEFAULT_RETENTION_POLICY.areas).length)
  })

  it('refuses what the regulation does not allow, and typos', () => {
    const bad: unknown[] = [
      { version: 1, default: { request: { blockAfterDays: 549 } } }, // more than 18 months blocked
      { version: 1, default: { alert: { deleteAfterDays: 1097 } } }, // kept beyond 3 years
      { version: 1, default: { request: { blockAfterDays: 200, deleteAfterDays: 100 } } }, // deleted before blocked
      { version: 1, areas: { servicez: {} } },
      { version: 1, default: { requests: {} } },
      { version: 1, default: { request: { blockAfterDays: -1 } } },
      { version: 1, default: { request: { blockAfterDays: 1.5 } } },
      { version: 2 }
    ]
    for (const doc of bad) expect(() => decodeRetentionPolicy(doc), JSON.stringify(doc)).to.throw().with.property('code', 'ERR_RETENTION_POLICY')
  })
})

/** The node's audit trail plugs into the services' hook as it is: this fails to compile otherwise. */
export const auditTrailFitsTheHook = (trail: AuditTrail): PersonalDataAuditHook => trail

describe('retention on two nodes under a virtual clock', function () {
  this.timeout(60_000)
  let clock: ManualClock
  let fed: InProcessFederation
  let cz: InProcessNode
  let pl: InProcessNode

  const start = async (country: 'CZ' | 'PL'): Promise<InProcessNode> => await fed.start(country)
  /** Moves the virtual clock and lets every started scheduler finish what fell due. */
  const advance = async (ms: number): Promise<void> => {
    clock.advance(ms)
    for (const n of fed.running.values()) await n.retention.settled()
  }
  const state = async (n: InProcessNode, id: string): Promise<RequestState | undefined> => (await n.requests.log.record(id))?.state
  const retention = async (n: InProcessNode, id: string): Promise<RetentionRecord | undefined> => await n.retention.status('request', id)
  const inDays = (d: number): string => new Date(clock.now() + d * DAY).toISOString().slice(0, 10)

  before(async () => {
    clock = new ManualClock(T0)
    fed = await makeInProcessFederation([
      { country: 'CZ', authorities: [authority('cz-brno')] },
      { country: 'PL', authorities: [authority('pl-krakow'), authority('pl-warszawa')] }
    ], clock)
    cz = await start('CZ')
    pl = await start('PL')
  })
  after(async () => { await fed.close() })

  interface Case { id: string, needles: Needle[], closedAt: number, sha: string }

  /** A request through its whole life: subject, a file, answers, further information, closure; personal data on both nodes. */
  const closedRequest = async (tag: string): Promise<Case> => {
    const name = `Zdeněk Nováček-${tag}`
    const reg = `CZ-REG-${tag}-7741`
    const answer = `Licensed since 2011 under file ANSWER-${tag}`
    const info = `Until when is it valid? INFO-${tag}`
    const final = `Valid until 31.12.2030 FINAL-${tag}`
    const pdf = new Uint8Array(randomBytes(100_000)) // three chunks, incompressible
    const sent = await cz.requests.send(brno, {
      area: 'services', to: { country: 'PL', authority: 'pl-krakow' }, questions: ['services.legally-established', 'services.authorisation-valid'],
      neededBy: inDays(14), subject: { name, registrationNumber: reg }, attachments: [{ name: `diploma-${tag}.pdf`, type: 'application/pdf', data: pdf }]
    })
    const id = sent.id
    const sha = sent.attachments[0]!.sha256
    await eventually(async () => await state(pl, id), 5000, 'PL to hold the request')
    await pl.requests.act(krakow, id, 'accept')
    await eventually(async () => (await state(cz, id))?.disclosed === true && (await state(pl, id))?.disclosed === true, 5000, 'disclosure')
    await eventually(async () => await pl.store.get(Bucket.attachments, `${id}/${sha}`), 5000, 'the file on PL')
    await pl.requests.act(krakow, id, 'answer', {
      fields: { questions: ['services.legally-established'], final: false },
      personalData: { answers: [{ question: 'services.legally-established', value: { type: 'yes-no', value: true }, comment: answer }] }
    })
    await pl.requests.act(krakow, id, 'answer', {
      fields: { questions: ['services.authorisation-valid'], final: true },
      personalData: { answers: [{ question: 'services.authorisation-valid', comment: 'valid' }] }
    })
    await eventually(async () => (await state(cz, id))?.status === 'answered', 5000, 'answered on CZ')
    await cz.requests.act(brno, id, 'request-info', { personalData: { text: info } })
    await eventually(async () => (await state(pl, id))?.status === 'info-requested', 5000, 'info requested on PL')
    await pl.requests.act(krakow, id, 'answer', { fields: { questions: ['services.authorisation-valid'], final: true }, personalData: { answers: [{ question: 'services.authorisation-valid', comment: final }] } })
    await eventually(async () => (await state(cz, id))?.status === 'answered', 5000, 'answered again on CZ')
    await cz.requests.act(brno, id, 'close', { fields: { rating: { timeliness: 5, effort: 4 } } })
    const closed = await eventually(async () => { const s = await state(pl, id); return s?.status === 'closed' ? s : undefined }, 5000, 'closed on PL')
    const needles = [
      textNeedle('name', name), textNeedle('registration number', reg), textNeedle('answer', answer), textNeedle('info text', info),
      textNeedle('final answer', final), textNeedle('file name', `diploma-${tag}.pdf`), bytesNeedle('file bytes', pdf)
    ]
    return { id, needles, closedAt: closed.closedAt!, sha }
  }

  let first: Case

  it('blocks a closed request on the day after six months, not on the day before', async () => {
    first = await closedRequest('A1')
    for (const [n, who] of [[cz, brno], [pl, krakow]] as const) {
      const view = await n.requests.get(who, first.id)
      expect(view.subject?.registrationNumber).to.equal('CZ-REG-A1-7741')
      expect(view).not.to.have.property('blocked')
    }
    const { blockAt } = cz.retention.dates('request', 'services', first.closedAt)
    expect(blockAt).to.equal(first.closedAt + 183 * DAY)

    await advance(blockAt - DAY - clock.now()) // the day before
    expect(await retention(cz, first.id)).to.equal(undefined)
    expect((await cz.requests.get(brno, first.id)).subject?.name).to.equal('Zdeněk Nováček-A1')

    await advance(2 * DAY) // the day after
    for (const n of [cz, pl]) {
      const r = await retention(n, first.id)
      expect(r?.blockedAt, n.country).to.be.within(blockAt, blockAt + DAY)
      expect(r).to.include({ deleteAt: first.closedAt + 1096 * DAY }).and.not.have.property('deletedAt')
    }
    expect(cz.audited).to.deep.include({ actor: 'system', action: 'block', procedure: { kind: 'request', id: first.id } })
  })

  it('shows blocked data through no normal view, and to its own authority only with a stated reason, audited', async () => {
    for (const [n, who] of [[cz, brno], [pl, krakow]] as const) {
      const view = await n.requests.get(who, first.id)
      expect(view.blocked).to.equal(true)
      expect(view).not.to.have.property('subject')
      expect(view.events.every((e) => e.personalData === undefined && e.answers === undefined)).to.equal(true)
      expect(view.state.status).to.equal('closed') // the exchange itself stays visible
      const text = JSON.stringify(view)
      for (const needle of first.needles.filter((x) => x.label !== 'file bytes')) expect(text, needle.label).not.to.contain(needle.bytes.toString())
      expect(await errCode(n.requests.attachment(who, first.id, first.sha))).to.equal('ERR_NOT_FOUND')
    }
    expect(await errCode(cz.requests.readBlocked(brno, first.id, '   '))).to.equal('ERR_INVALID_REQUEST')
    expect(await errCode(cz.retention.readBlocked(COORDINATOR, 'request', first.id, 'supervision'))).to.equal('ERR_FORBIDDEN')
    expect(await errCode(pl.retention.readBlocked(warszawa, 'request', first.id, 'curious'))).to.equal('ERR_NOT_FOUND')
    expect(cz.audited.filter((e) => e.action === 'read-blocked')).to.deep.equal([])

    const reason = 'Court case 12 C 34/2026: proof that the exchange took place'
    const proof = await cz.retention.readBlocked(brno, 'request', first.id, reason)
    expect(proof.blocked).to.equal(true)
    expect(proof.subject).to.deep.equal({ name: 'Zdeněk Nováček-A1', registrationNumber: 'CZ-REG-A1-7741' })
    expect(proof.events.filter((e) => e.action === 'answer').map((e) => e.personalData?.answers?.[0]?.comment)).to.include('Licensed since 2011 under file ANSWER-A1')
    expect(cz.audited.filter((e) => e.action === 'read-blocked')).to.deep.equal([
      { actor: brno, action: 'read-blocked', procedure: { kind: 'request', id: first.id }, reason }
    ])
    const onPl = await pl.retention.readBlocked(krakow, 'request', first.id, reason)
    expect(onPl.subject?.name).to.equal('Zdeněk Nováček-A1')
  })

  const measured: Record<string, unknown> = {}

  it('deletes after three years: no trace in the raw database or on disk after compaction, evidence and signatures intact', async () => {
    // The scan itself must be able to see the data: before deletion it finds every needle, in the database and on disk.
    for (const n of [cz, pl]) {
      const before = await scanDatabase(n.store, first.needles)
      await compactAll(n.store)
      const disk = await scanDisk(n.member.dir, first.needles)
      expect(before.hits, `${n.country} database before`).to.deep.equal([...new Set(first.needles.map((x) => x.label))].sort())
      expect(new Set(disk.hits.map((h) => h.split(' in ')[0])).size, `${n.country} disk before: ${disk.hits.join(', ')}`).to.equal(first.needles.length)
      measured[`${n.country} before`] = { keys: before.keys, dbBytes: before.bytes, files: disk.files, diskBytes: disk.bytes, blocksRead: disk.blocks }
    }
    const { deleteAt } = cz.retention.dates('request', 'services', first.closedAt)
    await advance(deleteAt - DAY - clock.now())
    expect((await retention(cz, first.id))?.deletedAt).to.equal(undefined)
    await advance(2 * DAY)
    for (const n of [cz, pl]) {
      const r = await retention(n, first.id)
      expect(r?.deletedAt, n.country).to.be.within(deleteAt, deleteAt + DAY)
      expect(r?.deletedFor).to.equal('retention')
      expect(r?.attachments).to.deep.equal([first.sha])
    }

    for (const n of [cz, pl]) {
      // Through the API: nothing, not even with a reason.
      const who = n === cz ? brno : krakow
      expect(await errCode(n.requests.readBlocked(who, first.id, 'audit'))).to.equal('ERR_NOT_FOUND')
      const view = await n.requests.get(who, first.id)
      expect(view).to.include({ blocked: true }).and.not.have.property('subject')
      // Below the API: the whole database, every sublevel, raw bytes.
      const raw = await scanDatabase(n.store, first.needles)
      expect(raw.hits, `${n.country} database after`).to.deep.equal([])
      // On disk: the scheduler compacted what it deleted from; a full compaction finds nothing more either.
      expect((await scanDisk(n.member.dir, first.needles)).hits, `${n.country} disk after the scheduler's compaction`).to.deep.equal([])
      await compactAll(n.store)
      const disk = await scanDisk(n.member.dir, first.needles)
      expect(disk.hits, `${n.country} disk after a full compaction`).to.deep.equal([])
      measured[`${n.country} after`] = { keys: raw.keys, dbBytes: raw.bytes, files: disk.files, diskBytes: disk.bytes, blocksRead: disk.blocks }

      // The evidence chain verifies, and so does every stored envelope, whose sidecar digest now points at nothing.
      const report = await n.verifyEvidence()
      expect(report.ok, JSON.stringify(report)).to.equal(true)
      let envelopes = 0
      let orphanDigests = 0
      for (const bucket of [Bucket.sent, Bucket.received]) {
        for await (const [, rec] of n.store.entries<SentRecord | ReceivedRecord>(bucket)) {
          verifyEnvelope(rec.jws, { federationId: FED, keys: n.roster.historicKeys(), crypto: nodeCrypto, now: rec.hdr.created, maxAgeMs: MAX_MESSAGE_AGE_MS })
          envelopes++
          if (rec.hdr.pd !== undefined && await n.store.get(Bucket.personalData, rec.id) === undefined) orphanDigests++
        }
      }
      expect(orphanDigests).to.be.greaterThan(5)
      measured[`${n.country} evidence`] = { entries: report.entries, envelopes, deletedSidecarsWithDigest: orphanDigests }
    }
    if (process.env.IMI_TEST_MEASURE !== undefined) process.stdout.write(`      measured: ${JSON.stringify(measured)}\n`)
  })

  it('leaves each node the other\'s signed statement that its copy is gone', async () => {
    const kinds: string[] = []
    for (const [n, who, other] of [[cz, brno, 'PL'], [pl, krakow, 'CZ']] as const) {
      const view = await eventually(async () => {
        const v = await n.requests.get(who, first.id)
        return v.erasure?.counterpart !== undefined ? v : undefined
      }, 5000, `${n.country} to hold ${other}'s statement`)
      expect(view.erasure!.local).to.equal((await retention(n, first.id))!.deletedAt)
      const c = view.erasure!.counterpart!
      // Both deleted at the same instant: each holds the other's erasure, or its receipt (answered after its own deletion).
      expect(c).to.include({ from: other, at: (await retention(n === cz ? pl : cz, first.id))!.deletedAt })
      expect(c.kind).to.be.oneOf(['erasure', 'erasure-receipt'])
      kinds.push(c.kind)
      const signed = verifyEnvelope(c.receipt, { federationId: FED, keys: n.roster.historicKeys(), crypto: nodeCrypto, now: clock.now() })
      expect(signed.hdr.from).to.equal(other)
      expect(signed.body).to.deep.include({ request: first.id, attachments: [first.sha] })
      // The digests it names are those of signed envelopes this node holds too (events, and the file's chunks).
      const held = new Set<string>()
      for (const bucket of [Bucket.sent, Bucket.received]) {
        for await (const [, rec] of n.store.entries<SentRecord | ReceivedRecord>(bucket)) if (rec.hdr.pd !== undefined) held.add(rec.hdr.pd)
      }
      const named = (signed.body as { digests: string[] }).digests
      expect(named.length).to.be.greaterThan(4)
      for (const d of named) expect(held.has(d), d).to.equal(true)
    }
    expect(kinds).to.include('erasure-receipt') // whoever received an erasure answered it, though it had deleted already
  })

  it('enforces on start what fell due while the node was off, and answers the counterpart\'s erasure that waited for it', async () => {
    const second = await closedRequest('B2')
    await fed.stop('CZ')
    const { blockAt, deleteAt } = pl.retention.dates('request', 'services', second.closedAt)
    await advance(blockAt + DAY - clock.now())
    expect((await retention(pl, second.id))?.blockedAt).to.be.a('number')
    await advance(deleteAt + DAY - clock.now())
    const plDeleted = (await retention(pl, second.id))?.deletedAt
    expect(plDeleted).to.be.within(deleteAt, deleteAt + DAY)
    await advance(9 * DAY) // PL's erasure waits in its outbox: CZ is off

    cz = await start('CZ')
    const r = await retention(cz, second.id)
    expect(r?.deletedAt).to.equal(clock.now())
    expect(r?.blockedAt).to.equal(clock.now()) // off over both dates: blocked and deleted at once, on start
    expect((await scanDatabase(cz.store, second.needles)).hits).to.deep.equal([])
    expect((await scanDisk(cz.member.dir, second.needles)).hits).to.deep.equal([])
    expect(await cz.verifyEvidence()).to.include({ ok: true })

    // PL's erasure, waiting in its outbox, reached CZ as it came back: CZ holds PL's signed statement and answers it.
    const czView = await cz.requests.get(brno, second.id)
    expect(czView.erasure).to.deep.include({ local: r!.deletedAt })
    expect(czView.erasure!.counterpart).to.include({ from: 'PL', kind: 'erasure', at: plDeleted })
    const statement = verifyEnvelope(czView.erasure!.counterpart!.receipt, { federationId: FED, keys: cz.roster.historicKeys(), crypto: nodeCrypto, now: clock.now() })
    expect(statement.hdr).to.include({ kind: 'erasure', from: 'PL' })
    expect(statement.body).to.deep.include({ request: second.id, reason: 'retention', deletedAt: plDeleted, attachments: [second.sha] })
    expect(r).not.to.have.property('erasureSent') // PL's statement was in: CZ sends none back
    const plView = await eventually(async () => {
      const v = await pl.requests.get(krakow, second.id)
      return v.erasure?.counterpart !== undefined ? v : undefined
    }, 5000, 'CZ\'s erasure receipt on PL')
    expect(plView.erasure).to.deep.include({ local: plDeleted })
    expect(plView.erasure!.counterpart).to.include({ from: 'CZ', kind: 'erasure-receipt', at: r!.deletedAt })
    const receipt = verifyEnvelope(plView.erasure!.counterpart!.receipt, { federationId: FED, keys: pl.roster.historicKeys(), crypto: nodeCrypto, now: clock.now() })
    expect(receipt.body).to.deep.include({ request: second.id, held: true, deletedAt: r!.deletedAt, attachments: [second.sha] })
  })

  it('erases a request early on demand (a data subject\'s right): the counterpart deletes on the erasure and signs a receipt', async () => {
    const third = await closedRequest('C3')
    const r = await cz.retention.eraseRequest(third.id)
    expect(r).to.include({ deletedFor: 'data-subject', deletedAt: clock.now() })
    const onPl = await eventually(async () => await retention(pl, third.id), 5000, 'PL to delete on CZ\'s erasure')
    expect(onPl).to.include({ deletedFor: 'counterpart' })
    expect((await scanDatabase(pl.store, third.needles)).hits).to.deep.equal([])
    expect((await scanDatabase(cz.store, third.needles)).hits).to.deep.equal([])
    const view = await eventually(async () => {
      const v = await cz.requests.get(brno, third.id)
      return v.erasure?.counterpart?.kind === 'erasure-receipt' ? v : undefined
    }, 5000, 'PL\'s receipt on CZ')
    const receipt = verifyEnvelope(view.erasure!.counterpart!.receipt, { federationId: FED, keys: cz.roster.historicKeys(), crypto: nodeCrypto, now: clock.now() })
    expect(receipt.body).to.deep.include({ request: third.id, held: true, deletedAt: onPl.deletedAt })
    // PL holds CZ's signed erasure as CZ's statement: it sends none back.
    expect((await pl.requests.get(krakow, third.id)).erasure?.counterpart).to.include({ from: 'CZ', kind: 'erasure' })
    expect(onPl).not.to.have.property('erasureSent')
  })

  it('keeps a split\'s shared subject and file on the requesting node until every child is due, then deletes them too', async () => {
    const pdf = new Uint8Array(randomBytes(50_000))
    const sent = await cz.requests.send(brno, {
      area: 'services', to: { country: 'PL', authority: 'pl-krakow' }, questions: ['services.legally-established', 'services.authorisation-valid'],
      neededBy: inDays(14), subject: { name: 'Split Subject S1-4471', registrationNumber: 'REG-S1-0099' }, attachments: [{ name: 'split-S1.pdf', type: 'application/pdf', data: pdf }]
    })
    const id = sent.id
    const sha = sent.attachments[0]!.sha256
    const needles = [textNeedle('name', 'Split Subject S1-4471'), textNeedle('registration number', 'REG-S1-0099'), textNeedle('file name', 'split-S1.pdf'), bytesNeedle('file bytes', pdf)]
    await eventually(async () => await state(pl, id), 5000, 'PL to hold the request')
    await pl.requests.act(krakow, id, 'accept')
    await eventually(async () => (await state(pl, id))?.disclosed, 5000, 'disclosure')
    await pl.requests.act(krakow, id, 'split', { fields: { questions: ['services.authorisation-valid'], toAuthority: 'pl-warszawa' } })
    const childId = (await eventually(async () => { const s = await state(cz, id); return s?.children.length === 1 ? s : undefined }, 5000, 'the split on CZ')).children[0]!
    await eventually(async () => await state(pl, childId), 5000, 'the child on PL')
    await pl.requests.act(warszawa, childId, 'accept')
    await eventually(async () => (await state(pl, childId))?.disclosed, 5000, 'the child disclosed')
    // The parent is answered and closed; the child stays open.
    await pl.requests.act(krakow, id, 'answer', { fields: { questions: ['services.legally-established'], final: true }, personalData: { answers: [{ question: 'services.legally-established', value: { type: 'yes-no', value: true } }] } })
    await eventually(async () => (await state(cz, id))?.status === 'answered', 5000, 'parent answered')
    await cz.requests.act(brno, id, 'close', { fields: { rating: { timeliness: 4, effort: 4 } } })
    const closedAt = (await eventually(async () => { const s = await state(pl, id); return s?.status === 'closed' ? s : undefined }, 5000, 'parent closed')).closedAt!

    await advance(closedAt + 1097 * DAY - clock.now())
    const parent = (await retention(cz, id))!
    expect(parent).to.include({ deletedFor: 'retention', sharedKept: true })
    // The open child still shows its subject and file on CZ, read from the parent's kept record.
    const child = await cz.requests.get(brno, childId)
    expect(child.subject?.name).to.equal('Split Subject S1-4471')
    expect((await cz.requests.attachment(brno, childId, sha)).name).to.equal('split-S1.pdf')
    expect((await cz.requests.get(brno, id))).to.include({ blocked: true }).and.not.have.property('subject')
    expect((await retention(pl, id))?.deletedAt).to.be.a('number') // PL keeps nothing shared: its copies are per request

    await pl.requests.act(warszawa, childId, 'answer', { fields: { questions: ['services.authorisation-valid'], final: true }, personalData: { answers: [{ question: 'services.authorisation-valid', comment: 'child answer S1-ANS' }] } })
    await eventually(async () => (await state(cz, childId))?.status === 'answered', 5000, 'child answered')
    await cz.requests.act(brno, childId, 'close', { fields: { rating: { timeliness: 4, effort: 4 } } })
    const childClosed = (await eventually(async () => { const s = await state(pl, childId); return s?.status === 'closed' ? s : undefined }, 5000, 'child closed')).closedAt!
    await advance(childClosed + 1097 * DAY - clock.now())
    expect(await retention(cz, id)).not.to.have.property('sharedKept')
    expect((await retention(cz, id))?.attachments).to.include(sha)
    expect((await retention(cz, childId))?.deletedAt).to.be.a('number')
    for (const n of [cz, pl]) {
      expect((await scanDatabase(n.store, [...needles, textNeedle('child answer', 'S1-ANS')])).hits, n.country).to.deep.equal([])
      expect((await scanDisk(n.member.dir, [...needles, textNeedle('child answer', 'S1-ANS')])).hits, n.country).to.deep.equal([])
    }
  })

  it('blocks and deletes alerts: content gone from events and from what the node serves to peers', async () => {
    const issuer = official('cz-brno', 'services', ['alert-handler'])
    const reader = official('pl-krakow', 'services', ['alert-handler'])
    const open = await cz.alerts.issue(issuer, {
      area: 'services', type: 'services-risk', to: 'all',
      content: { description: 'Unsafe gas installations ALERT-OPEN-DESC', concerned: { name: 'Bohumil Plynař', registrationNumber: 'CZ-GAS-99881' } }
    })
    const sealed = await cz.alerts.issue(issuer, {
      area: 'services', type: 'services-risk', to: ['PL'],
      content: { description: 'Sealed warning ALERT-SEALED-DESC', concerned: { name: 'Jaroslava Utajená' } }
    })
    await fed.syncBroadcasts('CZ', 'PL')
    expect((await pl.alerts.get(reader, sealed.state.id)).content?.concerned.name).to.equal('Jaroslava Utajená')
    await advance(3_600_000)
    await cz.alerts.close(issuer, open.state.id)
    await cz.alerts.withdraw(issuer, sealed.state.id, 'sent in error')
    await fed.syncBroadcasts('CZ', 'PL')
    const closedAt = (await pl.alerts.get(reader, open.state.id)).state.closedAt!
    const needles = [textNeedle('alert description', 'ALERT-OPEN-DESC'), textNeedle('alert person', 'Bohumil Plynař'), textNeedle('alert number', 'CZ-GAS-99881')]
    expect((await scanDatabase(pl.store, needles)).hits).to.have.length(3)
    await compactAll(pl.store)
    expect((await scanDisk(pl.member.dir, needles)).hits.map((h) => h.split(' in ')[0])).to.include.members(needles.map((x) => x.label))

    const readsBefore = pl.audited.length
    await advance(closedAt + 184 * DAY - clock.now())
    for (const [n, who] of [[cz, issuer], [pl, reader]] as const) {
      const view = await n.alerts.get(who, open.state.id)
      expect(view.blocked, n.country).to.equal(true)
      expect(view).not.to.have.property('content')
      expect(await errCode(n.alerts.readBlocked(who, open.state.id, ''))).to.equal('ERR_INVALID_REQUEST')
      expect((await n.retention.readBlocked(who, 'alert', sealed.state.id, 'proof of the warning')).content?.description).to.equal('Sealed warning ALERT-SEALED-DESC')
    }
    expect(pl.audited.slice(readsBefore).filter((e) => e.action === 'read-blocked')).to.deep.equal([
      { actor: reader, action: 'read-blocked', procedure: { kind: 'alert', id: sealed.state.id }, reason: 'proof of the warning' }
    ])

    await advance(closedAt + 1097 * DAY - clock.now())
    for (const [n, who] of [[cz, issuer], [pl, reader]] as const) {
      for (const id of [open.state.id, sealed.state.id]) {
        expect((await n.retention.status('alert', id))?.deletedAt, `${n.country} ${id}`).to.be.a('number')
        expect(await errCode(n.alerts.readBlocked(who, id, 'proof'))).to.equal('ERR_NOT_FOUND')
      }
      expect((await n.broadcaster.since(0, 100)).every((e) => e.wire.pd === undefined), `${n.country} serves no content`).to.equal(true)
      for await (const [, e] of n.store.entries<{ pd?: unknown }>(Bucket.alertEvents)) expect(e).not.to.have.property('pd')
      expect((await scanDatabase(n.store, needles)).hits, n.country).to.deep.equal([])
      expect((await scanDisk(n.member.dir, needles)).hits, n.country).to.deep.equal([])
      await compactAll(n.store)
      expect((await scanDisk(n.member.dir, needles)).hits, n.country).to.deep.equal([])
      expect(await n.verifyEvidence()).to.include({ ok: true })
    }
  })

  it('deletes a request draft 30 days after its last change: gone from every view at once, then from the database and the disk', async () => {
    const name = 'Vlastimil Rozepsaný'
    const draft = await cz.drafts.create(brno, { area: 'services', subject: { name, registrationNumber: 'CZ-DRAFT-5521' } })
    expect(draft.expires).to.equal(clock.now() + 30 * DAY)
    const needles = [textNeedle('draft subject', name), textNeedle('draft number', 'CZ-DRAFT-5521')]
    await compactAll(cz.store)
    expect((await scanDisk(cz.member.dir, needles)).hits.map((h) => h.split(' in ')[0])).to.include.members(needles.map((x) => x.label))

    await advance(20 * DAY)
    const kept = await cz.drafts.update(brno, draft.id, { ...draft.content, note: 'still writing' })
    expect(kept.expires, 'a change starts the 30 days again').to.equal(clock.now() + 30 * DAY)
    await advance(29 * DAY)
    expect((await cz.drafts.list(brno)).map((d) => d.id)).to.deep.equal([draft.id])

    cz.retention.stop()
    await advance(DAY) // the scheduler is off: the draft is past its time but still stored
    expect(await errCode(cz.drafts.get(brno, draft.id)), 'no view shows it').to.equal('ERR_NOT_FOUND')
    expect(await cz.drafts.list(brno)).to.deep.equal([])
    expect((await scanDatabase(cz.store, needles)).hits).to.have.length(2)

    await cz.retention.start()
    await cz.retention.settled()
    expect((await scanDatabase(cz.store, needles)).hits).to.deep.equal([])
    expect((await scanDisk(cz.member.dir, needles)).hits).to.deep.equal([])
  })

  it('ends its scan on a request family that is not a tree (a self-child left by an older version), and refuses a split naming an existing request', async () => {
    const c = await closedRequest('cycle')
    const record = (await cz.store.get<{ state: RequestState }>(Bucket.requests, c.id))!
    // What a hostile split could leave before the machine refused it: the request its own child, beside a child of another family.
    await cz.store.commit([{ type: 'put', bucket: Bucket.requests, key: c.id, value: { ...record, state: { ...record.state, children: [c.id, first.id] } } }])
    await advance(c.closedAt + 1097 * DAY - clock.now())
    expect((await retention(cz, c.id))?.deletedAt).to.be.a('number')

    // PL, the responder, names CZ's other request as the child of a split: refused, nothing joins the two families.
    const other = await cz.requests.send(brno, {
      area: 'services', to: { country: 'PL', authority: 'pl-krakow' }, questions: ['services.legally-established', 'services.authorisation-valid'],
      neededBy: inDays(14), subject: { name: 'Split Target' }
    })
    await eventually(async () => await state(pl, other.id), 5000, 'PL to hold the request')
    const failed = new Promise<string>((resolve) => { pl.messaging.addEventListener('failed', (e) => { resolve((e as CustomEvent<{ code: string }>).detail.code) }, { once: true }) })
    await pl.messaging.send({
      kind: 'request', to: 'CZ', fromAuthority: 'pl-krakow', toAuthority: 'cz-brno',
      body: { request: other.id, base: 1, action: 'split', child: first.id, questions: ['services.authorisation-valid'], toAuthority: 'pl-warszawa' }
    })
    expect(await failed).to.equal('ERR_INVALID_REQUEST')
    expect((await state(cz, other.id))?.children).to.deep.equal([])
  })
})
