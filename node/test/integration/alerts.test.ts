/**
 * Alerts between real nodes over loopback TCP, on gossip and anti-entropy: an alert to
 * all and one to two selected states (a third relays but cannot read it), receipts back
 * to the issuer, withdrawal, a node offline during an alert and its withdrawal, and
 * forged, replayed, oversized and unknown-sender envelopes refused and never forwarded.
 */
import { expect } from 'chai'
import {
  ALERT_KIND, encodeWire, signEnvelope, type AlertContent, type AuthorityEntry, type Json, type LegislativeArea
} from '@imi/protocol'
import { generateIdentity, nodeCrypto, type ImiNode } from '../../src/index.js'
import type { Actor, AreaRole } from '../../src/services/accounts/permissions.js'
import { eventually, makeFederation, TEST_FED, type TestFederation } from '../fixtures/federation.js'

const COUNTRIES = ['CZ', 'PL', 'AT', 'RO']
const official = (authority: string, area: LegislativeArea, roles: AreaRole[] = ['alert-handler']): Actor =>
  ({ kind: 'user', username: `u.${authority}`, authority, coordinator: false, grants: roles.map((role) => ({ area, role })) })
const COORDINATOR: Actor = { kind: 'user', username: 'nimic', coordinator: true, grants: [] }
const content: AlertContent = {
  description: 'The provider installed gas boilers without the required authorisation; two installations caused carbon monoxide leaks.',
  concerned: { name: 'Karel Novák', businessName: 'Novák Topení s.r.o.', registrationNumber: 'CZ-IČO-12345678' },
  decision: 'Trade licence withdrawn by decision of 3 November 2026',
  periodFrom: '2026-11-03'
}

describe('alerts over gossip and anti-entropy between real nodes', function () {
  this.timeout(90_000)
  let fed: TestFederation
  const node = (c: string): ImiNode => fed.node(c)
  const brno = official('cz-brno', 'services')
  const handlerOf = (c: string): Actor => official(`${c.toLowerCase()}-services`, 'services')

  before(async () => {
    fed = await makeFederation(COUNTRIES)
    for (const c of COUNTRIES) {
      const n = await fed.start(c)
      const entries: AuthorityEntry[] = [
        { id: `${c.toLowerCase()}-services`, names: { en: `${c} services authority` }, areas: ['services'], competences: ['trade licensing'] },
        { id: `${c.toLowerCase()}-doctors`, names: { en: `${c} medical chamber` }, areas: ['professional-qualifications'], competences: ['doctor'] }
      ]
      if (c === 'CZ') entries.push({ id: 'cz-brno', names: { cs: 'Živnostenský úřad Brno' }, areas: ['services'], competences: ['trade licensing'] })
      await n.authorities.importAuthorities(entries)
    }
    // Gossip needs a mesh: wait until every node has a peer on the topic.
    await eventually(() => COUNTRIES.every((c) => node(c).libp2p!.services.pubsub.getSubscribers(node(c).broadcastGossip!.topic).length >= 2), 20_000, 'gossip mesh')
  })
  after(async () => { await fed.close() })

  const held = async (c: string, id: string) => await node(c).alerts.list(COORDINATOR).then((l) => l.find((r) => r.state.id === id))

  it('warns every member state: each routes it to its services authority and returns a signed receipt', async () => {
    const issued = await node('CZ').alerts.issue(brno, { area: 'services', type: 'services-risk', to: 'all', content })
    const id = issued.state.id
    for (const c of ['PL', 'AT', 'RO']) {
      const r = await eventually(async () => await held(c, id), 10_000, `${c} to hold the alert`)
      expect(r.routedTo).to.deep.equal([`${c.toLowerCase()}-services`])
      const seen = await node(c).alerts.get(handlerOf(c), id)
      expect(seen.content?.concerned.name).to.equal('Karel Novák')
      // The state's medical chamber is not concerned: it does not even see the alert.
      await node(c).alerts.get(official(`${c.toLowerCase()}-doctors`, 'professional-qualifications'), id).then(() => { throw new Error('visible to an unconcerned authority') }, () => {})
    }
    const delivery = await eventually(async () => {
      const d = (await node('CZ').alerts.get(brno, id)).delivery!
      return Object.values(d).every((s) => s === 'received') ? d : undefined
    }, 15_000, 'receipts from every state')
    expect(Object.keys(delivery).sort()).to.deep.equal(['AT', 'PL', 'RO'])
  })

  it('seals an alert to selected states: a third state relays it but cannot read it', async () => {
    const issued = await node('CZ').alerts.issue(brno, { area: 'services', type: 'services-risk', to: ['PL', 'AT'], content })
    const id = issued.state.id
    expect(Object.keys(issued.delivery!)).to.deep.equal(['PL', 'AT'])
    for (const c of ['PL', 'AT']) {
      await eventually(async () => await held(c, id), 10_000, `${c} to hold it`)
      expect((await node(c).alerts.get(handlerOf(c), id)).content?.description).to.equal(content.description)
    }
    // RO holds the envelope (to serve it to others) but is not addressed: no routing, no content, no receipt.
    await eventually(async () => await node('RO').broadcaster.has(issued.state.issueEvent), 10_000, 'RO to relay the envelope')
    const raw = await node('RO').store.get<{ pd?: { sealed?: unknown, content?: unknown } }>('alert-events', `${id}/${issued.state.issueEvent}`)
    expect(raw?.pd?.content).to.equal(undefined)
    expect(JSON.stringify(raw)).not.to.contain('Karel Novák')
    const roRecord = await node('RO').store.get<{ addressedHere: boolean, routedTo: string[] }>('alerts', id)
    expect(roRecord).to.include({ addressedHere: false })
    expect(roRecord?.routedTo).to.deep.equal([])
    await node('RO').alertSealer.open(raw!.pd!.sealed as never, new TextEncoder().encode(`${TEST_FED}/alert/CZ/${id}`))
      .then(() => { throw new Error('RO opened it') }, (e: { code: string }) => { expect(e.code).to.equal('ERR_NOT_A_RECIPIENT') })
    await eventually(async () => Object.values((await node('CZ').alerts.get(brno, id)).delivery!).every((s) => s === 'received'), 15_000, 'receipts from PL and AT')
  })

  it('gets a node that was offline every alert and withdrawal it missed, seconds after it returns', async () => {
    await fed.stop('RO')
    const issued = await node('CZ').alerts.issue(brno, { area: 'services', type: 'services-risk', to: 'all', content })
    const id = issued.state.id
    await eventually(async () => await held('PL', id), 10_000, 'PL to hold it')
    await node('CZ').alerts.withdraw(brno, id, 'unfounded: the licence was reinstated on appeal')
    await eventually(async () => (await held('PL', id))?.state.status === 'withdrawn', 10_000, 'PL to see the withdrawal')
    const t0 = Date.now()
    await fed.start('RO')
    const r = await eventually(async () => { const x = await held('RO', id); return x?.state.status === 'withdrawn' ? x : undefined }, 15_000, 'RO to catch up')
    expect(r.state.reason).to.equal('unfounded: the licence was reinstated on appeal')
    expect(Date.now() - t0).to.be.lessThan(15_000)
    await eventually(async () => (await node('CZ').alerts.get(brno, id)).delivery!.RO === 'received', 15_000, 'RO\'s late receipt')
  })

  it('refuses forged, replayed, oversized and unknown-sender envelopes, and forwards none of them', async () => {
    const pl = node('PL')
    const stranger = await generateIdentity()
    const now = Date.now()
    const body = (alert: string) => ({ alert, action: 'issue', area: 'services', type: 'services-risk', addressed: ['*'] })
    const sign = (signer: typeof stranger.signer, from: string, alert: string, extra: object = {}) => signEnvelope({
      kind: ALERT_KIND, from, to: ['*'], body: { ...body(alert), ...extra }, fromAuthority: 'x', personalData: { content } as unknown as Json
    }, { federationId: TEST_FED, signer, crypto: nodeCrypto, now, randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)) })
    const bad = {
      // A key the roster does not know, claiming to be CZ.
      forged: sign(stranger.signer, 'CZ', 'forgedalertaaaaaaaaaaa'),
      // PL's own key, but claiming AT sent it.
      wrongCountry: sign(fed.member('PL').identity.signer, 'AT', 'wrongcountryaaaaaaaaaa'),
      // Signed by PL itself, but over the envelope size limit.
      oversized: sign(fed.member('PL').identity.signer, 'PL', 'oversizedaaaaaaaaaaaaa', { padding: 'x'.repeat(300_000) })
    }
    const before = await Promise.all(['CZ', 'AT', 'RO'].map(async (c) => await node(c).broadcaster.newest()))
    for (const env of [bad.forged, bad.wrongCountry, bad.oversized]) {
      // Straight onto the topic from PL's gossipsub, past PL's own broadcaster.
      await pl.libp2p!.services.pubsub.publish(pl.broadcastGossip!.topic, encodeWire(env.wire)).catch(() => {})
    }
    await pl.libp2p!.services.pubsub.publish(pl.broadcastGossip!.topic, new TextEncoder().encode(JSON.stringify({ jws: 'x'.repeat(400_000) }))).catch(() => {})
    // A replay: a valid alert already held, sent again.
    const issued = await node('CZ').alerts.issue(brno, { area: 'services', type: 'other', to: 'all', content })
    await eventually(async () => await held('PL', issued.state.id), 10_000, 'PL to hold the genuine one')
    const genuine = await pl.store.get<{ wire: { jws: string } }>('broadcasts', (await pl.store.get<string>('broadcast-ids', issued.state.issueEvent))!)
    await pl.libp2p!.services.pubsub.publish(pl.broadcastGossip!.topic, encodeWire(genuine!.wire)).catch(() => {})
    await new Promise((resolve) => setTimeout(resolve, 1500))
    for (const [i, c] of ['CZ', 'AT', 'RO'].entries()) {
      for (const env of Object.values(bad)) expect(await node(c).broadcaster.has(env.hdr.id), `${c} holds a bad envelope`).to.equal(false)
      expect(await node(c).broadcaster.newest()).to.be.at.least(before[i]!)
    }
    const refused = [...node('CZ').broadcaster.rejected.keys(), ...node('AT').broadcaster.rejected.keys(), ...node('RO').broadcaster.rejected.keys()]
    expect(refused).to.include.members(['ERR_UNKNOWN_KEY', 'ERR_WRONG_COUNTRY_FOR_KEY', 'ERR_ENVELOPE_TOO_LARGE'])
    expect((await node('AT').alerts.list(COORDINATOR)).filter((a) => a.state.id === issued.state.id)).to.have.length(1)
    // The peer that forwarded them is penalised by the nodes it sent them to (a node that
    // rejoined the mesh moments ago may not have been sent any), and by nobody rewarded.
    const scores = ['CZ', 'AT', 'RO'].map((c) => (node(c).libp2p!.services.pubsub as unknown as { getScore(peer: string): number }).getScore(pl.identity.peerId))
    expect(scores.filter((x) => x < 0), `scores of PL: ${scores.join(', ')}`).to.have.length.at.least(2)
    expect(scores.every((x) => x <= 0), `scores of PL: ${scores.join(', ')}`).to.equal(true)
  })
})
