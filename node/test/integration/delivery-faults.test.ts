/**
 * Faults that a national node must survive: a receiver that is offline, and a node
 * killed with SIGKILL in the middle of a burst. Nothing accepted is lost, nothing is
 * stored twice.
 */
import { expect } from 'chai'
import { Bucket, Store, type EvidenceEntry } from '../../src/storage/index.js'
import type { ReceivedRecord } from '../../src/services/messaging/records.js'
import { childSetup, startChild, type Child } from '../fixtures/child.js'
import { eventually, makeFederation, type TestFederation } from '../fixtures/federation.js'

/** Ids in the received bucket, and ids of `received` evidence entries (one each, or a duplicate slipped in). */
async function receivedIds (dataDir: string): Promise<string[]> {
  const store = new Store(dataDir)
  await store.open()
  try {
    return await idsIn(store)
  } finally {
    await store.close()
  }
}

async function idsIn (store: Store): Promise<string[]> {
  const ids: string[] = []
  for await (const [, r] of store.entries<ReceivedRecord>(Bucket.received)) ids.push(r.id)
  const evidence: string[] = []
  for await (const [, e] of store.entries<EvidenceEntry>(Bucket.evidence)) if (e.type === 'received') evidence.push(e.ref)
  expect(evidence.length, 'one evidence entry per received message').to.equal(ids.length)
  expect(new Set(evidence)).to.deep.equal(new Set(ids))
  return ids
}

/**
 * Kill points are random, from a seed printed in every assertion message: rerun a failure
 * with IMI_TEST_SEED=<seed>.
 */
const SEED = Number(process.env.IMI_TEST_SEED ?? Date.now() % 1_000_000)
let state = SEED
function random (): number {
  state = (state * 1103515245 + 12345) % 2147483648
  return state / 2147483648
}

describe(`delivery under faults (real nodes, real processes; IMI_TEST_SEED=${SEED})`, function () {
  this.timeout(120_000)
  let fed: TestFederation
  const children: Child[] = []

  beforeEach(async () => { fed = await makeFederation(['CZ', 'PL', 'RO']) })
  afterEach(async () => {
    for (const c of children.splice(0)) c.proc.kill('SIGKILL')
    await fed.close()
  })

  it('delivers to a receiver that was offline, exactly once, when it comes back', async () => {
    const cz = await fed.start('CZ')
    const ids: string[] = []
    for (let i = 0; i < 20; i++) ids.push((await cz.messaging.send({ kind: 'note', to: 'RO', body: { text: `while you were away ${i}` } })).id)
    await new Promise((r) => setTimeout(r, 500))
    expect(cz.messaging.outboxDepth()).to.equal(20)
    // The sender restarts while the receiver is still away: the outbox survives.
    await fed.stop('CZ')
    const cz2 = await fed.start('CZ')
    expect(cz2.messaging.outboxDepth()).to.equal(20)
    await fed.start('RO')
    await eventually(() => cz2.messaging.outboxDepth() === 0, 20_000, 'outbox to drain')
    await fed.stop('RO')
    expect((await receivedIds(fed.member('RO').dataDir)).sort()).to.deep.equal([...ids].sort())
  })

  it('loses nothing and duplicates nothing when the receiver is killed mid-burst', async () => {
    const setup = await childSetup(fed, 'PL')
    let pl = startChild(setup)
    children.push(pl)
    await pl.ready
    const cz = await fed.start('CZ')
    const ids: string[] = []
    const burst = (async () => {
      for (let i = 0; i < 400; i++) ids.push((await cz.messaging.send({ kind: 'note', to: 'PL', body: { text: `burst ${i}` } })).id)
    })()
    // Kill the receiver at a random moment while receipts are flowing.
    const killAfter = 50 + Math.floor(random() * 200)
    await eventually(async () => ids.length > killAfter, 20_000, 'burst under way')
    pl.proc.kill('SIGKILL')
    await pl.exited
    await burst
    pl = startChild(setup)
    children.push(pl)
    await pl.ready
    await eventually(() => cz.messaging.outboxDepth() === 0, 60_000, 'outbox to drain')
    pl.proc.kill('SIGTERM')
    await pl.exited
    const received = await receivedIds(fed.member('PL').dataDir)
    expect(received.length).to.equal(400)
    expect(new Set(received)).to.deep.equal(new Set(ids))
    expect((await cz.verifyEvidence()).ok).to.equal(true)
  })

  it('delivers every message the sender acknowledged when the sender is killed mid-burst', async () => {
    await fed.start('PL')
    const setup = await childSetup(fed, 'CZ')
    let cz = startChild(setup, ['send', 'PL', '500'])
    children.push(cz)
    const killAfter = 100 + Math.floor(random() * 200)
    await eventually(() => cz.lines.filter((l) => l.startsWith('sent ')).length > killAfter, 30_000, 'burst under way')
    cz.proc.kill('SIGKILL')
    await cz.exited
    const acknowledged = cz.lines.filter((l) => l.startsWith('sent ')).map((l) => l.slice(5))
    cz = startChild(setup)
    children.push(cz)
    await cz.ready
    const pl = fed.node('PL')
    await eventually(async () => (await pl.store.count(Bucket.received)) >= acknowledged.length, 60_000, 'every acknowledged message')
    await new Promise((r) => setTimeout(r, 500))
    const received = await idsIn(pl.store)
    // Everything the sender said it had queued arrived; nothing arrived twice.
    expect(received.filter((id) => acknowledged.includes(id)).length).to.equal(acknowledged.length)
    expect((await pl.verifyEvidence()).ok).to.equal(true)
  })

  it('keeps every request and alert the sender acknowledged, once, when it is killed mid-burst of both', async () => {
    const pl = await fed.start('PL')
    await pl.authorities.importAuthorities([{ id: 'pl-office', names: { en: 'PL office' }, areas: ['services'], competences: ['trade licensing'] }])
    const setup = await childSetup(fed, 'CZ')
    let cz = startChild(setup, ['workflows', 'PL', 'pl-office', '150'])
    children.push(cz)
    const acknowledged = (kind: string): string[] => cz.lines.filter((l) => l.startsWith(`${kind} `)).map((l) => l.slice(kind.length + 1))
    const killAfter = 20 + Math.floor(random() * 60)
    await eventually(() => acknowledged('request').length + acknowledged('alert').length > killAfter, 60_000, 'burst under way')
    cz.proc.kill('SIGKILL')
    await cz.exited
    const requests = acknowledged('request')
    const alerts = acknowledged('alert')
    cz = startChild(setup)
    children.push(cz)
    await cz.ready
    // Each acknowledged request reaches PL (the outbox survived the kill), each alert too (gossip, or the pull on reconnect).
    const plRequests = async (): Promise<string[]> => { const ids: string[] = []; for await (const r of pl.requests.log.records()) ids.push(r.state.id); return ids }
    const plAlerts = async (): Promise<string[]> => (await pl.alerts.list({ kind: 'user', username: 'nimic', coordinator: true, grants: [] })).map((a) => a.state.id)
    await eventually(async () => { const held = await plRequests(); return requests.every((id) => held.includes(id)) }, 60_000, `every acknowledged request (seed ${SEED})`)
    await eventually(async () => { const held = await plAlerts(); return alerts.every((id) => held.includes(id)) }, 60_000, `every acknowledged alert (seed ${SEED})`)
    await new Promise((r) => setTimeout(r, 500))
    const held = await plRequests()
    expect(new Set(held).size, 'no request twice').to.equal(held.length)
    const heldAlerts = await plAlerts()
    expect(new Set(heldAlerts).size, 'no alert twice').to.equal(heldAlerts.length)
    // Each request's log on PL holds its send once: a replayed send after the restart would show here.
    for (const id of requests) expect((await pl.requests.log.events(id)).filter((e) => e.body.action === 'send')).to.have.length(1)
    expect((await pl.verifyEvidence()).ok).to.equal(true)
  })
})
