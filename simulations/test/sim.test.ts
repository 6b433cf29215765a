/**
 * The simulation harness: scenarios are checked with clear errors, the virtual clock
 * fires timers in order, the workload is the same for the same seed, a small federation
 * of real nodes runs a few simulated days with a crash and its assertions hold, and an
 * assertion that must fail (a node kept down) reports the failure.
 */
import { expect } from 'chai'
import { checkAssertions, type AssertionResult } from '../src/sim/assertions.js'
import { buildMetrics } from '../src/sim/metrics.js'
import { ANSWER_2010, lognormalCdf, lognormalThrough, trafficShare, STATES_BY_TRAFFIC } from '../src/sim/model.js'
import { renderReport } from '../src/sim/report.js'
import { runScenario, type RunRecord } from '../src/sim/run.js'
import { parseScenario, ScenarioError } from '../src/sim/scenario.js'
import { BUILT_IN_SCENARIOS } from '../src/sim/scenarios.js'
import { SimClock } from '../src/sim/sim-clock.js'
import { generateWorkload } from '../src/sim/workload.js'

const errorOf = (raw: unknown): string => {
  try {
    parseScenario(raw)
  } catch (err) {
    expect(err).to.be.instanceOf(ScenarioError)
    return (err as Error).message
  }
  throw new Error('scenario accepted')
}

describe('simulation scenarios', () => {
  it('fills in the defaults from the published figures', () => {
    const small = parseScenario(BUILT_IN_SCENARIOS.small)
    expect(small.countries).to.deep.equal(['CZ', 'PL', 'AT', 'RO', 'DE'])
    expect(small.workload.areas).to.deep.equal({ 'professional-qualifications': 60, 'posting-of-workers': 24, 'patients-rights': 14, services: 2 })
    // Five states carry their share of the 2019 rate; all thirty carry all of it.
    expect(small.workload.requestsPerMonth).to.be.above(50).and.below(1570)
    expect(parseScenario(BUILT_IN_SCENARIOS.year).workload.requestsPerMonth).to.equal(1570)
    expect(trafficShare(STATES_BY_TRAFFIC)).to.be.closeTo(1, 1e-9)
    expect(parseScenario({ nodes: 3 }).countries).to.deep.equal(STATES_BY_TRAFFIC.slice(0, 3))
  })

  it('refuses what it does not understand, naming the setting', () => {
    expect(errorOf({ nodes: 100 })).to.match(/^scenario\.nodes: 100 is more than the 30 EU\/EEA member states.*federations/)
    expect(errorOf({ nodes: ['CZ', 'UK'] })).to.match(/scenario\.nodes\[1\]: the United Kingdom left/)
    expect(errorOf({ nodes: ['CZ', 'XX'] })).to.match(/scenario\.nodes\[1\]: "XX" is not an EU\/EEA member state code/)
    expect(errorOf({ nodes: 3, faults: [{ at: 1, kind: 'latency', nodes: ['DE'] }] })).to.match(/scenario\.faults\[0\]\.ms: is required/)
    expect(errorOf({ nodes: ['CZ', 'PL'], faults: [{ at: 1, kind: 'restart', nodes: ['PL'] }] })).to.match(/scenario\.faults\[0\]\.nodes: PL is not down on day 1/)
    expect(errorOf({ nodes: ['CZ', 'PL'], faults: [{ at: 1, kind: 'crash', nodes: ['DE'] }] })).to.match(/DE is not one of this scenario's states/)
    expect(errorOf({ nodes: ['CZ', 'PL'], durationDays: 5, faults: [{ at: 6, kind: 'crash', nodes: ['PL'] }] })).to.match(/scenario\.faults\[0\]\.at: must be from 0 to 5/)
    expect(errorOf({ nodes: 3, workload: { requestPerMonth: 5 } })).to.match(/scenario\.workload\.requestPerMonth: is not a known setting/)
    expect(errorOf({ nodes: 3, assertions: [{ kind: 'everything-fine' }] })).to.match(/scenario\.assertions\[0\]\.kind: must be one of/)
  })

  it('models answer times through the 2010 points', () => {
    const l = lognormalThrough(3, ANSWER_2010.within3Days, 14, ANSWER_2010.within14Days)
    expect(lognormalCdf(3, l)).to.be.closeTo(0.26, 1e-4)
    expect(lognormalCdf(14, l)).to.be.closeTo(0.58, 1e-4)
  })

  it('generates the same workload from the same seed, and another from another', () => {
    const scenario = parseScenario({ ...BUILT_IN_SCENARIOS.small, federations: 2 })
    const a = JSON.stringify([generateWorkload(scenario, 0), generateWorkload(scenario, 1)])
    const b = JSON.stringify([generateWorkload(parseScenario({ ...BUILT_IN_SCENARIOS.small, federations: 2 }), 0), generateWorkload(scenario, 1)])
    expect(a).to.equal(b)
    const plan = generateWorkload(scenario, 0)
    expect(plan.requests.length).to.be.above(50)
    expect(plan.requests.every((r) => r.sendAt <= r.acceptAt && r.acceptAt <= r.answerAt && r.answerAt <= r.closeAt && r.from !== r.to)).to.equal(true)
    // Romania and Poland are slow by the 2010 text; the others' groups come from the seed.
    expect(plan.answerModels.RO!.group).to.equal('slow')
    expect(plan.answerModels.PL!.group).to.equal('slow')
    expect(JSON.stringify(generateWorkload(scenario, 1))).not.to.equal(JSON.stringify(plan))
    expect(JSON.stringify(generateWorkload(parseScenario({ ...BUILT_IN_SCENARIOS.small, seed: 2 }), 0))).not.to.equal(JSON.stringify(plan))
  })
})

describe('the simulation clock', () => {
  it('fires due timers in time order as it advances, each at its own time, and not cancelled ones', () => {
    const clock = new SimClock(1000)
    const fired: Array<[string, number]> = []
    clock.setTimeout(() => { fired.push(['b', clock.now()]) }, 200)
    clock.setTimeout(() => {
      fired.push(['a', clock.now()])
      clock.setTimeout(() => { fired.push(['a2', clock.now()]) }, 50)
    }, 100)
    const cancel = clock.setTimeout(() => { fired.push(['never', clock.now()]) }, 150)
    clock.setTimeout(() => { throw new Error('a timer that throws') }, 160)
    cancel()
    expect(clock.nextAt()).to.equal(1100)
    expect(clock.advance(180)).to.equal(3)
    expect(fired).to.deep.equal([['a', 1100], ['a2', 1150]])
    expect(clock.now()).to.equal(1180)
    expect(clock.errorCount).to.equal(1)
    clock.advanceTo(5000)
    expect(fired.at(-1)).to.deep.equal(['b', 1200])
    expect(clock.pending).to.equal(0)
  })
})

describe('a small simulated federation of real nodes', function () {
  this.timeout(120_000)
  // The small scenario at reduced scale: three states, four days, a crash for half a day.
  const reduced = {
    name: 'small-reduced', seed: 11, nodes: ['CZ', 'PL', 'AT'], durationDays: 4, stepHours: 2, settleMs: 2000, finalSettleMs: 10_000,
    workload: { requestsPerMonth: 240, alertsPerMonth: 90, authoritiesPerState: 4 }
  }
  let run: RunRecord
  let results: AssertionResult[]

  before(async () => {
    const scenario = parseScenario({ ...reduced, faults: [{ at: 1, kind: 'crash', nodes: ['AT'] }, { at: 1.5, kind: 'restart', nodes: ['AT'] }] })
    run = await runScenario({ scenario })
    results = checkAssertions(scenario.assertions, run)
  })

  it('runs the workload through crash and restart, and every assertion holds', () => {
    expect(run.requests.filter((r) => r.sentAt !== undefined).length).to.be.above(20)
    expect(run.alerts.filter((a) => a.issuedAt !== undefined).length).to.be.above(5)
    expect(run.faults.map((f) => f.kind)).to.deep.equal(['crash', 'restart'])
    expect(run.snapshots).to.have.length(1)
    for (const r of results) expect(r.ok, `${r.id}: ${r.detail} ${r.examples.join('; ')}`).to.equal(true)
    expect(results.find((r) => r.kind === 'nothing-lost-across-crashes')!.vacuous).to.equal(false)
  })

  it('reports metrics and a self-contained HTML report', () => {
    const metrics = buildMetrics(run, results, new Date())
    expect(metrics.delivery.requestEvents.n).to.be.above(20)
    expect(metrics.indicators.PL!.received + metrics.indicators.PL!.sent).to.be.above(0)
    expect(metrics.run.rss.peakMb).to.be.above(0)
    const html = renderReport(metrics)
    expect(html).to.match(/^<!doctype html>/).and.to.contain('<svg').and.to.contain('small-reduced')
    expect(html).not.to.match(/<script|<link|src="http/)
  })

  it('reports an assertion that must fail: a node kept down', async () => {
    const scenario = parseScenario({ ...reduced, durationDays: 2, finalSettleMs: 2000, faults: [{ at: 0.5, kind: 'crash', nodes: ['AT'] }] })
    const down = await runScenario({ scenario })
    const failed = checkAssertions(scenario.assertions, down)
    const byKind = new Map(failed.map((r) => [r.kind, r]))
    expect(byKind.get('all-requests-delivered')!.ok).to.equal(false)
    expect(byKind.get('all-requests-delivered')!.examples.join(' ')).to.contain('AT down at the end')
    expect(byKind.get('nothing-lost-across-crashes')!.ok).to.equal(false)
    expect(byKind.get('nothing-lost-across-crashes')!.examples[0]).to.match(/AT .* never came back/)
    // The others still exchange requests and alerts: those hold.
    expect(byKind.get('every-alert-reaches-every-live-node')!.ok).to.equal(true)
    expect(byKind.get('no-forged-accepted')!.ok).to.equal(true)
  })
})
