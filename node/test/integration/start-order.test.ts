/**
 * What a node has ready at the moment libp2p starts listening, seen from inside libp2p (a
 * probe service that libp2p starts just before it listens): every protocol that takes
 * network input is registered, and the state it works on is loaded. Otherwise a message
 * or a connection that comes at once after a restart meets a half-started node
 * (simulations/README.md, findings 1 and 2).
 */
import { expect } from 'chai'
import { protocolId } from '@imi/protocol'
import { createNode, parseConfig, silentLogger, type ImiNode } from '../../src/index.js'
import { Bucket, Store } from '../../src/storage/index.js'
import { TEST_FED, eventually, makeFederation, type TestFederation } from '../fixtures/federation.js'

interface AtListen { readonly protocols: string[], readonly directory: string[], readonly requests: number }

describe('a node\'s start order', function () {
  this.timeout(60_000)
  let fed: TestFederation
  after(async () => { await fed.close() })

  it('registers every protocol and loads its directory and request log before libp2p listens', async () => {
    fed = await makeFederation(['CZ', 'PL'])
    const cz = await fed.start('CZ')
    const pl = await fed.start('PL')
    await cz.authorities.importAuthorities([{ id: 'cz-brno', names: { en: 'Brno' }, areas: ['services'], competences: ['licensing'] }])
    await pl.authorities.importAuthorities([{ id: 'pl-krakow', names: { en: 'Kraków' }, areas: ['services'], competences: ['licensing'] }])
    await eventually(async () => { await pl.directory.refreshCountry('CZ'); return pl.directory.authority('CZ', 'cz-brno') }, 20_000, 'PL to list cz-brno')
    const sent = await cz.requests.send({ kind: 'user', username: 'u', authority: 'cz-brno', coordinator: false, grants: [{ area: 'services', role: 'request-handler' }] }, {
      area: 'services', to: { country: 'PL', authority: 'pl-krakow' }, questions: ['services.legally-established'],
      neededBy: new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10), subject: { name: 'Jana Nováková' }
    })
    await eventually(async () => await pl.requests.log.record(sent.id), 15_000, 'PL to hold the request')
    await fed.stop('PL')
    // The request's cached state is gone: only a rebuild from its events brings it back.
    const m = fed.member('PL')
    const store = new Store(m.dataDir, { sync: false })
    await store.open()
    await store.commit([{ type: 'del', bucket: Bucket.requests, key: sent.id }])
    await store.close()

    let seen: AtListen | undefined
    const probe = (components: { registrar: { getProtocols: () => string[] } }) => ({
      start: async () => {
        seen = { protocols: components.registrar.getProtocols(), directory: node.directory.status().map((s) => s.country), requests: await countRequests(node) }
      },
      stop: () => {}
    })
    const config = parseConfig({
      country: 'PL', federationId: TEST_FED, dataDir: m.dataDir, p2p: { listen: [`/ip4/127.0.0.1/tcp/${m.port}`], singleHost: true },
      api: { port: 0 }, storage: { sync: false }
    }, fed.dir)
    const node = await createNode(config, { logger: silentLogger, identity: m.identity, roster: [fed.genesis], p2pServices: { probe } })
    await node.start()
    fed.nodes.set('PL', node)

    expect(seen, 'the probe ran').not.to.equal(undefined)
    for (const name of ['dm', 'roster']) expect(seen!.protocols, name).to.include(protocolId(TEST_FED, name))
    expect(seen!.protocols.some((p) => p.startsWith(`/imi/${TEST_FED}/broadcast-sync/`)), 'broadcast-sync').to.equal(true)
    expect(seen!.directory, 'directories loaded').to.include('CZ')
    expect(seen!.requests, 'requests rebuilt').to.equal(1)
  })
})

async function countRequests (node: ImiNode): Promise<number> {
  let n = 0
  for await (const _ of node.requests.log.records()) n++
  return n
}
