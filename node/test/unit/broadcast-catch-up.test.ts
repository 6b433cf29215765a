/**
 * The watermark logic of broadcast catch-up on a real LevelDB: the arrival log a peer
 * pages through, the per-peer marks, where a catch-up resumes, and the periodic
 * anti-entropy rounds on a manual clock.
 */
import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ImiError } from '@imi/protocol'
import { ManualClock, silentLogger } from '../../src/index.js'
import { isTemporaryRefusal } from '../../src/services/broadcast/refusals.js'
import { AntiEntropy } from '../../src/services/broadcast/anti-entropy.js'
import { ArrivalLog, renewArrivalEpoch } from '../../src/services/broadcast/arrival-log.js'
import { resumeFrom, SyncMarks } from '../../src/services/broadcast/sync-marks.js'
import { Bucket, Store, seqKey } from '../../src/storage/index.js'

const flush = async (): Promise<void> => { for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve)) }
let counter = 0
const randomBytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => (counter = (counter * 31 + 17) % 256))

describe('broadcast catch-up watermarks', () => {
  let dir: string
  let store: Store
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imi-catch-up-'))
    store = new Store(dir, { sync: false })
    await store.open()
  })
  afterEach(async () => { await store.close(); await rm(dir, { recursive: true, force: true }) })

  const stored = async (log: ArrivalLog, ...ids: string[]): Promise<void> => {
    for (const id of ids) await store.commit([await log.append(id)])
  }

  describe('resumeFrom', () => {
    it('resumes at the mark held for the same log', () => {
      expect(resumeFrom({ epoch: 'e1', after: 7 }, 'e1', 9)).to.equal(7)
      expect(resumeFrom({ epoch: 'e1', after: 9 }, 'e1', 9)).to.equal(9)
    })
    it('starts over without a mark, for another log, or when the log ends before the mark', () => {
      expect(resumeFrom(undefined, 'e1', 9)).to.equal(0)
      expect(resumeFrom({ epoch: 'e0', after: 7 }, 'e1', 9)).to.equal(0)
      expect(resumeFrom({ epoch: 'e1', after: 12 }, 'e1', 9)).to.equal(0)
    })
  })

  describe('arrival log', () => {
    it('numbers envelopes in the order they were stored, whatever their creation time, and pages from a mark', async () => {
      const log = new ArrivalLog({ store, randomBytes })
      await stored(log, 'new', 'old', 'older')
      const all = await log.page(undefined, 10)
      expect(all).to.deep.include({ from: 0, ids: ['new', 'old', 'older'], next: 3, head: 3, more: false })
      const first = await log.page(undefined, 2)
      expect(first).to.deep.include({ ids: ['new', 'old'], next: 2, more: true })
      expect(await log.page({ epoch: first.epoch, after: first.next }, 2)).to.deep.include({ from: 2, ids: ['older'], next: 3, more: false })
      // Nothing new: an empty page that leaves the mark where it is.
      expect(await log.page({ epoch: first.epoch, after: 3 }, 2)).to.deep.include({ from: 3, ids: [], next: 3, more: false })
    })

    it('keeps its epoch and numbering across a restart, and pages another log\'s mark from the start', async () => {
      const log = new ArrivalLog({ store, randomBytes })
      await stored(log, 'a', 'b')
      const epoch = (await log.page(undefined, 1)).epoch
      const again = new ArrivalLog({ store, randomBytes })
      await stored(again, 'c')
      expect(await again.page({ epoch, after: 2 }, 10)).to.deep.include({ epoch, from: 2, ids: ['c'], next: 3 })
      expect(await again.page({ epoch: 'another', after: 2 }, 10)).to.deep.include({ from: 0, ids: ['a', 'b', 'c'] })
    })

    it('pages from the start when the id at the mark is not the one the peer took there, and after a restore gave the log a new epoch', async () => {
      const log = new ArrivalLog({ store, randomBytes })
      await stored(log, 'a', 'b', 'c')
      const epoch = (await log.page(undefined, 1)).epoch
      expect(await log.page({ epoch, after: 2, id: 'b' }, 10)).to.deep.include({ from: 2, ids: ['c'] })
      // The peer took 'x' at 2 from this node's log before it was restored from a backup.
      expect(await log.page({ epoch, after: 2, id: 'x' }, 10)).to.deep.include({ from: 0, ids: ['a', 'b', 'c'] })
      const renewed = await renewArrivalEpoch(store, randomBytes)
      expect(renewed).to.not.equal(epoch)
      const restored = new ArrivalLog({ store, randomBytes })
      expect(await restored.page({ epoch, after: 2, id: 'b' }, 10)).to.deep.include({ epoch: renewed, from: 0, ids: ['a', 'b', 'c'] })
    })

    it('numbers the envelopes a store held before the log existed, in creation order, once', async () => {
      await store.commit([
        { type: 'put', bucket: Bucket.broadcasts, key: `${seqKey(2000)}:y`, value: { id: 'y' } },
        { type: 'put', bucket: Bucket.broadcasts, key: `${seqKey(1000)}:x`, value: { id: 'x' } }
      ])
      const log = new ArrivalLog({ store, randomBytes })
      await stored(log, 'z')
      expect((await log.page(undefined, 10)).ids).to.deep.equal(['x', 'y', 'z'])
      expect((await new ArrivalLog({ store, randomBytes }).page(undefined, 10)).ids).to.deep.equal(['x', 'y', 'z'])
    })
  })

  describe('marks', () => {
    it('are kept per peer and never move back within one log, unless the catch-up started over', async () => {
      const marks = new SyncMarks({ store })
      expect(await marks.get('peerA')).to.equal(undefined)
      await marks.advance('peerA', { epoch: 'e1', after: 5 }, 0)
      await marks.advance('peerA', { epoch: 'e1', after: 3 }, 2)
      expect(await marks.get('peerA')).to.deep.equal({ epoch: 'e1', after: 5 })
      await marks.advance('peerA', { epoch: 'e1', after: 8 }, 5)
      expect(await marks.get('peerA')).to.deep.equal({ epoch: 'e1', after: 8 })
      // The peer's store was restored from a backup: its log restarted below the mark.
      await marks.advance('peerA', { epoch: 'e1', after: 2 }, 0)
      expect(await marks.get('peerA')).to.deep.equal({ epoch: 'e1', after: 2 })
      await marks.advance('peerA', { epoch: 'e2', after: 1 }, 0)
      expect(await marks.get('peerA')).to.deep.equal({ epoch: 'e2', after: 1 })
      expect(await marks.get('peerB')).to.equal(undefined)
    })
  })
})

describe('broadcast catch-up marks of members that left', () => {
  it('are deleted, with their envelopes to ask for again; members\' stay (issue 5)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'imi-catch-up-'))
    const store = new Store(dir, { sync: false })
    await store.open()
    try {
      const marks = new SyncMarks({ store })
      await marks.advance('stays', { epoch: 'e1', after: 5 }, 0, [{ id: 'w', since: 1 }])
      await marks.advance('left', { epoch: 'e2', after: 7 }, 0, [{ id: 'v', since: 1 }])
      expect(await marks.forgetUnless((peer) => peer === 'stays')).to.deep.equal(['left'])
      expect(await marks.get('left')).to.equal(undefined)
      expect(await marks.retries('left')).to.deep.equal([])
      expect(await marks.get('stays')).to.deep.equal({ epoch: 'e1', after: 5 })
      expect(await marks.retries('stays')).to.deep.equal([{ id: 'w', since: 1 }])
    } finally {
      await store.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('broadcast catch-up refusals', () => {
  it('asks again for what this node may take later, and moves past what it never will', () => {
    for (const code of ['ERR_UNKNOWN_ALERT', 'ERR_UNKNOWN_NOTIFICATION', 'ERR_UNKNOWN_KEY', 'ERR_KEY_NOT_VALID_AT_TIME', 'ERR_FUTURE_MESSAGE', 'ERR_INTERNAL']) {
      expect(isTemporaryRefusal(new ImiError(code, 'x', code === 'ERR_UNKNOWN_ALERT' ? 'ignore' : 'reject')), code).to.equal(true)
    }
    expect(isTemporaryRefusal(new Error('disk full')), 'not an ImiError').to.equal(true)
    for (const code of ['ERR_INVALID_SIGNATURE', 'ERR_ENVELOPE_SCHEMA', 'ERR_BODY_SCHEMA', 'ERR_WRONG_FEDERATION', 'ERR_NOT_PARTY', 'ERR_DUPLICATE_MESSAGE', 'ERR_TRANSITION_NOT_ALLOWED']) {
      expect(isTemporaryRefusal(new ImiError(code, 'x')), code).to.equal(false)
    }
  })

  it('keeps the envelopes refused for now with the mark, in one write, and forgets them when told', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'imi-catch-up-'))
    const store = new Store(dir, { sync: false })
    await store.open()
    try {
      const marks = new SyncMarks({ store })
      expect(await marks.retries('peerA')).to.deep.equal([])
      await marks.advance('peerA', { epoch: 'e1', after: 5 }, 0, [{ id: 'w', since: 1 }])
      expect(await marks.get('peerA')).to.deep.equal({ epoch: 'e1', after: 5 })
      expect(await marks.retries('peerA')).to.deep.equal([{ id: 'w', since: 1 }])
      // The mark does not move (nothing new), the retries still change.
      await marks.advance('peerA', { epoch: 'e1', after: 5 }, 5, [])
      expect(await marks.retries('peerA')).to.deep.equal([])
      expect(await marks.get('peerA')).to.deep.equal({ epoch: 'e1', after: 5 })
    } finally {
      await store.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('broadcast anti-entropy rounds', () => {
  const make = (peers: string[], pull: (p: string, signal: AbortSignal) => Promise<number>) => {
    const clock = new ManualClock(1_000_000)
    const ae = new AntiEntropy({ clock, randomBytes, logger: silentLogger, peers: async () => peers, pull }, { intervalMs: 60_000, fanout: 3 })
    return { clock, ae }
  }

  it('asks a few distinct connected peers each interval of the node\'s clock, not all of them', async () => {
    const peers = Array.from({ length: 29 }, (_, i) => `p${i}`)
    const asked: string[][] = []
    let round: string[] = []
    const { clock, ae } = make(peers, async (p) => { round.push(p); return 0 })
    ae.start()
    await flush()
    expect(ae.rounds).to.equal(0)
    const seen = new Set<string>()
    for (let i = 0; i < 20; i++) {
      round = []
      clock.advance(66_000)
      await flush()
      asked.push(round)
      round.forEach((p) => seen.add(p))
    }
    expect(ae.rounds).to.equal(20)
    for (const r of asked) {
      expect(r).to.have.length(3)
      expect(new Set(r).size).to.equal(3)
    }
    // Over rounds, different peers are asked.
    expect(seen.size).to.be.greaterThan(10)
    ae.stop()
    clock.advance(10 * 66_000)
    await flush()
    expect(ae.rounds).to.equal(20)
  })

  it('runs one round when the clock jumps days ahead, and the next only after it finished', async () => {
    let release!: () => void
    let calls = 0
    const { clock, ae } = make(['a'], async () => { calls++; await new Promise<void>((resolve) => { release = resolve }); return 1 })
    ae.start()
    clock.advance(3 * 24 * 3_600_000)
    await flush()
    expect(calls).to.equal(1)
    clock.advance(3 * 24 * 3_600_000)
    await flush()
    expect(calls).to.equal(1)
    release()
    await flush()
    expect(ae.rounds).to.equal(1)
    expect(ae.pulled).to.be.at.least(1)
    clock.advance(66_000)
    await flush()
    expect(calls).to.be.greaterThan(1)
    ae.stop()
    release()
  })

  it('one slow peer does not hold up a round, nor the next ones: past the round\'s deadline its catch-up is told to stop (issue 5)', async () => {
    const clock = new ManualClock(1_000_000)
    const signals: AbortSignal[] = []
    const ae = new AntiEntropy({
      clock, randomBytes, logger: silentLogger, peers: async () => ['slow', 'a', 'b'],
      pull: async (peer, signal) => {
        if (peer !== 'slow') return 1
        signals.push(signal)
        return await new Promise<number>(() => {}) // a peer that never answers, and a pull that ignores its signal
      }
    }, { intervalMs: 60_000, fanout: 3, roundDeadlineMs: 50 })
    ae.start()
    clock.advance(66_000)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(ae.rounds).to.equal(1)
    expect(ae.pulled).to.equal(2)
    expect(signals).to.have.length(1)
    expect(signals[0]!.aborted).to.equal(true)
    clock.advance(66_000)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(ae.rounds).to.equal(2)
    ae.stop()
  })

  it('stop() aborts the catch-ups in flight (issue 5)', async () => {
    let seen: AbortSignal | undefined
    const { clock, ae } = make(['a'], async (_peer, signal) => { seen = signal; return await new Promise<number>(() => {}) })
    ae.start()
    clock.advance(66_000)
    await flush()
    expect(seen?.aborted).to.equal(false)
    ae.stop()
    expect(seen?.aborted).to.equal(true)
    await flush()
    expect(ae.rounds).to.equal(1)
  })

  it('a failed catch-up does not stop the rounds', async () => {
    const { clock, ae } = make(['a'], async () => { throw new Error('unreachable') })
    ae.start()
    for (let i = 0; i < 3; i++) { clock.advance(66_000); await flush() }
    expect(ae.rounds).to.equal(3)
    ae.stop()
  })
})
