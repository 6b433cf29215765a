import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MAX_CLOCK_SKEW_MS, MAX_MESSAGE_AGE_MS, cosignRoster, encodeReply, proposeRoster, type RosterDocument } from '@imi/protocol'
import { ManualClock, generateIdentity, nodeCrypto, rosterMemberOf, silentLogger, type NodeIdentity } from '../../src/index.js'
import { DIRECTORY_RECHECK_MS, Messaging, type AuthorityStatus } from '../../src/services/messaging/messaging.js'
import { AUTHORITY_DISAGREEMENT_MS } from '../../src/services/messaging/refusals.js'
import { RosterService } from '../../src/services/roster-service.js'
import { EvidenceLog, Store } from '../../src/storage/index.js'

const FED = 'imi-unit'
const HOUR = 3_600_000

/**
 * The sender's side of refusals, against a scripted receiver that answers every message
 * with one refusal code: how long it keeps retrying and what it asks the directory.
 */
describe('messaging: refused messages', () => {
  let dir: string
  let store: Store
  let clock: ManualClock
  let messaging: Messaging
  let cz: NodeIdentity
  let pl: NodeIdentity
  /** What the scripted receiver answers. */
  let answer: { code: string, message: string }
  /** The `fresh` argument of each directory lookup. */
  let lookups: boolean[]
  /** What the directory says of the receiver's authority. */
  let status: AuthorityStatus
  let attempts: number
  let offline: boolean
  let failed: Array<{ id: string, code: string }>
  const flush = async () => { for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r)) }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imi-refusals-'))
    clock = new ManualClock(Date.UTC(2026, 0, 1))
    cz = await generateIdentity()
    pl = await generateIdentity()
    const created = clock.now() - 60_000
    const doc: RosterDocument = { fed: FED, version: 1, created, members: [rosterMemberOf(cz, 'CZ', [], created - 1000), rosterMemberOf(pl, 'PL', [], created - 1000)], bootstraps: [] }
    const genesis = cosignRoster(cosignRoster(proposeRoster(doc), cz.signer), pl.signer)
    store = new Store(join(dir, 'CZ'), { sync: false })
    await store.open()
    const evidence = new EvidenceLog({ store, crypto: nodeCrypto, now: () => clock.now() })
    await evidence.load()
    const roster = new RosterService({ store, crypto: nodeCrypto, evidence, logger: silentLogger }, { federationId: FED })
    await roster.load([genesis])
    answer = { code: 'ERR_UNKNOWN_KEY', message: 'no such key' }
    lookups = []
    status = 'listed'
    attempts = 0
    offline = false
    failed = []
    messaging = new Messaging({
      store, evidence, roster, crypto: nodeCrypto, clock, country: 'CZ', signer: cz.signer, randomBytes: (n) => randomBytes(n), logger: silentLogger,
      transport: { request: async () => { attempts++; if (offline) throw new Error('peer unreachable'); return encodeReply({ error: answer }) } },
      authorities: { authorityStatus: async (_country, _id, fresh) => { lookups.push(fresh === true); return status } }
    }, { federationId: FED, retryInitialMs: 1000, retryMaxMs: HOUR })
    messaging.addEventListener('failed', (evt) => { failed.push((evt as CustomEvent<{ id: string, code: string }>).detail) })
    await messaging.start()
  })
  afterEach(async () => { messaging.stop(); await store.close(); await rm(dir, { recursive: true, force: true }) })

  const send = async (toAuthority?: string) => await messaging.send({
    kind: 'note', to: 'PL', body: { text: 'hello' },
    ...(toAuthority !== undefined && { fromAuthority: 'cz-brno', toAuthority })
  })
  /** Moves the clock in steps, letting each retry run at its time. */
  const run = async (ms: number, step = HOUR) => {
    for (let t = 0; t < ms; t += step) { clock.advance(Math.min(step, ms - t)); await flush() }
    // An abandoned message is recorded in the store: let that write land.
    await new Promise((resolve) => setTimeout(resolve, 50))
  }

  for (const code of ['ERR_UNKNOWN_KEY', 'ERR_INVALID_SIGNATURE', 'ERR_INTERNAL', 'ERR_MADE_UP_BY_A_HOSTILE_PEER']) {
    it(`abandons a message still refused (${code}) past the replay window, visibly`, async () => {
      answer = { code, message: 'no' }
      const sent = await send()
      await flush()
      await run(MAX_MESSAGE_AGE_MS - HOUR)
      expect(failed, 'kept within the replay window').to.deep.equal([])
      expect(messaging.outboxDepth()).to.equal(1)
      await run(2 * HOUR + MAX_CLOCK_SKEW_MS)
      expect(failed).to.deep.equal([{ id: sent.id, to: 'PL', code }])
      expect(messaging.outboxDepth()).to.equal(0)
      expect((await messaging.view(sent.id)).status).to.equal('failed')
    })
  }

  it('gives an authority disagreement about a day, then abandons the message', async () => {
    answer = { code: 'ERR_UNKNOWN_AUTHORITY', message: 'PL lists no authority pl-krakow' }
    const sent = await send('pl-krakow')
    await flush()
    await run(AUTHORITY_DISAGREEMENT_MS - HOUR)
    expect(failed).to.deep.equal([])
    await run(2 * HOUR)
    expect(failed).to.deep.equal([{ id: sent.id, to: 'PL', code: 'ERR_UNKNOWN_AUTHORITY' }])
  })

  it('counts an authority disagreement from its first refusal: a message that waited out an outage is not abandoned at once', async () => {
    answer = { code: 'ERR_UNKNOWN_AUTHORITY', message: 'PL lists no authority pl-krakow' }
    offline = true
    const sent = await send('pl-krakow')
    await run(2 * AUTHORITY_DISAGREEMENT_MS)
    offline = false
    await run(AUTHORITY_DISAGREEMENT_MS - 2 * HOUR)
    expect(failed).to.deep.equal([])
    expect(messaging.outboxDepth()).to.equal(1)
    // Retries come at most an hour apart here, the first refusal up to an hour after the outage.
    await run(4 * HOUR)
    expect(failed).to.deep.equal([{ id: sent.id, to: 'PL', code: 'ERR_UNKNOWN_AUTHORITY' }])
  })

  it('fetches the receiver\'s directory again at most once per few minutes however often the refusal comes', async () => {
    answer = { code: 'ERR_UNKNOWN_AUTHORITY', message: 'PL lists no authority pl-krakow' }
    await send('pl-krakow')
    lookups = []
    attempts = 0
    // Retries every second or two for a minute: one fetch serves them all.
    await run(60_000, 250)
    expect(attempts).to.be.greaterThan(4)
    expect(lookups.filter((f) => f)).to.have.length.at.most(2)
    await run(DIRECTORY_RECHECK_MS, 1000)
    expect(lookups.filter((f) => f).length).to.be.at.most(4)
    expect(failed).to.deep.equal([])
  })

  it('abandons an unknown-authority refusal once its own fetched directory no longer lists the authority', async () => {
    answer = { code: 'ERR_UNKNOWN_AUTHORITY', message: 'PL lists no authority pl-krakow' }
    const sent = await send('pl-krakow')
    await run(60_000, 1000)
    expect(failed).to.deep.equal([])
    // The directory's copy expired, or was replaced without the authority.
    status = 'not-listed'
    await run(DIRECTORY_RECHECK_MS + 10 * 60_000, 10_000)
    expect(failed).to.deep.equal([{ id: sent.id, to: 'PL', code: 'ERR_UNKNOWN_AUTHORITY' }])
  })
})
