/**
 * The scenario's assertions, checked against the end state read from the nodes (not
 * against what the driver believes it did):
 *
 * - every-alert-reaches-every-live-node: every alert issued is held by every addressed
 *   state whose node runs at the end, withdrawn there if it was withdrawn. Nodes down at
 *   the end are not counted (they cannot be asked); the result says how many were.
 * - no-forged-accepted: no node holds a forged envelope the run injected, and no node
 *   holds an alert or request that no simulated official created.
 * - nothing-lost-across-crashes: a node that crashed came back, still holds every
 *   request (at least at the version it had) and alert it held when it went down, owes
 *   nothing to a node it can reach, and agrees with the other side of each of its
 *   requests. A scenario without a crash passes vacuously, and says so.
 * - all-requests-delivered: every request sent is held by its receiving state, and both
 *   nodes computed the same state (status and version); a request whose sending failed
 *   counts as not delivered. Requests never sent because their sender was down at the
 *   end are listed apart.
 */
import type { AssertionKind, AssertionSpec } from './scenario.js'
import type { RunRecord } from './run.js'

export interface AssertionResult {
  readonly id: string
  readonly kind: AssertionKind
  readonly ok: boolean
  /** True when nothing could be checked (no crash, no alert...). */
  readonly vacuous: boolean
  readonly checked: number
  readonly failed: number
  readonly detail: string
  /** The first few failures, for the report. */
  readonly examples: readonly string[]
}

const MAX_EXAMPLES = 10

class Tally {
  checked = 0
  failed = 0
  readonly examples: string[] = []
  check (ok: boolean, what: () => string): void {
    this.checked++
    if (ok) return
    this.failed++
    if (this.examples.length < MAX_EXAMPLES) this.examples.push(what())
  }
}

export function checkAssertions (specs: readonly AssertionSpec[], run: RunRecord): AssertionResult[] {
  return specs.map((spec) => {
    const { tally, detail } = CHECKS[spec.kind](run)
    return { id: spec.id, kind: spec.kind, ok: tally.failed === 0, vacuous: tally.checked === 0, checked: tally.checked, failed: tally.failed, detail, examples: tally.examples }
  })
}

type Check = (run: RunRecord) => { tally: Tally, detail: string }

/** What each node's own events say about a request the two disagree on. */
function why (run: RunRecord, fed: number, id: string): string {
  const d = run.final.disagreements.get(`${fed}/${id}`)
  return d === undefined ? '' : ` (${d})`
}

const CHECKS: Readonly<Record<AssertionKind, Check>> = {
  'every-alert-reaches-every-live-node': (run) => {
    const tally = new Tally()
    let skippedDown = 0
    for (const a of run.alerts) {
      if (a.id === undefined) continue
      const held = run.final.alertsHeld[a.fed]!
      const countries = run.plans[a.fed]!.countries
      const targets = a.plan.to === 'all' ? countries.filter((c) => c !== a.plan.from) : a.plan.to
      for (const c of targets) {
        const h = held[c]
        if (h === undefined) { skippedDown++; continue }
        const got = h.get(a.id)
        const wanted = a.withdrawnAt !== undefined ? 'withdrawn' : 'active'
        tally.check(got !== undefined && got.status === wanted && got.addressedHere, () =>
          `${a.plan.id} (federation ${a.fed}, from ${a.plan.from}) ${got === undefined ? 'missing on' : `${got.status}${got.addressedHere ? '' : ', not addressed'} on`} ${c}${got !== undefined && got.status !== wanted ? `, should be ${wanted}` : ''}`)
      }
    }
    return { tally, detail: `${tally.checked} (alert, live addressed state) pairs checked, ${tally.failed} missing or out of date${skippedDown > 0 ? `; ${skippedDown} pairs on nodes down at the end not counted` : ''}` }
  },

  'no-forged-accepted': (run) => {
    const tally = new Tally()
    const injected = run.forged.reduce((s, f) => s + f.ids.length, 0)
    for (const [f, ids] of run.final.forgedHeld.entries()) {
      for (const x of run.forged.filter((y) => y.fed === f).flatMap((y) => y.ids)) tally.check(!ids.includes(x), () => `forged envelope ${x} held in federation ${f}`)
    }
    for (const [f, ids] of run.final.unknownAlerts.entries()) {
      tally.check(ids.length === 0, () => `federation ${f}: alerts nobody issued: ${ids.slice(0, 5).join(', ')}`)
    }
    for (const [f, ids] of run.final.unknownRequests.entries()) {
      tally.check(ids.length === 0, () => `federation ${f}: requests nobody sent: ${ids.slice(0, 5).join(', ')}`)
    }
    const refused = Object.entries(run.rejections.broadcast).map(([code, n]) => `${code} ${n}`).join(', ')
    return { tally, detail: `${injected} forged envelopes injected; every node's alerts and requests traced to a simulated official${refused === '' ? '' : `; gossip refusals: ${refused}`}` }
  },

  'nothing-lost-across-crashes': (run) => {
    const tally = new Tally()
    for (const s of run.snapshots) {
      const states = run.final.requestStates[s.fed]![s.country]
      const alerts = run.final.alertsHeld[s.fed]![s.country]
      const where = `${s.country} (federation ${s.fed}, down on day ${s.day})`
      tally.check(states !== undefined, () => `${where} never came back: what it held cannot be checked`)
      if (states === undefined || alerts === undefined) continue
      for (const [id, version] of s.requests) {
        const now = states.get(id)
        tally.check(now !== undefined && now.version >= version, () => `${where} lost request ${id} (had version ${version}, now ${now?.version ?? 'none'})`)
      }
      for (const id of s.alerts) tally.check(alerts.has(id), () => `${where} lost alert ${id}`)
      const owed = run.final.owedReachable[s.fed]![s.country] ?? 0
      tally.check(owed === 0, () => `${where} still owes ${owed} messages to nodes it can reach`)
      for (const r of run.requests) {
        if (r.fed !== s.fed || r.id === undefined || (r.plan.from !== s.country && r.plan.to !== s.country)) continue
        const a = run.final.requestStates[s.fed]![r.plan.from]?.get(r.id)
        const b = run.final.requestStates[s.fed]![r.plan.to]?.get(r.id)
        if (run.final.requestStates[s.fed]![r.plan.from] === undefined || run.final.requestStates[s.fed]![r.plan.to] === undefined) continue
        tally.check(a !== undefined && b !== undefined && a.status === b.status && a.version === b.version, () =>
          `${r.plan.id} ${r.plan.from}->${r.plan.to}: ${a?.status ?? 'missing'} v${a?.version ?? '-'} on ${r.plan.from}, ${b?.status ?? 'missing'} v${b?.version ?? '-'} on ${r.plan.to}${why(run, r.fed, r.id ?? '')}`)
      }
    }
    const crashes = run.snapshots.length
    return { tally, detail: crashes === 0 ? 'no node crashed in this scenario: nothing to check' : `${crashes} crashes; ${tally.checked} checks of what the crashed nodes held and owed` }
  },

  'all-requests-delivered': (run) => {
    const tally = new Tally()
    let notSent = 0
    for (const r of run.requests) {
      if (r.id === undefined) {
        if (r.failed !== undefined) tally.check(false, () => `${r.plan.id} ${r.plan.from}->${r.plan.to} could not be sent: ${r.failed}`)
        else notSent++
        continue
      }
      const states = run.final.requestStates[r.fed]!
      const a = states[r.plan.from]?.get(r.id)
      const b = states[r.plan.to]?.get(r.id)
      const down = [r.plan.from, r.plan.to].filter((c) => states[c] === undefined)
      tally.check(down.length === 0 && a !== undefined && b !== undefined && a.status === b.status && a.version === b.version, () =>
        down.length > 0
          ? `${r.plan.id} ${r.plan.from}->${r.plan.to}: ${down.join(' and ')} down at the end`
          : `${r.plan.id} ${r.plan.from}->${r.plan.to}: ${a?.status ?? 'missing'} v${a?.version ?? '-'} on ${r.plan.from}, ${b?.status ?? 'missing'} v${b?.version ?? '-'} on ${r.plan.to}${why(run, r.fed, r.id ?? '')}`)
    }
    return { tally, detail: `${tally.checked} requests checked on both nodes, ${tally.failed} not delivered or not agreed${notSent > 0 ? `; ${notSent} never sent (sender down until the end)` : ''}` }
  }
}
