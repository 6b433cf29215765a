/**
 * The production install: `npm run build` bundles the command lines into dist/, and the
 * node runs from there without tsx or the repository's tsconfig, from any folder, and
 * still finds and serves its web UI. Real processes, a real node, real HTTP.
 */
import { expect } from 'chai'
import type { ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { memberFromDescriptor } from '@imi/bootstrap'
import { cosignRoster, proposeRoster } from '@imi/protocol'
import { loadIdentity, nodeCrypto } from '../../src/index.js'
import { freePort } from '../fixtures/federation.js'
import { runToEnd, startUntilApi, type ProcessResult } from '../fixtures/processes.js'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const IMI = join(ROOT, 'dist', 'imi.mjs')

const run = async (args: readonly string[], cwd: string): Promise<ProcessResult> => await runToEnd(args, { cwd })

describe('production build (dist/imi.mjs)', function () {
  this.timeout(60_000)
  let tmp: string
  let node: ChildProcess | undefined

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'imi-prod-'))
    // `npm run build`, step by step, so the test needs no npm on the PATH.
    for (const script of ['web-ui/build.ts', 'build.ts']) {
      const r = await run(['--import', 'tsx', script], ROOT)
      expect(r.code, r.stderr).to.equal(0)
    }
  })
  after(async () => {
    node?.kill('SIGKILL')
    await rm(tmp, { recursive: true, force: true })
  })

  it('imports only packages a pruned install keeps, and nothing through tsx', async () => {
    const bundle = await readFile(IMI, 'utf8')
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
    const imported = [...bundle.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]!)
    expect(imported.length).to.be.above(5)
    for (const spec of imported) {
      if (spec.startsWith('node:')) continue
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!
      expect(pkg.dependencies, `${spec} is imported by the bundle`).to.have.property(name)
    }
    expect(bundle).to.not.match(/from "tsx/)
  })

  it('runs from another folder: init, start serving the UI, status, and a clean stop', async () => {
    const dir = join(tmp, 'cz')
    const init = await run([IMI, 'init', '--country', 'CZ', '--dir', dir, '--listen-host', '127.0.0.1',
      '--p2p-port', String(await freePort()), '--api-port', String(await freePort())], tmp)
    expect(init.code, init.stderr).to.equal(0)
    // It names itself as it was run, not as `npm run imi --` (there is no tsx to run that with).
    expect(init.stdout).to.include(`start the node: node ${IMI} start --config cz/imi.json`)
    const help = await run([IMI, 'help'], tmp)
    expect(help.stdout.split('\n')[0]).to.equal(`usage: node ${IMI} <command> [options]`)

    const member = memberFromDescriptor(JSON.parse(await readFile(join(dir, 'member.json'), 'utf8')), nodeCrypto)
    const identity = await loadIdentity(join(dir, 'node.key'))
    const genesis = cosignRoster(proposeRoster({ fed: 'imi', version: 1, created: Date.now(), members: [member], bootstraps: [] }), identity.signer)
    await writeFile(join(dir, 'roster.json'), JSON.stringify(genesis))

    const config = join(dir, 'imi.json')
    const { proc, api } = await startUntilApi([IMI, 'start', '--config', config], { cwd: tmp })
    node = proc

    const page = await fetch(new URL('/', api))
    expect(page.status).to.equal(200)
    expect(await page.text()).to.match(/<script type="module" src="\/assets\/app-[A-Za-z0-9]+\.js"/)

    const status = await run([IMI, 'status', '--config', config], tmp)
    expect(status.code, status.stderr).to.equal(0)
    expect(status.stdout).to.include('CZ')

    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => { resolve(code) }))
    proc.kill('SIGTERM')
    expect(await exited).to.equal(0)
    node = undefined
  })
})
