/**
 * `imi start`: runs the node (p2p and the local API) until SIGINT or SIGTERM, then
 * stops both cleanly and exits 0. Logs are JSON lines on stderr; stdout gets the few
 * lines an operator reads: who the node is, where it listens.
 */
import { serveNodeApi, type ApiServer } from '../api/index.js'
import { loadConfig, type NodeConfig } from '../config.js'
import { ConfigError } from '../errors.js'
import { readSettingFile } from '../setting-file.js'
import { createNode, type ImiNode } from '../node.js'
import { systemClock } from '../clock.js'
import { nodeMetrics } from '../metrics/node-metrics.js'
import { serveMetrics, type MetricsServer } from '../metrics/serve-metrics.js'
import { jsonLogger } from '../services/logger.js'
import { CommandFailure } from './errors.js'
import { isLocked } from './local-files.js'
import { rm, writeFile } from 'node:fs/promises'
import { pidFile } from './stop.js'

/** A stuck shutdown must not leave a half-stopped node running forever. */
const STOP_TIMEOUT_MS = 15_000

/** A locked database means this node already runs: not a setting to fix. */
function explain (err: unknown, config: NodeConfig): unknown {
  if (isLocked(err)) return new CommandFailure(`error: ${config.dataDir} is in use by another process: is this node already running?`)
  return err
}

/**
 * The SMTP password file, which only a node with mail on reads: checked before anything
 * starts, so a missing or empty file is a setting to fix (exit 2), not a failed start.
 */
async function checkMailPassword (mail: NodeConfig['mail']): Promise<void> {
  if (!mail.enabled || mail.passwordFile === undefined) return
  const text = (await readSettingFile('mail.passwordFile', mail.passwordFile)).toString('utf8')
  if (text.trim().length === 0) throw new ConfigError('mail.passwordFile', `${mail.passwordFile} is empty`)
}

interface Running { node: ImiNode, api: ApiServer, metrics?: MetricsServer }

async function run (configFile: string): Promise<Running> {
  const config = await loadConfig(configFile)
  await checkMailPassword(config.mail)
  const logger = jsonLogger({ level: config.log.level, base: { node: config.country } })
  const node = await createNode(config, { logger })
  try {
    await node.start()
  } catch (err) {
    throw explain(err, config)
  }
  try {
    const api = await serveNodeApi(node, config, { logger: logger.child('api') })
    if (!config.metrics.enabled) return { node, api }
    try {
      return { node, api, metrics: await serveMetrics(nodeMetrics(node, () => systemClock.now()), config.metrics) }
    } catch (err) {
      await api.close()
      throw err
    }
  } catch (err) {
    await node.stop()
    throw err
  }
}

/** Stops the API first, so no request reaches a node that is going away; then exits. */
function shutdown ({ node, api, metrics }: Running): void {
  setTimeout(() => { console.error(`error: the node did not stop within ${STOP_TIMEOUT_MS / 1000} s`); process.exit(1) }, STOP_TIMEOUT_MS).unref()
  void Promise.all([api.close(), metrics?.close()]).then(async () => { await node.stop() }).then(async () => { await rm(pidFile(node.config), { force: true }) }).then(
    () => { process.exit(0) },
    (err: unknown) => { console.error(`error: stopping the node failed: ${(err as Error).message}`); process.exit(1) }
  )
}

/** Starts the node; resolves once it runs, and exits the process when told to stop. */
export async function startCommand (configFile: string, print: (line: string) => void): Promise<void> {
  let running: Running | undefined = undefined
  let stopping = false
  // Installed before starting: a signal during start-up stops the node once it is up.
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      console.error(`${signal} again: exiting without a clean stop`)
      process.exit(1)
    }
    stopping = true
    if (running !== undefined) shutdown(running)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)

  running = await run(configFile)
  // For `imi stop`, and for service managers that want a pid file.
  await writeFile(pidFile(running.node.config), `${process.pid}\n`)
  const s = running.node.status()
  print(`${s.country} node ${s.peerId} of federation ${s.federationId}, roster version ${s.rosterVersion} (${s.members} members)`)
  for (const a of s.listen) print(`p2p ${a}`)
  print(`api ${running.api.url}/api/v1`)
  if (running.metrics !== undefined) print(`metrics ${running.metrics.url}`)
  if (stopping) shutdown(running)
}
