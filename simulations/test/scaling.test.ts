/**
 * The scaling study at its smallest: how node counts are laid out in federations, the
 * fits, and a two-point node sweep plus a 2x traffic point over two simulated days, each
 * point in its own process, writing scaling.json and a self-contained scaling.html whose
 * figures are sane (memory and times positive, the parts of a run within its total,
 * more planned traffic at 2x). No timing is asserted: the machine is shared.
 */
import { expect } from 'chai'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { renderScaling } from '../src/sim/scaling-report.js'
import { layoutFor, linearFit, planPoints, pointScenario, runScaling, type ScalingResult } from '../src/sim/scaling.js'
import { parseScenario, ScenarioError } from '../src/sim/scenario.js'

describe('the scaling study', function () {
  this.timeout(180_000)

  it('lays out node counts as federations of at most 30 member states', () => {
    expect(layoutFor(5)).to.deep.equal({ statesPerFederation: 5, federations: 1 })
    expect(layoutFor(30)).to.deep.equal({ statesPerFederation: 30, federations: 1 })
    expect(layoutFor(60)).to.deep.equal({ statesPerFederation: 30, federations: 2 })
    expect(layoutFor(100)).to.deep.equal({ statesPerFederation: 25, federations: 4 })
    expect(() => layoutFor(31)).to.throw(ScenarioError, /cannot be split/)
    // The 1x point of the traffic sweep is the node sweep's too: run once.
    const plan = planPoints({ nodes: [5, 10], rates: [1, 2], rateNodes: 10 })
    expect(plan.map((p) => `${p.nodes}/${p.rate}/${p.sweeps.join('+')}`)).to.deep.equal(['5/1/nodes', '10/1/nodes+traffic', '10/2/traffic'])
    // A point's scenario is an ordinary scenario, its traffic the rate's multiple.
    const one = parseScenario(pointScenario({ days: 3, seed: 1, stepHours: 1 }, 100, 1))
    const two = parseScenario(pointScenario({ days: 3, seed: 1, stepHours: 1 }, 100, 2))
    expect(one.federations).to.equal(4)
    expect(two.workload.requestsPerMonth).to.be.closeTo(2 * one.workload.requestsPerMonth, 0.2)
    expect(two.faults).to.deep.equal([])
  })

  it('fits a line', () => {
    const f = linearFit([10, 20, 30], [150, 250, 350])!
    expect(f.slope).to.equal(10)
    expect(f.intercept).to.equal(50)
    expect(f.r2).to.equal(1)
    expect(linearFit([1], [1])).to.equal(null)
  })

  it('runs a tiny sweep, each point in its own process, and writes its JSON and HTML', async () => {
    const out = await mkdtemp(join(tmpdir(), 'imi-scaling-'))
    try {
      const progress: number[] = []
      const soFar: Array<[boolean, number]> = []
      const result = await runScaling({
        nodes: [2, 3], rates: [1, 2], rateNodes: 2, days: 2, seed: 3, stepHours: 2, heapLimitMb: 2048, out,
        onProgress: (p) => { progress.push(p.point) },
        onPoint: async (partial) => { soFar.push([partial.complete, partial.points.length]) }
      })
      // A sweep cut short leaves what it measured: the study so far after each point but the last.
      expect(soFar).to.deep.equal([[false, 1], [false, 2]])
      expect(result.complete).to.equal(true)
      await writeFile(join(out, 'scaling.json'), JSON.stringify(result))
      const json = JSON.parse(await readFile(join(out, 'scaling.json'), 'utf8')) as ScalingResult
      expect(json.format).to.equal('imi-sim-scaling/1')
      expect(json.points.map((p) => p.id)).to.deep.equal(['scaling-2n-1x', 'scaling-3n-1x', 'scaling-2n-2x'])
      for (const p of json.points) {
        expect(p.error, p.error).to.equal(undefined)
        const m = p.measure!
        expect(m.peakRssMb).to.be.above(m.peakHeapUsedMb).and.above(50)
        expect(m.peakHeapUsedMb).to.be.above(0)
        expect(m.realMs.total).to.be.at.least(m.realMs.simulate + m.realMs.warmUp)
        expect(m.requestsSent).to.be.at.most(m.requestsPlanned)
        expect(m.assertionsFailed).to.deep.equal([])
        expect(p.derived!.rssPerNodeMb).to.be.closeTo(m.peakRssMb / p.nodes, 0.1)
        expect(await readFile(join(out, p.dir, 'metrics.json'), 'utf8')).to.contain('"imi-sim-metrics/1"')
      }
      // The workload is planned from the seed: twice the rate plans more.
      const [a, , b] = json.points
      expect(b!.measure!.requestsPlanned + b!.measure!.alertsIssued).to.be.above(a!.measure!.requestsPlanned + a!.measure!.alertsIssued)
      expect(json.fits.rssByNodes!.n).to.equal(2)
      expect(json.fits.simByRequests!.n).to.equal(2)
      expect(progress.at(-1)).to.equal(3)
      expect(json.load.before).to.have.length(3)
      const html = renderScaling(json)
      expect(html).to.match(/^<!doctype html>/).and.to.contain('<svg').and.to.contain('<circle').and.to.contain('MB a node')
      expect(html).not.to.match(/<script|<link|src="http/)
    } finally {
      await rm(out, { recursive: true, force: true })
    }
  })
})
