/**
 * Roster changes across four real nodes: a quorum-signed version applied on one node
 * spreads to the others (gossip) and to a node that was offline (pull on connect); a
 * version without quorum changes nothing anywhere; a member that left is refused.
 */
import { expect } from 'chai'
import { peerIdFromString } from '@libp2p/peer-id'
import {
  cosignRoster, memberLeaves, proposeRoster, topicName, updateAddresses, type RosterDocument, type SignedRoster
} from '@imi/protocol'
import type { ImiNode, Logger } from '../../src/index.js'
import { TEST_FED, eventually, makeFederation, type TestFederation } from '../fixtures/federation.js'

const COUNTRIES = ['CZ', 'PL', 'AT', 'FR']
const TOPIC = topicName(TEST_FED, 'roster')

interface Line { readonly msg: string, readonly code?: unknown }

/** Keeps every log line of one node, so the test can see what its validators decided. */
function capture (lines: Line[]): Logger {
  const log = (msg: string, fields: Record<string, unknown> = {}): void => { lines.push({ msg, ...fields }) }
  const logger: Logger = { debug: log, info: log, warn: log, error: log, child: () => logger }
  return logger
}

describe('roster changes across real nodes (loopback TCP)', function () {
  this.timeout(60_000)
  let fed: TestFederation
  const logs = new Map<string, Line[]>()

  const node = (c: string): ImiNode => fed.node(c)
  const versions = (cs = COUNTRIES): number[] => cs.map((c) => node(c).roster.current.version)

  async function start (c: string): Promise<ImiNode> {
    logs.set(c, [])
    return await fed.start(c, { logger: capture(logs.get(c)!) })
  }

  function signed (doc: RosterDocument, signers: readonly string[]): SignedRoster {
    let s: SignedRoster = proposeRoster(doc)
    for (const c of signers) s = cosignRoster(s, fed.member(c).identity.signer)
    return s
  }

  /** Members only dial each other when they have something to send: connect them. */
  async function connect (from: string, to: readonly string[]): Promise<void> {
    await Promise.all(to.filter((c) => c !== from).map(async (c) => await node(from).libp2p!.dial(peerIdFromString(fed.member(c).identity.peerId))))
  }

  async function meshed (cs: readonly string[]): Promise<void> {
    await eventually(() => cs.every((c) => node(c).libp2p!.services.pubsub.getSubscribers(TOPIC).length >= cs.length - 1), 10_000, 'roster topic subscriptions')
  }

  before(async () => {
    fed = await makeFederation(COUNTRIES)
    await Promise.all(COUNTRIES.map(start))
    for (const c of COUNTRIES) await connect(c, COUNTRIES)
    await meshed(COUNTRIES)
  })
  after(async () => { await fed.close() })

  it('refuses a change with too few signatures on every node, changing nothing', async () => {
    const current = node('CZ').roster.current
    const pl = current.member('PL')!
    const weak = signed(updateAddresses(current, 'PL', [...pl.addresses, '/ip4/127.0.0.1/tcp/9'], Date.now()), ['CZ', 'PL'])
    for (const c of COUNTRIES) {
      const code = await node(c).roster.offer([weak]).then(() => 'accepted', (err: { code?: string }) => err.code)
      expect(code, c).to.equal('ERR_ROSTER_QUORUM')
    }
    // Pushed on gossip as a rogue member would: every receiver's validator rejects it.
    const { recipients } = await node('CZ').libp2p!.services.pubsub.publish(TOPIC, new TextEncoder().encode(JSON.stringify(weak)))
    expect(recipients.length).to.equal(3)
    await eventually(() => ['PL', 'AT', 'FR'].every((c) => logs.get(c)!.some((l) => l.msg === 'roster gossip rejected' && l.code === 'ERR_ROSTER_QUORUM')), 10_000, 'gossip rejections')
    expect(versions()).to.deep.equal([1, 1, 1, 1])
    expect(node('AT').roster.current.member('PL')?.addresses).to.deep.equal(pl.addresses)
  })

  it('spreads a quorum-signed change from one node; a node offline meanwhile pulls it on connect', async () => {
    await fed.stop('FR')
    const current = node('AT').roster.current
    const added = '/ip4/127.0.0.1/tcp/9'
    const v2 = signed(updateAddresses(current, 'PL', [...current.member('PL')!.addresses, added], Date.now()), ['CZ', 'PL', 'AT'])
    expect(await node('AT').roster.offer([v2])).to.equal(1)
    await node('AT').announceRoster()
    await eventually(() => versions(['CZ', 'PL', 'AT']).every((v) => v === 2), 10_000, 'version 2 on CZ, PL, AT')
    expect(node('CZ').roster.current.member('PL')?.addresses).to.include(added)

    // FR was offline for the change, so its stored roster is version 1; a restarting node
    // dials the members itself and pulls on every connection, so by the time start()
    // returns it may already hold version 2.
    await start('FR')
    expect(node('FR').roster.current.version).to.be.oneOf([1, 2])
    await connect('FR', ['CZ'])
    await eventually(() => node('FR').roster.current.version === 2, 10_000, 'FR catching up')
    expect(node('FR').roster.current.digest).to.equal(node('CZ').roster.current.digest)
  })

  it('refuses the direct messages of a member that left', async () => {
    await connect('FR', COUNTRIES)
    const before = await node('FR').messaging.send({ kind: 'note', to: 'PL', body: { text: 'still a member' } })
    await eventually(async () => (await node('FR').messaging.view(before.id)).status === 'delivered', 15_000, 'delivery before leaving')

    const v3 = signed(memberLeaves(node('CZ').roster.current, 'FR', Date.now()), ['CZ', 'PL', 'AT'])
    expect(await node('CZ').roster.offer([v3])).to.equal(1)
    await node('CZ').announceRoster()
    await eventually(() => versions(['CZ', 'PL', 'AT']).every((v) => v === 3), 10_000, 'version 3 on CZ, PL, AT')

    const refused: string[] = []
    node('PL').messaging.addEventListener('rejected', (e) => { refused.push((e as CustomEvent<{ code: string }>).detail.code) })
    const after = await node('FR').messaging.send({ kind: 'note', to: 'PL', body: { text: 'no longer a member' } })
    // Refused at the door (the gater) or, on a connection opened before, by the signature check.
    const fr = peerIdFromString(fed.member('FR').identity.peerId)
    const shutOut = (): boolean => (node('FR').messaging.outboxSummary()[0]?.failures ?? 0) > 0 && node('PL').libp2p!.getConnections(fr).length === 0
    await eventually(() => refused.includes('ERR_UNKNOWN_KEY') || shutOut(), 10_000, 'refusal')
    expect((await node('FR').messaging.view(after.id)).status).to.equal('pending')
    const stored = await node('PL').messaging.view(after.id).then(() => true, () => false)
    expect(stored).to.equal(false)
  })
})
