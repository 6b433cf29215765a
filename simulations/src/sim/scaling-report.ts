/**
 * The scaling study's page: one self-contained HTML file in the style of the run's
 * report (inline CSS and SVG, no script): memory and run time against the number of
 * nodes and against the traffic, lines with points, the fits, every point's figures and
 * a link to its own report.
 */
import { COLORS, REPORT_STYLE, esc, fmt, lineChart, table } from './report.js'
import type { LinearFit, ScalingPoint, ScalingResult } from './scaling.js'
import type { PointMeasure } from './scaling-point.js'

type Measured = ScalingPoint & { readonly measure: PointMeasure, readonly derived: NonNullable<ScalingPoint['derived']> }

const fitText = (f: LinearFit | null, unit: string, per: string, digits = 1): string =>
  f === null ? 'not enough points' : `${fmt(f.slope, digits)} ${unit} a ${per} (${f.intercept < 0 ? '−' : '+'} ${fmt(Math.abs(f.intercept), digits)} ${unit}; R² ${fmt(f.r2, 3)}, ${f.n} points)`
const days = (n: number): string => `${fmt(n)} simulated day${n === 1 ? '' : 's'}`

export function renderScaling (r: ScalingResult): string {
  const measured = r.points.filter((p): p is Measured => p.measure !== undefined && p.derived !== undefined)
  const ns = measured.filter((p) => p.sweeps.includes('nodes')).sort((a, b) => a.nodes - b.nodes)
  const ts = measured.filter((p) => p.sweeps.includes('traffic')).sort((a, b) => a.rate - b.rate)
  const failed = r.points.filter((p) => p.error !== undefined)
  const f = r.fits
  const sections: string[] = []
  const busy = r.load.max1m > r.platform.cpus

  sections.push(`<section id="summary"><h2>Summary${r.complete ? '' : ' <span class="bad">(the sweep is still running, or was cut short)</span>'}</h2>
<p>${r.points.length} point${r.points.length === 1 ? '' : 's'}, ${days(r.options.days)} each (steps of ${fmt(r.options.stepHours)} h, seed ${r.options.seed}), each in a fresh process with a heap limit of ${fmt(r.options.heapLimitMb, 0)} MB; the sweep took ${fmt(r.realMs / 60_000)} minutes on ${r.platform.cpus} cores (${esc(r.platform.cpuModel)}, ${fmt(r.platform.memoryMb / 1000)} GB, Node ${esc(r.platform.node)}).
Load average (1, 5, 15 min): ${r.load.before.map((x) => fmt(x, 2)).join(', ')} at the start, ${r.load.after.map((x) => fmt(x, 2)).join(', ')} at the end, 1-minute figure up to ${fmt(r.load.max1m, 2)} around the points${busy ? ': <b>more than the cores</b>, other work competed for the CPU and the times are upper bounds' : ''}.</p>
<ul>
<li><b>Memory against nodes</b>: peak RSS ${fitText(f.rssByNodes, 'MB', 'node')}; heap in use ${fitText(f.heapByNodes, 'MB', 'node')}. Grows as nodes<sup>${fmt(f.exponents.rss, 2)}</sup>.</li>
<li><b>Forming the federations</b> (start and warm-up): ${fitText(f.formationByNodes, 's', 'node')}.</li>
<li><b>Simulating</b>: ${fitText(f.simPerDayByNodes, 'ms per simulated day', 'node', 0)} at the 2019 rate; as nodes<sup>${fmt(f.exponents.simPerDay, 2)}</sup>; total run time as nodes<sup>${fmt(f.exponents.totalTime, 2)}</sup>, CPU time (which other work on the machine disturbs least) as nodes<sup>${fmt(f.exponents.cpu, 2)}</sup>.</li>
<li><b>Traffic</b> (${r.options.rateNodes} nodes): simulation time ${fitText(f.simByRequests, 'ms', 'request sent', 0)} (alerts scaled with the requests, at the 2019 to 2016-2017 ratio); peak RSS ${fitText(f.rssByRequests, 'MB', 'request sent', 3)}.</li>
${f.model === null ? '' : `<li><b>Model over every point</b>: simulation ms per simulated day ≈ ${fmt(f.model.base, 0)} + ${fmt(f.model.perNode, 1)} × nodes + ${fmt(f.model.perRequestPerDay, 0)} × requests a day (R² ${fmt(f.model.r2, 3)}, ${f.model.n} points).</li>`}
</ul>
${failed.length === 0 ? '' : `<p class="bad">Points that did not finish: ${failed.map((p) => `${esc(p.id)}: ${esc(p.error!.split('\n')[0])}`).join('; ')}</p>`}</section>`)

  const xNodes = ns.map((p) => p.nodes)
  if (ns.length > 0) {
    sections.push(`<section id="nodes"><h2>Against the number of nodes (2019 rate)</h2>
<p>Up to 30 nodes, one federation of the busiest states; above, equal independent federations of at most 30 in the one process (60 = 2 × 30, 100 = 4 × 25), each with its own share of the 2019 traffic: the traffic grows with the nodes. Memory is the process's (every node shares one heap): the kernel's high-water mark of resident memory, and the V8 heap in use sampled every 200 ms.</p>
${lineChart({ xs: xNodes, xTicks: xNodes, points: true, xLabel: 'nodes', yLabel: 'MB', series: [
    { name: 'peak RSS, MB', values: ns.map((p) => p.measure.peakRssMb), color: COLORS[0] },
    { name: 'peak heap in use, MB', values: ns.map((p) => p.measure.peakHeapUsedMb), color: COLORS[1] },
    { name: 'peak outside the heap, MB', values: ns.map((p) => p.measure.peakExternalMb), color: COLORS[2] }
  ] })}
${lineChart({ xs: xNodes, xTicks: xNodes, points: true, xLabel: 'nodes', yLabel: 'real seconds', series: [
    { name: 'total, s', values: ns.map((p) => p.measure.realMs.total / 1000), color: COLORS[0] },
    { name: 'start and warm-up, s', values: ns.map((p) => (p.measure.realMs.start + p.measure.realMs.warmUp) / 1000), color: COLORS[1] },
    { name: 'CPU, s', values: ns.map((p) => (p.measure.cpuMs.user + p.measure.cpuMs.system) / 1000), color: COLORS[4] },
    { name: `${days(r.options.days)}, s`, values: ns.map((p) => p.measure.realMs.simulate / 1000), color: COLORS[2] }
  ] })}
${lineChart({ xs: xNodes, xTicks: xNodes, points: true, xLabel: 'nodes', yLabel: 'real ms', series: [
    { name: 'real ms per simulated day', values: ns.map((p) => p.derived.simMsPerDay), color: COLORS[3] }
  ] })}</section>`)
  }

  const xRates = ts.map((p) => p.rate)
  if (ts.length > 0) {
    sections.push(`<section id="traffic"><h2>Against the traffic (${r.options.rateNodes} nodes)</h2>
<p>Multiples of the 2019 request rate and of the 2016-2017 alert rate together (1 × is ${ts.find((p) => p.rate === 1) === undefined ? 'the rate of these states' : `${fmt(ts.find((p) => p.rate === 1)!.requestsPerMonth)} requests and ${fmt(ts.find((p) => p.rate === 1)!.alertsPerMonth)} alerts a month for these states`}).</p>
${lineChart({ xs: xRates, xTicks: xRates, points: true, xLabel: '× the 2019 rate', yLabel: 'MB', series: [
    { name: 'peak RSS, MB', values: ts.map((p) => p.measure.peakRssMb), color: COLORS[0] },
    { name: 'peak heap in use, MB', values: ts.map((p) => p.measure.peakHeapUsedMb), color: COLORS[1] }
  ] })}
${lineChart({ xs: xRates, xTicks: xRates, points: true, xLabel: '× the 2019 rate', yLabel: 'real seconds', series: [
    { name: `${days(r.options.days)}, s`, values: ts.map((p) => p.measure.realMs.simulate / 1000), color: COLORS[2] },
    { name: 'total, s', values: ts.map((p) => p.measure.realMs.total / 1000), color: COLORS[0] }
  ] })}
${lineChart({ xs: xRates, xTicks: xRates, points: true, xLabel: '× the 2019 rate', yLabel: 'requests', series: [
    { name: 'requests sent', values: ts.map((p) => p.measure.requestsSent), color: COLORS[4] },
    { name: 'alerts issued', values: ts.map((p) => p.measure.alertsIssued), color: COLORS[5] }
  ] })}</section>`)
  }

  sections.push(`<section id="points"><h2>Every point</h2>
${table(['point', 'sweep', 'nodes', 'layout', 'rate', 'requests sent', 'alerts', 'peak RSS MB', 'MB a node', 'heap MB', 'start + warm-up s', 'simulate s', 'ms / sim. day', 'ms / request', 'total s', 'CPU s', 'load before / after', 'assertions', 'report'],
    r.points.map((p) => {
      const m = p.measure
      const d = p.derived
      if (m === undefined || d === undefined) return [esc(p.id), esc(p.sweeps.join(', ')), fmt(p.nodes, 0), `${p.federations} × ${p.statesPerFederation}`, `${fmt(p.rate, 2)} ×`, `<span class="bad">${esc((p.error ?? 'no result').split('\n')[0])}</span>`, '', '', '', '', '', '', '', '', '', '', '', '', '']
      return [esc(p.id), esc(p.sweeps.join(', ')), fmt(p.nodes, 0), `${p.federations} × ${p.statesPerFederation}`, `${fmt(p.rate, 2)} ×`, fmt(m.requestsSent, 0), fmt(m.alertsIssued, 0),
        fmt(m.peakRssMb, 0), fmt(d.rssPerNodeMb), fmt(m.peakHeapUsedMb, 0), fmt((m.realMs.start + m.realMs.warmUp) / 1000), fmt(m.realMs.simulate / 1000), fmt(d.simMsPerDay, 0), fmt(d.simMsPerRequest, 0),
        fmt(m.realMs.total / 1000), fmt((m.cpuMs.user + m.cpuMs.system) / 1000), `${fmt(m.loadBefore[0], 2)} / ${fmt(m.loadAfter[0], 2)}`,
        m.assertionsFailed.length === 0 ? `<span class="ok">${m.assertionsHeld} hold</span>` : `<span class="bad" title="${esc(m.assertionsFailed.join('; '))}">${m.assertionsFailed.length} fail</span>`,
        `<a href="${esc(p.dir)}/report.html">report</a>`]
    }))}
<p>Each point's scenario, metrics.json and report are in its folder. Every figure here is timing-dependent: it depends on the machine and on what else ran on it.</p></section>`)

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>IMI simulation: scaling study</title>
<style>
${REPORT_STYLE}</style></head><body>
<h1>IMI federation simulation: how memory and run time grow</h1>
<p><b>Nodes</b> ${esc(r.options.nodes.join(', '))} at the 2019 rate · <b>traffic</b> ${esc(r.options.rates.map((x) => `${x} ×`).join(', '))} at ${r.options.rateNodes} nodes · <b>simulated</b> ${fmt(r.options.days)} days a point · <b>run</b> ${esc(r.startedAt)}, ${fmt(r.realMs / 60_000)} min</p>
<nav>${[['summary', 'summary and fits'], ['nodes', 'against nodes'], ['traffic', 'against traffic'], ['points', 'every point']].map(([id, t]) => `<a href="#${id}">${t}</a>`).join(' · ')}</nav>
${sections.join('\n')}
</body></html>
`
}
