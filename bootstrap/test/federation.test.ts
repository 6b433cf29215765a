import { expect } from 'chai'
import { execFile } from 'node:child_process'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { memberJoins, memberLeaves, parseRosterChain, payloadDocument, proposeRoster, type SignedRoster } from '@imi/protocol'
import { apply, bootstrapsFromMultiaddrs, genesis, memberFromDescriptor, status } from '../src/index.js'
import { applyCommand, genesisCommand, initCommand, proposeCommand, signStatusCommand } from '../src/commands.js'
import { FED, crypto, founders, signedBy, tempDir, type Founder } from './fixtures.js'

const T0 = Date.now() - 3_600_000
const COUNTRIES = ['CZ', 'PL', 'AT', 'FR']

function codeOf (fn: () => unknown): string {
  try { fn() } catch (err) { return (err as { code?: string }).code ?? (err as Error).name }
  return 'accepted'
}

async function asyncCodeOf (p: Promise<unknown>): Promise<string> {
  try { await p } catch (err) { return (err as { code?: string }).code ?? (err as Error).name }
  return 'accepted'
}

describe('federation tooling', function () {
  this.timeout(20_000)
  let fs: Founder[]
  let chain: readonly SignedRoster[]
  const bootPeer = '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo'

  before(async () => {
    fs = await founders(COUNTRIES, T0 - 1000, (c) => [`/ip4/127.0.0.1/tcp/${4000 + COUNTRIES.indexOf(c)}`])
    const members = fs.map((f) => memberFromDescriptor(f.descriptor, crypto))
    const proposal = genesis(FED, members, bootstrapsFromMultiaddrs([`/ip4/127.0.0.1/tcp/4100/p2p/${bootPeer}`]), T0)
    chain = apply([], signedBy(proposal, fs), crypto).chain
  })

  it('applies a genesis every founder signed', () => {
    const roster = apply([], chain[0]!, crypto).roster
    expect(roster.version).to.equal(1)
    expect(roster.countries()).to.deep.equal(COUNTRIES)
    expect(roster.isBootstrap(bootPeer)).to.equal(true)
    expect(roster.doc.bootstraps[0]?.addresses).to.deep.equal(['/ip4/127.0.0.1/tcp/4100'])
  })

  it('refuses a genesis one founder did not sign, and says who is missing', () => {
    const unsigned = proposeRoster(payloadDocument(chain[0]!))
    const partial = signedBy(unsigned, fs.slice(0, 3))
    expect(codeOf(() => apply([], partial, crypto))).to.equal('ERR_ROSTER_QUORUM')
    const s = status(partial, [], crypto)
    expect(s).to.include({ genesis: true, needed: 4, ready: false })
    expect(s.missing).to.deep.equal(['FR'])
  })

  it('refuses a genesis dated before a founder key is valid', () => {
    const members = fs.map((f) => memberFromDescriptor(f.descriptor, crypto))
    expect(codeOf(() => genesis(FED, members, [], T0 - 5000))).to.equal('ERR_ROSTER_QUORUM')
  })

  it('applies a leave signed by two thirds and refuses it with fewer', () => {
    const current = apply([], chain[0]!, crypto).roster
    const proposal = proposeRoster(memberLeaves(current, 'FR', T0 + 1000))
    expect(codeOf(() => apply(chain, signedBy(proposal, fs.slice(0, 2)), crypto))).to.equal('ERR_ROSTER_QUORUM')
    expect(status(signedBy(proposal, fs.slice(0, 2)), chain, crypto)).to.include({ needed: 3, ready: false })
    const next = apply(chain, signedBy(proposal, fs.slice(1, 4)), crypto)
    expect(next.roster.version).to.equal(2)
    expect(next.roster.countries()).to.deep.equal(['CZ', 'PL', 'AT'])
    expect(next.chain).to.have.length(2)
  })

  it('applies a join signed by two thirds; the joiner signature does not count', async () => {
    const [se] = await founders(['SE'], T0)
    const current = apply([], chain[0]!, crypto).roster
    const proposal = proposeRoster(memberJoins(current, memberFromDescriptor(se!.descriptor, crypto), T0 + 2000))
    expect(codeOf(() => apply(chain, signedBy(proposal, [se!, fs[0]!, fs[1]!]), crypto))).to.equal('ERR_ROSTER_QUORUM')
    const s = status(signedBy(proposal, [se!, fs[0]!, fs[1]!, fs[2]!]), chain, crypto)
    expect(s).to.include({ uncounted: 1, ready: true })
    expect(s.changes.some((l) => l.startsWith('+ member SE'))).to.equal(true)
    expect(apply(chain, signedBy(proposal, fs.slice(0, 3)), crypto).roster.member('SE')).to.not.equal(undefined)
  })

  it('refuses a proposal whose payload was changed after signing', () => {
    const current = apply([], chain[0]!, crypto).roster
    const signed = signedBy(proposeRoster(memberLeaves(current, 'FR', T0 + 1000)), fs)
    const other = proposeRoster(memberLeaves(current, 'AT', T0 + 1000))
    const tampered = { ...signed, payload: other.payload }
    expect(codeOf(() => apply(chain, tampered, crypto))).to.equal('ERR_ROSTER_SIGNATURE')
    const s = status(tampered, chain, crypto)
    expect(s.invalid).to.have.length(4)
    expect(s.ready).to.equal(false)
  })

  it('refuses descriptors whose key id or peer id do not belong to the key', async () => {
    const [a, b] = await founders(['SE', 'DK'], T0)
    expect(codeOf(() => memberFromDescriptor({ ...a!.descriptor, peerId: b!.descriptor.peerId }, crypto))).to.equal('ERR_ROSTER_SCHEMA')
    expect(codeOf(() => memberFromDescriptor({ ...a!.descriptor, key: { ...a!.descriptor.key, kid: b!.descriptor.key.kid } }, crypto))).to.equal('ERR_ROSTER_SCHEMA')
    expect(codeOf(() => memberFromDescriptor({ ...a!.descriptor, country: 'XX' }, crypto))).to.equal('ERR_ROSTER_SCHEMA')
    expect(codeOf(() => bootstrapsFromMultiaddrs(['/ip4/127.0.0.1/tcp/1']))).to.equal('ERR_ROSTER_SCHEMA')
  })

  it('runs genesis, sign-status, apply and propose through files', async () => {
    const dir = await tempDir()
    try {
      const paths = await Promise.all(fs.map(async (f) => {
        const p = join(dir, `${f.country}.json`)
        await writeFile(p, JSON.stringify(f.descriptor))
        return p
      }))
      const boot = await initCommand(join(dir, 'boot'))
      const bootId = boot[0]!.split(' ').pop()!
      expect((await initCommand(join(dir, 'boot')))[0]).to.match(new RegExp(`already initialised: peer id ${bootId}`))
      const proposalFile = join(dir, 'genesis-proposal.json')
      await genesisCommand({ fed: FED, members: paths, bootstraps: [`/ip4/127.0.0.1/tcp/4100/p2p/${bootId}`], out: proposalFile, created: T0 }, crypto)
      // A fresh proposal carries no signature: it still reads.
      expect((await signStatusCommand(proposalFile, undefined, crypto)).pop()).to.equal('not ready: 4 more member signature(s) needed')
      const proposal = JSON.parse(await readFile(proposalFile, 'utf8')) as SignedRoster
      await writeFile(proposalFile, JSON.stringify(signedBy(proposal, fs.slice(0, 3))))
      expect((await signStatusCommand(proposalFile, undefined, crypto)).pop()).to.equal('not ready: 1 more member signature(s) needed')
      expect(await asyncCodeOf(applyCommand(proposalFile, undefined, join(dir, 'roster.json'), crypto))).to.equal('ERR_ROSTER_QUORUM')
      await writeFile(proposalFile, JSON.stringify(signedBy(proposal, fs)))
      expect((await signStatusCommand(proposalFile, undefined, crypto)).pop()).to.equal('ready to apply')
      await applyCommand(proposalFile, undefined, join(dir, 'roster.json'), crypto)

      const leave = join(dir, 'leave.json')
      await proposeCommand({ kind: 'leave', country: 'FR', roster: join(dir, 'roster.json'), out: leave, created: T0 + 5000 }, crypto)
      await writeFile(leave, JSON.stringify(signedBy(JSON.parse(await readFile(leave, 'utf8')) as SignedRoster, fs.slice(0, 3))))
      await applyCommand(leave, join(dir, 'roster.json'), join(dir, 'roster-v2.json'), crypto)
      const written = parseRosterChain(await readFile(join(dir, 'roster-v2.json'), 'utf8'))
      expect(written.map((s) => payloadDocument(s).version)).to.deep.equal([1, 2])
      expect(await asyncCodeOf(proposeCommand({ kind: 'leave', roster: join(dir, 'roster.json'), out: leave, created: T0 + 5000 }, crypto))).to.equal('ERR_USAGE')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('the CLI exits with 2 and one clear line on bad input', async () => {
    const run = promisify(execFile)
    const result = await run(process.execPath, ['--import', 'tsx', 'bootstrap/src/cli.ts', 'apply', 'no-such-proposal.json', '--out', '/tmp/x.json'])
      .then(() => ({ code: 0, stderr: '' }), (err: { code: number, stderr: string }) => err)
    expect(result.code).to.equal(2)
    // Relative paths are resolved against the folder the command runs in, and named in full.
    expect(result.stderr.trim()).to.equal(`error: ERR_FILE_INPUT: cannot read ${join(process.cwd(), 'no-such-proposal.json')} (ENOENT)`)
  })
})
