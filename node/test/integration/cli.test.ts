/**
 * The operator CLI as an operator runs it: a real process per command, real files, a
 * real node. Every configuration mistake must exit 2 with one line naming the setting.
 */
import { expect } from 'chai'
import type { ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { memberFromDescriptor } from '@imi/bootstrap'
import {
  cosignRoster, memberJoins, parseRosterProposal, payloadDocument, proposeRoster, verifyGenesis,
  type RosterMember, type SignedRoster
} from '@imi/protocol'
import { generateIdentity, loadConfig, loadIdentity, nodeCrypto, rosterMemberOf } from '../../src/index.js'
import { runToEnd, startUntilApi, type ProcessResult } from '../fixtures/processes.js'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const MAIN = ['--import', 'tsx', 'node/src/cli/main.ts']

type Result = ProcessResult

/** Runs one CLI command to its end. */
async function imi (...args: string[]): Promise<Result> {
  return await imiWith({}, ...args)
}

/** With `env` added to the environment: `npm run imi` sets npm_lifecycle_event and INIT_CWD. */
async function imiWith (env: Record<string, string>, ...args: string[]): Promise<Result> {
  return await runToEnd([...MAIN, ...args], { cwd: ROOT, env: { ...process.env, npm_lifecycle_event: '', ...env } })
}

async function freePort (): Promise<number> {
  const srv = await occupy(0)
  const port = (srv.address() as { port: number }).port
  await new Promise((resolve) => srv.close(resolve))
  return port
}

async function occupy (port: number): Promise<Server> {
  const srv = createServer()
  await new Promise<void>((resolve, reject) => { srv.once('error', reject); srv.listen(port, '127.0.0.1', resolve) })
  return srv
}

const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777
const readJsonFile = async (path: string): Promise<unknown> => JSON.parse(await readFile(path, 'utf8')) as unknown

/** A one-member genesis for the member in `dir`, signed with the key `init` created. */
async function foundFederation (dir: string): Promise<{ genesis: SignedRoster, member: RosterMember }> {
  const member = memberFromDescriptor(await readJsonFile(join(dir, 'member.json')), nodeCrypto)
  const identity = await loadIdentity(join(dir, 'node.key'))
  const genesis = cosignRoster(proposeRoster({ fed: 'imi', version: 1, created: Date.now(), members: [member], bootstraps: [] }), identity.signer)
  await writeFile(join(dir, 'roster.json'), JSON.stringify(genesis, null, 2))
  return { genesis, member }
}

describe('imi CLI', function () {
  this.timeout(30_000)
  let tmp: string
  before(async () => { tmp = await mkdtemp(join(tmpdir(), 'imi-cli-')) })
  after(async () => { await rm(tmp, { recursive: true, force: true }) })

  it('prints its usage for help, no command and --help', async () => {
    const results = await Promise.all([imi('help'), imi(), imi('status', '--help')])
    for (const r of results) {
      expect(r.code).to.equal(0)
      expect(r.stdout).to.include('roster cosign <proposal.json>')
    }
  })

  it('refuses unknown commands and options with exit 2 and a usage hint', async () => {
    const results = await Promise.all([imi('launch'), imi('status', '--verbose'), imi('init'), imi('init', '--country', 'XX', '--dir', join(tmp, 'xx'))])
    for (const r of results) {
      expect(r.code).to.equal(2)
      expect(r.stderr).to.match(/^error: /)
      // The program as it was run here (the sources through tsx), not `npm run imi --`.
      expect(r.stderr).to.include('run `node --import tsx node/src/cli/main.ts help` for usage')
      expect(r.stderr).to.not.include('    at ')
    }
  })

  it('names itself as it was run: npm run imi -- under npm, with paths from the folder npm was run in', async () => {
    const npm = { npm_lifecycle_event: 'imi', INIT_CWD: tmp }
    const [help, wrong, plain] = await Promise.all([imiWith(npm, 'help'), imiWith(npm, 'launch'), imi('help')])
    expect(help.stdout).to.match(/^usage: npm run imi -- <command> \[options\]$/m)
    expect(wrong.stderr).to.include('run `npm run imi -- help` for usage')
    expect(plain.stdout).to.match(/^usage: node --import tsx node\/src\/cli\/main\.ts <command> \[options\]$/m)
    const init = await imiWith(npm, 'init', '--country', 'SK', '--dir', 'from-npm', '--listen-host', '127.0.0.1')
    expect(init.code, init.stderr).to.equal(0)
    expect(await mode(join(tmp, 'from-npm', 'node.key'))).to.equal(0o600)
    expect(init.stdout).to.include('npm run imi -- start --config from-npm/imi.json')
  })

  it('init creates a private folder, key, token, config and a valid member descriptor, and never twice', async () => {
    const dir = join(tmp, 'init', 'pl')
    const r = await imi('init', '--country', 'PL', '--dir', dir, '--listen-host', '127.0.0.1', '--p2p-port', '4999', '--api-port', '8999', '--announce-host', 'imi.example.pl')
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.include('member.json')
    expect(await mode(dir)).to.equal(0o700)
    expect(await mode(join(dir, 'node.key'))).to.equal(0o600)
    expect(await mode(join(dir, 'api-token'))).to.equal(0o600)
    expect((await readFile(join(dir, 'api-token'), 'utf8')).trim()).to.match(/^[A-Za-z0-9_-]{43}$/)

    const config = await loadConfig(join(dir, 'imi.json'))
    expect(config.country).to.equal('PL')
    expect(config.federationId).to.equal('imi')
    expect(config.p2p.listen).to.deep.equal(['/ip4/127.0.0.1/tcp/4999'])
    expect(config.p2p.announce).to.deep.equal(['/dns/imi.example.pl/tcp/4999'])
    expect(config.api.port).to.equal(8999)
    expect(config.keyFile).to.equal(join(dir, 'node.key'))

    const descriptor = await readJsonFile(join(dir, 'member.json'))
    const member = memberFromDescriptor(descriptor, nodeCrypto)
    expect(member.peerId).to.equal((await loadIdentity(join(dir, 'node.key'))).peerId)
    expect(member.addresses).to.deep.equal(['/dns/imi.example.pl/tcp/4999'])
    expect(Object.keys(descriptor as object).sort()).to.deep.equal(['addresses', 'country', 'key', 'name', 'peerId'])

    const key = await readFile(join(dir, 'node.key'))
    const again = await imi('init', '--country', 'PL', '--dir', dir)
    expect(again.code).to.equal(2)
    expect(again.stderr).to.include(join(dir, 'node.key'))
    expect(await readFile(join(dir, 'node.key'))).to.deep.equal(key)
  })

  describe('start refuses a bad configuration with exit 2 naming the setting', () => {
    let dir: string
    const busy: Server[] = []
    const p2p = async (): Promise<string[]> => [`/ip4/127.0.0.1/tcp/${await freePort()}`]

    before(async () => {
      dir = join(tmp, 'bad')
      const r = await imi('init', '--country', 'PL', '--dir', dir, '--listen-host', '127.0.0.1')
      expect(r.code, r.stderr).to.equal(0)
      const { member } = await foundFederation(dir)
      // A genesis that lists a second founder who never signed it.
      const other = rosterMemberOf(await generateIdentity(), 'DE', [], member.keys[0]!.notBefore)
      const unsigned = cosignRoster(proposeRoster({ fed: 'imi', version: 1, created: Date.now(), members: [member, other], bootstraps: [] }), (await loadIdentity(join(dir, 'node.key'))).signer)
      await writeFile(join(dir, 'unsigned-roster.json'), JSON.stringify(unsigned))
      await writeFile(join(dir, 'garbage-roster.json'), 'this is not a roster')
      await mkdir(join(dir, 'key-is-a-folder'))
    })
    after(async () => { for (const s of busy) await new Promise((resolve) => s.close(resolve)) })

    const cases: Array<[string, string, () => Promise<Record<string, unknown>>]> = [
      ['an unknown country', 'country', async () => ({ country: 'XX' })],
      ['an API port in use', 'api.port', async () => {
        const srv = await occupy(0)
        busy.push(srv)
        return { p2p: { listen: await p2p() }, api: { port: (srv.address() as { port: number }).port } }
      }],
      ['a p2p listen port in use', 'p2p.listen', async () => {
        const srv = await occupy(0)
        busy.push(srv)
        return { p2p: { listen: [`/ip4/127.0.0.1/tcp/${(srv.address() as { port: number }).port}`] }, api: { port: await freePort() } }
      }],
      ['an unreadable key file', 'keyFile', async () => ({ keyFile: 'key-is-a-folder' })],
      ['a genesis missing a signature', 'rosterFile', async () => ({ rosterFile: 'unsigned-roster.json', p2p: { listen: await p2p() } })],
      ['a roster file that is garbage', 'rosterFile', async () => ({ rosterFile: 'garbage-roster.json' })],
      ['a bootstrap address without a peer id', 'p2p.bootstrap', async () => ({ p2p: { bootstrap: ['/ip4/127.0.0.1/tcp/4001'] } })],
      ['a federation id with an underscore', 'federationId', async () => ({ federationId: 'imi_test' })],
      // No imi command could find a node on any free port.
      ['API port 0', 'api.port', async () => ({ api: { port: 0 } })],
      ['a missing SMTP password file', 'mail.passwordFile', async () => ({ mail: { enabled: true, user: 'imi', passwordFile: 'no-such-file' } })],
      ['an empty SMTP password file', 'mail.passwordFile', async () => {
        await writeFile(join(dir, 'empty-password'), '\n', { mode: 0o600 })
        return { mail: { enabled: true, user: 'imi', passwordFile: 'empty-password' } }
      }],
      ['an SMTP user without a password file', 'mail.user', async () => ({ mail: { enabled: true, user: 'imi' } })]
    ]

    it('for each mistake', async function () {
      // A dozen node processes at once: slow on a busy two-core machine.
      this.timeout(120_000)
      const results = await Promise.all(cases.map(async ([, setting, settings], i) => {
        const file = join(dir, `case-${i}.json`)
        await writeFile(file, JSON.stringify({ country: 'PL', dataDir: `data-${i}`, p2p: { listen: await p2p() }, api: { port: await freePort() }, ...await settings() }))
        return { setting, result: await imi('start', '--config', file) }
      }))
      for (const [i, { setting, result }] of results.entries()) {
        const what = `${cases[i]![0]}: ${result.stderr}`
        expect(result.code, what).to.equal(2)
        expect(result.stderr, what).to.match(new RegExp(`^error: ${setting.replace('.', '\\.')}(\\[\\d+\\])?: `, 'm'))
        expect(result.stderr, what).to.not.include('    at ')
      }
    })
  })

  describe('a running node', () => {
    let dir: string
    let configFile: string
    let node: ChildProcess | undefined
    const lines: string[] = []

    before(async () => {
      dir = join(tmp, 'run', 'pl')
      const r = await imi('init', '--country', 'PL', '--dir', dir, '--listen-host', '127.0.0.1', '--p2p-port', String(await freePort()), '--api-port', String(await freePort()))
      expect(r.code, r.stderr).to.equal(0)
      configFile = join(dir, 'imi.json')
      await foundFederation(dir)
      const started = await startUntilApi([...MAIN, 'start', '--config', configFile], { cwd: ROOT })
      node = started.proc
      lines.push(...started.lines)
    })
    after(() => { node?.kill('SIGKILL') })

    it('start prints its p2p addresses and API URL', () => {
      expect(lines[0]).to.match(/^PL node 12D3KooW\w+ of federation imi, roster version 1/)
      expect(lines.some((l) => /^p2p \/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/12D3KooW/.test(l))).to.equal(true)
      expect(lines.some((l) => /^api http:\/\/127\.0\.0\.1:\d+\/api\/v1$/.test(l))).to.equal(true)
    })

    it('status and verify-evidence ask the running node; a second start is refused', async () => {
      const [status, evidence, second] = await Promise.all([
        imi('status', '--config', configFile), imi('verify-evidence', '--config', configFile), imi('start', '--config', configFile)
      ])
      expect(second.code).to.equal(1)
      expect(second.stderr).to.include('is this node already running?')
      expect(status.code, status.stderr).to.equal(0)
      expect(status.stdout).to.match(/^country\s+PL \(federation imi\)$/m)
      expect(status.stdout).to.match(/^roster\s+version 1, 1 members$/m)
      expect(status.stdout).to.match(/^connected\s+0 of 0 other members/m)
      expect(evidence.code, evidence.stderr).to.equal(0)
      expect(evidence.stdout.trim()).to.equal('evidence log intact: 1 entries')
    })

    it('roster show-proposal and cosign: an operator sees the change and adds their signature', async () => {
      const joining = await generateIdentity()
      const current = verifyGenesis(parseRosterProposal(await readFile(join(dir, 'roster.json'), 'utf8')), nodeCrypto)
      const doc = memberJoins(current, rosterMemberOf(joining, 'DE', ['/ip4/127.0.0.1/tcp/4002'], Date.now()), Date.now() + 1)
      const file = join(tmp, 'run', 'proposal.json')
      await writeFile(file, JSON.stringify(proposeRoster(doc)))

      const shown = await imi('roster', 'show-proposal', file, '--config', configFile)
      expect(shown.code, shown.stderr).to.equal(0)
      expect(shown.stdout).to.include('version 1 -> 2')
      expect(shown.stdout).to.include(`+ member DE "Germany" peer ${joining.peerId}`)
      expect(shown.stdout).to.not.include('WARNING')

      const signed = await imi('roster', 'cosign', file, '--config', configFile)
      expect(signed.code, signed.stderr).to.equal(0)
      const proposal = parseRosterProposal(await readFile(file, 'utf8'))
      expect(proposal.signatures).to.have.length(1)
      expect(payloadDocument(proposal)).to.deep.equal(payloadDocument(proposeRoster(doc)))
      // One member of one: the signature is a quorum, so the version is complete.
      const identity = await loadIdentity(join(dir, 'node.key'))
      expect(proposal).to.deep.equal(cosignRoster(proposeRoster(doc), identity.signer))
    })

    it('SIGINT stops the node cleanly with exit 0; afterwards the files answer', async () => {
      const proc = node!
      const started = Date.now()
      const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => { resolve(code) }))
      proc.kill('SIGINT')
      expect(await exited).to.equal(0)
      expect(Date.now() - started).to.be.below(5000)
      node = undefined

      const [status, evidence] = await Promise.all([imi('status', '--config', configFile), imi('verify-evidence', '--config', configFile)])
      expect(status.code).to.equal(1)
      expect(status.stderr).to.match(/^node is not running \(no answer on http:\/\/127\.0\.0\.1:\d+\)$/m)
      expect(evidence.code, evidence.stderr).to.equal(0)
      expect(evidence.stdout.trim()).to.equal('evidence log intact: 1 entries')
    })
  })
})
