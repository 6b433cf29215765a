/**
 * `imi backup` and `imi restore`. A backup holds the node's database (read from a
 * snapshot, so the node may keep running: it streams the snapshot through its API),
 * its configuration, key, API token and roster file, all encrypted with a passphrase.
 * A restore on a fresh machine gives a node with the same identity and data.
 */
import { chmod, mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { readApiToken } from '../api/index.js'
import type { NodeConfig } from '../config.js'
import { openBackup, sealBackup, type BackupContents } from '../services/backup/archive.js'
import { renewArrivalEpoch } from '../services/broadcast/arrival-log.js'
import { Store } from '../storage/index.js'
import { rawEntries, restoreRawEntries } from '../storage/snapshot.js'
import { apiBaseUrl } from './api-client.js'
import { CommandFailure } from './errors.js'
import { withStoredState } from './local-files.js'

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')

/** The database entries: from the running node's API, else from its files. */
async function databaseEntries (config: NodeConfig): Promise<Array<[string, string]>> {
  const token = await readApiToken(config.api.tokenFile)
  try {
    const res = await fetch(`${apiBaseUrl(config)}/api/v1/backup/snapshot`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(600_000) })
    if (!res.ok) throw new CommandFailure(`error: the node answered ${res.status} to the snapshot request`)
    return JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8')) as Array<[string, string]>
  } catch (err) {
    if (err instanceof CommandFailure) throw err
    // fetch fails with a TypeError when nobody listens: the node is stopped, read its files.
    if (!(err instanceof TypeError)) throw err
  }
  return await withStoredState(config, async (node) => {
    const out: Array<[string, string]> = []
    for await (const [k, v] of rawEntries(node.store)) out.push([b64(k), b64(v)])
    return out
  }) ?? []
}

export async function backupCommand (config: NodeConfig, configFile: string, out: string, passphrase: string): Promise<string[]> {
  const files: Record<string, string> = {
    'imi.json': b64(await readFile(configFile)),
    'node.key': b64(await readFile(config.keyFile)),
    'api-token': b64(await readFile(config.api.tokenFile))
  }
  const roster = await readFile(config.rosterFile).catch(() => undefined)
  if (roster !== undefined) files['roster.json'] = b64(roster)
  // The key before the last rotation: the node opens alerts sealed to it (see rotate-key.ts).
  const retired = await readFile(`${config.keyFile}.old`).catch(() => undefined)
  if (retired !== undefined) files['node.key.old'] = b64(retired)
  const entries = await databaseEntries(config)
  const contents: BackupContents = { created: Date.now(), country: config.country, federationId: config.federationId, files, entries }
  await writeFile(out, sealBackup(contents, passphrase), { mode: 0o600, flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
    throw new CommandFailure(err.code === 'EEXIST' ? `error: ${out} exists: choose a new file` : `error: cannot write ${out}: ${err.message}`)
  })
  return [`backup of ${config.country} written to ${out}: ${entries.length} database entries, ${Object.keys(files).length} files, encrypted with the passphrase`]
}

/** Restores into `dir` (new or empty): files under their usual names, the database under data/. */
/** `program` is how the operator runs imi, for the hint at the end. */
export async function restoreCommand (archive: string, dir: string, passphrase: string, program = 'imi'): Promise<string[]> {
  const contents = openBackup(await readFile(archive), passphrase)
  // Like init's: the folder holds the key and personal data.
  await mkdir(dir, { recursive: true, mode: 0o700 })
  if ((await readdir(dir)).length > 0) throw new CommandFailure(`error: ${dir} is not empty: restore into a new folder`)
  const config = JSON.parse(Buffer.from(contents.files['imi.json'] ?? '', 'base64').toString('utf8')) as Record<string, unknown>
  // The restored node finds everything beside its configuration, wherever the old one kept it.
  const api = (typeof config.api === 'object' && config.api !== null ? config.api : {}) as Record<string, unknown>
  const relocated = { ...config, dataDir: 'data', keyFile: 'node.key', rosterFile: 'roster.json', api: { ...api, tokenFile: 'api-token' } }
  await writeFile(join(dir, 'imi.json'), JSON.stringify(relocated, null, 2) + '\n')
  for (const name of ['node.key', 'node.key.old', 'api-token', 'roster.json']) {
    const data = contents.files[name]
    if (data === undefined) continue
    await writeFile(join(dir, name), Buffer.from(data, 'base64'), { mode: 0o600 })
    await chmod(join(dir, name), 0o600)
  }
  const n = await restoreRawEntries(join(dir, 'data'), contents.entries.map(([k, v]) => [Buffer.from(k, 'base64'), Buffer.from(v, 'base64')] as [Uint8Array, Uint8Array]))
  // Peers' catch-up marks for this node are for its log as it went on after the backup: they start over.
  const store = new Store(join(dir, 'data'))
  await store.open()
  try {
    await renewArrivalEpoch(store, (size) => randomBytes(size))
  } finally {
    await store.close()
  }
  return [`restored ${contents.country} (backup of ${new Date(contents.created).toISOString()}) into ${dir}: ${n} database entries; start it with: ${program} start --config ${join(dir, 'imi.json')}`]
}
