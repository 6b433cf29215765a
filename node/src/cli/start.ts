/**
 * `imi start`: runs the node (p2p and the local API) until SIGINT or SIGTERM, then
 * stops both cleanly and exits 0. Logs are JSON lines on stderr; stdout gets the few
 * lines an operator reads: who the node is, where it listens.
 */
import { ImiError } from '@imi/protocol'
import { serveNodeApi, type ApiServer } from '../api/index.js'
import { loadConfig, type NodeConfig } from '../config.js'
import { ConfigError } from '../errors.js'
import { createNode, type ImiNode } from '../node.js'
import { jsonLogger } from '../services/logger.js'
import { CommandFailure } from './errors.js'
import { isLocked } from './local-files.js'

/** A stuck shutdown must not leave a half-stopped node running forever. */
const STOP_TIMEOUT_MS = 15_000

/**
 * What a failed start means to the operator. A roster chain that does not verify
 * surfaces from the node as the protocol's roster error, but it is the roster file that
 * needs fixing; a locked database means this node already runs.
 */
function explain (err: unknown, config: NodeConfig): unknown {
  if (err instanceof ImiError && !(err instanceof ConfigError) && err.code.startsWith('ERR_ROSTER_')) {
    return new ConfigError('rosterFile', `${config.rosterFile} does not verify: ${err.message} (${err.code})`)
  }
  if (isLocked(err)) return new CommandFailure(`error: ${config.dataDir} is in use by another process: is this node already running?`)
  return err
}

async function run (configFile: string): Promise<{ node: ImiNode, api: ApiServer }> {
  const config = await loadConfig(configFile)
  const logger = jsonLogger({ level: config.log.level, base: { node: config.country } })
  const node = await createNode(config, { logger })
  try {
    await node.start()
  } catch (err) {
    throw explain(err, config)
  }
  try {
    return { node, api: await serveNodeApi(node, config, { logger: logger.child('api') }) }
  } catch (err) {
    await node.stop()
    throw err
  }
}

/** Stops the API first, so no request reaches a node that is going away; then exits. */
function shutdown ({ node, api }: { node: ImiNode, api: ApiServer }): void {
  setTimeout(() => { console.error(`error: the node did not stop within ${STOP_TIMEOUT_MS / 1000} s`); process.exit(1) }, STOP_TIMEOUT_MS).unref()
  void api.close().then(async () => { await node.stop() }).then(
    () => { process.exit(0) },
    (err: unknown) => { console.error(`error: stopping the node failed: ${(err as Error).message}`); process.exit(1) }
  )
}

/** Starts the node; resolves once it runs, and exits the process when told to stop. */
export async function startCommand (configFile: string, print: (line: string) => void): Promise<void> {
  let running: { node: ImiNode, api: ApiServer } | undefined = undefined
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
  const s = running.node.status()
  print(`${s.country} node ${s.peerId} of federation ${s.federationId}, roster version ${s.rosterVersion} (${s.members} members)`)
  for (const a of s.listen) print(`p2p ${a}`)
  print(`api ${running.api.url}/api/v1`)
  if (stopping) shutdown(running)
}
