/**
 * Authorities and officials' accounts on one node, against a real LevelDB and a manual
 * clock: the coordinator's authority lifecycle, join requests, password hashing,
 * lock-out, session expiry and the rule that one authority never manages another's users.
 */
import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { AuthorityEntry } from '@imi/protocol'
import { ManualClock } from '../../src/index.js'
import { silentLogger } from '../../src/services/logger.js'
import { AuthorityRegistry } from '../../src/services/authorities/authority-registry.js'
import { UserAccounts, type NewUser } from '../../src/services/accounts/user-accounts.js'
import { hashPassword, verifyPassword } from '../../src/services/accounts/passwords.js'
import type { Actor } from '../../src/services/accounts/permissions.js'
import { Bucket, Store } from '../../src/storage/index.js'

const T0 = Date.UTC(2026, 2, 2, 9)
const MIN = 60_000
const OPERATOR: Actor = { kind: 'operator' }

const authority = (id: string, areas: AuthorityEntry['areas'] = ['professional-qualifications', 'services']): AuthorityEntry => ({
  id, names: { cs: `Úřad ${id}`, en: `Office ${id}` }, areas, competences: ['trade licensing']
})
const person = (username: string, extra: Partial<NewUser> = {}): NewUser => ({ username, displayName: `Official ${username}`, password: 'correct horse battery', ...extra })

async function rejects (p: Promise<unknown>, code: string): Promise<Error & { code: string }> {
  try {
    await p
  } catch (err) {
    expect((err as { code?: string }).code, (err as Error).message).to.equal(code)
    return err as Error & { code: string }
  }
  throw new Error(`expected ${code}, but it succeeded`)
}

describe('authorities and accounts', function () {
  this.timeout(30_000)
  let dir: string
  let store: Store
  let clock: ManualClock
  let registry: AuthorityRegistry
  let accounts: UserAccounts
  let coordinator: Actor

  const open = async (): Promise<void> => {
    store = new Store(dir, { sync: false })
    await store.open()
    registry = new AuthorityRegistry({ store, clock })
    await registry.load()
    accounts = new UserAccounts({ store, clock, randomBytes: (n) => randomBytes(n), authorities: registry, logger: silentLogger })
    await accounts.start()
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imi-accounts-'))
    clock = new ManualClock(T0)
    await open()
    await accounts.createCoordinator(OPERATOR, person('nimic.cz'))
    coordinator = (await accounts.authenticate((await accounts.login('nimic.cz', 'correct horse battery')).token)).actor
  })

  afterEach(async () => {
    accounts.stop()
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })

  describe('passwords', () => {
    it('stores argon2id in PHC form and verifies only the right password', async () => {
      const phc = await hashPassword('correct horse battery')
      expect(phc).to.match(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/)
      expect(await verifyPassword('correct horse battery', phc)).to.equal(true)
      expect(await verifyPassword('correct horse batterY', phc)).to.equal(false)
      expect(await verifyPassword('correct horse battery', phc.replace('t=2', 't=3'))).to.equal(false)
      expect(await verifyPassword('x', 'plain text')).to.equal(false)
    })

    it('never stores the password itself, and refuses short ones', async () => {
      await registry.add(authority('cz-1'), 'active')
      await rejects(accounts.createUser(coordinator, 'cz-1', person('short', { password: 'too short' })), 'ERR_INVALID_REQUEST')
      await rejects(accounts.createUser(coordinator, 'cz-1', person('jan.novak', { password: 'jan.novak-2026!' })), 'ERR_INVALID_REQUEST')
      await accounts.createUser(coordinator, 'cz-1', person('jan.novak'))
      const raw = await store.get<Record<string, unknown>>(Bucket.users, 'jan.novak')
      expect(JSON.stringify(raw)).not.to.contain('correct horse battery')
      expect(raw?.password).to.match(/^\$argon2id\$/)
    })
  })

  describe('the coordinator and authorities', () => {
    it('takes an authority from a join request through approval, suspension, reinstatement and removal', async () => {
      const changes: string[] = []
      registry.addEventListener('change', () => changes.push('change'))
      const joined = await accounts.requestToJoin(authority('cz-join'), person('admin.join'))
      expect(joined.admin.grants.map((g) => g.role)).to.deep.equal(['local-data-admin', 'local-data-admin'])
      expect(registry.get('cz-join')?.status).to.equal('pending')
      expect(await registry.publishedAuthorities()).to.deep.equal([])
      expect(changes).to.deep.equal([]) // nothing published changed
      await rejects(accounts.login('admin.join', 'correct horse battery'), 'ERR_INVALID_STATE')

      await registry.act('cz-join', 'approve')
      expect((await registry.publishedAuthorities()).map((a) => a.id)).to.deep.equal(['cz-join'])
      const session = await accounts.login('admin.join', 'correct horse battery')

      await registry.act('cz-join', 'suspend', 'under review')
      expect(registry.get('cz-join')).to.include({ status: 'suspended', reason: 'under review' })
      expect(await registry.isActiveAuthority('cz-join')).to.equal(false)
      expect(await registry.publishedAuthorities()).to.deep.equal([])
      await rejects(accounts.authenticate(session.token), 'ERR_UNAUTHORIZED')
      await rejects(accounts.login('admin.join', 'correct horse battery'), 'ERR_INVALID_STATE')

      await registry.act('cz-join', 'reinstate')
      await accounts.login('admin.join', 'correct horse battery')
      await registry.act('cz-join', 'remove')
      await rejects(registry.act('cz-join', 'reinstate'), 'ERR_INVALID_STATE')
      await rejects(registry.act('cz-join', 'approve'), 'ERR_INVALID_STATE')
      expect(changes).to.have.length(4) // approve, suspend, reinstate, remove
    })

    it('keeps the registry across a restart and never reuses an id', async () => {
      await accounts.registerAuthority(coordinator, authority('cz-1'), person('admin.one'))
      await registry.act('cz-1', 'remove')
      accounts.stop()
      await store.close()
      await open()
      expect(registry.get('cz-1')?.status).to.equal('removed')
      await rejects(accounts.registerAuthority(coordinator, authority('cz-1')), 'ERR_CONFLICT')
    })

    it('refuses malformed authorities with the directory\'s own checks, and stores nothing', async () => {
      await rejects(accounts.registerAuthority(coordinator, { ...authority('cz-2'), areas: ['astrology'] }), 'ERR_INVALID_REQUEST')
      await rejects(accounts.registerAuthority(coordinator, { ...authority('cz-2'), names: {} }), 'ERR_INVALID_REQUEST')
      await rejects(accounts.registerAuthority(coordinator, { ...authority('cz 2') }), 'ERR_INVALID_REQUEST')
      // A join request whose authority is refused leaves no administrator account behind either.
      await rejects(accounts.requestToJoin({ ...authority('cz-3'), extra: 1 }, person('admin.three')), 'ERR_INVALID_REQUEST')
      expect(await store.count(Bucket.authorities)).to.equal(0)
      expect(await store.get(Bucket.users, 'admin.three')).to.equal(undefined)
    })

    it('lets only the coordinator register authorities', async () => {
      await accounts.registerAuthority(coordinator, authority('cz-1'), person('admin.one'))
      const admin = (await accounts.authenticate((await accounts.login('admin.one', 'correct horse battery')).token)).actor
      await rejects(accounts.registerAuthority(admin, authority('cz-9')), 'ERR_FORBIDDEN')
      await rejects(accounts.registerAuthority(OPERATOR, authority('cz-9')), 'ERR_FORBIDDEN')
      await rejects(accounts.createCoordinator(coordinator, person('nimic.two')), 'ERR_FORBIDDEN')
    })
  })

  describe('local data administrators and their users', () => {
    let adminA: Actor
    let adminB: Actor
    beforeEach(async () => {
      await accounts.registerAuthority(coordinator, authority('cz-a'), person('admin.a'))
      await accounts.registerAuthority(coordinator, authority('cz-b', ['services']), person('admin.b'))
      adminA = (await accounts.authenticate((await accounts.login('admin.a', 'correct horse battery')).token)).actor
      adminB = (await accounts.authenticate((await accounts.login('admin.b', 'correct horse battery')).token)).actor
    })

    it('creates users with roles per legislative area, only in areas the authority handles', async () => {
      const u = await accounts.createUser(adminA, 'cz-a', person('handler.a', { grants: [{ area: 'services', role: 'request-handler' }, { area: 'services', role: 'request-handler' }] }))
      expect(u.grants).to.deep.equal([{ area: 'services', role: 'request-handler' }])
      expect(u).not.to.have.property('password')
      await rejects(accounts.createUser(adminB, 'cz-b', person('handler.b', { grants: [{ area: 'professional-qualifications', role: 'viewer' }] })), 'ERR_INVALID_REQUEST')
      await rejects(accounts.createUser(adminA, 'cz-a', person('handler.a')), 'ERR_CONFLICT')
    })

    it('never lets one authority see or manage another\'s users, even on the same node', async () => {
      await accounts.createUser(adminB, 'cz-b', person('handler.b'))
      await rejects(accounts.listUsers(adminA, 'cz-b'), 'ERR_FORBIDDEN')
      await rejects(accounts.createUser(adminA, 'cz-b', person('intruder')), 'ERR_FORBIDDEN')
      // Naming another authority's user under one's own authority finds nothing.
      await rejects(accounts.getUser(adminA, 'cz-a', 'handler.b'), 'ERR_NOT_FOUND')
      await rejects(accounts.updateUser(adminA, 'cz-a', 'handler.b', { disabled: true }), 'ERR_NOT_FOUND')
      await rejects(accounts.setPassword(adminA, 'cz-a', 'handler.b', 'a brand new password'), 'ERR_NOT_FOUND')
      expect((await accounts.listUsers(adminA, 'cz-a')).map((u) => u.username)).to.deep.equal(['admin.a'])
      // A plain official administers nobody, not even colleagues.
      await accounts.createUser(adminA, 'cz-a', person('handler.a', { grants: [{ area: 'services', role: 'request-handler' }] }))
      const handler = (await accounts.authenticate((await accounts.login('handler.a', 'correct horse battery')).token)).actor
      await rejects(accounts.listUsers(handler, 'cz-a'), 'ERR_FORBIDDEN')
      await rejects(accounts.listUsers(OPERATOR, 'cz-a'), 'ERR_FORBIDDEN')
    })

    it('ends every session of a user who is disabled or gets a new password', async () => {
      await accounts.createUser(adminA, 'cz-a', person('handler.a'))
      const s1 = await accounts.login('handler.a', 'correct horse battery')
      await accounts.setPassword(adminA, 'cz-a', 'handler.a', 'another good password')
      await rejects(accounts.authenticate(s1.token), 'ERR_UNAUTHORIZED')
      const s2 = await accounts.login('handler.a', 'another good password')
      await accounts.updateUser(adminA, 'cz-a', 'handler.a', { disabled: true })
      await rejects(accounts.authenticate(s2.token), 'ERR_UNAUTHORIZED')
      await rejects(accounts.login('handler.a', 'another good password'), 'ERR_INVALID_CREDENTIALS')
    })

    it('keeps an administrator from removing their own administrator role', async () => {
      await rejects(accounts.updateUser(adminA, 'cz-a', 'admin.a', { grants: [{ area: 'services', role: 'viewer' }] }), 'ERR_INVALID_REQUEST')
    })
  })

  describe('log-in, lock-out and sessions', () => {
    beforeEach(async () => { await accounts.registerAuthority(coordinator, authority('cz-a'), person('admin.a')) })

    it('locks an account after 5 failures within 15 minutes, even with the right password, and unlocks after 15', async () => {
      for (let i = 0; i < 4; i++) await rejects(accounts.login('admin.a', 'wrong password here'), 'ERR_INVALID_CREDENTIALS')
      await rejects(accounts.login('admin.a', 'wrong password here'), 'ERR_INVALID_CREDENTIALS')
      const locked = await rejects(accounts.login('admin.a', 'correct horse battery'), 'ERR_ACCOUNT_LOCKED')
      expect((locked as unknown as { retryAfterMs: number }).retryAfterMs).to.equal(15 * MIN)
      clock.advance(15 * MIN)
      await accounts.login('admin.a', 'correct horse battery')
    })

    it('forgets failures older than the window, and counts parallel guesses', async () => {
      for (let i = 0; i < 4; i++) await rejects(accounts.login('admin.a', 'wrong password here'), 'ERR_INVALID_CREDENTIALS')
      clock.advance(16 * MIN)
      await rejects(accounts.login('admin.a', 'wrong password here'), 'ERR_INVALID_CREDENTIALS')
      await accounts.login('admin.a', 'correct horse battery') // only one recent failure
      const guesses = await Promise.allSettled(Array.from({ length: 8 }, async () => await accounts.login('admin.a', 'wrong password here')))
      const codes = guesses.map((g) => g.status === 'rejected' ? (g.reason as { code: string }).code : 'ok')
      expect(codes.filter((c) => c === 'ERR_INVALID_CREDENTIALS')).to.have.length(5)
      expect(codes.filter((c) => c === 'ERR_ACCOUNT_LOCKED')).to.have.length(3)
    })

    it('lets an administrator unlock an account at once', async () => {
      for (let i = 0; i < 5; i++) await rejects(accounts.login('admin.a', 'wrong password here'), 'ERR_INVALID_CREDENTIALS')
      await rejects(accounts.login('admin.a', 'correct horse battery'), 'ERR_ACCOUNT_LOCKED')
      await accounts.unlock(coordinator, 'cz-a', 'admin.a')
      await accounts.login('admin.a', 'correct horse battery')
    })

    it('answers an unknown user exactly like a wrong password', async () => {
      await rejects(accounts.login('nobody.here', 'correct horse battery'), 'ERR_INVALID_CREDENTIALS')
      await rejects(accounts.login('NOT VALID', 'correct horse battery'), 'ERR_INVALID_CREDENTIALS')
    })

    it('ends a session after 30 idle minutes and 12 hours after log-in, and stores only a hash of its token', async () => {
      const s = await accounts.login('admin.a', 'correct horse battery')
      const stored: unknown[] = []
      for await (const entry of store.entries(Bucket.sessions)) stored.push(entry)
      expect(stored).to.have.length(2)
      expect(JSON.stringify(stored)).not.to.contain(s.token)
      clock.advance(29 * MIN)
      await accounts.authenticate(s.token)
      clock.advance(29 * MIN)
      await accounts.authenticate(s.token) // used in time: the idle clock restarts
      clock.advance(31 * MIN)
      await rejects(accounts.authenticate(s.token), 'ERR_UNAUTHORIZED')

      const busy = await accounts.login('admin.a', 'correct horse battery')
      for (let t = 0; t < 12 * 60; t += 20) { clock.advance(20 * MIN); if (t + 20 < 12 * 60) await accounts.authenticate(busy.token) }
      await rejects(accounts.authenticate(busy.token), 'ERR_UNAUTHORIZED')
      await accounts.logout((await accounts.authenticate((await accounts.login('admin.a', 'correct horse battery')).token)).sessionId)
      // Left: the coordinator's session, expired but never presented since; the sweep takes it.
      expect(await store.count(Bucket.sessions)).to.equal(1)
      expect(await accounts.sessions.sweep()).to.equal(1)
      expect(await store.count(Bucket.sessions)).to.equal(0)
    })
  })
})
