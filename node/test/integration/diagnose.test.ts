/**
 * `imi diagnose` against node folders made as an operator makes them (`imi init`, a
 * co-signed genesis in roster.json): a stopped node, a full disk, unreachable members
 * beside a reachable bootstrap, a key that ends within 30 days, and a green federation of
 * two running nodes that exchanged a message, with the support export.
 */
import { expect } from 'chai'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cosignRoster, proposeRoster, type RosterMember, type SignedRoster } from '@imi/protocol'
import { serveNodeApi, type ApiServer } from '../../src/api/index.js'
import { diagnose, diagnoseCommand, type Check, type DiagnoseOptions, type Diagnosis } from '../../src/cli/diagnose.js'
import { CommandFailure } from '../../src/cli/errors.js'
import { initCommand } from '../../src/cli/init.js'
import { loadConfig, type NodeConfig } from '../../src/config.js'
import { createNode, generateIdentity, loadIdentity, rosterMemberOf, silentLogger, type ImiNode, type NodeIdentity } from '../../src/index.js'
import { freePort } from '../fixtures/federation.js'

const DAY = 86_400_000
const GIB = 1024 ** 3

/** A roomy disk and no NTP verdict: the checks under test decide, not the test machine. */
const QUIET: DiagnoseOptions = {
  statfs: async () => ({ bsize: 4096, blocks: (500 * GIB) / 4096, bavail: (200 * GIB) / 4096 }),
  clockSynchronised: async () => undefined,
  probeTimeoutMs: 1000
}

interface Folder { readonly dir: string, readonly config: NodeConfig, readonly identity: NodeIdentity, readonly member: RosterMember }

/** `imi init` in dir/<cc>, listening on loopback; singleHost, as every node shares this host. */
async function initFolder (root: string, country: string, federationId = 'imi'): Promise<Folder> {
  const dir = join(root, country.toLowerCase())
  const now = Date.now() - 60_000
  await initCommand({ country, dir, federationId, p2pPort: await freePort(), apiPort: await freePort(), listenHost: '127.0.0.1', announceHost: '127.0.0.1', now, cwd: root })
  const file = join(dir, 'imi.json')
  const raw = JSON.parse(await readFile(file, 'utf8')) as { p2p: Record<string, unknown> }
  await writeFile(file, JSON.stringify({ ...raw, p2p: { ...raw.p2p, singleHost: true } }, null, 2))
  const descriptor = JSON.parse(await readFile(join(dir, 'member.json'), 'utf8')) as { addresses: string[] }
  const identity = await loadIdentity(join(dir, 'node.key'))
  return { dir, config: await loadConfig(file), identity, member: rosterMemberOf(identity, country, descriptor.addresses, now) }
}

/** The genesis every founder signed, written as each folder's roster.json. */
async function writeGenesis (federationId: string, founders: readonly Folder[], extra: { members?: RosterMember[], bootstraps?: Array<{ peerId: string, addresses: string[] }> } = {}): Promise<void> {
  let signed: SignedRoster = proposeRoster({ fed: federationId, version: 1, created: Date.now() - 30_000, members: [...founders.map((f) => f.member), ...extra.members ?? []], bootstraps: extra.bootstraps ?? [] })
  for (const f of founders) signed = cosignRoster(signed, f.identity.signer)
  for (const f of founders) await writeFile(join(f.dir, 'roster.json'), JSON.stringify([signed], null, 2))
}

const check = (d: Diagnosis, name: string): Check => {
  const c = d.checks.find((x) => x.name === name)
  if (c === undefined) throw new Error(`no check ${name}`)
  return c
}

async function until<T> (what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

interface Running { node: ImiNode, api: ApiServer }

async function startFolder (f: Folder): Promise<Running> {
  const node = await createNode(f.config, { logger: silentLogger })
  await node.start()
  return { node, api: await serveNodeApi(node, f.config) }
}

async function stopFolder (r: Running | undefined): Promise<void> {
  if (r === undefined) return
  await r.api.close()
  await r.node.stop()
}

describe('imi diagnose', function () {
  this.timeout(90_000)
  let tmp: string

  before(async () => { tmp = await mkdtemp(join(tmpdir(), 'imi-diagnose-')) })
  after(async () => { await rm(tmp, { recursive: true, force: true }) })

  describe('a stopped node', () => {
    let f: Folder
    before(async () => {
      f = await initFolder(join(tmp, 'stopped'), 'SK')
      await writeGenesis('imi', [f])
    })

    it('is red because nothing answers, and still judges its files, roster and disk', async () => {
      const d = await diagnose(f.config, QUIET)
      expect(d.overall).to.equal('red')
      expect(check(d, 'node')).to.include({ level: 'red' })
      expect(check(d, 'node').detail).to.match(/not running \(no answer on http:\/\/127\.0\.0\.1:\d+\)/)
      expect(check(d, 'config').level).to.equal('green')
      expect(check(d, 'roster')).to.include({ level: 'green' })
      expect(check(d, 'roster').detail).to.match(/version 1 of imi .*from the roster file; this node's key is current, with no end date/)
      expect(check(d, 'outbox').level).to.equal('green')
      expect(check(d, 'members')).to.deep.include({ level: 'green', detail: 'no other member in the roster' })
      expect(check(d, 'disk').level).to.equal('green')
      expect(check(d, 'directory')).to.include({ level: 'yellow' })
      expect(check(d, 'directory').detail).to.match(/^not checked/)
    })

    it('fails the command (exit 1) with the report as its message', async () => {
      const err = await diagnoseCommand(f.config, QUIET).then(() => undefined, (e: unknown) => e)
      expect(err).to.be.instanceOf(CommandFailure)
      const lines = (err as Error).message.split('\n')
      expect(lines).to.have.length(11)
      expect(lines[2]).to.match(/^red {4}node {7}/)
      expect(lines.at(-1)).to.match(/^overall: red \(1 red, \d yellow/)
    })

    it('is red when the data folder\'s disk has under 1 GiB free, yellow under 10 %', async () => {
      const full = await diagnose(f.config, { ...QUIET, statfs: async () => ({ bsize: 4096, blocks: 1_000_000, bavail: 1000 }) })
      expect(check(full, 'disk').level).to.equal('red')
      expect(check(full, 'disk').detail).to.match(/^0\.0 GiB free of 3\.8 GiB \(0 %\) where .*stopped\/sk\/data lives: under 1 GiB/)
      const tight = await diagnose(f.config, { ...QUIET, statfs: async () => ({ bsize: 4096n, blocks: BigInt(1000 * GIB / 4096), bavail: BigInt(50 * GIB / 4096) }) })
      expect(check(tight, 'disk')).to.include({ level: 'yellow' })
      expect(check(tight, 'disk').detail).to.match(/50\.0 GiB free of 1000\.0 GiB \(5 %\).*under 10 %/)
      const broken = await diagnose(f.config, { ...QUIET, statfs: async () => { throw new Error('EIO') } })
      expect(check(broken, 'disk').level).to.equal('red')
    })

    it('checks the SMTP server and its password file when mail is on', async () => {
      expect(check(await diagnose(f.config, QUIET), 'mail')).to.deep.include({ level: 'green', detail: 'off (mail.enabled is false)' })
      const smtp = createServer((socket) => { socket.destroy() })
      const port = await freePort()
      await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve))
      try {
        const mail = { ...f.config.mail, enabled: true, host: '127.0.0.1', port, user: 'imi', passwordFile: join(f.dir, 'smtp-password') }
        const missing = check(await diagnose({ ...f.config, mail }, QUIET), 'mail')
        expect(missing.level).to.equal('red')
        expect(missing.detail).to.include('smtp-password cannot be read (ENOENT): the node will not start')
        await writeFile(mail.passwordFile, 'secret\n', { mode: 0o600 })
        expect(check(await diagnose({ ...f.config, mail }, QUIET), 'mail')).to.deep.include({ level: 'green', detail: `SMTP server 127.0.0.1:${port} (STARTTLS when offered) accepts TCP connections` })
        const closed = await freePort()
        const down = check(await diagnose({ ...f.config, mail: { ...mail, port: closed } }, QUIET), 'mail')
        expect(down).to.deep.include({ level: 'red', detail: `SMTP server 127.0.0.1:${closed}: ECONNREFUSED` })
      } finally {
        await new Promise((resolve) => smtp.close(resolve))
      }
    })

    it('is red when the roster file is missing or not this node\'s', async () => {
      const roster = await readFile(join(f.dir, 'roster.json'))
      try {
        await rm(join(f.dir, 'roster.json'))
        expect(check(await diagnose(f.config, QUIET), 'roster').detail).to.match(/^no roster: .*roster\.json does not exist/)
        const other = await generateIdentity()
        const signed = cosignRoster(proposeRoster({ fed: 'imi', version: 1, created: Date.now(), members: [rosterMemberOf(other, 'SK', [], Date.now() - 1000)], bootstraps: [] }), other.signer)
        await writeFile(join(f.dir, 'roster.json'), JSON.stringify(signed))
        const c = check(await diagnose(f.config, QUIET), 'roster')
        expect(c.level).to.equal('red')
        expect(c.detail).to.include(`the roster lists peer ${other.peerId} for SK, not this node's key (${f.identity.peerId})`)
      } finally {
        await writeFile(join(f.dir, 'roster.json'), roster)
      }
    })
  })

  describe('members and bootstraps', () => {
    let server: Server
    let f: Folder
    before(async () => {
      server = createServer((socket) => { socket.destroy() })
      const port = await freePort()
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
      f = await initFolder(join(tmp, 'reach'), 'SI')
      const absent = rosterMemberOf(await generateIdentity(), 'HR', [`/ip4/127.0.0.1/tcp/${await freePort()}`], Date.now() - 60_000)
      const boot = await generateIdentity()
      // Without HR's signature the genesis does not verify.
      await writeGenesis('imi', [f], { members: [absent], bootstraps: [{ peerId: boot.peerId, addresses: [`/ip4/127.0.0.1/tcp/${port}`] }] })
    })
    after(async () => { await new Promise((resolve) => server.close(resolve)) })

    it('is red when the roster file does not verify (a founder did not sign the genesis)', async () => {
      const d = await diagnose(f.config, QUIET)
      expect(check(d, 'roster').level).to.equal('red')
      expect(check(d, 'roster').detail).to.match(/does not verify/)
    })

    it('connects over TCP to every roster address: the bootstrap answers, the other member does not', async () => {
      const absentIdentity = await generateIdentity()
      const absentPort = await freePort()
      const boot = await generateIdentity()
      const bootPort = (server.address() as { port: number }).port
      const hr = rosterMemberOf(absentIdentity, 'HR', [`/ip4/127.0.0.1/tcp/${absentPort}`], Date.now() - 60_000)
      let signed: SignedRoster = proposeRoster({ fed: 'imi', version: 1, created: Date.now() - 30_000, members: [f.member, hr], bootstraps: [{ peerId: boot.peerId, addresses: [`/ip4/127.0.0.1/tcp/${bootPort}`] }] })
      signed = cosignRoster(cosignRoster(signed, f.identity.signer), absentIdentity.signer)
      await writeFile(join(f.dir, 'roster.json'), JSON.stringify([signed]))
      const d = await diagnose(f.config, QUIET)
      expect(check(d, 'roster').level).to.equal('green')
      expect(check(d, 'members')).to.include({ level: 'red' })
      expect(check(d, 'members').detail).to.match(new RegExp(`^0 of 1 other members accept TCP connections \\(the node is not running\\): HR: 127\\.0\\.0\\.1:${absentPort} ECONNREFUSED`))
      expect(check(d, 'bootstrap')).to.deep.include({ level: 'green', detail: `1 of 1 bootstrap(s) accept TCP connections (127.0.0.1:${bootPort})` })
    })
  })

  describe('a key that ends within 30 days', () => {
    let f: Folder
    let running: Running | undefined
    before(async () => {
      // A training federation: its own id and roster, the same software.
      f = await initFolder(join(tmp, 'training'), 'AT', 'imi-training')
      const ends = { ...f.member, keys: [{ ...f.member.keys[0]!, notAfter: Date.now() + 10 * DAY }] }
      await writeGenesis('imi-training', [{ ...f, member: ends }])
      running = await startFolder(f)
    })
    after(async () => { await stopFolder(running) })

    it('is yellow, and the command warns without failing (exit 0)', async () => {
      const lines = await diagnoseCommand(f.config, QUIET)
      const roster = lines.find((l) => l.startsWith('yellow roster'))
      expect(roster, lines.join('\n')).to.match(/version 1 of imi-training .*from the running node; this node's key \S+ stops being valid on \S+ \(in (9|10)\.\d days\): rotate it through a roster change/)
      expect(lines.find((l) => l.startsWith('green  node'))).to.match(/running as peer /)
      expect(lines.at(-1)).to.match(/^overall: yellow \(\d warning\(s\), nothing red\)$/)
    })
  })

  describe('a running federation of two', () => {
    let cz: Folder
    let pl: Folder
    const running: Running[] = []
    before(async () => {
      cz = await initFolder(join(tmp, 'green'), 'CZ')
      pl = await initFolder(join(tmp, 'green'), 'PL')
      await writeGenesis('imi', [cz, pl])
      running.push(await startFolder(cz), await startFolder(pl))
      const [czNode, plNode] = [running[0]!.node, running[1]!.node]
      await until('CZ and PL connected', async () => czNode.status().connectedMembers.includes('PL') && plNode.status().connectedMembers.includes('CZ') ? true : undefined)
      const sent = await plNode.messaging.send({ kind: 'note', to: 'CZ', body: { text: 'hello' } })
      await until('the receipt', async () => (await plNode.messaging.view(sent.id)).status === 'delivered' ? true : undefined)
      await until('every directory fetched', async () => czNode.directory.status().length === 4 ? true : undefined)
    })
    after(async () => { for (const r of running) await stopFolder(r) })

    it('is green in every check', async () => {
      const d = await diagnose(cz.config, QUIET)
      for (const c of d.checks) expect(c.level, `${c.name}: ${c.detail}`).to.equal('green')
      expect(check(d, 'members').detail).to.equal('connected to 1 of 1 other members')
      expect(check(d, 'clock').detail).to.match(/^within ±60 s, estimated from 1 message\(s\) received from PL/)
      expect(check(d, 'directory').detail).to.match(/^4 of 4 directories fresh/)
      const lines = await diagnoseCommand(cz.config, QUIET)
      expect(lines.at(-1)).to.equal('overall: green (all green)')
    })

    it('yellow, then red, as the oldest message in the outbox ages past an hour and a day', async () => {
      await running[1]!.api.close()
      await running[1]!.node.stop()
      await running[0]!.node.messaging.send({ kind: 'note', to: 'PL', body: { text: 'while you were away' } })
      const later = (ms: number): DiagnoseOptions => ({ ...QUIET, now: () => Date.now() + ms })
      expect(check(await diagnose(cz.config, QUIET), 'outbox').level).to.equal('green')
      expect(check(await diagnose(cz.config, later(2 * 3_600_000)), 'outbox')).to.include({ level: 'yellow' })
      const red = check(await diagnose(cz.config, later(2 * DAY)), 'outbox')
      expect(red.level).to.equal('red')
      expect(red.detail).to.match(/^1 message\(s\) waiting, oldest 2\.0 days \(PL 1 since 2\.0 days/)
      running[1] = await startFolder(pl)
      await until('the outbox drained', async () => running[0]!.node.messaging.outboxDepth() === 0 ? true : undefined)
    })

    it('exports the diagnosis with versions, configuration and status, but no secret', async () => {
      const file = join(tmp, 'support.json')
      const lines = await diagnoseCommand(cz.config, { ...QUIET, exportFile: file })
      expect(lines.at(-1)).to.equal(`wrote the diagnosis and support facts to ${file}`)
      expect((await stat(file)).mode & 0o777).to.equal(0o600)
      const text = await readFile(file, 'utf8')
      const json = JSON.parse(text) as Record<string, unknown> & { diagnosis: Diagnosis, versions: Record<string, string>, config: NodeConfig, status: { country: string }, roster: { version: number } }
      expect(json.diagnosis.checks).to.have.length(10)
      expect(json.versions.node).to.equal(process.version)
      expect(json.versions.imi).to.match(/^\d+\.\d+\.\d+/)
      expect(json.config.country).to.equal('CZ')
      expect(json.status.country).to.equal('CZ')
      expect(json.roster.version).to.equal(1)
      expect(json).to.have.property('directories')
      expect(text).not.to.include((await readFile(cz.config.api.tokenFile, 'utf8')).trim())
      expect(text).not.to.include(Buffer.from(await readFile(cz.config.keyFile)).toString('base64'))
      expect(text).not.to.include('hello')
    })
  })
})
