/**
 * Deletion proven across two real nodes (libp2p over loopback, LevelDB on disk). Both run
 * on one OffsetClock: the test jumps it months ahead while libp2p and delivery timers go
 * on in real time. CZ applies the older regime (personal data deleted six months after
 * closure), PL the default policy (blocked after six months, deleted after three years):
 * when CZ deletes, it tells PL; PL deletes its copy at once and returns a signed erasure
 * receipt, which CZ's request view shows.
 *
 * Until node.ts constructs a scheduler (`node.retention`, its policy from
 * `NodeOverrides.retentionPolicy`), the test builds one from each started node's public parts.
 */
import { expect } from 'chai'
import { randomBytes } from 'node:crypto'
import { decodeRetentionPolicy, verifyEnvelope, type AuthorityEntry, type RequestState, type RetentionPolicy } from '@imi/protocol'
import { nodeCrypto, silentLogger, type ImiNode, type NodeOverrides } from '../../src/index.js'
import type { Actor } from '../../src/services/accounts/permissions.js'
import { RetentionScheduler } from '../../src/services/retention/retention-scheduler.js'
import { eventually, makeFederation, TEST_FED, type TestFederation } from '../fixtures/federation.js'
import { OffsetClock } from '../fixtures/offset-clock.js'
import { bytesNeedle, compactAll, scanDatabase, scanDisk, textNeedle } from '../fixtures/raw-store.js'

const DAY = 86_400_000
const authority = (id: string): AuthorityEntry => ({ id, names: { en: id }, areas: ['services'], competences: ['licensing'] })
const official = (id: string): Actor => ({ kind: 'user', username: `u.${id}`, authority: id, coordinator: false, grants: [{ area: 'services', role: 'request-handler' }] })
const OLDER_REGIME = decodeRetentionPolicy({ version: 1, default: { request: { blockAfterDays: 183, deleteAfterDays: 183 } } })

describe('retention across two real nodes', function () {
  this.timeout(60_000)
  const clock = new OffsetClock()
  let fed: TestFederation
  let cz: ImiNode
  let pl: ImiNode
  let czRetention: RetentionScheduler
  let plRetention: RetentionScheduler
  const built: RetentionScheduler[] = []
  /** The node's own scheduler once node.ts wires one; until then, one built from the node's parts. */
  const retentionOf = async (n: ImiNode, policy?: RetentionPolicy): Promise<RetentionScheduler> => {
    const own = (n as unknown as { retention?: RetentionScheduler }).retention
    if (own !== undefined) return own
    const r = new RetentionScheduler({ store: n.store, clock, logger: silentLogger, messaging: n.messaging, requests: n.requests, alerts: n.alerts }, { country: n.config.country, ...(policy !== undefined && { policy }) })
    await r.start()
    built.push(r)
    return r
  }
  const brno = official('cz-brno')
  const krakow = official('pl-krakow')

  const state = async (n: ImiNode, id: string): Promise<RequestState | undefined> => (await n.requests.log.record(id))?.state
  const agreed = async (id: string, check: (s: RequestState) => boolean): Promise<RequestState> => await eventually(async () => {
    const [a, b] = await Promise.all([state(cz, id), state(pl, id)])
    return a !== undefined && b !== undefined && check(a) && check(b) && JSON.stringify(a) === JSON.stringify(b) ? a : undefined
  }, 15_000, `request ${id} to agree`)

  before(async () => {
    fed = await makeFederation(['CZ', 'PL'])
    cz = await fed.start('CZ', { clock, retentionPolicy: OLDER_REGIME } as NodeOverrides)
    pl = await fed.start('PL', { clock })
    await cz.authorities.importAuthorities([authority('cz-brno')])
    await pl.authorities.importAuthorities([authority('pl-krakow')])
    for (const [n, country, id] of [[cz, 'PL', 'pl-krakow'], [pl, 'CZ', 'cz-brno']] as const) {
      await eventually(async () => { await n.directory.refreshCountry(country); return n.directory.authority(country, id) }, 20_000, `${id} listed`)
    }
    czRetention = await retentionOf(cz, OLDER_REGIME)
    plRetention = await retentionOf(pl)
    expect(czRetention.policy).to.deep.equal(OLDER_REGIME)
  })
  after(async () => {
    for (const r of built) r.stop()
    await fed.close()
  })

  it('CZ deletes under its policy; PL deletes its copy on CZ\'s erasure and returns a signed receipt, which CZ shows', async () => {
    const pdf = new Uint8Array(randomBytes(60_000))
    const needles = [
      textNeedle('name', 'Radmila Výmazová-IT7'), textNeedle('registration number', 'CZ-IT7-55120'),
      textNeedle('answer', 'Licensed in Kraków since 2015 IT7-ANS'), bytesNeedle('file bytes', pdf)
    ]
    const sent = await cz.requests.send(brno, {
      area: 'services', to: { country: 'PL', authority: 'pl-krakow' }, questions: ['services.legally-established'],
      neededBy: new Date(clock.now() + 14 * DAY).toISOString().slice(0, 10),
      subject: { name: 'Radmila Výmazová-IT7', registrationNumber: 'CZ-IT7-55120' },
      attachments: [{ name: 'licence-IT7.pdf', type: 'application/pdf', data: pdf }]
    })
    await agreed(sent.id, (s) => s.status === 'sent')
    await pl.requests.act(krakow, sent.id, 'accept')
    await agreed(sent.id, (s) => s.disclosed)
    await eventually(async () => await pl.requests.attachment(krakow, sent.id, sent.attachments[0]!.sha256).catch(() => undefined), 15_000, 'the file on PL')
    await pl.requests.act(krakow, sent.id, 'answer', {
      fields: { questions: ['services.legally-established'], final: true },
      personalData: { answers: [{ question: 'services.legally-established', value: { type: 'yes-no', value: true }, comment: 'Licensed in Kraków since 2015 IT7-ANS' }] }
    })
    await agreed(sent.id, (s) => s.status === 'answered')
    await cz.requests.act(brno, sent.id, 'close', { fields: { rating: { timeliness: 5, effort: 5 } } })
    const closed = await agreed(sent.id, (s) => s.status === 'closed')
    for (const n of [cz, pl]) expect((await scanDatabase(n.store, needles)).hits, `${n.config.country} holds the data`).to.have.length(needles.length)

    // Six months and a day later (by the nodes' clock).
    clock.jump(closed.closedAt! + 184 * DAY - clock.now())
    const onCz = await eventually(async () => { const r = await czRetention.status('request', sent.id); return r?.deletedAt !== undefined ? r : undefined }, 15_000, 'CZ to delete')
    expect(onCz).to.include({ deletedFor: 'retention' })
    const onPl = await eventually(async () => { const r = await plRetention.status('request', sent.id); return r?.deletedAt !== undefined ? r : undefined }, 15_000, 'PL to delete on CZ\'s erasure')
    expect(onPl).to.include({ deletedFor: 'counterpart' })
    expect(onPl.blockedAt).to.be.a('number') // its own policy had blocked it, at the same moment

    const view = await eventually(async () => {
      const v = await cz.requests.get(brno, sent.id)
      return v.erasure?.counterpart?.kind === 'erasure-receipt' ? v : undefined
    }, 15_000, 'PL\'s erasure receipt in CZ\'s view')
    expect(view.blocked).to.equal(true)
    expect(view).not.to.have.property('subject')
    expect(view.erasure!.local).to.equal(onCz.deletedAt)
    expect(view.erasure!.counterpart).to.include({ from: 'PL', at: onPl.deletedAt })
    const receipt = verifyEnvelope(view.erasure!.counterpart!.receipt, { federationId: TEST_FED, keys: cz.roster.historicKeys(), crypto: nodeCrypto, now: clock.now() })
    expect(receipt.hdr).to.include({ kind: 'erasure-receipt', from: 'PL' })
    expect(receipt.body).to.deep.include({ request: sent.id, held: true, attachments: [sent.attachments[0]!.sha256] })
    expect((receipt.body as { digests: string[] }).digests).to.have.length.greaterThan(1)
    expect((await pl.requests.get(krakow, sent.id)).erasure?.counterpart).to.include({ from: 'CZ', kind: 'erasure' })

    for (const n of [cz, pl]) {
      const country = n.config.country
      expect((await scanDatabase(n.store, needles)).hits, `${country} database`).to.deep.equal([])
      await compactAll(n.store)
      expect((await scanDisk(n.config.dataDir, needles)).hits, `${country} disk`).to.deep.equal([])
      const report = await n.verifyEvidence()
      expect(report.ok, `${country} evidence: ${JSON.stringify(report)}`).to.equal(true)
    }
  })
})
