/**
 * The run's report: one self-contained HTML file (inline CSS and SVG charts, no script,
 * no external asset), readable offline and attachable to a paper's data.
 */
import type { SimMetrics } from './metrics.js'
import { ANSWER_2010, LEFT_THE_FEDERATION, RECEIVERS_2010, REQUESTS_2010, SENDERS_2010 } from './model.js'
import type { Histogram } from './stats.js'

export const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
export const fmt = (n: number | null | undefined, digits = 1): string => n === null || n === undefined || Number.isNaN(n) ? '–' : n.toLocaleString('en-GB', { maximumFractionDigits: digits })
export const COLORS: readonly string[] = ['#1f5fa8', '#e08a1e', '#6b9f3a', '#b03a48', '#7a5195', '#3a8f8f']

export interface Series { readonly name: string, readonly values: ReadonlyArray<number | null>, readonly color?: string | undefined }

/** A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about four ticks up to `max`. */
function niceStep (span: number): number {
  const raw = Math.max(span, 1e-9) / 4
  const p = 10 ** Math.floor(Math.log10(raw))
  return [1, 2, 2.5, 5, 10].map((k) => k * p).find((x) => x >= raw)!
}

/** A legend in one row: a swatch and the name of each series, spaced by the names' length. */
function legendOf (series: readonly Series[], left: number): string {
  let x = left
  return series.map((s, j) => {
    const out = `<rect x="${x}" y="4" width="10" height="10" fill="${s.color ?? COLORS[j % COLORS.length]}"/><text x="${x + 14}" y="13" class="t">${esc(s.name)}</text>`
    x += 14 + s.name.length * 6.2 + 16
    return out
  }).join('')
}

/** Vertical bars, one group per label. */
function barChart (opts: { labels: readonly string[], series: readonly Series[], yLabel: string, width?: number, height?: number }): string {
  const W = opts.width ?? Math.max(520, opts.labels.length * (14 * opts.series.length + 12) + 80)
  const H = opts.height ?? 260
  const left = 52
  const bottom = 40
  const top = 24
  const highest = Math.max(1e-9, ...opts.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v))))
  const step = niceStep(highest)
  const max = step * Math.ceil(highest / step)
  const plotW = W - left - 10
  const plotH = H - top - bottom
  const groupW = plotW / Math.max(1, opts.labels.length)
  const barW = Math.max(2, (groupW - 6) / opts.series.length)
  const y = (v: number): number => top + plotH - v / max * plotH
  const parts: string[] = []
  for (let v = 0; v <= max + step / 1000; v += step) {
    parts.push(`<line x1="${left}" x2="${W - 10}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${left - 4}" y="${y(v) + 4}" text-anchor="end" class="t">${fmt(v, step < 1 ? 2 : 1)}</text>`)
  }
  opts.labels.forEach((label, i) => {
    const x0 = left + i * groupW + 3
    opts.series.forEach((s, j) => {
      const v = s.values[i]
      if (v === null || v === undefined || !Number.isFinite(v)) return
      parts.push(`<rect x="${x0 + j * barW}" y="${y(v)}" width="${barW - 1}" height="${Math.max(0, top + plotH - y(v))}" fill="${s.color ?? COLORS[j % COLORS.length]}"><title>${esc(label)} ${esc(s.name)}: ${fmt(v, 2)}</title></rect>`)
    })
    parts.push(`<text x="${x0 + groupW / 2 - 3}" y="${H - bottom + 14}" text-anchor="middle" class="t">${esc(label)}</text>`)
  })
  const legend = legendOf(opts.series, left)
  // Wider than the page (30 states): scrolls sideways at full size instead of shrinking.
  return `<div class="wide"><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img"><text x="12" y="${top + plotH / 2}" transform="rotate(-90 12 ${top + plotH / 2})" text-anchor="middle" class="t">${esc(opts.yLabel)}</text>${legend}${parts.join('')}<line x1="${left}" x2="${W - 10}" y1="${top + plotH}" y2="${top + plotH}" stroke="#333"/></svg></div>`
}

/** Lines over a numeric x axis; `points` marks each value (with its figures as a tooltip), `xTicks` puts the x ticks there. */
export function lineChart (opts: { xs: readonly number[], series: readonly Series[], xLabel: string, yLabel: string, yMax?: number, yMin?: number, width?: number, height?: number, points?: boolean, xTicks?: readonly number[] }): string {
  const W = opts.width ?? 640
  const H = opts.height ?? 240
  const left = 52
  const bottom = 36
  const top = 24
  const vals = opts.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)))
  const yMin0 = opts.yMin ?? Math.min(0, ...vals)
  const step = niceStep((opts.yMax ?? Math.max(1e-9, ...vals)) - yMin0)
  const yMin = Math.floor(yMin0 / step) * step
  const yMax = opts.yMax ?? step * Math.ceil(Math.max(1e-9, ...vals) / step)
  const xMin = Math.min(...opts.xs, 0)
  const xMax = Math.max(...opts.xs, xMin + 1e-9)
  const plotW = W - left - 14
  const plotH = H - top - bottom
  const x = (v: number): number => left + (v - xMin) / (xMax - xMin || 1) * plotW
  const y = (v: number): number => top + plotH - (v - yMin) / (yMax - yMin || 1) * plotH
  const parts: string[] = []
  for (let v = yMin; v <= yMax + step / 1000; v += step) {
    parts.push(`<line x1="${left}" x2="${W - 14}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${left - 4}" y="${y(v) + 4}" text-anchor="end" class="t">${fmt(v, step < 1 ? 2 : 1)}</text>`)
  }
  for (const v of opts.xTicks ?? Array.from({ length: 6 }, (_, i) => xMin + (xMax - xMin) * i / 5)) {
    parts.push(`<text x="${x(v)}" y="${H - bottom + 14}" text-anchor="middle" class="t">${fmt(v, opts.xTicks === undefined ? 0 : 2)}</text>`)
  }
  opts.series.forEach((s, j) => {
    const pts = opts.xs.map((xv, i) => [xv, s.values[i]] as const).filter((p): p is readonly [number, number] => p[1] !== null && p[1] !== undefined && Number.isFinite(p[1]))
    if (pts.length === 0) return
    parts.push(`<polyline fill="none" stroke="${s.color ?? COLORS[j % COLORS.length]}" stroke-width="1.8" points="${pts.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(' ')}"/>`)
    if (opts.points === true) for (const [a, b] of pts) parts.push(`<circle cx="${x(a).toFixed(1)}" cy="${y(b).toFixed(1)}" r="3.2" fill="${s.color ?? COLORS[j % COLORS.length]}"><title>${esc(s.name)}: ${fmt(b, 2)} at ${esc(opts.xLabel)} ${fmt(a, 2)}</title></circle>`)
  })
  const legend = legendOf(opts.series, left)
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">${legend}<text x="12" y="${top + plotH / 2}" transform="rotate(-90 12 ${top + plotH / 2})" text-anchor="middle" class="t">${esc(opts.yLabel)}</text><text x="${left + plotW / 2}" y="${H - 4}" text-anchor="middle" class="t">${esc(opts.xLabel)}</text>${parts.join('')}<line x1="${left}" x2="${W - 14}" y1="${top + plotH}" y2="${top + plotH}" stroke="#333"/></svg>`
}

function histogramLabels (h: Histogram, unit: string): string[] {
  return h.bounds.map((b, i) => {
    const lo = i === 0 ? 0 : h.bounds[i - 1]!
    return b === null ? `>${fmt(lo, 0)}` : `≤${fmt(b, b < 10 ? 1 : 0)}${i === h.bounds.length - 2 ? unit : ''}`
  })
}

function histogramChart (hs: ReadonlyArray<{ name: string, h: Histogram }>, unit: string, yLabel = 'share, %'): string {
  const first = hs[0]!.h
  // Drop empty bins at both ends so the bars stay readable.
  const total = (h: Histogram): number => h.counts.reduce((s, c) => s + c, 0)
  const used = first.counts.map((_, i) => hs.some((x) => x.h.counts[i]! > 0))
  const lo = Math.max(0, used.indexOf(true))
  const hi = Math.max(lo, used.lastIndexOf(true))
  const labels = histogramLabels(first, unit).slice(lo, hi + 1)
  return barChart({
    labels,
    series: hs.map((x) => ({ name: `${x.name} (n=${total(x.h)})`, values: x.h.counts.slice(lo, hi + 1).map((c) => total(x.h) === 0 ? 0 : c / total(x.h) * 100) })),
    yLabel
  })
}

export function table (head: readonly string[], rows: ReadonlyArray<readonly string[]>, cls = ''): string {
  return `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`
}

/** The reports' style sheet (the run's report and the scaling study's page). */
export const REPORT_STYLE = `body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.8em 0;font-size:13px}th,td{border:1px solid #ddd;padding:3px 7px;text-align:right;vertical-align:top}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}td ul{margin:.3em 0;padding-left:1.2em;text-align:left}
.t{font-size:11px;fill:#444}.ok{color:#2a7d2a;font-weight:600}.bad{color:#b3261e;font-weight:600}
.r{padding:0 5px;border-radius:3px}.r.good{background:#d7efd3}.r.fair{background:#fbefc5}.r.bad{background:#f6d0cc}.r.n\\/a{background:#eee}
svg{display:block;margin:.6em 0;max-width:100%;height:auto}.wide{overflow-x:auto}.wide svg{max-width:none}pre{background:#f7f7f7;padding:.8em;overflow:auto;font-size:12px}small{color:#666}
`

const rating = (r: string): string => `<span class="r ${esc(r)}">${esc(r)}</span>`

export function renderReport (m: SimMetrics): string {
  const s = m.scenario
  const states = s.countries
  const ok = m.assertions.every((a) => a.ok)
  const sections: string[] = []

  sections.push(`<section id="assertions"><h2>Assertions: ${ok ? '<span class="ok">all hold</span>' : '<span class="bad">some fail</span>'}</h2>${table(['id', 'kind', 'result', 'checked', 'failed', 'detail'],
    m.assertions.map((a) => [esc(a.id), esc(a.kind), a.ok ? `<span class="ok">${a.vacuous ? 'holds (vacuous)' : 'holds'}</span>` : '<span class="bad">fails</span>', fmt(a.checked, 0), fmt(a.failed, 0),
      esc(a.detail) + (a.examples.length > 0 ? `<ul>${a.examples.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>` : '')]))}</section>`)

  // Requests per state beside 2010.
  const byState = m.requests.byState
  const named = [...new Set([...Object.keys(SENDERS_2010), ...Object.keys(RECEIVERS_2010)])]
  const allStates = [...states, ...named.filter((c) => !states.includes(c))]
  sections.push(`<section id="requests"><h2>Requests sent and received per member state</h2>
<p>${fmt(m.requests.sent, 0)} requests sent of ${fmt(m.requests.planned, 0)} planned (${fmt(m.workload.requestsPerMonth)} a month${s.federations > 1 ? ` in each of ${s.federations} federations` : ''}); ${fmt(m.requests.accepted, 0)} accepted, ${fmt(m.requests.answered, 0)} answered, ${fmt(m.requests.closed, 0)} closed by the end.
Shares in percent of all requests: the run, the model's weights (2010 figures where the text names a state, the rest by size), and 2010 where the text gives a figure (of ${fmt(REQUESTS_2010, 0)}).
${esc(m.requests.uk2010.note.charAt(0).toUpperCase() + m.requests.uk2010.note.slice(1))}.</p>
${barChart({ labels: states, series: [
    { name: 'sent, run %', values: states.map((c) => byState[c]!.sentPct), color: COLORS[0] },
    { name: 'sent, model %', values: states.map((c) => byState[c]!.modelSentPct), color: '#9db9dd' },
    { name: 'received, run %', values: states.map((c) => byState[c]!.receivedPct), color: COLORS[1] },
    { name: 'received, model %', values: states.map((c) => byState[c]!.modelReceivedPct), color: '#f0c48a' }
  ], yLabel: '% of requests' })}
${table(['state', 'sent', 'sent %', 'model %', '2010 sent', 'received', 'received %', 'model %', '2010 received'], allStates.map((c) => {
    const r = byState[c]
    const s10 = SENDERS_2010[c]
    const r10 = RECEIVERS_2010[c]
    const y10 = (n: number | undefined): string => n === undefined ? '–' : `${n} (${fmt(n / REQUESTS_2010 * 100)} %)`
    return r === undefined
      ? [`${esc(c)} <small>(${(LEFT_THE_FEDERATION as readonly string[]).includes(c) ? 'left' : 'not in this run'})</small>`, '–', '–', '–', y10(s10), '–', '–', '–', y10(r10)]
      : [esc(c), fmt(r.sent, 0), fmt(r.sentPct), fmt(r.modelSentPct), y10(s10), fmt(r.received, 0), fmt(r.receivedPct), fmt(r.modelReceivedPct), y10(r10)]
  }))}
${table(['modelled area', 'planned', 'sent', 'sent as'], Object.entries(m.requests.byArea).map(([a, v]) => [esc(a), fmt(v.planned, 0), fmt(v.sent, 0), esc(v.sentAs) + (v.sentAs === a ? '' : ' <small>(the scenario\'s areaOnWire)</small>')]))}</section>`)

  // Answer times.
  const at = m.answerTimes
  sections.push(`<section id="answers"><h2>Answer times (simulated days, sending to final answer)</h2>
<p>All states: median ${fmt(at.all.p50)} days, p90 ${fmt(at.all.p90)}, mean ${fmt(at.all.mean)} (n=${fmt(at.all.n, 0)}). Within 3 days: ${fmt(at.within3DaysPct)} % (2010: ${fmt(ANSWER_2010.within3Days * 100)} %); within 14 days: ${fmt(at.within14DaysPct)} % (2010: ${fmt(ANSWER_2010.within14Days * 100)} %).
Requests sent late in the run and still open at the end are not counted, which shortens these figures for short runs.</p>
${histogramChart([{ name: 'answered', h: at.histogramDays }], ' d')}
${barChart({ labels: states, series: [
    { name: 'model median, days', values: states.map((c) => at.byState[c]!.modelMedianDays), color: '#aaa' },
    { name: 'run median, days', values: states.map((c) => at.byState[c]!.days.p50), color: COLORS[0] },
    { name: 'run p90, days', values: states.map((c) => at.byState[c]!.days.p90), color: COLORS[3] }
  ], yLabel: 'days' })}
${table(['state', 'group', 'model median', 'model ≤ 7 days', 'answered', 'median', 'p90', 'mean'], states.map((c) => {
    const r = at.byState[c]!
    return [esc(c), esc(r.group), fmt(r.modelMedianDays), `${fmt(r.modelWithin7DaysPct)} %`, fmt(r.days.n, 0), fmt(r.days.p50), fmt(r.days.p90), fmt(r.days.mean)]
  }))}</section>`)

  // Delivery latency.
  const d = m.delivery
  sections.push(`<section id="delivery"><h2>Delivery latency (real milliseconds)</h2>
<p>From an official's action to the other node having applied it (request events), and from issuing an alert to each addressed node holding it (gossip). Request events: p50 ${fmt(d.requestEvents.p50)} ms, p90 ${fmt(d.requestEvents.p90)}, p99 ${fmt(d.requestEvents.p99)} (n=${fmt(d.requestEvents.n, 0)}); alerts: p50 ${fmt(d.alertEvents.p50)} ms, p90 ${fmt(d.alertEvents.p90)}, p99 ${fmt(d.alertEvents.p99)} (n=${fmt(d.alertEvents.n, 0)}).
${fmt(d.delayedByFaults, 0)} deliveries were held up across steps by a fault (median ${fmt(d.delayedVirtualHours.p50)} simulated hours, max ${fmt(d.delayedVirtualHours.max)}).
All nodes share one process and ${m.run.platform.cpus} cores: these are latencies under that load, not a network's.</p>
${histogramChart([{ name: 'request events', h: d.histogramMs.requests }, { name: 'alerts', h: d.histogramMs.alerts }], ' ms')}
${table(['action', 'n', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'], Object.entries(d.byAction).map(([k, v]) => [esc(k), fmt(v.n, 0), fmt(v.p50), fmt(v.p90), fmt(v.p99), fmt(v.max)]))}</section>`)

  // Alerts.
  const al = m.alerts
  const cov = al.coverage.filter((c) => c.pct !== null)
  sections.push(`<section id="alerts"><h2>Alerts</h2>
<p>${fmt(al.issued, 0)} issued (${fmt(al.toAll, 0)} to all states, ${fmt(al.toSelected, 0)} to selected ones, content sealed), ${fmt(al.withdrawn, 0)} withdrawn. Every addressed state that could be reached held an alert after p50 ${fmt(al.reachAllMs.p50)} ms, p90 ${fmt(al.reachAllMs.p90)}, max ${fmt(al.reachAllMs.max)} (real).
Coverage: of the (alert, addressed state running at the time) pairs so far, the share held, sampled once a simulated day.</p>
${lineChart({ xs: cov.map((c) => c.day), series: [{ name: 'coverage, %', values: cov.map((c) => c.pct) }], xLabel: 'simulated day', yLabel: '% held', yMax: 100, yMin: Math.min(90, ...cov.map((c) => c.pct ?? 100)) })}
${lineChart({ xs: al.coverage.map((c) => c.day), series: [{ name: 'pairs expected', values: al.coverage.map((c) => c.expected) }, { name: 'pairs held', values: al.coverage.map((c) => c.held) }], xLabel: 'simulated day', yLabel: 'pairs' })}</section>`)

  // Indicators.
  sections.push(`<section id="indicators"><h2>The Commission's performance indicators (responding side)</h2>
<p>Computed by the node's own <code>indicatorsFor</code> over the requests of each state, at the end of the run. Accepted within 7 days and answered by the agreed date are good from 80 %; the average answer time is good under 16 days and bad over 25.</p>
${table(['state', 'received', 'accepted ≤ 7 days', '', 'average answer days', '', 'answered by agreed date', ''], states.map((c) => {
    const r = m.indicators[c]!.responding
    return [esc(c), fmt(m.indicators[c]!.received, 0),
      `${fmt(r.acceptedWithin7Days.percent)} % (${r.acceptedWithin7Days.met}/${r.acceptedWithin7Days.counted})`, rating(r.acceptedWithin7Days.rating),
      `${fmt(r.averageAnswerDays.days)} (${r.averageAnswerDays.answered})`, rating(r.averageAnswerDays.rating),
      `${fmt(r.answeredByAgreedDate.percent)} % (${r.answeredByAgreedDate.met}/${r.answeredByAgreedDate.counted})`, rating(r.answeredByAgreedDate.rating)]
  }))}</section>`)

  // Faults, refusals, logs.
  const counters = m.faults.counters.reduce<Record<string, number>>((acc, c) => { for (const [k, v] of Object.entries(c)) acc[k] = (acc[k] ?? 0) + v; return acc }, {})
  sections.push(`<section id="faults"><h2>Faults, refusals and warnings</h2>
${m.faults.log.length === 0 ? '<p>No faults in this scenario.</p>' : table(['day', 'kind', 'nodes', 'federation', 'real ms'], m.faults.log.map((f) => [fmt(f.day, 2), esc(f.kind), esc(f.nodes.join(', ') || '–'), fmt(f.federation, 0), fmt(f.realMs, 0)]))}
<p>${Object.entries(counters).map(([k, v]) => `${esc(k)}: ${fmt(v, 0)}`).join(' · ')} · request events that crossed a partition: ${fmt(m.faults.partitionLeaks, 0)}</p>
${table(['refused', 'code', 'count'], [
    ...Object.entries(m.rejections.broadcast).map(([k, v]) => ['gossip (broadcasts)', esc(k), fmt(v, 0)]),
    ...Object.entries(m.rejections.messaging).map(([k, v]) => ['direct messages', esc(k), fmt(v, 0)]),
    ...Object.entries(m.rejections.directory).map(([k, v]) => ['directory records', esc(k), fmt(v, 0)])
  ].concat(Object.keys(m.rejections.broadcast).length + Object.keys(m.rejections.messaging).length + Object.keys(m.rejections.directory).length === 0 ? [['–', 'nothing refused', '–']] : []))}
${Object.keys(m.logs).length === 0 ? '<p>No warning or error logged by any node.</p>' : table(['warnings and errors logged by the nodes', 'count'], Object.entries(m.logs).slice(0, 30).map(([k, v]) => [esc(k), fmt(v, 0)]))}
${m.requests.failed + Object.keys(m.requests.errors).length === 0 ? '' : `<p>Officials' actions refused: ${Object.entries(m.requests.errors).map(([k, v]) => `${esc(k)} ${fmt(v, 0)}`).join(', ')}; requests given up: ${fmt(m.requests.failed, 0)}.</p>`}</section>`)

  // Resources.
  const r = m.run
  sections.push(`<section id="resources"><h2>Run time and memory</h2>
<p>${fmt(r.nodes, 0)} nodes (${r.federations} federation${r.federations > 1 ? 's' : ''} of ${states.length}) in one process on ${r.platform.cpus} cores (${esc(r.platform.cpuModel)}, Node ${esc(r.platform.node)}; load average at the end ${fmt(r.platform.loadAverage1m, 2)}).
Real time: ${fmt(r.realMs.total / 1000)} s in all: start ${fmt(r.realMs.start / 1000)} s, warm-up ${fmt(r.realMs.warmUp / 1000)} s, ${fmt(r.simulatedDays)} simulated days in ${fmt(r.realMs.simulate / 1000)} s (${fmt(r.simulatedDaysPerRealMinute)} days a minute, ${fmt(r.steps, 0)} steps of ${fmt(s.stepHours)} h, ${fmt(r.stepsNotQuiet, 0)} not quiet within ${fmt(s.settleMs, 0)} ms), final settling ${fmt(r.realMs.settle / 1000)} s.
Steps: ${fmt(r.stepsMs.faultsAndTimers / 1000)} s on faults and timers, ${fmt(r.stepsMs.actions / 1000)} s on officials' actions, ${fmt(r.stepsMs.settling / 1000)} s waiting for deliveries.
CPU ${fmt(r.cpu.userMs / 1000)} s user + ${fmt(r.cpu.systemMs / 1000)} s system (${fmt(r.cpu.coresBusy, 2)} cores busy on average). Memory (process RSS): peak ${fmt(r.rss.peakMb)} MB, ${fmt(r.rss.perNodeMb)} MB a node; per-node figures are the process's divided by the nodes (they share one heap). ${fmt(r.timers.fired, 0)} virtual-clock timers fired${r.timers.errors > 0 ? `, ${r.timers.errors} threw: ${esc(r.timers.firstErrors.join('; '))}` : ''}.</p>
${lineChart({ xs: r.rss.samples.map((x) => x.day), series: [{ name: 'RSS, MB', values: r.rss.samples.map((x) => x.mb) }], xLabel: 'simulated day', yLabel: 'MB' })}
${table(['action', 'count', 'mean real ms'], Object.entries(r.actions).map(([k, v]) => [esc(k), fmt(v.count, 0), fmt(v.meanMs)]))}</section>`)

  sections.push(`<section id="reproduce"><h2>Reproducing this run</h2>
<p>The same scenario and seed give the same workload (every request and alert, its time, parties and delays) and the same virtual-time results unless an action had to wait for a delivery slower than a step (after faults). Timing-dependent figures: ${m.timingDependent.map((t) => `<code>${esc(t)}</code>`).join(', ')}.</p>
<details><summary>Scenario (with every default filled in)</summary><pre>${esc(JSON.stringify(s, null, 2))}</pre></details></section>`)

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>IMI simulation: ${esc(s.name)}, seed ${s.seed}</title>
<style>
${REPORT_STYLE}</style></head><body>
<h1>IMI federation simulation: ${esc(s.name)}</h1>
<p>${esc(s.description)}</p>
<p><b>Seed</b> ${s.seed} · <b>states</b> ${esc(states.join(', '))}${s.federations > 1 ? ` · <b>federations</b> ${s.federations}` : ''} · <b>simulated</b> ${fmt(s.durationDays)} days from ${esc(s.start)}${s.drainDays > 0 ? ` + ${fmt(s.drainDays)} to drain` : ''} · <b>run</b> ${esc(r.startedAt)}, ${fmt(r.realMs.total / 1000)} s real, peak RSS ${fmt(r.rss.peakMb)} MB</p>
<nav>${[['assertions', 'assertions'], ['requests', 'requests per state'], ['answers', 'answer times'], ['delivery', 'delivery latency'], ['alerts', 'alerts'], ['indicators', 'indicators'], ['faults', 'faults'], ['resources', 'run time and memory'], ['reproduce', 'reproducing']].map(([id, t]) => `<a href="#${id}">${t}</a>`).join(' · ')}</nav>
${sections.join('\n')}
</body></html>
`
}
