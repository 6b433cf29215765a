/**
 * Backup and restore as an operator does them, with real processes and files: an online
 * backup of a running node (its data keeps changing), a restore into a fresh folder, and
 * the restored node starting with the same identity and data. A wrong passphrase or an
 * altered archive opens nothing.
 */
import { expect } from 'chai'
import type { ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { memberFromDescriptor } from '@imi/bootstrap'
import { cosignRoster, proposeRoster } from '@imi/protocol'
import { freePort } from '../fixtures/federation.js'
import { runToEnd, startUntilApi, type ProcessResult } from '../fixtures/processes.js'
import { loadIdentity, nodeCrypto } from '../../src/index.js'
import { ArrivalLog } from '../../src/services/broadcast/arrival-log.js'
import { Store } from '../../src/storage/index.js'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const MAIN = ['--import', 'tsx', 'node/src/cli/main.ts']
const PASSPHRASE = 'a long backup passphrase'

const imi = async (...args: string[]): Promise<ProcessResult> => await runToEnd([...MAIN, ...args], { cwd: ROOT })

/** Starts `imi start` and resolves with the process and the API URL once it listens. */
const start = async (configFile: string): Promise<{ proc: ChildProcess, api: string }> => await startUntilApi([...MAIN, 'start', '--config', configFile], { cwd: ROOT })

async function stop (proc: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => proc.once('exit', resolve))
  proc.kill('SIGTERM')
  await exited
}

describe('backup and restore', function () {
  this.timeout(120_000)
  let tmp: string
  let dir: string
  let token: string

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'imi-backup-'))
    dir = join(tmp, 'cz')
    const r = await imi('init', '--country', 'CZ', '--dir', dir, '--listen-host', '127.0.0.1', '--p2p-port', String(await freePort()), '--api-port', String(await freePort()))
    expect(r.code, r.stderr).to.equal(0)
    const member = memberFromDescriptor(JSON.parse(await readFile(join(dir, 'member.json'), 'utf8')), nodeCrypto)
    const identity = await loadIdentity(join(dir, 'node.key'))
    await writeFile(join(dir, 'roster.json'), JSON.stringify(cosignRoster(proposeRoster({ fed: 'imi', version: 1, created: Date.now(), members: [member], bootstraps: [] }), identity.signer)))
    await writeFile(join(tmp, 'passphrase'), `${PASSPHRASE}\n`, { mode: 0o600 })
    token = (await readFile(join(dir, 'api-token'), 'utf8')).trim()
  })
  after(async () => { await rm(tmp, { recursive: true, force: true }) })

  it('backs up a running node and restores it elsewhere with the same identity and data', async () => {
    const node = await start(join(dir, 'imi.json'))
    const call = async (api: string, method: string, path: string, body?: unknown) => await fetch(`${api}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) })
    })
    let backup: { code: number | null, stdout: string, stderr: string }
    let peerId: string
    try {
      expect((await call(node.api, 'POST', '/coordinators', { username: 'nimic.cz', displayName: 'Coordinator', password: 'correct horse battery' })).status).to.equal(201)
      peerId = (await (await call(node.api, 'GET', '/status')).json() as { peerId: string }).peerId
      backup = await imi('backup', '--config', join(dir, 'imi.json'), '--out', join(tmp, 'cz.imib'), '--passphrase-file', join(tmp, 'passphrase'))
      // The node went on working while the backup ran.
      expect((await call(node.api, 'GET', '/status')).status).to.equal(200)
    } finally {
      // The operator's way: imi stop, which waits until the process is gone.
      const exited = new Promise((resolve) => node.proc.once('exit', resolve))
      const stopped = await imi('stop', '--config', join(dir, 'imi.json'))
      expect(stopped.code, stopped.stderr).to.equal(0)
      expect(stopped.stdout).to.include('CZ node stopped')
      await exited
    }
    expect((await imi('stop', '--config', join(dir, 'imi.json'))).code).to.equal(1) // nothing left to stop
    expect(backup.code, backup.stderr).to.equal(0)
    expect(backup.stdout).to.match(/backup of CZ written to .*cz\.imib: \d+ database entries, 4 files/)
    expect((await stat(join(tmp, 'cz.imib'))).mode & 0o777).to.equal(0o600)
    const raw = await readFile(join(tmp, 'cz.imib'))
    expect(raw.includes(Buffer.from('nimic.cz'))).to.equal(false) // encrypted, not merely compressed

    const restored = join(tmp, 'restored')
    const r = await imi('restore', '--backup', join(tmp, 'cz.imib'), '--dir', restored, '--passphrase-file', join(tmp, 'passphrase'))
    expect(r.code, r.stderr).to.equal(0)
    expect((await stat(join(restored, 'node.key'))).mode & 0o777).to.equal(0o600)
    // Like init's: the folder holds the key and personal data. The hint works from any folder.
    expect((await stat(restored)).mode & 0o777).to.equal(0o700)
    expect(r.stdout).to.match(new RegExp(`start it with: .* start --config ${join(restored, 'imi.json')}$`, 'm'))
    // The restored node needs the original's ports free: the original is stopped.
    const again = await start(join(restored, 'imi.json'))
    try {
      const status = await (await call(again.api, 'GET', '/status')).json() as { peerId: string, country: string }
      expect(status).to.include({ peerId: peerId!, country: 'CZ' })
      const login = await fetch(`${again.api}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nimic.cz', password: 'correct horse battery', bearer: true }) })
      expect(login.status).to.equal(201)
      expect((await imi('verify-evidence', '--config', join(restored, 'imi.json'))).code).to.equal(0)
    } finally {
      await stop(again.proc)
    }
  })

  it('a restore gives the arrival log a new epoch, so peers\' catch-up marks for this node start over (issue 5)', async () => {
    // The original is stopped: read its files. Its log has an epoch once anything paged it.
    const epochOf = async (data: string): Promise<{ epoch: string, ids: string[] }> => {
      const store = new Store(data)
      await store.open()
      try {
        const page = await new ArrivalLog({ store, randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)) }).page(undefined, 100)
        return { epoch: page.epoch, ids: [...page.ids] }
      } finally {
        await store.close()
      }
    }
    const config = JSON.parse(await readFile(join(dir, 'imi.json'), 'utf8')) as { dataDir?: string }
    const original = await epochOf(join(dir, config.dataDir ?? 'data'))
    const backup = await imi('backup', '--config', join(dir, 'imi.json'), '--out', join(tmp, 'epoch.imib'), '--passphrase-file', join(tmp, 'passphrase'))
    expect(backup.code, backup.stderr).to.equal(0)
    const restored = join(tmp, 'restored-epoch')
    const r = await imi('restore', '--backup', join(tmp, 'epoch.imib'), '--dir', restored, '--passphrase-file', join(tmp, 'passphrase'))
    expect(r.code, r.stderr).to.equal(0)
    const after = await epochOf(join(restored, 'data'))
    expect(after.epoch).to.be.a('string').and.not.equal(original.epoch)
    expect(after.ids).to.deep.equal(original.ids)
  })

  it('rotates the node key through a roster change: proposal signed, applied, key swapped, node restarted with it', async () => {
    const before = await loadIdentity(join(dir, 'node.key'))
    const r = await imi('rotate-key', '--config', join(dir, 'imi.json'), '--out', join(tmp, 'rotate.json'), '--grace-days', '7')
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.include('needs 1 of the 1 members\' signatures')
    expect((await stat(join(dir, 'node.key.next'))).mode & 0o777).to.equal(0o600)
    expect((await imi('rotate-key', '--config', join(dir, 'imi.json'), '--finish')).code).to.equal(1) // not applied yet
    // A one-member federation: this node's own signature is the quorum. Apply the version to the roster file.
    const genesis = JSON.parse(await readFile(join(dir, 'roster.json'), 'utf8'))
    const next = JSON.parse(await readFile(join(tmp, 'rotate.json'), 'utf8'))
    await writeFile(join(dir, 'roster.json'), JSON.stringify([genesis, next]))
    // The key before an earlier rotation is never replaced silently.
    await writeFile(join(dir, 'node.key.old'), 'an earlier key', { mode: 0o600 })
    const refused = await imi('rotate-key', '--config', join(dir, 'imi.json'), '--finish')
    expect(refused.code).to.equal(1)
    expect(refused.stderr).to.include(`${join(dir, 'node.key.old')} holds the key before an earlier rotation`)
    expect(await readFile(join(dir, 'node.key.old'), 'utf8')).to.equal('an earlier key')
    await rm(join(dir, 'node.key.old'))
    const finish = await imi('rotate-key', '--config', join(dir, 'imi.json'), '--finish')
    expect(finish.code, finish.stderr).to.equal(0)
    expect((await loadIdentity(join(dir, 'node.key.old'))).peerId).to.equal(before.peerId)
    const after = await loadIdentity(join(dir, 'node.key'))
    expect(after.peerId).not.to.equal(before.peerId)
    const node = await start(join(dir, 'imi.json'))
    try {
      const status = await (await fetch(`${node.api}/status`, { headers: { authorization: `Bearer ${token}` } })).json() as { peerId: string, rosterVersion: number }
      expect(status).to.include({ peerId: after.peerId, rosterVersion: 2 })
    } finally {
      await stop(node.proc)
    }
    // A backup keeps the key before the rotation, which opens alerts sealed to it.
    const backup = await imi('backup', '--config', join(dir, 'imi.json'), '--out', join(tmp, 'rotated.imib'), '--passphrase-file', join(tmp, 'passphrase'))
    expect(backup.code, backup.stderr).to.equal(0)
    expect(backup.stdout).to.include(', 5 files,')
    const restored = join(tmp, 'restored-rotated')
    const restore = await imi('restore', '--backup', join(tmp, 'rotated.imib'), '--dir', restored, '--passphrase-file', join(tmp, 'passphrase'))
    expect(restore.code, restore.stderr).to.equal(0)
    expect((await stat(join(restored, 'node.key.old'))).mode & 0o777).to.equal(0o600)
    expect((await loadIdentity(join(restored, 'node.key.old'))).peerId).to.equal(before.peerId)
  })

  it('opens nothing with a wrong passphrase or an altered archive, and restores into an empty folder only', async () => {
    await writeFile(join(tmp, 'wrong'), 'not the passphrase at all')
    const wrong = await imi('restore', '--backup', join(tmp, 'cz.imib'), '--dir', join(tmp, 'w'), '--passphrase-file', join(tmp, 'wrong'))
    expect(wrong.code).to.equal(2)
    expect(wrong.stderr).to.include('wrong passphrase, or the file was altered')
    const bytes = await readFile(join(tmp, 'cz.imib'))
    bytes[bytes.length - 40]! ^= 1
    await writeFile(join(tmp, 'altered.imib'), bytes)
    expect((await imi('restore', '--backup', join(tmp, 'altered.imib'), '--dir', join(tmp, 'a'), '--passphrase-file', join(tmp, 'passphrase'))).code).to.equal(2)
    expect((await imi('restore', '--backup', join(tmp, 'cz.imib'), '--dir', dir, '--passphrase-file', join(tmp, 'passphrase'))).code).to.equal(1)
  })
})
