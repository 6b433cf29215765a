/**
 * A training federation beside production: the same software, its own federation id and
 * roster. Even a training node that holds a production node's key and knows a production
 * node's address delivers nothing to it: every protocol id and topic carries the
 * federation, so no message, alert or directory record crosses.
 */
import { expect } from 'chai'
import { join } from 'node:path'
import { cosignRoster, proposeRoster, type SignedRoster } from '@imi/protocol'
import { createNode, parseConfig, rosterMemberOf, silentLogger, type ImiNode } from '../../src/index.js'
import { Bucket } from '../../src/storage/index.js'
import type { Actor } from '../../src/services/accounts/permissions.js'
import { eventually, freePort, makeFederation, type TestFederation } from '../fixtures/federation.js'

describe('a training federation cannot reach production', function () {
  this.timeout(60_000)
  let production: TestFederation
  let trainingCz: ImiNode

  before(async () => {
    production = await makeFederation(['CZ', 'PL'])
    await production.start('PL')
    const cz = production.member('CZ')
    const pl = production.member('PL')
    const port = await freePort()
    const created = Date.now() - 60_000
    // The worst case: training reuses production keys, and lists the production PL address.
    let genesis: SignedRoster = proposeRoster({
      fed: 'imi-training', version: 1, created, bootstraps: [],
      members: [rosterMemberOf(cz.identity, 'CZ', [`/ip4/127.0.0.1/tcp/${port}`], created - 1000), rosterMemberOf(pl.identity, 'PL', [`/ip4/127.0.0.1/tcp/${pl.port}`], created - 1000)]
    })
    for (const m of [cz, pl]) genesis = cosignRoster(genesis, m.identity.signer)
    const config = parseConfig({
      country: 'CZ', federationId: 'imi-training', dataDir: join(production.dir, 'training-cz'),
      p2p: { listen: [`/ip4/127.0.0.1/tcp/${port}`], singleHost: true }, storage: { sync: false }, delivery: { retryInitialMs: 100, retryMaxMs: 500 }
    }, production.dir)
    trainingCz = await createNode(config, { logger: silentLogger, identity: cz.identity, roster: [genesis] })
    await trainingCz.start()
  })
  after(async () => { await trainingCz.stop(); await production.close() })

  it('delivers no message and no alert from a training node to a production node', async () => {
    const note = await trainingCz.messaging.send({ kind: 'note', to: 'PL', body: { text: 'training exercise' } })
    await trainingCz.authorities.importAuthorities([{ id: 'cz-training', names: { en: 'Training office' }, areas: ['services'], competences: ['training'] }])
    const actor: Actor = { kind: 'user', username: 'trainee', authority: 'cz-training', coordinator: false, grants: [{ area: 'services', role: 'alert-handler' }] }
    const alert = await trainingCz.alerts.issue(actor, { area: 'services', type: 'other', to: 'all', content: { description: 'training alert', concerned: { name: 'Nobody' } } })
    // Give it every chance: retries run every 500 ms, gossip and sync on every connection.
    await new Promise((resolve) => setTimeout(resolve, 4000))
    const pl = production.node('PL')
    expect(await pl.store.count(Bucket.received)).to.equal(0)
    expect(await pl.broadcaster.has(alert.state.issueEvent)).to.equal(false)
    expect((await trainingCz.messaging.view(note.id)).status).to.equal('pending')
    // Production still works: its own CZ delivers to the same PL at once.
    const realCz = await production.start('CZ')
    const real = await realCz.messaging.send({ kind: 'note', to: 'PL', body: { text: 'production' } })
    await eventually(async () => (await realCz.messaging.view(real.id)).status === 'delivered', 15_000, 'production delivery')
    expect(await pl.store.count(Bucket.received)).to.equal(1)
  })
})
