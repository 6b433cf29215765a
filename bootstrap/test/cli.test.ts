/**
 * imi-bootstrap as an operator runs it: a real process per command. Under `npm run
 * imi-bootstrap` (npm runs it in the checkout and says where it was run from in INIT_CWD)
 * relative paths mean the operator's folder, as for imi; sign-status answers "not ready"
 * with exit 1, so a script can wait for the quorum.
 */
import { expect } from 'chai'
import { access, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseRosterProposal } from '@imi/protocol'
import { runToEnd, type ProcessResult as Result } from '../../node/test/fixtures/processes.js'
import { FED, founders, signedBy, tempDir } from './fixtures.js'

const ROOT = join(import.meta.dirname, '..', '..')
const CLI = ['--import', 'tsx', 'bootstrap/src/cli.ts']


/** Runs in the checkout, as npm does; `from` is the operator's folder (INIT_CWD). */
async function npmRunBootstrap (from: string, ...args: string[]): Promise<Result> {
  return await runToEnd([...CLI, ...args], { cwd: ROOT, env: { ...process.env, npm_lifecycle_event: 'imi-bootstrap', INIT_CWD: from } })
}

const exists = async (p: string): Promise<boolean> => await access(p).then(() => true, () => false)

describe('imi-bootstrap command line', function () {
  this.timeout(60_000)
  let tmp: string
  before(async () => { tmp = await tempDir('imi-boot-cli-') })
  after(async () => { await rm(tmp, { recursive: true, force: true }) })

  it('takes relative paths from the folder npm was run in, not the checkout', async () => {
    const name = `boot-${process.pid}`
    const r = await npmRunBootstrap(tmp, 'init', '--dir', name)
    expect(r.code, r.stderr).to.equal(0)
    expect(await exists(join(tmp, name, 'node.key'))).to.equal(true)
    expect(await exists(join(ROOT, name))).to.equal(false)
  })

  it('sign-status exits 1 until the proposal can be applied, then 0; genesis and apply take relative paths', async () => {
    const fs = await founders(['CZ', 'PL'], Date.now() - 60_000)
    for (const f of fs) await writeFile(join(tmp, `${f.country.toLowerCase()}.json`), JSON.stringify(f.descriptor))
    const made = await npmRunBootstrap(tmp, 'genesis', '--fed', FED, '--members', 'cz.json,pl.json', '--out', 'proposal.json')
    expect(made.code, made.stderr).to.equal(0)

    const unsigned = await npmRunBootstrap(tmp, 'sign-status', 'proposal.json')
    expect(unsigned.code, unsigned.stderr).to.equal(1)
    expect(unsigned.stdout.trim().split('\n').pop()).to.equal('not ready: 2 more member signature(s) needed')

    const proposal = parseRosterProposal(await readFile(join(tmp, 'proposal.json'), 'utf8'))
    await writeFile(join(tmp, 'proposal.json'), JSON.stringify(signedBy(proposal, fs.slice(0, 1))))
    const half = await npmRunBootstrap(tmp, 'sign-status', 'proposal.json')
    expect(half.code).to.equal(1)
    expect(half.stdout).to.include('not ready: 1 more member signature(s) needed')

    await writeFile(join(tmp, 'proposal.json'), JSON.stringify(signedBy(proposal, fs)))
    const ready = await npmRunBootstrap(tmp, 'sign-status', 'proposal.json')
    expect(ready.code, ready.stderr).to.equal(0)
    expect(ready.stdout.trim().split('\n').pop()).to.equal('ready to apply')

    const applied = await npmRunBootstrap(tmp, 'apply', 'proposal.json', '--out', 'roster.json')
    expect(applied.code, applied.stderr).to.equal(0)
    expect(await exists(join(tmp, 'roster.json'))).to.equal(true)
  })
})
