/**
 * A stopped node's own files: its database (opened as ImiNode opens it, without
 * starting p2p) and its roster file. Only read here; nothing is written.
 */
import { access } from 'node:fs/promises'
import { Roster, payloadDocument, verifyRosterChain, type SignedRoster } from '@imi/protocol'
import type { NodeConfig } from '../config.js'
import { nodeCrypto } from '../crypto.js'
import { ConfigError, DatabaseLockedError } from '../errors.js'
import { ImiNode } from '../node.js'
import { readRosterChainFile } from '../setting-file.js'
import { silentLogger } from '../services/logger.js'
import { Bucket } from '../storage/index.js'
import { apiGet, NoAnswerError } from './api-client.js'
import { CommandFailure } from './errors.js'

/** LevelDB's lock: another process (a running node) holds the database. */
export function isLocked (err: unknown): boolean {
  return err instanceof DatabaseLockedError
}

/**
 * Runs `fn` on the node's stored state: evidence log loaded, roster chain loaded when
 * the store holds one. Undefined when the node has never been started (no data folder).
 */
export async function withStoredState<T> (config: NodeConfig, fn: (node: ImiNode, hasRoster: boolean) => Promise<T>): Promise<T | undefined> {
  if (!await access(config.dataDir).then(() => true, () => false)) return undefined
  const node = new ImiNode(config, { logger: silentLogger })
  try {
    await node.store.open()
  } catch (err) {
    if (isLocked(err)) throw new CommandFailure(`error: ${config.dataDir} is in use by another process, but no node answers on its API (is api.host/api.port right?)`)
    throw new CommandFailure(`error: cannot open the node's database in ${config.dataDir}: ${(err as Error).message}`)
  }
  try {
    await node.evidence.load()
    const hasRoster = await node.store.count(Bucket.roster) > 0
    // With versions stored, an empty configured chain loads exactly those and writes nothing.
    if (hasRoster) await node.roster.load([])
    return await fn(node, hasRoster)
  } finally {
    await node.store.close()
  }
}

/** The verified chain in the roster file, or undefined when there is no such file yet. */
export async function rosterFromFile (config: NodeConfig): Promise<Roster | undefined> {
  const chain = await readRosterChainFile(config.rosterFile, { optional: true })
  if (chain === undefined) return undefined
  try {
    return verifyRosterChain(chain, nodeCrypto, config.federationId)
  } catch (err) {
    throw new ConfigError('rosterFile', `${config.rosterFile} does not verify: ${(err as Error).message}`)
  }
}

/**
 * This node's current roster: from the running node, else from its database, else from
 * its roster file; undefined before the federation's genesis.
 */
export async function currentRoster (config: NodeConfig): Promise<Roster | undefined> {
  try {
    const { signed } = await apiGet<{ signed: SignedRoster }>(config, '/roster')
    // The node verified this chain itself; the CLI trusts its own node.
    return new Roster(signed, payloadDocument(signed), nodeCrypto)
  } catch (err) {
    if (!(err instanceof NoAnswerError)) throw err
  }
  const stored = await withStoredState(config, async (node, hasRoster) => hasRoster ? node.roster.current : undefined)
  return stored ?? await rosterFromFile(config)
}
