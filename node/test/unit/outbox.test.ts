import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ManualClock, silentLogger } from '../../src/index.js'
import { OutboxScheduler } from '../../src/services/messaging/outbox.js'
import { RefusalError } from '../../src/services/messaging/refusals.js'
import type { OutboxEntry } from '../../src/services/messaging/records.js'
import { Bucket, Store } from '../../src/storage/index.js'

/** The scheduler's timing under a manual clock; the network side is a scripted peer. */
describe('outbox scheduler', () => {
  let dir: string
  let store: Store
  let clock: ManualClock
  let attempts: Array<{ id: string, at: number }>
  let peerUp: boolean
  let scheduler: OutboxScheduler
  const flush = async () => { for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r)) }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imi-outbox-'))
    store = new Store(dir, { sync: false })
    await store.open()
    clock = new ManualClock(1_000_000)
    attempts = []
    peerUp = false
    scheduler = new OutboxScheduler({
      store, clock, logger: silentLogger, randomBytes: () => new Uint8Array([255]),
      deliver: async (entry) => {
        attempts.push({ id: entry.id, at: clock.now() })
        if (!peerUp) throw Object.assign(new Error('unreachable'), { code: 'ERR_UNREACHABLE' })
      }
    }, { retryInitialMs: 1000, retryMaxMs: 8000 })
  })
  afterEach(async () => { scheduler.stop(); await store.close(); await rm(dir, { recursive: true, force: true }) })

  const entry = (id: string, to = 'PL'): OutboxEntry => ({ id, to, queuedAt: clock.now() })

  it('backs off exponentially up to the cap', async () => {
    await scheduler.start()
    scheduler.enqueue(entry('a'))
    await flush()
    // Step by one second so each failure is handled at the time it happened.
    for (let i = 0; i < 40; i++) { clock.advance(1000); await flush() }
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i]!.at)
    // Jitter is pinned to the ceiling here: 1 s, 2 s, 4 s, then the 8 s cap.
    expect(gaps).to.deep.equal([1000, 2000, 4000, 8000, 8000, 8000, 8000])
  })

  it('retries at once when the peer reconnects', async () => {
    await scheduler.start()
    scheduler.enqueue(entry('a'))
    await flush()
    clock.advance(1000); await flush()
    clock.advance(2000); await flush()
    expect(attempts.length).to.equal(3)
    peerUp = true
    scheduler.wake('PL')
    await flush()
    expect(attempts.length).to.equal(4)
    expect(attempts[3]!.at).to.equal(attempts[2]!.at)
    expect(scheduler.depth()).to.equal(0)
  })

  it('keeps peers independent: an offline peer does not hold back another', async () => {
    await scheduler.start()
    const down = new Set(['RO'])
    scheduler.stop()
    scheduler = new OutboxScheduler({
      store, clock, logger: silentLogger, randomBytes: () => new Uint8Array([255]),
      deliver: async (e) => { attempts.push({ id: e.id, at: clock.now() }); if (down.has(e.to)) throw new Error('down') }
    })
    await scheduler.start()
    scheduler.enqueue(entry('r1', 'RO'))
    scheduler.enqueue(entry('p1', 'PL'))
    scheduler.enqueue(entry('p2', 'PL'))
    await flush()
    expect(scheduler.summary()).to.deep.equal([{ country: 'RO', pending: 1, failures: 1, retryAt: clock.now() + 1000, lastError: 'Error', oldestQueuedAt: clock.now() }])
  })

  it('backs off a refused message alone: the peer answered, the rest of its traffic goes on', async () => {
    scheduler.stop()
    const refused = new Set(['stuck'])
    scheduler = new OutboxScheduler({
      store, clock, logger: silentLogger, randomBytes: () => new Uint8Array([255]),
      deliver: async (e) => {
        attempts.push({ id: e.id, at: clock.now() })
        if (refused.has(e.id)) throw new RefusalError('ERR_UNKNOWN_AUTHORITY', 'PL refused: no such authority')
      }
    }, { retryInitialMs: 1000, retryMaxMs: 8000 })
    await scheduler.start()
    scheduler.enqueue(entry('stuck'))
    await flush()
    // Sent while the refused message waits out its backoff: delivered at once.
    clock.advance(100); await flush()
    scheduler.enqueue(entry('next'))
    await flush()
    expect(attempts.find((a) => a.id === 'next')?.at).to.equal(clock.now())
    const [summary] = scheduler.summary()
    expect(summary).to.include({ country: 'PL', pending: 1, failures: 0, lastError: 'ERR_UNKNOWN_AUTHORITY' })
    expect(summary).not.to.have.property('retryAt')
    // The refused message itself backs off: 1 s, 2 s, 4 s.
    for (let i = 0; i < 80; i++) { clock.advance(100); await flush() }
    const stuck = attempts.filter((a) => a.id === 'stuck').map((a) => a.at)
    expect(stuck.slice(1).map((at, i) => at - stuck[i]!)).to.deep.equal([1000, 2000, 4000])
    refused.clear()
    clock.advance(8000); await flush()
    expect(scheduler.depth()).to.equal(0)
  })

  it('still backs off the whole peer when it cannot be reached', async () => {
    await scheduler.start()
    scheduler.enqueue(entry('a'))
    await flush()
    scheduler.enqueue(entry('b'))
    await flush()
    expect(attempts.map((a) => a.id)).to.deep.equal(['a'])
    clock.advance(1000); await flush()
    expect(attempts.map((a) => a.id)).to.deep.equal(['a', 'a', 'b'])
  })

  it('resumes entries stored before a restart', async () => {
    await store.commit([{ type: 'put', bucket: Bucket.outbox, key: 'x', value: entry('x', 'DE') }])
    peerUp = true
    await scheduler.start()
    await flush()
    expect(attempts.map((a) => a.id)).to.deep.equal(['x'])
  })
})
