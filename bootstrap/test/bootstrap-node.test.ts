/**
 * A real bootstrap node and real member nodes on loopback. The roster lists no member
 * addresses, so members can only find each other through the bootstrap (DHT routing).
 */
import { expect } from 'chai'
import { rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { cosignRoster, memberLeaves, proposeRoster, type SignedRoster } from '@imi/protocol'
import {
  createImiLibp2p, createNode, generateIdentity, parseConfig, silentLogger, type ImiNode
} from '@imi/node'
import { eventually, freePort } from '../../node/test/fixtures/federation.js'
import {
  KEY_FILE, apply, bootstrapsFromMultiaddrs, createBootstrapNode, genesis, loadOrCreateIdentity, memberFromDescriptor,
  type BootstrapNode
} from '../src/index.js'
import { FED, crypto, founders, signedBy, tempDir, type Founder } from './fixtures.js'

describe('bootstrap node with real member nodes (loopback TCP)', function () {
  this.timeout(60_000)
  const created = Date.now() - 60_000
  let dir: string
  let bootDir: string
  let bootPort: number
  let fs: Founder[]
  let chain: readonly SignedRoster[]
  let boot: BootstrapNode
  const members = new Map<string, ImiNode>()

  async function startBootstrap (roster: readonly SignedRoster[] = chain): Promise<BootstrapNode> {
    const node = createBootstrapNode({ dataDir: bootDir, listen: [`/ip4/127.0.0.1/tcp/${bootPort}`], roster, singleHost: true, logger: silentLogger, federationId: FED })
    await node.start()
    return node
  }

  async function startMember (f: Founder): Promise<ImiNode> {
    const config = parseConfig({
      country: f.country, federationId: FED, dataDir: join(dir, f.country),
      p2p: { listen: [`/ip4/127.0.0.1/tcp/${await freePort()}`], singleHost: true }, storage: { sync: false }
    }, dir)
    const node = await createNode(config, { logger: silentLogger, identity: f.identity, roster: [chain[0]!] })
    await node.start()
    members.set(f.country, node)
    return node
  }

  before(async () => {
    dir = await tempDir()
    bootDir = join(dir, 'bootstrap')
    bootPort = await freePort()
    // As `imi-bootstrap init` does: the key exists before the genesis names its peer id.
    const bootId = (await loadOrCreateIdentity(join(bootDir, KEY_FILE))).peerId
    fs = await founders(['CZ', 'PL', 'AT'], created - 1000)
    const proposal = genesis(FED, fs.map((f) => memberFromDescriptor(f.descriptor, crypto)), bootstrapsFromMultiaddrs([`/ip4/127.0.0.1/tcp/${bootPort}/p2p/${bootId}`]), created)
    chain = apply([], signedBy(proposal, fs), crypto).chain
    boot = await startBootstrap()
    await Promise.all(fs.slice(0, 2).map(startMember))
  })

  after(async () => {
    await Promise.all([...members.values()].map(async (n) => { await n.stop() }))
    await boot?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('prints dialable addresses and keeps its key owner-only', async () => {
    expect(boot.multiaddrs()).to.include(`/ip4/127.0.0.1/tcp/${bootPort}/p2p/${boot.peerId}`)
    expect((await stat(join(bootDir, KEY_FILE))).mode & 0o777).to.equal(0o600)
  })

  it('lets members that know only the bootstrap find each other', async () => {
    const cz = members.get('CZ')!
    await eventually(() => boot.libp2p!.getPeers().length >= 2, 10_000, 'members connected to the bootstrap')
    const sent = await cz.messaging.send({ kind: 'note', to: 'PL', body: { text: 'found you through the bootstrap' } })
    await eventually(async () => (await cz.messaging.view(sent.id)).status === 'delivered', 20_000, 'delivery')
    expect((await members.get('PL')!.messaging.view(sent.id)).direction).to.equal('received')
  })

  it('refuses peers the roster does not list', async () => {
    const stranger = await createImiLibp2p({
      privateKey: (await generateIdentity()).privateKey, federationId: FED, listen: ['/ip4/127.0.0.1/tcp/0'],
      bootstrap: [], singleHost: true, admits: () => true
    })
    await stranger.start()
    try {
      const dialled = await stranger.dial(multiaddr(`/ip4/127.0.0.1/tcp/${bootPort}/p2p/${boot.peerId}`), { signal: AbortSignal.timeout(5000) })
        .then(() => 'connected', () => 'refused')
      // The gater may let the handshake finish and close at once: judge by what remains.
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(dialled === 'refused' || boot.libp2p!.getConnections(stranger.peerId).length === 0).to.equal(true)
    } finally {
      await stranger.stop()
    }
  })

  it('relays a quorum-signed roster version and refuses one without quorum', async () => {
    const cz = members.get('CZ')!
    const doc = memberLeaves(cz.roster.current, 'AT', Date.now())
    const unsigned = proposeRoster(doc) as SignedRoster
    const weak = cosignRoster(unsigned, fs[0]!.identity.signer)
    const weakCode = await boot.roster.offer([weak]).then(() => 'accepted', (err: { code?: string }) => err.code)
    expect(weakCode).to.equal('ERR_ROSTER_QUORUM')
    await cz.roster.offer([signedBy(unsigned, fs.slice(0, 2))])
    await cz.announceRoster()
    await eventually(() => boot.roster.current.version === 2 && members.get('PL')!.roster.current.version === 2, 15_000, 'version 2 everywhere')
  })

  it('keeps its peer id and stored roster across a restart', async () => {
    const before = boot.peerId
    await boot.stop()
    // Started again with only the genesis: the stored version 2 is kept.
    boot = await startBootstrap([chain[0]!])
    expect(boot.peerId).to.equal(before)
    expect(boot.roster.current.version).to.equal(2)
    await eventually(() => boot.libp2p!.getPeers().some((p) => p.equals(peerIdFromString(fs[0]!.identity.peerId))), 15_000, 'CZ back on the bootstrap')
  })
})
