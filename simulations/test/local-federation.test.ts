import { expect } from 'chai'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseSignedRoster, verifyGenesis } from '@imi/protocol'
import { createNode, loadConfig, nodeCrypto, silentLogger, type ImiNode } from '@imi/node'
import { layOutFederation } from '../src/local-federation.js'

describe('a federation laid out on disk', function () {
  this.timeout(30_000)
  let dir: string
  const nodes: ImiNode[] = []

  before(async () => { dir = await mkdtemp(join(tmpdir(), 'imi-local-')) })
  after(async () => {
    await Promise.all(nodes.map(async (n) => { await n.stop() }))
    await rm(dir, { recursive: true, force: true })
  })

  it('gives each member a key, config and genesis roster that a node starts from', async () => {
    const fed = await layOutFederation({ dir, federationId: 'imi-local', countries: ['AT', 'RO', 'DE'], basePort: 24_100 })
    const roster = verifyGenesis(parseSignedRoster(await readFile(join(fed.members[0]!.dir, 'roster.json'), 'utf8')), nodeCrypto, 'imi-local')
    expect(roster.countries()).to.deep.equal(['AT', 'RO', 'DE'])
    expect(roster.doc.bootstraps[0]?.peerId).to.equal(fed.bootstrap.identity.peerId)
    expect((await stat(join(fed.members[0]!.dir, 'node.key'))).mode & 0o777).to.equal(0o600)
    for (const m of fed.members) {
      const node = await createNode(await loadConfig(m.configFile), { logger: silentLogger })
      await node.start()
      nodes.push(node)
    }
    const [at, ro] = nodes as [ImiNode, ImiNode]
    const sent = await at.messaging.send({ kind: 'note', to: 'RO', body: { text: 'Servus' } })
    const deadline = Date.now() + 10_000
    while ((await at.messaging.view(sent.id)).status !== 'delivered' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect((await ro.messaging.view(sent.id)).body).to.deep.equal({ text: 'Servus' })
  })
})
