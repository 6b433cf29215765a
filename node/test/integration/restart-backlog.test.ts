/**
 * A node that restarts with a backlog owed to it (simulations/README.md, findings 1 and
 * 2): real libp2p nodes over loopback TCP, real LevelDB. The receiver comes back two days
 * later, when the directory records in the DHT have expired (directory maintenance off,
 * as in the simulations), so only the directory it cached on disk says who the sender's
 * authorities are. The sender retries every few milliseconds, so its backlog arrives as
 * soon as the receiver listens: every message must be taken, none abandoned, and every
 * request must end in the same state on both nodes.
 */
import { expect } from 'chai'
import type { AuthorityEntry, RequestState } from '@imi/protocol'
import type { ImiNode } from '../../src/index.js'
import type { Actor } from '../../src/services/accounts/permissions.js'
import { eventually, makeFederation, type TestFederation } from '../fixtures/federation.js'
import { OffsetClock } from '../fixtures/offset-clock.js'

const DAY = 86_400_000
/** Requests PL holds before it restarts. */
const HISTORY = 200
const authority = (id: string): AuthorityEntry => ({ id, names: { en: id }, areas: ['services'], competences: ['licensing'] })
const official = (id: string): Actor => ({ kind: 'user', username: `u.${id}`, authority: id, coordinator: false, grants: [{ area: 'services', role: 'request-handler' }] })
const inDays = (d: number): string => new Date(Date.now() + d * DAY).toISOString().slice(0, 10)

describe('a node restarting with a backlog owed to it', function () {
  this.timeout(120_000)
  const clock = new OffsetClock()
  let fed: TestFederation
  let cz: ImiNode
  let pl: ImiNode
  const brno = official('cz-brno')
  const ostrava = official('cz-ostrava')
  const krakow = official('pl-krakow')
  /** No republication or refresh during the test: the records in the DHT simply expire. */
  const settings = { directory: { refreshMs: 86_400_000, republishMs: 12 * 3_600_000 }, delivery: { retryInitialMs: 10, retryMaxMs: 100 } }

  const state = async (n: ImiNode, id: string): Promise<RequestState | undefined> => (await n.requests.log.record(id))?.state
  const agreed = async (id: string, check: (s: RequestState) => boolean): Promise<RequestState> => await eventually(async () => {
    const [a, b] = await Promise.all([state(cz, id), state(pl, id)])
    return a !== undefined && b !== undefined && check(a) && check(b) && JSON.stringify(a) === JSON.stringify(b) ? a : undefined
  }, 30_000, `request ${id} to agree on both nodes`)
  const send = async (from = brno): Promise<RequestState> => await cz.requests.send(from, {
    area: 'services', to: { country: 'PL', authority: 'pl-krakow' }, questions: ['services.legally-established'],
    neededBy: inDays(14), subject: { name: 'Jana Nováková', registrationNumber: 'CZ-1' }
  })

  before(async () => {
    fed = await makeFederation(['CZ', 'PL'])
    cz = await fed.start('CZ', { clock }, settings)
    pl = await fed.start('PL', { clock }, settings)
    await cz.authorities.importAuthorities([authority('cz-brno')])
    await pl.authorities.importAuthorities([authority('pl-krakow')])
    for (const [n, country, id] of [[cz, 'PL', 'pl-krakow'], [pl, 'CZ', 'cz-brno']] as const) {
      await eventually(async () => { await n.directory.refreshCountry(country); return n.directory.authority(country, id) }, 20_000, `${n.config.country} to list ${id}`)
    }
    // A node with some history: its start has requests to replay, which takes a while.
    for (let i = 0; i < HISTORY / 20; i++) await Promise.all(Array.from({ length: 20 }, async () => await send()))
    await eventually(() => cz.messaging.outboxDepth() === 0, 60_000, 'the history to be delivered')
  })
  after(async () => { await fed.close() })

  it('takes every message of the backlog, abandons none, and ends every request in the same state on both nodes', async () => {
    // A request accepted before the restart: its answer is part of the backlog.
    const first = await send()
    await agreed(first.id, (s) => s.status === 'sent')
    await pl.requests.act(krakow, first.id, 'accept')
    await agreed(first.id, (s) => s.disclosed)

    const abandoned: string[] = []
    cz.messaging.addEventListener('failed', (evt) => { abandoned.push((evt as CustomEvent<{ code: string }>).detail.code) })
    await fed.stop('PL')
    // Stop CZ's directory timers: nothing republishes CZ's records, which expire in the DHT.
    cz.directory.stop()
    clock.jump(2 * DAY)
    // An authority CZ set up meanwhile: PL's cached directory cannot list it, and the
    // DHT has no valid record of CZ's directory until CZ publishes again.
    await cz.authorities.importAuthorities([authority('cz-brno'), authority('cz-ostrava')])
    const backlog: RequestState[] = []
    for (let i = 0; i < 5; i++) backlog.push(await send())
    backlog.push(await send(ostrava))
    await cz.requests.act(brno, first.id, 'message', { personalData: { text: 'Any news?' } })
    expect(cz.messaging.outboxDepth()).to.be.at.least(6)

    pl = await fed.start('PL', { clock }, settings)
    // PL cannot confirm cz-ostrava yet: CZ keeps the message and retries, abandoning nothing.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(abandoned, 'deliveries CZ abandoned').to.deep.equal([])
    // Kept, and its operators see why it waits.
    expect(cz.messaging.outboxSummary().find((p) => p.country === 'PL')).to.deep.include({ pending: 1, lastError: 'ERR_AUTHORITY_UNVERIFIED' })
    // CZ publishes its directory again; PL hears of it and lists cz-ostrava.
    await cz.directory.start()
    await eventually(() => cz.messaging.outboxDepth() === 0 || abandoned.length > 0, 30_000, 'the backlog to be delivered')
    expect(abandoned, 'deliveries CZ abandoned').to.deep.equal([])
    for (const r of backlog) await agreed(r.id, (s) => s.status === 'sent')
    await agreed(first.id, (s) => s.version >= 4)
  })
})
