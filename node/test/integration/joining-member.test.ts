/**
 * A member that joins in a later roster version starts from the chain (genesis first),
 * is admitted by the founders once they hold that version, and exchanges messages.
 */
import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cosignRoster, memberJoins, proposeRoster, verifyGenesis, verifyRosterUpdate, type SignedRoster } from '@imi/protocol'
import { createNode, generateIdentity, nodeCrypto, parseConfig, rosterMemberOf, silentLogger, type ImiNode } from '../../src/index.js'
import { TEST_FED, eventually, freePort, makeFederation, type TestFederation } from '../fixtures/federation.js'

describe('a member joining in roster version 2', function () {
  this.timeout(60_000)
  let fed: TestFederation
  let dir: string
  let se: ImiNode | undefined

  before(async () => { dir = await mkdtemp(join(tmpdir(), 'imi-join-')) })
  after(async () => {
    await se?.stop()
    await fed.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('starts from the chain and is reachable once the founders have the new version', async () => {
    fed = await makeFederation(['CZ', 'PL', 'AT'])
    await Promise.all(['CZ', 'PL', 'AT'].map(async (c) => await fed.start(c)))
    const identity = await generateIdentity()
    const port = await freePort()
    const genesis = verifyGenesis(fed.genesis, nodeCrypto)
    const now = Date.now()
    const doc = memberJoins(genesis, rosterMemberOf(identity, 'SE', [`/ip4/127.0.0.1/tcp/${port}`], now - 1000), now)
    let v2: SignedRoster = proposeRoster(doc)
    for (const c of ['CZ', 'PL']) v2 = cosignRoster(v2, fed.member(c).identity.signer)
    verifyRosterUpdate(genesis, v2, nodeCrypto)

    const config = parseConfig({
      country: 'SE', federationId: TEST_FED, dataDir: join(dir, 'se'),
      p2p: { listen: [`/ip4/127.0.0.1/tcp/${port}`], singleHost: true }, storage: { sync: false }, delivery: { retryInitialMs: 200, retryMaxMs: 1000 }
    }, dir)
    se = await createNode(config, { logger: silentLogger, identity, roster: [fed.genesis, v2] })
    await se.start()
    expect(se.status().rosterVersion).to.equal(2)

    // Only CZ is told; the others learn version 2 from their peers.
    expect(await fed.node('CZ').roster.offer([v2])).to.equal(1)
    await fed.node('CZ').announceRoster()
    await eventually(() => ['PL', 'AT'].every((c) => fed.node(c).status().rosterVersion === 2), 20_000, 'version 2 everywhere')

    const sent = await se.messaging.send({ kind: 'note', to: 'AT', body: { text: 'Hej from the newest member' } })
    await eventually(async () => (await se!.messaging.view(sent.id)).status === 'delivered', 20_000, 'receipt from AT')
    expect((await fed.node('AT').messaging.view(sent.id)).from).to.equal('SE')
  })

  it('refuses a configured chain that starts from another genesis than the stored one', async () => {
    await se!.stop()
    const other = await makeFederation(['CZ', 'PL'])
    try {
      const again = await createNode(se!.config, { logger: silentLogger, identity: se!.identity, roster: [other.genesis] })
      let code = ''
      try { await again.start() } catch (err) { code = (err as { code: string }).code + ':' + (err as { setting: string }).setting }
      expect(code).to.equal('ERR_CONFIG:rosterFile')
    } finally {
      await other.close()
      se = undefined
    }
  })
})
