/** What a node checks about its own place in the roster before it joins the network. */
import { expect } from 'chai'
import { cosignRoster, proposeRoster, toBase64url, type RosterDocument, type SignedRoster } from '@imi/protocol'
import { generateIdentity, silentLogger, createNode, parseConfig } from '../../src/index.js'
import { TEST_FED, makeFederation, type TestFederation } from '../fixtures/federation.js'

describe('start-up checks against the roster', function () {
  this.timeout(30_000)
  let fed: TestFederation

  before(async () => { fed = await makeFederation(['CZ', 'PL']) })
  after(async () => { await fed.close() })

  async function startCode (roster: SignedRoster[], country = 'PL'): Promise<string> {
    const m = fed.member(country)
    const config = parseConfig({ country, federationId: TEST_FED, dataDir: `${m.dataDir}-${Math.random()}`, p2p: { listen: ['/ip4/127.0.0.1/tcp/0'], singleHost: true } }, fed.dir)
    const node = await createNode(config, { logger: silentLogger, identity: m.identity, roster })
    try {
      await node.start()
      await node.stop()
      return 'started'
    } catch (err) {
      return `${(err as { code: string }).code}:${(err as { setting?: string }).setting ?? ''}`
    }
  }

  it('starts when its key is the one the roster lists as current', async () => {
    expect(await startCode([fed.genesis])).to.equal('started')
  })

  it('refuses to start when the roster has rotated its signing key to another', async () => {
    const now = Date.now()
    const newKey = (await generateIdentity()).signer
    const doc: RosterDocument = {
      ...fed.doc,
      members: fed.doc.members.map((m) => m.country !== 'PL'
        ? m
        : { ...m, keys: [{ ...m.keys[0]!, notAfter: now - 1000 }, { kid: newKey.kid, publicKey: toBase64url(newKey.publicKey), notBefore: now - 1000 }] })
    }
    let rotated: SignedRoster = proposeRoster(doc)
    for (const c of ['CZ', 'PL']) rotated = cosignRoster(rotated, fed.member(c).identity.signer)
    expect(await startCode([rotated])).to.equal('ERR_CONFIG:keyFile')
  })

  it('refuses to start for a country the roster does not list', async () => {
    expect(await startCode([fed.genesis], 'CZ')).to.equal('started')
    const m = fed.member('PL')
    const config = parseConfig({ country: 'AT', federationId: TEST_FED, dataDir: `${m.dataDir}-at`, p2p: { listen: ['/ip4/127.0.0.1/tcp/0'] } }, fed.dir)
    const node = await createNode(config, { logger: silentLogger, identity: m.identity, roster: [fed.genesis] })
    const code = await node.start().then(() => 'started', (err: unknown) => `${(err as { code: string }).code}:${(err as { setting: string }).setting}`)
    expect(code).to.equal('ERR_CONFIG:country')
  })
})
