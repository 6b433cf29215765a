/**
 * `imi verify-evidence`: walks the evidence log's hash chain and every signature in it.
 * A running node does it itself (it holds the database); a stopped node's database is
 * opened here and checked by the same code.
 */
import type { NodeConfig } from '../config.js'
import type { EvidenceReport } from '../services/evidence-verifier.js'
import { apiGet, NoAnswerError } from './api-client.js'
import { CommandFailure } from './errors.js'
import { withStoredState } from './local-files.js'

async function report (config: NodeConfig): Promise<EvidenceReport> {
  try {
    return await apiGet<EvidenceReport>(config, '/evidence/verify')
  } catch (err) {
    if (!(err instanceof NoAnswerError)) throw err
  }
  // Never started: there is no log yet, so nothing can be broken.
  return await withStoredState(config, async (node) => await node.verifyEvidence()) ?? { ok: true, entries: 0 }
}

export async function verifyEvidenceCommand (config: NodeConfig): Promise<string[]> {
  const r = await report(config)
  if (r.ok) return [`evidence log intact: ${r.entries} entries`]
  throw new CommandFailure(`evidence log broken at entry ${r.firstBroken?.seq ?? r.entries}: ${r.firstBroken?.reason ?? 'no reason given'}`)
}
