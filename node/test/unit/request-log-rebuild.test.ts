import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REQUEST_EVENT_KIND, decodeRequestEventBody, replayRequest, type RequestEventBody, type VerifiedEnvelope } from '@imi/protocol'
import { ManualClock, silentLogger } from '../../src/index.js'
import type { InboundHandler } from '../../src/services/messaging/messaging.js'
import { RequestLog, eventWrite, storedEvent } from '../../src/services/requests/request-log.js'
import { RequestService } from '../../src/services/requests/request-service.js'
import { Bucket, Store, type WriteOp } from '../../src/storage/index.js'

const T0 = Date.UTC(2026, 5, 1)
const R = 'AAAAAAAAAAAAAAAAAAAAAA'
const send = decodeRequestEventBody({
  request: R, base: 0, action: 'send', area: 'services', to: { country: 'PL', authority: 'pl-krakow' },
  questions: ['services.legally-established'], neededBy: '2026-07-01'
})
const accept = decodeRequestEventBody({ request: R, base: 1, action: 'accept' })
const message = decodeRequestEventBody({ request: R, base: 2, action: 'message' })
const cz = (id: string, body: RequestEventBody, at: number) => storedEvent(id, { from: 'CZ', fromAuthority: 'cz-brno', created: at }, body, false)
const pl = (id: string, body: RequestEventBody, at: number) => storedEvent(id, { from: 'PL', fromAuthority: 'pl-krakow', created: at }, body, false)

/** Messaging as RequestService sees it: the inbound handler it registers, and the 'received' events. */
class FakeMessaging extends EventTarget {
  handler?: InboundHandler
  handleInbound (_kind: string, handler: InboundHandler): void { this.handler = handler }
  async send (): Promise<never> { throw new Error('this test sends nothing') }
}

/**
 * The request cache is rebuilt at start while an inbound event may be applied
 * (simulations/README.md, finding 2): the rebuild's replay, having read fewer events,
 * must never land after the replay of the newer event.
 */
describe('request log rebuild', () => {
  let dir: string
  let store: Store
  let log: RequestLog
  /** The next read of R's events stops, once read, until `release` (a slow rebuild). */
  let hold: { reached: Promise<void>, release: () => void } | undefined

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imi-rebuild-'))
    store = new Store(dir, { sync: false })
    await store.open()
    log = new RequestLog(store)
    const entries = store.entries.bind(store)
    store.entries = function <T>(bucket: Parameters<Store['entries']>[0], opts: Parameters<Store['entries']>[1] = {}): AsyncGenerator<[string, T]> {
      const held = hold
      if (bucket !== Bucket.requestEvents || opts.gte !== `${R}/` || held === undefined) return entries<T>(bucket, opts)
      hold = undefined
      return (async function * () {
        const all: Array<[string, T]> = []
        for await (const e of entries<T>(bucket, opts)) all.push(e)
        held.release()
        await held.reached
        yield * all
      })()
    }
    // The node stored the send and cached it, then stored the acceptance and stopped before caching it.
    await store.commit([eventWrite(R, cz('e1', send, T0))])
    await log.recompute(R)
    await store.commit([eventWrite(R, pl('e2', accept, T0 + 1000))])
  })
  afterEach(async () => { await store.close(); await rm(dir, { recursive: true, force: true }) })

  /** Stops the next read of R's events after it read them: resolves when it got there; `go` lets it finish. */
  function holdNextRead (): { there: Promise<void>, go: () => void } {
    let there!: () => void
    let go!: () => void
    const arrived = new Promise<void>((resolve) => { there = resolve })
    const released = new Promise<void>((resolve) => { go = resolve })
    hold = { release: there, reached: released }
    return { there: arrived, go }
  }

  const replayOfStored = async () => replayRequest(R, await log.events(R)).state
  const flush = async (): Promise<void> => { for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve)) }

  it('applies an event received while the rebuild replays the same request, and ends with the replay of every stored event', async () => {
    const messaging = new FakeMessaging()
    const service = new RequestService({
      store, clock: new ManualClock(T0 + 5000), messaging, authorities: { isActiveAuthority: async () => true },
      logger: silentLogger, randomBytes: (n) => new Uint8Array(n)
    }, { country: 'PL' })
    const changed = new Promise<void>((resolve) => { service.addEventListener('changed', () => { resolve() }) })

    const paused = holdNextRead()
    const starting = service.start()
    await paused.there
    // Messaging stores the inbound event with the handler's writes, then says it was received.
    const env = { hdr: { id: 'e3', kind: REQUEST_EVENT_KIND, from: 'CZ', fromAuthority: 'cz-brno', to: ['PL'], created: T0 + 2000 }, body: message } as unknown as VerifiedEnvelope
    await store.commit(await messaging.handler!(env))
    messaging.dispatchEvent(new CustomEvent('received', { detail: { id: 'e3', kind: REQUEST_EVENT_KIND, from: 'CZ' } }))
    await flush()
    paused.go()
    await starting
    await changed
    await flush()

    const expected = await replayOfStored()
    expect(expected?.version).to.equal(3)
    expect((await log.record(R))?.state).to.deep.equal(expected)
  })

  it('on the requesting node, discloses at start an acceptance that was stored while no disclosure followed', async () => {
    await store.commit([{ type: 'put', bucket: Bucket.requestSubjects, key: R, value: { subject: { name: 'Jana Nováková' }, attachmentNames: {} } }])
    const sent: Array<{ kind: string, to: string, body: { action: string }, personalData?: unknown }> = []
    const messaging = new FakeMessaging()
    messaging.send = (async (req: { kind: string, to: string, body: { action: string }, personalData?: unknown, fromAuthority?: string }, also?: (r: unknown) => WriteOp[]) => {
      const id = `d${sent.length + 1}`
      const record = { id, hdr: { id, kind: req.kind, from: 'CZ', fromAuthority: req.fromAuthority, to: [req.to], created: T0 + 3000 }, jws: '', digest: '' }
      await store.commit(also?.(record) ?? [])
      sent.push(req)
      return record
    }) as unknown as FakeMessaging['send']
    const service = new RequestService({
      store, clock: new ManualClock(T0 + 5000), messaging, authorities: { isActiveAuthority: async () => true },
      logger: silentLogger, randomBytes: (n) => new Uint8Array(n)
    }, { country: 'CZ' })
    await service.start()
    expect(sent.map((m) => [m.to, m.body.action])).to.deep.equal([['PL', 'disclose']])
    expect(sent[0]!.personalData).to.deep.include({ subject: { name: 'Jana Nováková' } })
    expect((await log.record(R))?.state.disclosed).to.equal(true)
    // Started again, it has nothing more to disclose.
    const again = new FakeMessaging()
    let more = 0
    again.send = (async () => { more++; throw new Error('nothing to send') }) as unknown as FakeMessaging['send']
    await new RequestService({
      store, clock: new ManualClock(T0 + 6000), messaging: again, authorities: { isActiveAuthority: async () => true },
      logger: silentLogger, randomBytes: (n) => new Uint8Array(n)
    }, { country: 'CZ' }).start()
    expect(more).to.equal(0)
  })

  it('never overwrites a cached state replayed from more events with one replayed from fewer', async () => {
    const paused = holdNextRead()
    const slow = log.recompute(R)
    await paused.there
    await store.commit([eventWrite(R, cz('e3', message, T0 + 2000))])
    await log.recompute(R)
    paused.go()
    await slow
    expect((await log.record(R))?.state).to.deep.equal(await replayOfStored())
    expect((await log.record(R))?.replayed).to.equal(3)
  })
})
