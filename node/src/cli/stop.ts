/**
 * `imi stop`: asks the running node to stop as SIGTERM does (the API closes first, then
 * p2p and the database), and waits until the process is gone. The node's pid is in
 * `<dataDir>/imi.pid`, written by `imi start` and removed when it stops cleanly.
 */
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { NodeConfig } from '../config.js'
import { CommandFailure } from './errors.js'

export const PID_FILE = 'imi.pid'
const WAIT_MS = 20_000

export function pidFile (config: Pick<NodeConfig, 'dataDir'>): string { return join(config.dataDir, PID_FILE) }

function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists but belongs to someone else; not ours to stop either way.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export async function stopCommand (config: NodeConfig): Promise<string[]> {
  const text = await readFile(pidFile(config), 'utf8').catch(() => undefined)
  const pid = text === undefined ? NaN : Number(text.trim())
  if (!Number.isSafeInteger(pid) || pid <= 1) throw new CommandFailure(`error: no running node found (no ${pidFile(config)})`)
  if (!alive(pid)) {
    await rm(pidFile(config), { force: true })
    return [`node was not running (stale pid file ${pid} removed)`]
  }
  process.kill(pid, 'SIGTERM')
  const deadline = Date.now() + WAIT_MS
  while (alive(pid)) {
    if (Date.now() > deadline) throw new CommandFailure(`error: node ${pid} did not stop within ${WAIT_MS / 1000} s`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return [`${config.country} node stopped`]
}
