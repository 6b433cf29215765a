/**
 * The audit trail of personal data (Art 17(3)) on a real store: entries committed in
 * the batch of the change they record, one chain under concurrent commits, a reopen,
 * every kind of tampering named at its first broken entry, no personal data in any
 * entry, and the API's who-may-see-what.
 */
import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Hono } from 'hono'
import { ManualClock } from '../../src/index.js'
import { errorHandler, notFoundHandler } from '../../src/api/errors.js'
import type { ApiEnv, Principal } from '../../src/api/principal.js'
import { auditRoutes } from '../../src/api/routes/audit.js'
import type { Actor, UserActor } from '../../src/services/accounts/permissions.js'
import type { Authenticated } from '../../src/services/accounts/user-accounts.js'
import { AuditTrail, type AuditEntry } from '../../src/services/audit/audit-trail.js'
import { silentLogger } from '../../src/services/logger.js'
import { AuditLog, MAX_AUDIT_REASON, auditReason, joinSequencers, type AuditDraft } from '../../src/storage/audit-log.js'
import { Bucket, EvidenceLog, Store, seqKey, type BucketName } from '../../src/storage/index.js'
import { nodeCrypto } from '../../src/crypto.js'

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0)
const official: UserActor = {
  kind: 'user', username: 'anna.nowak', authority: 'pl-uokik', coordinator: false, grants: [{ area: 'services', role: 'request-handler' }]
}
const coordinator: UserActor = { kind: 'user', username: 'nimic.pl', coordinator: true, grants: [] }
const operator: Actor = { kind: 'operator' }

/** The error a promise rejects with. */
async function rejection (p: Promise<unknown>): Promise<Error> {
  try { await p } catch (err) { return err as Error }
  throw new Error('expected a rejection')
}

describe('audit trail', () => {
  let dir: string
  let store: Store
  let clock: ManualClock
  let audit: AuditTrail

  const open = async (): Promise<void> => {
    store = new Store(dir, { sync: false })
    await store.open()
    audit = new AuditTrail({ store, clock })
    await audit.load()
  }
  const reopen = async (): Promise<void> => { await store.close(); await open() }
  const raw = async (seq: number): Promise<AuditEntry> => (await store.get<AuditEntry>(Bucket.audit, seqKey(seq)))!
  const put = async (seq: number, value: unknown): Promise<void> => { await store.commit([{ type: 'put', bucket: Bucket.audit, key: seqKey(seq), value }]) }
  const del = async (...seqs: number[]): Promise<void> => { await store.commit(seqs.map((s) => ({ type: 'del' as const, bucket: Bucket.audit, key: seqKey(s) }))) }
  /** Six entries over two procedures, one clock tick apart. */
  const six = async (): Promise<void> => {
    for (let i = 0; i < 6; i++) {
      await audit.record(i % 2 === 0 ? official : 'system', i === 5 ? 'delete' : 'read', { kind: 'request', id: i % 2 === 0 ? 'req-even' : 'req-odd' }, `step ${i}`)
      clock.advance(1000)
    }
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imi-audit-'))
    clock = new ManualClock(T0)
    await open()
  })
  afterEach(async () => { await store.close(); await rm(dir, { recursive: true, force: true }) })

  describe('recording', () => {
    it('writes an entry in the same batch as the change it records, and neither when the batch fails', async () => {
      await store.commit([{ type: 'put', bucket: Bucket.requests, key: 'req-1', value: { state: 'answered' } }],
        audit.recordWith(official, 'change', { kind: 'request', id: 'req-1' }, 'answer sent'))
      expect(await store.get(Bucket.requests, 'req-1')).to.deep.equal({ state: 'answered' })
      const [entry] = await audit.list({ limit: 10 })
      expect(entry).to.deep.include({
        seq: 0, at: T0, action: 'change', procedure: { kind: 'request', id: 'req-1' }, reason: 'answer sent',
        actor: { kind: 'user', username: 'anna.nowak', authority: 'pl-uokik' }
      })

      // A batch that cannot be written takes its audit entry with it, and the chain does not move.
      const failing = store.commit([{ type: 'put', bucket: 'no-such-bucket' as BucketName, key: 'x', value: 1 }],
        audit.recordWith(official, 'delete', { kind: 'request', id: 'req-1' }))
      expect((await rejection(failing)).message).to.match(/no bucket/)
      expect(audit.length).to.equal(1)
      await audit.record('system', 'block', { kind: 'request', id: 'req-1' })
      expect(audit.length).to.equal(2)
      expect(await audit.verify()).to.deep.equal({ ok: true, entries: 2 })
      expect((await raw(1)).action).to.equal('block')
    })

    it('joins a batch that appends to the evidence log as well', async () => {
      const evidence = new EvidenceLog({ store, crypto: nodeCrypto, now: () => clock.now() })
      await evidence.load()
      await store.commit([], joinSequencers(evidence.append([{ type: 'sent', ref: 'm1', jws: 'a.b.c' }]), audit.recordWith(official, 'export', { kind: 'alert', id: 'alert-1' })))
      expect(evidence.length).to.equal(1)
      expect(audit.length).to.equal(1)
      expect(await audit.verify()).to.deep.equal({ ok: true, entries: 1 })
    })

    it('keeps one chain under concurrent commits, in and across batches', async () => {
      const first = Array.from({ length: 25 }, async (_, i) => await audit.record(official, 'read', { kind: 'alert', id: `alert-${i}` }))
      // These arrive while the first batch is being written: they form the next ones.
      await Promise.resolve()
      await new Promise((resolve) => setImmediate(resolve))
      const second = Array.from({ length: 25 }, async (_, i) =>
        await store.commit([{ type: 'put', bucket: Bucket.alerts, key: `alert-${i}`, value: i }], audit.recordWith('system', 'change', { kind: 'alert', id: `alert-${i}` })))
      await Promise.all([...first, ...second])
      expect(audit.length).to.equal(50)
      expect(await audit.verify()).to.deep.equal({ ok: true, entries: 50 })
      const seqs: number[] = []
      for await (const e of audit.log.entries()) seqs.push(e.seq)
      expect(seqs).to.deep.equal(Array.from({ length: 50 }, (_, i) => i))
    })

    it('survives a reopen and keeps chaining from the stored head', async () => {
      await six()
      await reopen()
      expect(audit.length).to.equal(6)
      expect(audit.log.head.seq).to.equal(5)
      await audit.record(coordinator, 'read', { kind: 'notification', id: 'notif-1' })
      expect(await audit.verify()).to.deep.equal({ ok: true, entries: 7 })
    })

    it('never records a time earlier than the entry before, so the chain is in time order', async () => {
      await audit.record(official, 'read', { kind: 'request', id: 'req-1' })
      const backwards = new AuditTrail({ store, clock: { now: () => T0 - 60_000 } })
      await backwards.load()
      await backwards.record(official, 'read', { kind: 'request', id: 'req-1' })
      expect((await raw(1)).at).to.equal(T0)
    })
  })

  describe('verification names the first broken entry', () => {
    beforeEach(six)

    it('an intact chain, also after a reopen', async () => {
      expect(await audit.verify()).to.deep.equal({ ok: true, entries: 6 })
      await reopen()
      expect(await audit.verify()).to.deep.equal({ ok: true, entries: 6 })
    })

    it('a field edited in the database', async () => {
      const e = await raw(3)
      await put(3, { ...e, actor: { kind: 'user', username: 'someone.else' } })
      expect(await audit.verify()).to.deep.equal({ ok: false, entries: 3, firstBroken: { seq: 3, reason: 'content does not match its hash' } })
    })

    it('a time edited in the database, found by the offline check after a reopen', async () => {
      const e = await raw(2)
      await put(2, { ...e, at: e.at - 3_600_000 })
      await reopen()
      expect((await audit.verify()).firstBroken).to.deep.equal({ seq: 2, reason: 'content does not match its hash' })
    })

    it('a deleted entry', async () => {
      await del(2)
      expect((await audit.verify()).firstBroken).to.deep.equal({ seq: 2, reason: 'entry 2 is missing' })
    })

    it('two entries swapped', async () => {
      const [e2, e3] = [await raw(2), await raw(3)]
      await put(2, e3)
      await put(3, e2)
      expect((await audit.verify()).firstBroken).to.deep.equal({ seq: 2, reason: 'holds entry 3: entries were moved or reordered' })
    })

    it('two entries swapped with their seq fields rewritten', async () => {
      const [e2, e3] = [await raw(2), await raw(3)]
      await put(2, { ...e3, seq: 2 })
      await put(3, { ...e2, seq: 3 })
      expect((await audit.verify()).firstBroken).to.deep.equal({ seq: 2, reason: 'does not link to the previous entry' })
    })

    it('a changed hash', async () => {
      const e = await raw(3)
      await put(3, { ...e, hash: 'B'.repeat(43) })
      expect((await audit.verify()).firstBroken).to.deep.equal({ seq: 3, reason: 'content does not match its hash' })
    })

    it('an entry rewritten with a recomputed hash, at the next link', async () => {
      const { hash: _old, ...rest } = { ...await raw(1), action: 'read' as const, reason: 'nothing to see' }
      await put(1, { ...rest, hash: AuditLog.hashOf(rest) })
      expect((await audit.verify()).firstBroken).to.deep.equal({ seq: 2, reason: 'does not link to the previous entry' })
    })

    it('the last entry rewritten with a recomputed hash, against the recorded head', async () => {
      const { hash: _old, ...rest } = { ...await raw(5), action: 'read' as const }
      await put(5, { ...rest, hash: AuditLog.hashOf(rest) })
      expect((await audit.verify()).firstBroken).to.deep.equal({ seq: 5, reason: 'does not match the recorded head' })
      await reopen()
      expect((await audit.verify()).firstBroken).to.deep.equal({ seq: 5, reason: 'does not match the recorded head' })
    })

    it('the newest entries deleted from the end', async () => {
      await del(4, 5)
      const report = await audit.verify()
      expect(report).to.deep.equal({ ok: false, entries: 4, firstBroken: { seq: 4, reason: 'the chain ends at entry 3, the recorded head is entry 5' } })
    })

    it('an entry added past the recorded head', async () => {
      const last = await raw(5)
      const base = { ...last, seq: 6, prev: last.hash, action: 'read' as const }
      const { hash: _h, ...rest } = base
      await put(6, { ...rest, hash: AuditLog.hashOf(rest) })
      expect((await audit.verify()).firstBroken).to.deep.equal({ seq: 6, reason: 'entry 6 is past the recorded head (entry 5)' })
    })

    it('something that is not an entry', async () => {
      await put(0, 'gone')
      expect((await audit.verify()).firstBroken).to.deep.equal({ seq: 0, reason: 'is not an audit entry' })
    })
  })

  describe('personal data', () => {
    const subject = ['Jan Kowalski', 'Kowalski', '1980-05-17', '17.05.1980', 'jan.kowalski@example.pl', '80051712345', 'ul. Długa 5']

    /** Everything the audit trail wrote: its bucket and its head. */
    const written = async (): Promise<string> => {
      const parts: string[] = []
      for await (const [k, v] of store.entries<unknown>(Bucket.audit)) parts.push(k, JSON.stringify(v))
      parts.push(JSON.stringify(await store.get(Bucket.meta, 'audit-head')))
      return parts.join('\n')
    }

    it('holds none when callers pass ids, whatever the actor object carries', async () => {
      // The subject's data sits beside the trail, as it does on a node.
      await store.commit([{ type: 'put', bucket: Bucket.personalData, key: 'req-7', value: { name: subject[0], born: subject[2], email: subject[4] } }],
        audit.recordWith(official, 'change', { kind: 'request', id: 'req-7' }, 'registration number corrected on the authority\'s request'))
      await audit.record(coordinator, 'export', { kind: 'request', id: 'req-7' })
      await audit.record(operator, 'read-blocked', { kind: 'request', id: 'req-7' }, 'proof that the exchange took place')
      await audit.record('system', 'delete', { kind: 'request', id: 'req-7' })
      // Fields a careless caller adds are not copied into the entry.
      const careless = { actor: { ...official, displayName: subject[0] }, action: 'read', procedure: { kind: 'request', id: 'req-7', subject: subject[0] }, note: subject[4] }
      await store.commit([], audit.log.append([careless as unknown as AuditDraft]))
      const text = await written()
      for (const s of subject) expect(text).to.not.include(s)
      expect(text).to.not.include('grants').and.not.include('coordinator')
      expect((await audit.list({ limit: 10 })).map((e) => e.actor)).to.deep.equal([
        { kind: 'user', username: 'anna.nowak', authority: 'pl-uokik' }, { kind: 'system' }, { kind: 'operator' }, { kind: 'user', username: 'nimic.pl' },
        { kind: 'user', username: 'anna.nowak', authority: 'pl-uokik' }
      ])
    })

    it('strips contact details and numbers from a reason and bounds its length', async () => {
      const reason = `asked by jan.kowalski@example.pl\non +48 601 234 567 about PESEL 80051712345, born 17.05.1980;\u0000 Directive 2005/36/EC Art 14(1) ${'x'.repeat(500)}`
      await audit.record(official, 'correct', { kind: 'subject-request', id: 'sr-1' }, reason)
      const stored = (await raw(0)).reason!
      for (const s of subject) expect(stored).to.not.include(s)
      expect(stored).to.not.include('601 234 567').and.not.include('\n').and.not.include('\u0000')
      expect(stored).to.match(/^asked by \[redacted\] on \[redacted\] about PESEL \[redacted\], born \[redacted\]; Directive 2005\/36\/EC Art 14\(1\) x+…$/)
      expect(Array.from(stored)).to.have.length(MAX_AUDIT_REASON)
      expect(auditReason('  \n\t ')).to.equal(undefined)
      expect(auditReason('contested accuracy of the reply')).to.equal('contested accuracy of the reply')
    })

    it('refuses anything but an id where an id belongs, before any commit', async () => {
      expect(() => audit.recordWith(official, 'read', { kind: 'request', id: 'Jan Kowalski' })).to.throw(/procedure id must be an id/)
      expect(() => audit.recordWith({ ...official, username: 'jan.kowalski@example.pl' }, 'read', { kind: 'request', id: 'req-1' })).to.throw(/user name must be an id/)
      expect(() => audit.recordWith(official, 'peek' as 'read', { kind: 'request', id: 'req-1' })).to.throw(/action must be one of/)
      expect(() => audit.recordWith(official, 'read', { kind: 'person' as 'request', id: 'req-1' })).to.throw(/procedure kind must be one of/)
      expect(audit.length).to.equal(0)
      expect(await store.count(Bucket.audit)).to.equal(0)
    })
  })

  describe('listing', () => {
    beforeEach(six)

    it('lists newest first, by procedure, kind, time and limit', async () => {
      expect((await audit.list({ limit: 100 })).map((e) => e.seq)).to.deep.equal([5, 4, 3, 2, 1, 0])
      expect((await audit.list({ procedure: 'req-even', limit: 100 })).map((e) => e.seq)).to.deep.equal([4, 2, 0])
      expect((await audit.list({ procedure: 'req-odd', limit: 2 })).map((e) => e.seq)).to.deep.equal([5, 3])
      expect((await audit.list({ procedure: 'req', limit: 100 }))).to.deep.equal([])
      expect((await audit.list({ from: T0 + 2000, to: T0 + 4000, limit: 100 })).map((e) => e.seq)).to.deep.equal([4, 3, 2])
      expect((await audit.list({ kind: 'alert', limit: 100 }))).to.deep.equal([])
      expect((await rejection(audit.list({ limit: 0 }))).message).to.match(/limit/)
      expect((await rejection(audit.list({ limit: 1001 }))).message).to.match(/limit/)
    })
  })

  describe('API', () => {
    const userPrincipal = (actor: UserActor): Principal => ({ kind: 'user', auth: { actor } as unknown as Authenticated, via: 'bearer' })
    const get = async (path: string, principal: Principal): Promise<{ status: number, json: Record<string, unknown> }> => {
      const app = new Hono<ApiEnv>()
      app.onError(errorHandler(silentLogger))
      app.notFound(notFoundHandler)
      app.use('*', async (c, next) => { c.set('principal', principal); await next() })
      app.route('/', auditRoutes({ audit }))
      const res = await app.request(path)
      return { status: res.status, json: await res.json() as Record<string, unknown> }
    }

    beforeEach(six)

    it('lists the trail for the coordinator only', async () => {
      const res = await get('/audit?procedure=req-even&limit=2', userPrincipal(coordinator))
      expect(res.status).to.equal(200)
      expect((res.json.entries as AuditEntry[]).map((e) => e.seq)).to.deep.equal([4, 2])
      expect((await get('/audit', userPrincipal(official))).status).to.equal(403)
      expect((await get('/audit', { kind: 'operator' })).status).to.equal(403)
      expect((await get('/audit?limit=5000', userPrincipal(coordinator))).status).to.equal(400)
      expect((await get('/audit?procedure=Jan%20Kowalski', userPrincipal(coordinator))).status).to.equal(400)
      expect((await get('/audit?from=yesterday', userPrincipal(coordinator))).status).to.equal(400)
    })

    it('verifies for the operator and the coordinator, not for an official', async () => {
      expect(await get('/audit/verify', { kind: 'operator' })).to.deep.equal({ status: 200, json: { ok: true, entries: 6 } })
      expect((await get('/audit/verify', userPrincipal(coordinator))).status).to.equal(200)
      expect((await get('/audit/verify', userPrincipal(official))).status).to.equal(403)
      await del(1)
      expect((await get('/audit/verify', { kind: 'operator' })).json).to.deep.equal({ ok: false, entries: 1, firstBroken: { seq: 1, reason: 'entry 1 is missing' } })
    })
  })
})
