/**
 * Broadcast catch-up between real nodes over loopback TCP with real LevelDB, for what
 * the simulations found (simulations/README.md, items 3 to 5): a member that forwarded
 * forged alerts still gets and gives alerts, periodic anti-entropy on the node's clock
 * repairs what gossip dropped without any new connection, and a node back after days
 * that issues an alert before catching up still pulls the older ones.
 */
import { expect } from 'chai'
import { lpStream } from '@libp2p/utils'
import { ALERT_KIND, encodeWire, protocolId, signEnvelope, type AlertContent, type AuthorityEntry, type Json } from '@imi/protocol'
import { generateIdentity, nodeCrypto, type ImiNode } from '../../src/index.js'
import type { Actor } from '../../src/services/accounts/permissions.js'
import { ANTI_ENTROPY_INTERVAL_MS } from '../../src/services/broadcast/anti-entropy.js'
import { eventually, makeFederation, TEST_FED, type TestFederation } from '../fixtures/federation.js'
import { OffsetClock } from '../fixtures/offset-clock.js'
import { Bucket } from '../../src/storage/index.js'

const COUNTRIES = ['CZ', 'PL', 'AT']
const DAY = 24 * 3_600_000
const COORDINATOR: Actor = { kind: 'user', username: 'nimic', coordinator: true, grants: [] }
const handlerOf = (c: string): Actor =>
  ({ kind: 'user', username: `u.${c}`, authority: `${c.toLowerCase()}-services`, coordinator: false, grants: [{ area: 'services', role: 'alert-handler' }] })
const content: AlertContent = {
  description: 'Unauthorised gas boiler installations; two caused carbon monoxide leaks.',
  concerned: { name: 'Karel Novák', businessName: 'Novák Topení s.r.o.', registrationNumber: 'CZ-IČO-12345678' },
  decision: 'Trade licence withdrawn by decision of 3 November 2026',
  periodFrom: '2026-11-03'
}

describe('broadcast catch-up between real nodes', function () {
  this.timeout(120_000)
  let fed: TestFederation
  const clock = new OffsetClock()
  const node = (c: string): ImiNode => fed.node(c)
  const start = async (c: string): Promise<ImiNode> => {
    const n = await fed.start(c, { clock })
    await n.authorities.importAuthorities([
      { id: `${c.toLowerCase()}-services`, names: { en: `${c} services authority` }, areas: ['services'], competences: ['trade licensing'] } satisfies AuthorityEntry
    ])
    return n
  }
  const issue = async (c: string): Promise<string> =>
    (await node(c).alerts.issue(handlerOf(c), { area: 'services', type: 'services-risk', to: 'all', content })).state.id
  const holds = async (c: string, id: string): Promise<boolean> =>
    (await node(c).alerts.list(COORDINATOR)).some((r) => r.state.id === id)
  const meshed = async (): Promise<void> => {
    await eventually(() => [...fed.nodes.values()].every((n) => n.libp2p!.services.pubsub.getSubscribers(n.broadcastGossip!.topic).length >= fed.nodes.size - 1), 20_000, 'gossip mesh')
  }
  const scoreOf = (c: string, of: string): number =>
    (node(c).libp2p!.services.pubsub as unknown as { getScore(peer: string): number }).getScore(fed.member(of).identity.peerId)

  /**
   * PL puts forged alerts straight on the topic, past its own broadcaster (the simulations'
   * `forge` fault); waits until CZ and AT refused `refused` of them (once PL is graylisted,
   * its messages are dropped unread).
   */
  const forge = async (count: number, refused = count): Promise<void> => {
    // Signed with PL's own key as if by CZ: a forgery whatever the receiver's roster (a key
    // the receiver does not know may only show its roster is behind, which gossip ignores).
    const forger = fed.member('PL').identity
    const pl = node('PL')
    const rejectedBefore = (c: string) => [...node(c).broadcaster.rejected.values()].reduce((a, b) => a + b, 0)
    const before = { CZ: rejectedBefore('CZ'), AT: rejectedBefore('AT') }
    for (let i = 0; i < count; i++) {
      const env = signEnvelope({
        kind: ALERT_KIND, from: 'CZ', to: ['*'], body: { alert: `forged${i}${'a'.repeat(16)}`, action: 'issue', area: 'services', type: 'services-risk', addressed: ['*'] },
        fromAuthority: 'x', personalData: { content } as unknown as Json
      }, { federationId: TEST_FED, signer: forger.signer, crypto: nodeCrypto, now: clock.now(), randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)) })
      await pl.libp2p!.services.pubsub.publish(pl.broadcastGossip!.topic, encodeWire(env.wire))
    }
    await eventually(() => rejectedBefore('CZ') >= before.CZ + refused && rejectedBefore('AT') >= before.AT + refused, 10_000, 'the forgeries refused')
  }

  before(async () => {
    fed = await makeFederation(COUNTRIES)
    for (const c of COUNTRIES) await start(c)
    await meshed()
  })
  after(async () => { await fed.close() })

  it('a member that forwarded two forged alerts is penalised, yet its next alert arrives and it gets the others\' (item 5)', async () => {
    await forge(2)
    // Scores are cached for a heartbeat.
    await eventually(() => ['CZ', 'AT'].every((c) => scoreOf(c, 'PL') < 0), 5_000, 'PL penalised')
    // Straight away, by gossip: no clock moves, so no anti-entropy round runs.
    const fromPl = await issue('PL')
    const toPl = await issue('CZ')
    await eventually(async () => await holds('CZ', fromPl) && await holds('AT', fromPl), 5_000, 'PL\'s alert on CZ and AT by gossip')
    await eventually(async () => await holds('PL', toPl), 5_000, 'CZ\'s alert on PL by gossip')
  })

  it('a member graylisted for forging many gets and gives its alerts at the next anti-entropy round, with no new connection (items 4, 5)', async () => {
    await forge(6, 1)
    await eventually(() => ['CZ', 'AT'].every((c) => scoreOf(c, 'PL') < -80), 5_000, 'PL graylisted')
    const peersBefore = COUNTRIES.map((c) => node(c).libp2p!.getConnections().map((x) => x.id).sort().join())
    const fromPl = await issue('PL')
    const toPl = await issue('CZ')
    await new Promise((resolve) => setTimeout(resolve, 1500))
    // Gossip dropped both (that is what this test is about): the premise holds.
    expect(await holds('CZ', fromPl) || await holds('AT', fromPl), 'PL\'s alert got through gossip').to.equal(false)
    expect(await holds('PL', toPl), 'CZ\'s alert got through to PL').to.equal(false)
    clock.jump(ANTI_ENTROPY_INTERVAL_MS * 1.5)
    await eventually(async () => await holds('CZ', fromPl) && await holds('AT', fromPl), 15_000, 'PL\'s alert on CZ and AT by catch-up')
    await eventually(async () => await holds('PL', toPl), 15_000, 'CZ\'s alert on PL by catch-up')
    // Nobody reconnected: the periodic round did it.
    expect(COUNTRIES.map((c) => node(c).libp2p!.getConnections().map((x) => x.id).sort().join())).to.deep.equal(peersBefore)
  })

  it('an alert one node pulled is served by it to the next (item 4)', async () => {
    const pl = node('PL')
    const gossip = pl.broadcaster.gossip
    pl.broadcaster.gossip = undefined
    const id = await issue('PL')
    pl.broadcaster.gossip = gossip
    const sync = (n: ImiNode) => (n as unknown as { broadcastSync: { pullFrom(p: unknown): Promise<number> } }).broadcastSync
    const peer = (c: string) => node('CZ').libp2p!.getPeers().find((p) => p.toString() === fed.member(c).identity.peerId)
    expect(await sync(node('CZ')).pullFrom(peer('PL'))).to.be.at.least(1)
    expect(await holds('CZ', id)).to.equal(true)
    const cz = node('AT').libp2p!.getPeers().find((p) => p.toString() === fed.member('CZ').identity.peerId)
    expect(await sync(node('AT')).pullFrom(cz)).to.be.at.least(1)
    expect(await holds('AT', id)).to.equal(true)
  })

  /** Issues an alert at PL and withdraws it, with gossip off: only PL holds them. Returns the alert and the envelope ids. */
  const issueAndWithdrawAtPl = async (): Promise<{ alert: string, issued: string, withdrawn: string, nums: string[] }> => {
    const pl = node('PL')
    const gossip = pl.broadcaster.gossip
    pl.broadcaster.gossip = undefined
    const alert = await issue('PL')
    // Events of one alert in the same millisecond are ordered by id: the withdrawal must come later.
    await new Promise((resolve) => setTimeout(resolve, 5))
    await pl.alerts.withdraw(handlerOf('PL'), alert, 'issued in error')
    pl.broadcaster.gossip = gossip
    const last: Array<[string, string]> = []
    for await (const e of pl.store.entries<string>(Bucket.broadcastLog, { reverse: true, limit: 2 })) last.unshift(e)
    return { alert, issued: last[0]![1], withdrawn: last[1]![1], nums: last.map(([k]) => k) }
  }
  const statusOn = async (c: string, id: string): Promise<string | undefined> =>
    (await node(c).alerts.list(COORDINATOR)).find((r) => r.state.id === id)?.state.status
  const syncOf = (n: ImiNode) => (n as unknown as { broadcastSync: { pullFrom(p: unknown): Promise<number> } }).broadcastSync
  const peerOf = (on: string, c: string) => node(on).libp2p!.getPeers().find((p) => p.toString() === fed.member(c).identity.peerId)

  it('a withdrawal a peer lists before its alert is taken after the alert, in the same catch-up (issue 5)', async () => {
    const { alert, issued, withdrawn, nums } = await issueAndWithdrawAtPl()
    // PL got the withdrawal first (as a relay may): its log lists it before the alert.
    await node('PL').store.commit([
      { type: 'put', bucket: Bucket.broadcastLog, key: nums[0]!, value: withdrawn },
      { type: 'put', bucket: Bucket.broadcastLog, key: nums[1]!, value: issued }
    ])
    expect(await syncOf(node('CZ')).pullFrom(peerOf('CZ', 'PL'))).to.equal(2)
    expect(await statusOn('CZ', alert)).to.equal('withdrawn')
  })

  it('an envelope refused for now is asked for again at the next catch-up from that peer, though the mark moved past it (issue 5)', async () => {
    const { alert, issued, nums } = await issueAndWithdrawAtPl()
    // PL lists the withdrawal but not the alert: CZ cannot take the withdrawal yet.
    await node('PL').store.commit([{ type: 'del', bucket: Bucket.broadcastLog, key: nums[0]! }])
    expect(await syncOf(node('CZ')).pullFrom(peerOf('CZ', 'PL'))).to.equal(0)
    expect(await node('CZ').broadcaster.has(issued)).to.equal(false)
    // The alert reaches CZ another way; the next catch-up from PL brings the withdrawal.
    const [wire] = await node('PL').broadcaster.envelopes([issued])
    expect(await node('CZ').broadcaster.accept(wire!, 'sync')).to.equal('accepted')
    expect(await statusOn('CZ', alert)).to.not.equal('withdrawn')
    expect(await syncOf(node('CZ')).pullFrom(peerOf('CZ', 'PL'))).to.equal(1)
    expect(await statusOn('CZ', alert)).to.equal('withdrawn')
  })

  it('the catch-up server reads requests of 16 KiB at most, and only ids shaped as envelope ids (issue 5)', async () => {
    const { issued } = await issueAndWithdrawAtPl()
    const ask = async (want: unknown[]): Promise<unknown> => {
      const stream = await node('CZ').libp2p!.dialProtocol(peerOf('CZ', 'PL')!, protocolId(TEST_FED, 'broadcast-sync', '2.0.0'))
      const lp = lpStream(stream)
      const send = async (v: unknown): Promise<void> => { await lp.write(new TextEncoder().encode(JSON.stringify(v))) }
      const read = async (): Promise<Record<string, unknown>> => JSON.parse(new TextDecoder().decode((await lp.read({ signal: AbortSignal.timeout(5_000) })).subarray())) as Record<string, unknown>
      try {
        await send({})
        await read()
        await send({ want })
        return (await read()).entries
      } catch (err) {
        return err as Error
      } finally {
        stream.abort(new Error('done'))
      }
    }
    // A small request is served; an id not shaped as one is not even looked up.
    expect(await ask([issued, `${issued}/x`])).to.have.length(1)
    // 700 copies of a real id (about 17 KiB): the server refuses to read it.
    expect(await ask(Array.from({ length: 700 }, () => issued))).to.be.instanceOf(Error)
  })

  it('an anti-entropy round deletes the catch-up marks of peers that left the roster, and keeps members\' (issue 5)', async () => {
    const cz = node('CZ')
    const left = (await generateIdentity()).peerId
    await cz.store.commit([{ type: 'put', bucket: Bucket.broadcastMarks, key: left, value: { epoch: 'gone', after: 3 } }])
    const sync = (cz as unknown as { broadcastSync: { antiEntropy: { round(): Promise<number> } } }).broadcastSync
    await sync.antiEntropy.round()
    expect(await cz.store.get(Bucket.broadcastMarks, left)).to.equal(undefined)
    // CZ pulled from PL in the tests above: that mark stays.
    expect(await cz.store.get(Bucket.broadcastMarks, fed.member('PL').identity.peerId)).to.not.equal(undefined)
  })

  it('a catch-up from a peer that never answers ends at its overall deadline, and at stop(), not after each message\'s timeout (issue 5)', async () => {
    const proto = protocolId(TEST_FED, 'broadcast-sync', '2.0.0')
    type Sync = { pullFrom(p: unknown): Promise<number>, pullDeadlineMs: number, stop(): void }
    const sync = (node('CZ') as unknown as { broadcastSync: Sync }).broadcastSync
    const pl = node('PL').libp2p!
    await pl.unhandle(proto)
    await pl.handle(proto, async () => { await new Promise(() => {}) })
    sync.pullDeadlineMs = 500
    let started = Date.now()
    expect(await sync.pullFrom(peerOf('CZ', 'PL'))).to.equal(0)
    expect(Date.now() - started).to.be.below(3_000)
    sync.pullDeadlineMs = 120_000
    started = Date.now()
    const pulling = sync.pullFrom(peerOf('CZ', 'PL'))
    await new Promise((resolve) => setTimeout(resolve, 200))
    sync.stop()
    expect(await pulling).to.equal(0)
    expect(Date.now() - started).to.be.below(3_000)
  })

  it('a node back after three days that issues an alert before catching up still pulls the older ones (item 3)', async () => {
    await fed.stop('AT')
    const missed = await issue('CZ')
    await fed.stop('CZ')
    await fed.stop('PL')
    clock.jump(3 * DAY)
    // Back alone: nobody to catch up from, and its officials' alert goes out first.
    await start('AT')
    const own = await issue('AT')
    await start('CZ')
    await eventually(async () => await holds('CZ', own), 15_000, 'CZ to get AT\'s alert')
    await eventually(async () => await holds('AT', missed), 15_000, 'AT to pull the alert of three days ago')
  })
})
