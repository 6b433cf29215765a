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
 *
 * For the faults of faults.ts and links.ts:
 *
 * - delivered-across-shaped-links: the latency or loss acted (some write was held back
 *   or lost), and every request between two states whose link was shaped at some time
 *   ended in the same state on both nodes.
 * - no-replay-applied: no node stored an envelope twice or applied an alert action
 *   twice (tracked from the nodes' own events), a replay to the original recipient got
 *   its stored receipt, and one sent on to a third member was refused.
 * - flood-contained: each target handled (decoded) no more of the flood than its rate
 *   limit lets through (10,000 at once plus 2,000 a second of the flood's duration),
 *   accepted none of it, answered every honest member's message sent to it while it ran
 *   (probes: earlier messages sent again, each answered with its stored receipt), and
 *   accepted the workload's new messages from other members if any were owed to it then.
 * - withheld-answers-chased: every request accepted and never answered by a member
 *   withholding answers, whose answer date had passed at the end, was declared overdue
 *   on the requesting node, and escalated there once inactive for `escalateAfterDays`
 *   (the node's deadline service, evaluated at the end less two hours of slack).
 * - removed-member-refused: the roster change was made and applied by every other
 *   running node, and none of them accepted a message or alert from the member after it
 *   applied the change. The open requests and messages owed to the member are reported.
 * - works-without-bootstrap: with the bootstrap node down, every running node published
 *   its directory and confirmed another state's from the DHT; every alert issued while it
 *   was down reached every running addressed member, and every request sent then is on
 *   both nodes in the same state.
 *
 * After a member leaves, requests with it and alerts from or to it after that day are
 * left out of the other assertions (counted apart): the roster says they cannot happen.
 */
import { deadlineOf } from '../../../node/src/services/requests/deadlines.js'
import { RATE_LIMITS } from '../../../node/src/rate-limit.js'
import { DAY_MS, HOUR_MS, startMs, type AssertionKind, type AssertionSpec } from './scenario.js'
import type { AlertRun, RequestRun, RunRecord } from './run.js'

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

/** A request with a member that left the roster before it ended (or whose rest was dropped for it). */
function withLeftMember (run: RunRecord, r: RequestRun): boolean {
  return r.dropped !== undefined || run.faultOutcomes.leaves.some((l) => l.fed === r.fed && (r.plan.from === l.country || r.plan.to === l.country))
}

/** An (alert, target) pair the roster rules out: from or to a member that had left when it was issued or withdrawn. */
function alertWithLeftMember (run: RunRecord, a: AlertRun, target: string): boolean {
  // Its last action: a withdrawal after the member left does not reach it, nor one it sent.
  const day = ((a.withdrawnAt ?? a.issuedAt ?? 0) - startMs(run.scenario)) / DAY_MS
  return run.faultOutcomes.leaves.some((l) => l.fed === a.fed && day >= l.day && (a.plan.from === l.country || target === l.country))
}

function agree (run: RunRecord, r: RequestRun): { ok: boolean, text: string } {
  const states = run.final.requestStates[r.fed]!
  const a = r.id === undefined ? undefined : states[r.plan.from]?.get(r.id)
  const b = r.id === undefined ? undefined : states[r.plan.to]?.get(r.id)
  return {
    ok: a !== undefined && b !== undefined && a.status === b.status && a.version === b.version,
    text: `${r.plan.id} ${r.plan.from}->${r.plan.to}: ${a?.status ?? 'missing'} v${a?.version ?? '-'} on ${r.plan.from}, ${b?.status ?? 'missing'} v${b?.version ?? '-'} on ${r.plan.to}${why(run, r.fed, r.id ?? '')}`
  }
}

const dayOf = (run: RunRecord, ms: number | undefined): number => ms === undefined ? Number.NaN : (ms - startMs(run.scenario)) / DAY_MS

/** What each node's own events say about a request the two disagree on. */
function why (run: RunRecord, fed: number, id: string): string {
  const d = run.final.disagreements.get(`${fed}/${id}`)
  return d === undefined ? '' : ` (${d})`
}

const CHECKS: Readonly<Record<AssertionKind, Check>> = {
  'every-alert-reaches-every-live-node': (run) => {
    const tally = new Tally()
    let skippedDown = 0
    let skippedLeft = 0
    for (const a of run.alerts) {
      if (a.id === undefined) continue
      const held = run.final.alertsHeld[a.fed]!
      const countries = run.plans[a.fed]!.countries
      const targets = a.plan.to === 'all' ? countries.filter((c) => c !== a.plan.from) : a.plan.to
      for (const c of targets) {
        const h = held[c]
        if (h === undefined) { skippedDown++; continue }
        if (alertWithLeftMember(run, a, c)) { skippedLeft++; continue }
        const got = h.get(a.id)
        const wanted = a.withdrawnAt !== undefined ? 'withdrawn' : 'active'
        tally.check(got !== undefined && got.status === wanted && got.addressedHere, () =>
          `${a.plan.id} (federation ${a.fed}, from ${a.plan.from}) ${got === undefined ? 'missing on' : `${got.status}${got.addressedHere ? '' : ', not addressed'} on`} ${c}${got !== undefined && got.status !== wanted ? `, should be ${wanted}` : ''}`)
      }
    }
    return { tally, detail: `${tally.checked} (alert, live addressed state) pairs checked, ${tally.failed} missing or out of date${skippedDown > 0 ? `; ${skippedDown} pairs on nodes down at the end not counted` : ''}${skippedLeft > 0 ? `; ${skippedLeft} pairs from or to a member that had left not counted` : ''}` }
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
        if (r.fed !== s.fed || r.id === undefined || (r.plan.from !== s.country && r.plan.to !== s.country) || withLeftMember(run, r)) continue
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
    let left = 0
    for (const r of run.requests) {
      if (withLeftMember(run, r)) { left++; continue }
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
    return { tally, detail: `${tally.checked} requests checked on both nodes, ${tally.failed} not delivered or not agreed${notSent > 0 ? `; ${notSent} never sent (sender down until the end)` : ''}${left > 0 ? `; ${left} with a member that left the roster not counted` : ''}` }
  },

  'delivered-across-shaped-links': (run) => {
    const tally = new Tally()
    const shaped = new Set<string>()
    const countries = run.scenario.countries
    for (const f of run.scenario.faults) {
      if (f.kind !== 'latency' && f.kind !== 'loss') continue
      for (let fed = 0; fed < run.plans.length; fed++) {
        if (f.federation !== undefined && f.federation !== fed) continue
        for (const a of f.nodes) for (const b of f.to ?? countries.filter((c) => !f.nodes.includes(c))) { shaped.add(`${fed}/${a}/${b}`); shaped.add(`${fed}/${b}/${a}`) }
      }
    }
    const c = run.faultCounters.reduce((s, x) => ({ delayed: s.delayed + x.delayedWrites, lost: s.lost + x.lostWrites, conns: s.conns + x.shapedConnections }), { delayed: 0, lost: 0, conns: 0 })
    if (shaped.size > 0) tally.check(c.delayed + c.lost > 0, () => 'no write was held back or lost: the shaped links carried nothing while shaped')
    let across = 0
    for (const r of run.requests) {
      if (r.id === undefined || !shaped.has(`${r.fed}/${r.plan.from}/${r.plan.to}`) || withLeftMember(run, r)) continue
      const states = run.final.requestStates[r.fed]!
      if (states[r.plan.from] === undefined || states[r.plan.to] === undefined) continue
      across++
      const x = agree(run, r)
      tally.check(x.ok, () => x.text)
    }
    const lat = (inside: boolean): string => {
      const v = run.deliveries.filter((d) => shaped.has(`${d.fed}/${d.from}/${d.to}`) === inside).map((d) => d.realMs).sort((a, b) => a - b)
      return v.length === 0 ? '-' : `${v[Math.floor(v.length / 2)]!.toFixed(0)} ms (${v.length})`
    }
    return {
      tally,
      detail: shaped.size === 0
        ? 'no latency or loss in this scenario: nothing to check'
        : `${c.conns} connection ends shaped, ${c.delayed} writes held back, ${c.lost} lost (each reset its stream); ${across} requests across shaped links checked on both nodes; median delivery across shaped links ${lat(true)}, elsewhere ${lat(false)}`
    }
  },

  'no-replay-applied': (run) => {
    const tally = new Tally()
    const o = run.faultOutcomes
    for (const r of o.replays) {
      tally.check(r.directSent + r.gossipPublished > 0, () => `${r.from} (federation ${r.fed}, day ${r.day}) had nothing to replay`)
      const elsewhere = r.direct['elsewhere: receipt'] ?? 0
      tally.check(elsewhere === 0, () => `${r.from}: ${elsewhere} envelopes it received, sent on to a third member, were accepted there`)
    }
    for (const k of o.appliedTwice) tally.check(false, () => `applied twice: ${k}`)
    const outcomes = new Map<string, number>()
    for (const r of o.replays) for (const [k, n] of Object.entries(r.direct)) outcomes.set(k, (outcomes.get(k) ?? 0) + n)
    return {
      tally,
      detail: o.replays.length === 0
        ? 'no replay in this scenario: nothing to check'
        : `${o.replays.reduce((s, r) => s + r.directSent, 0)} envelopes replayed direct (${[...outcomes].map(([k, n]) => `${k} ${n}`).join(', ')}), ${o.replays.reduce((s, r) => s + r.gossipPublished, 0)} alerts replayed on gossip; ${o.appliedTwice.length} applied twice`
    }
  },

  'flood-contained': (run) => {
    const tally = new Tally()
    const limit = RATE_LIMITS.directMessagesPerPeer
    const parts: string[] = []
    for (const f of run.faultOutcomes.floods) {
      const where = `${f.from}'s flood (federation ${f.fed}, day ${f.day})`
      tally.check(f.sent > 0, () => `${where} sent nothing (the node was down)`)
      const limited = f.replies.ERR_RATE_LIMITED ?? 0
      const handled = Object.entries(f.replies).filter(([k]) => k !== 'ERR_RATE_LIMITED' && !k.startsWith('no reply')).reduce((s, [, n]) => s + n, 0)
      // Per target: the bucket's capacity, plus what refills while the flood runs (and a second of slack).
      const allowed = f.targets.length * (limit.capacity + limit.perSecond * (f.realMs / 1000 + 1))
      tally.check(handled <= allowed, () => `${where}: the targets handled ${handled} frames, more than their limit lets through (${Math.round(allowed)})`)
      // A flood that outran the bucket (its duration overestimated: it includes the last replies) must have met the limit.
      const bucket = f.targets.length * (limit.capacity + limit.perSecond * f.realMs / 1000)
      if (f.sent > 1.1 * bucket) tally.check(limited > 0, () => `${where}: ${f.sent} frames in ${f.realMs} ms, more than the limit lets through (${Math.round(bucket)}), and none refused by it`)
      tally.check((f.replies.receipt ?? 0) === 0, () => `${where}: ${f.replies.receipt} flood frames accepted`)
      const probeMs = [...f.probes.ms].sort((a, b) => a - b)
      const answered = f.probes.replies.receipt ?? 0
      tally.check(f.probes.sent === 0 || answered === f.probes.sent, () => `${where}: ${f.probes.sent - answered} of ${f.probes.sent} honest messages sent to ${f.targets.join(', ')} during it got no receipt (${Object.entries(f.probes.replies).map(([k, n]) => `${k} ${n}`).join(', ')})`)
      // The workload's honest traffic: judged only when some was owed to the targets meanwhile.
      if (f.honestOwed > 0 || f.honestAccepted > 0) tally.check(f.honestAccepted > 0, () => `${where}: other members owed ${f.targets.join(', ')} up to ${f.honestOwed} messages while it ran (${f.realMs} ms), and none was accepted`)
      parts.push(`${where}: ${f.sent} frames to ${f.targets.join(', ')} in ${(f.realMs / 1000).toFixed(1)} s, ${limited} refused by the rate limit, ${handled} looked at and refused (${Object.entries(f.replies).map(([k, n]) => `${k} ${n}`).join(', ')}); honest messages sent to the targets during it: ${answered}/${f.probes.sent} answered with their receipt${probeMs.length > 0 ? ` (median ${probeMs[Math.floor(probeMs.length / 2)]} ms, max ${probeMs.at(-1)} ms)` : ''}; ${f.honestAccepted} new honest messages accepted meanwhile${f.honestOwed > 0 ? ` (up to ${f.honestOwed} owed at once)` : ''}${f.honestOwed === 0 && f.honestAccepted === 0 ? ' (none was owed to the targets then)' : ''}`)
    }
    return { tally, detail: parts.length === 0 ? 'no flood in this scenario: nothing to check' : parts.join('; ') }
  },

  'withheld-answers-chased': (run) => {
    const tally = new Tally()
    const o = run.faultOutcomes
    const escalateAfterMs = run.scenario.node.escalateAfterDays * DAY_MS
    const at = run.final.endVirtual - 2 * HOUR_MS
    let withheld = 0
    let overdue = 0
    let escalated = 0
    let reminded = 0
    for (const r of run.requests) {
      if (r.withheldAt === undefined || r.id === undefined) continue
      withheld++
      const state = run.final.requestStates[r.fed]![r.plan.from]?.get(r.id)
      if (state === undefined) continue
      const flags = deadlineOf(state, at, { escalateAfterMs })
      const notices = o.deadlineNotices[`${r.fed}/${r.plan.from}/${r.id}`] ?? {}
      if ((o.deadlineNotices[`${r.fed}/${r.plan.to}/${r.id}`]?.reminder ?? 0) > 0) reminded++
      if (flags.overdue) {
        overdue++
        tally.check((notices.overdue ?? 0) > 0, () => `${r.plan.id} ${r.plan.from}->${r.plan.to} (due ${flags.due}, withheld on day ${dayOf(run, r.withheldAt).toFixed(2)}): no overdue notice on ${r.plan.from}`)
      }
      if (flags.escalate) {
        escalated++
        tally.check((notices.escalated ?? 0) > 0, () => `${r.plan.id} ${r.plan.from}->${r.plan.to} (inactive ${(flags.inactiveForMs / DAY_MS).toFixed(1)} days): not escalated on ${r.plan.from}`)
      }
    }
    return {
      tally,
      detail: o.withheld.length === 0
        ? 'no withheld answers in this scenario: nothing to check'
        : `${withheld} requests accepted and never answered by ${o.withheld.map((w) => w.country).join(', ')}; ${overdue} past their answer date (overdue notice expected on the requesting node), ${escalated} inactive past ${run.scenario.node.escalateAfterDays} days (escalation expected); ${reminded} reminded on the withholding node`
    }
  },

  'removed-member-refused': (run) => {
    const tally = new Tally()
    const parts: string[] = []
    for (const l of run.faultOutcomes.leaves) {
      const where = `${l.country} leaving (federation ${l.fed}, day ${l.day})`
      tally.check(l.version !== undefined, () => `${where}: no other member ran to apply the change`)
      for (const c of run.final.live[l.fed] ?? []) {
        if (c === l.country) continue
        tally.check(l.applied[c] !== undefined, () => `${where}: ${c} never applied the roster version without it`)
      }
      tally.check(l.acceptedAfter.length === 0, () => `${where}: ${l.acceptedAfter.slice(0, 3).join('; ')}`)
      const awaiting = l.openRequests.filter((r) => r.awaiting === l.country).length
      const owed = Object.values(l.owedToIt).reduce((s, n) => s + n, 0)
      const abandoned = Object.values(l.abandoned).reduce((s, n) => s + n, 0)
      parts.push(`${where}: roster v${l.version ?? '-'} applied by ${Object.keys(l.applied).sort().join(', ') || 'none'}; ${l.openRequests.length} open requests with it (${awaiting} waiting on it, ${l.openRequests.length - awaiting} on the others: ${l.openRequests.slice(0, 5).map((r) => `${r.id.slice(0, 8)} ${r.from}->${r.to} ${r.status}`).join(', ')}${l.openRequests.length > 5 ? ', ...' : ''}); ${owed} messages owed to it then, ${abandoned} deliveries to it abandoned; ${run.final.owed[l.fed]?.[l.country] ?? 0} messages it still holds for the others at the end; ${l.acceptedAfter.length} of its messages accepted after the change`)
    }
    return { tally, detail: parts.length === 0 ? 'no member left in this scenario: nothing to check' : parts.join('; ') }
  },

  'works-without-bootstrap': (run) => {
    const tally = new Tally()
    const parts: string[] = []
    for (const b of run.faultOutcomes.bootstrap) {
      const end = b.upDay ?? Number.POSITIVE_INFINITY
      for (const p of b.probes) {
        tally.check(p.published, () => `${p.country} could not publish its directory without the bootstrap node (day ${b.downDay})`)
        tally.check(p.confirmed, () => `${p.country} could not fetch ${p.fetched}'s directory from the DHT without the bootstrap node (day ${b.downDay})`)
      }
      let alerts = 0
      for (const a of run.alerts) {
        const day = dayOf(run, a.issuedAt)
        if (a.fed !== b.fed || a.id === undefined || !(day >= b.downDay && day < end)) continue
        const held = run.final.alertsHeld[a.fed]!
        const targets = a.plan.to === 'all' ? run.plans[a.fed]!.countries.filter((c) => c !== a.plan.from) : a.plan.to
        for (const c of targets) {
          if (held[c] === undefined || alertWithLeftMember(run, a, c)) continue
          alerts++
          tally.check(held[c]!.has(a.id), () => `alert ${a.plan.id} from ${a.plan.from}, issued on day ${day.toFixed(2)} without the bootstrap node, missing on ${c}`)
        }
      }
      let requests = 0
      for (const r of run.requests) {
        const day = dayOf(run, r.sentAt)
        if (r.fed !== b.fed || r.id === undefined || !(day >= b.downDay && day < end) || withLeftMember(run, r)) continue
        const states = run.final.requestStates[r.fed]!
        if (states[r.plan.from] === undefined || states[r.plan.to] === undefined) continue
        requests++
        const x = agree(run, r)
        tally.check(x.ok, () => `sent without the bootstrap node: ${x.text}`)
      }
      parts.push(`bootstrap node of federation ${b.fed} down from day ${b.downDay}${b.upDay === undefined ? '' : ` to day ${b.upDay}`}: ${b.probes.filter((p) => p.published && p.confirmed).length}/${b.probes.length} nodes published and fetched a directory without it; ${alerts} (alert, member) pairs and ${requests} requests of that time checked`)
    }
    return { tally, detail: parts.length === 0 ? 'no bootstrap node went away in this scenario: nothing to check' : parts.join('; ') }
  }
}
