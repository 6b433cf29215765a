/**
 * Services Directive notifications between real nodes over loopback TCP, on gossip and
 * anti-entropy: a notification from CZ reaches every state, PL and AT comment and every
 * node shows both comments in the same order, CZ answers and modifies, a node offline
 * during a creation, a comment and a modification catches up, forged and misplaced
 * events are refused and never held, and a notification closes by itself on every node.
 *
 * node.ts does not construct the NotificationService yet: `serviceOf` builds it from a
 * started node's parts (its broadcaster takes the handler) and, after a restart, asks the
 * peers again for what the first pull could not hand to a workflow. Once the node wires
 * `notifications`, the test uses that one and the real reconnect path alone.
 */
import { expect } from 'chai'
import { Hono } from 'hono'
import type { PeerId } from '@libp2p/interface'
import {
  NOTIFICATION_KIND, encodeWire, signEnvelope, type AuthorityEntry, type Json, type LegislativeArea, type Signer
} from '@imi/protocol'
import { generateIdentity, nodeCrypto, silentLogger, systemClock, type ImiNode } from '../../src/index.js'
import { errorHandler } from '../../src/api/errors.js'
import type { ApiEnv } from '../../src/api/principal.js'
import { notificationRoutes } from '../../src/api/routes/notifications.js'
import type { Actor, AreaRole } from '../../src/services/accounts/permissions.js'
import { NotificationService, type NewNotification, type NotificationView } from '../../src/services/notifications/notification-service.js'
import { eventually, makeFederation, TEST_FED, type TestFederation } from '../fixtures/federation.js'

const COUNTRIES = ['CZ', 'PL', 'AT', 'RO']
const official = (authority: string, roles: AreaRole[] = ['request-handler'], area: LegislativeArea = 'services'): Actor =>
  ({ kind: 'user', username: `u.${authority}`, authority, coordinator: false, grants: roles.map((role) => ({ area, role })) })
const COORDINATOR: Actor = { kind: 'user', username: 'nimic', coordinator: true, grants: [] }
const randomBytes = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n))
const draft: NewNotification = {
  title: { cs: 'Návrh zákona, kterým se mění živnostenský zákon', en: 'Draft act amending the Trade Licensing Act' },
  language: 'cs',
  summary: 'Instalatéři plynových zařízení z jiných členských států musí před první zakázkou doložit pojištění odpovědnosti.',
  draftRequirement: '§ 7b (1) Poskytovatel služby usazený v jiném členském státě doloží před zahájením činnosti pojištění odpovědnosti za škodu do výše 5 000 000 Kč.',
  legalBasis: 'Directive 2006/123/EC Art 15(7), 39(5); Art 23 (professional insurance)',
  plannedAdoption: '2027-06-01'
}

describe('Services Directive notifications between real nodes', function () {
  this.timeout(90_000)
  let fed: TestFederation
  const services = new Map<string, NotificationService>()
  const node = (c: string): ImiNode => fed.node(c)
  const svc = (c: string): NotificationService => services.get(c)!
  const ministry = official('cz-mpo')
  const handlerOf = (c: string): Actor => official(`${c.toLowerCase()}-services`)

  /** The node's own service once node.ts wires it; until then one built from the node's parts. */
  function serviceOf (n: ImiNode, closeAfterMs?: number): NotificationService {
    const wired = (n as unknown as { notifications?: NotificationService }).notifications
    if (wired !== undefined && closeAfterMs === undefined) return wired
    return new NotificationService({
      store: n.store, clock: systemClock, broadcaster: n.broadcaster, authorities: n.authorities, randomBytes, logger: silentLogger
    }, { federationId: TEST_FED, country: n.config.country, ...(closeAfterMs !== undefined && { closeAfterMs }) })
  }

  async function start (c: string): Promise<void> {
    const n = await fed.start(c)
    const entries: AuthorityEntry[] = [
      { id: `${c.toLowerCase()}-services`, names: { en: `${c} services authority` }, areas: ['services'], competences: ['trade licensing'] },
      { id: `${c.toLowerCase()}-doctors`, names: { en: `${c} medical chamber` }, areas: ['professional-qualifications'], competences: ['doctor'] }
    ]
    if (c === 'CZ') entries.push({ id: 'cz-mpo', names: { cs: 'Ministerstvo průmyslu a obchodu' }, areas: ['services'], competences: ['trade licensing'] })
    await n.authorities.importAuthorities(entries)
    services.set(c, serviceOf(n))
  }

  /** Asks every connected peer for the broadcasts since shortly before the newest held (what a reconnection does). */
  async function pullAgain (c: string): Promise<void> {
    const n = node(c)
    if ((n as unknown as { notifications?: unknown }).notifications !== undefined) return
    const sync = (n as unknown as { broadcastSync: { pullFrom(p: PeerId): Promise<number> } }).broadcastSync
    await Promise.all(n.libp2p!.getPeers().map(async (p) => await sync.pullFrom(p).catch(() => 0)))
  }

  before(async () => {
    fed = await makeFederation(COUNTRIES)
    for (const c of COUNTRIES) await start(c)
    await eventually(() => COUNTRIES.every((c) => node(c).libp2p!.services.pubsub.getSubscribers(node(c).broadcastGossip!.topic).length >= 2), 20_000, 'gossip mesh')
  })
  after(async () => { await fed.close() })

  const seen = async (c: string, id: string): Promise<NotificationView | undefined> =>
    await svc(c).get(COORDINATOR, id).catch((err: { code?: string }) => { if (err.code === 'ERR_NOT_FOUND') return undefined; throw err })
  const expectCode = async (p: Promise<unknown>, code: string): Promise<void> => {
    await p.then(() => { throw new Error(`expected ${code}`) }, (err: { code?: string }) => { expect(err.code).to.equal(code) })
  }
  let first: NotificationView

  it('a notification from CZ reaches every state; PL and AT comment and every node shows both, in one order', async () => {
    first = await svc('CZ').create(ministry, draft)
    expect(first).to.include({ from: 'CZ', fromAuthority: 'cz-mpo', area: 'services', status: 'open', ours: true })
    expect(first.closesAt - first.createdAt).to.be.within(90 * 86_400_000 - 1000, 90 * 86_400_000)
    for (const c of ['PL', 'AT', 'RO']) {
      const v = await eventually(async () => await seen(c, first.id), 10_000, `${c} to hold the notification`)
      expect(v.current.draftRequirement).to.equal(draft.draftRequirement)
      expect(v).to.include({ ours: false, status: 'open' })
    }
    // Every official with a role in services reads it; an authority of another area does not even see it.
    expect((await svc('AT').get(official('at-services', ['viewer']), first.id)).id).to.equal(first.id)
    await expectCode(svc('AT').get(official('at-doctors', ['request-handler'], 'professional-qualifications'), first.id), 'ERR_NOT_FOUND')
    expect(await svc('AT').list(official('at-doctors', ['request-handler'], 'professional-qualifications'))).to.deep.equal([])
    // A viewer reads but does not comment.
    await expectCode(svc('AT').comment(official('at-services', ['viewer']), first.id, { text: 'x' }), 'ERR_FORBIDDEN')

    await Promise.all([
      svc('PL').comment(handlerOf('PL'), first.id, { text: 'Czy wymóg ubezpieczenia uwzględnia polisy zawarte w Polsce (art. 23 ust. 2 dyrektywy)?', language: 'pl' }),
      svc('AT').comment(handlerOf('AT'), first.id, { text: 'Die Versicherungssumme erscheint unverhältnismäßig hoch.', language: 'de' })
    ])
    const views = await Promise.all(COUNTRIES.map(async (c) => await eventually(async () => {
      const v = await seen(c, first.id)
      return v !== undefined && v.comments.length === 2 ? v : undefined
    }, 10_000, `${c} to show both comments`)))
    for (const v of views) expect(v.comments).to.deep.equal(views[0]!.comments)
    expect(views[0]!.comments.map((x) => [x.from, x.fromAuthority]).sort()).to.deep.equal([['AT', 'at-services'], ['PL', 'pl-services']])

    // The notifying state answers PL's comment; the answer reaches AT too.
    const plComment = views[0]!.comments.find((x) => x.from === 'PL')!
    await svc('CZ').comment(ministry, first.id, { text: 'Ano, pojištění sjednané v jiném členském státě se uznává.', replyTo: plComment.id })
    const atView = await eventually(async () => { const v = await seen('AT', first.id); return v?.comments.length === 3 ? v : undefined }, 10_000, 'AT to see the answer')
    expect(atView.comments[2]).to.include({ from: 'CZ', replyTo: plComment.id })
    await expectCode(svc('AT').comment(handlerOf('AT'), first.id, { text: 'x', replyTo: 'nocommentbythisidaaaaa' }), 'ERR_INVALID_REQUEST')
  })

  it('CZ modifies its notification and every node shows the new version; no other state may modify or withdraw it', async () => {
    await svc('CZ').modify(ministry, first.id, { summary: 'Pojištění do výše 2 000 000 Kč; uznává se pojištění z jiného členského státu.' })
    for (const c of COUNTRIES) {
      const v = await eventually(async () => { const x = await seen(c, first.id); return x?.current.version === 2 ? x : undefined }, 10_000, `${c} to show version 2`)
      expect(v.current.summary).to.match(/^Pojištění do výše 2 000 000 Kč/)
      expect(v.current.draftRequirement).to.equal(draft.draftRequirement)
      expect(v.versions.map((x) => x.version)).to.deep.equal([1, 2])
    }
    await expectCode(svc('PL').modify(handlerOf('PL'), first.id, { summary: 'x' }), 'ERR_NOT_PARTY')
    await expectCode(svc('PL').withdraw(COORDINATOR, first.id), 'ERR_NOT_PARTY')
    // Within CZ, only the notifying authority's handlers and the coordinator change it.
    await expectCode(svc('CZ').modify(handlerOf('CZ'), first.id, { summary: 'x' }), 'ERR_FORBIDDEN')
  })

  it('a node offline during a creation, a comment and a modification has them all seconds after it returns', async () => {
    await fed.stop('RO')
    services.delete('RO')
    // The coordinator notifies for the state itself: no authority named.
    const second = await svc('CZ').create(COORDINATOR, { ...draft, title: { en: 'Draft decree on tourist guides' }, summary: 'Tourist guides register before working.' })
    expect(second.fromAuthority).to.equal(undefined)
    await eventually(async () => await seen('PL', second.id), 10_000, 'PL to hold it')
    await svc('PL').comment(handlerOf('PL'), second.id, { text: 'Registration should be declaratory for temporary provision (Art 16).' })
    await svc('CZ').modify(COORDINATOR, second.id, { summary: 'Tourist guides established elsewhere only declare.' })
    await eventually(async () => { const v = await seen('AT', second.id); return v?.comments.length === 1 && v.current.version === 2 }, 10_000, 'AT to have everything')

    const t0 = Date.now()
    await start('RO')
    const ro = await eventually(async () => {
      await pullAgain('RO')
      const v = await seen('RO', second.id)
      return v?.comments.length === 1 && v.current.version === 2 ? v : undefined
    }, 15_000, 'RO to catch up')
    expect(Date.now() - t0).to.be.lessThan(15_000)
    const at = (await seen('AT', second.id))!
    expect({ ...ro, ours: false }).to.deep.equal({ ...at, ours: false })
    // And what happened before it went away is still there.
    expect((await seen('RO', first.id))?.comments).to.have.length(3)
    // RO comments in turn; the others see it.
    await svc('RO').comment(handlerOf('RO'), second.id, { text: 'Agreed with PL.', language: 'en' })
    await eventually(async () => (await seen('CZ', second.id))?.comments.length === 2, 10_000, 'CZ to see RO\'s comment')
  })

  it('closes by itself when the comment period ends, on every node, and takes no comment after', async () => {
    // CZ's operator configures a 3-second period (3 months by default): the creation names its end.
    const cz = serviceOf(node('CZ'), 3000)
    const brief = await cz.create(ministry, { ...draft, title: { en: 'Draft act with a short comment period' } })
    expect(brief.closesAt - brief.createdAt).to.be.within(2000, 3000)
    await eventually(async () => await seen('PL', brief.id), 10_000, 'PL to hold it')
    await svc('PL').comment(handlerOf('PL'), brief.id, { text: 'In time.' })
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, brief.closesAt - Date.now() + 50)))
    for (const c of COUNTRIES) {
      const v = await eventually(async () => await seen(c, brief.id), 10_000, `${c} to hold it`)
      expect(v.status, c).to.equal('closed')
      expect(v.comments.map((x) => x.text)).to.deep.equal(['In time.'])
      expect((await svc(c).list(COORDINATOR, { status: 'closed' })).map((s) => s.id)).to.include(brief.id)
    }
    await expectCode(svc('AT').comment(handlerOf('AT'), brief.id, { text: 'Too late.' }), 'ERR_TRANSITION_NOT_ALLOWED')
    await expectCode(cz.modify(ministry, brief.id, { summary: 'Too late.' }), 'ERR_TRANSITION_NOT_ALLOWED')
    await expectCode(cz.withdraw(ministry, brief.id), 'ERR_TRANSITION_NOT_ALLOWED')
    // A node that skips its own check (PL's real key) gets its late comment ignored by every other node.
    const late = signEnvelope({
      kind: NOTIFICATION_KIND, from: 'PL', to: ['*'], body: { notification: brief.id, action: 'comment', text: 'Too late, but signed.' }, fromAuthority: 'pl-services'
    }, { federationId: TEST_FED, signer: fed.member('PL').identity.signer, crypto: nodeCrypto, now: Date.now(), randomBytes })
    await node('PL').libp2p!.services.pubsub.publish(node('PL').broadcastGossip!.topic, encodeWire(late.wire)).catch(() => {})
    await expectCode(node('AT').broadcaster.accept(late.wire, 'sync'), 'ERR_TRANSITION_NOT_ALLOWED')
    await new Promise((resolve) => setTimeout(resolve, 1000))
    for (const c of ['CZ', 'AT', 'RO']) expect(await node(c).broadcaster.has(late.hdr.id), c).to.equal(false)
  })

  it('serves the HTTP resource: notify, read, comment, modify, withdraw, with the stable error codes', async () => {
    const appFor = (c: string, actor: Actor): Hono<ApiEnv> => {
      const app = new Hono<ApiEnv>()
      app.onError(errorHandler(silentLogger))
      app.use('*', async (ctx, next) => { ctx.set('principal', { kind: 'user', auth: { actor } as never, via: 'bearer' }); await next() })
      app.route('/api/v1', notificationRoutes({ notifications: svc(c) }))
      return app
    }
    const call = async (app: Hono<ApiEnv>, method: string, path: string, body?: unknown): Promise<{ status: number, json: Record<string, unknown> }> => {
      const res = await app.request(`/api/v1${path}`, { method, ...(body !== undefined && { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }) })
      return { status: res.status, json: await res.json() as Record<string, unknown> }
    }
    const cz = appFor('CZ', ministry)
    const pl = appFor('PL', handlerOf('PL'))
    const created = await call(cz, 'POST', '/notifications', { ...draft, title: { en: 'Draft act on estate agents' } })
    expect(created.status).to.equal(201)
    const id = created.json.id as string
    expect((await call(cz, 'POST', '/notifications', { ...draft, language: 'xx' })).json.error).to.include({ code: 'ERR_INVALID_REQUEST' })
    expect((await call(cz, 'POST', '/notifications', { ...draft, personalData: {} })).status).to.equal(400)
    await eventually(async () => (await call(pl, 'GET', `/notifications/${id}`)).status === 200, 10_000, 'PL to serve it')
    expect(((await call(pl, 'GET', '/notifications?status=open&from=CZ')).json.notifications as Array<{ id: string }>).map((n) => n.id)).to.include(id)
    expect((await call(pl, 'GET', '/notifications?status=sideways')).status).to.equal(400)
    const commented = await call(pl, 'POST', `/notifications/${id}/comment`, { text: 'No objection.', language: 'en' })
    expect(commented.status).to.equal(201)
    expect((await call(pl, 'POST', `/notifications/${id}/modify`, { summary: 'x' })).json.error).to.include({ code: 'ERR_NOT_PARTY' })
    expect((await call(cz, 'POST', `/notifications/${id}/modify`, { closesAt: 1 })).status).to.equal(400)
    expect((await call(cz, 'POST', `/notifications/${id}/modify`, { legalBasis: 'Directive 2006/123/EC Art 15(2)(a)' })).json.current).to.include({ version: 2 })
    const withdrawn = await call(cz, 'POST', `/notifications/${id}/withdraw`, { reason: 'replaced by a new draft' })
    expect(withdrawn.json).to.include({ status: 'withdrawn', reason: 'replaced by a new draft' })
    expect((await call(cz, 'POST', `/notifications/${id}/withdraw`, {})).status).to.equal(409)
    await eventually(async () => (await call(pl, 'GET', `/notifications/${id}`)).json.status === 'withdrawn', 10_000, 'PL to see the withdrawal')
    expect((await call(pl, 'POST', `/notifications/${id}/comment`, { text: 'Too late.' })).status).to.equal(409)
    expect((await call(pl, 'GET', '/notifications/short')).status).to.equal(400)
  })

  it('refuses forged and misplaced notification events; no node holds them', async () => {
    const stranger = await generateIdentity()
    const now = Date.now()
    const sign = (signer: Signer, from: string, body: Record<string, unknown>, to: string[] = ['*'], extra: object = {}) => signEnvelope({
      kind: NOTIFICATION_KIND, from, to, body: { notification: first.id, ...body } as Json, fromAuthority: `${from.toLowerCase()}-services`, ...extra
    }, { federationId: TEST_FED, signer, crypto: nodeCrypto, now, randomBytes })
    const pl = fed.member('PL').identity.signer
    const bad = {
      // A comment signed by a key the roster does not know, claiming to be PL.
      forgedComment: sign(stranger.signer, 'PL', { action: 'comment', text: 'Forged comment' }),
      // PL's real key, modifying or withdrawing CZ's notification.
      foreignModify: sign(pl, 'PL', { action: 'modify', summary: 'Hijacked' }),
      foreignWithdraw: sign(pl, 'PL', { action: 'withdraw' }),
      // PL's real key, but a comment addressed to one state only, or carrying a personal-data sidecar.
      notToAll: sign(pl, 'PL', { action: 'comment', text: 'Only for AT' }, ['AT']),
      withPersonalData: sign(pl, 'PL', { action: 'comment', text: 'With a sidecar' }, ['*'], { personalData: { name: 'Jan Kowalski' } })
    }
    const pubsub = node('PL').libp2p!.services.pubsub
    for (const env of Object.values(bad)) await pubsub.publish(node('PL').broadcastGossip!.topic, encodeWire(env.wire)).catch(() => {})
    // The same envelopes offered by sync, the way a node that was away takes them in.
    for (const [name, env] of Object.entries(bad)) {
      await node('AT').broadcaster.accept(env.wire, 'sync').then(() => { throw new Error(`${name} accepted`) }, (err: { code?: string }) => {
        expect(err.code, name).to.equal({ forgedComment: 'ERR_UNKNOWN_KEY', foreignModify: 'ERR_NOT_PARTY', foreignWithdraw: 'ERR_NOT_PARTY', notToAll: 'ERR_BODY_SCHEMA', withPersonalData: 'ERR_BODY_SCHEMA' }[name])
      })
    }
    await new Promise((resolve) => setTimeout(resolve, 1500))
    for (const c of ['CZ', 'AT', 'RO']) {
      for (const [name, env] of Object.entries(bad)) expect(await node(c).broadcaster.has(env.hdr.id), `${c} holds ${name}`).to.equal(false)
      const v = (await seen(c, first.id))!
      expect(v).to.include({ status: 'open' })
      expect(v.current.version).to.equal(2)
      expect(v.comments.map((x) => x.text)).not.to.include.members(['Forged comment', 'Only for AT', 'With a sidecar'])
    }
    expect([...node('CZ').broadcaster.rejected.keys()]).to.include('ERR_UNKNOWN_KEY')
    // PL forwarded forged envelopes: its peers now score it down. This test runs last for that reason.
  })
})
