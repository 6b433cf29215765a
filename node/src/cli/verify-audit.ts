/**
 * `imi verify-audit`: walks the audit trail's hash chain (who read, exported, changed or
 * deleted which procedure's personal data). A running node does it itself (it holds
 * the database); a stopped node's database is opened here and checked by the same code.
 */
import { systemClock } from '../clock.js'
import type { NodeConfig } from '../config.js'
import { AuditTrail, type AuditReport } from '../services/audit/audit-trail.js'
import { apiGet, NoAnswerError } from './api-client.js'
import { CommandFailure } from './errors.js'
import { withStoredState } from './local-files.js'

async function report (config: NodeConfig): Promise<AuditReport> {
  try {
    return await apiGet<AuditReport>(config, '/audit/verify')
  } catch (err) {
    if (!(err instanceof NoAnswerError)) throw err
  }
  // Never started: there is no trail yet, so nothing can be broken.
  return await withStoredState(config, async (node) => {
    // Only reads: nothing is recorded, so the clock is never asked.
    const audit = new AuditTrail({ store: node.store, clock: systemClock })
    await audit.load()
    return await audit.verify()
  }) ?? { ok: true, entries: 0 }
}

export async function verifyAuditCommand (config: NodeConfig): Promise<string[]> {
  const r = await report(config)
  if (r.ok) return [`audit trail intact: ${r.entries} entries`]
  throw new CommandFailure(`audit trail broken at entry ${r.firstBroken?.seq ?? r.entries}: ${r.firstBroken?.reason ?? 'no reason given'}`)
}
