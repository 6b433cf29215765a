/**
 * Inline SVG bar charts, drawn from chart-layout.ts's geometry: nothing loaded from
 * anywhere, no library, colours from the stylesheet (classes, never style attributes,
 * which the CSP forbids). Each chart is a figure: the caption names it, the SVG has the
 * same name as an image, a legend names the series in text, and the same figures follow
 * in a table for anyone who cannot read the picture.
 */
import { layoutBars, type BarChartSpec } from './chart-layout.js'
import { h, uid, type Child } from './dom.js'
import { isAllowedAttribute } from './safe.js'

const SVG = 'http://www.w3.org/2000/svg'

type SvgChild = SVGElement | string

/** An SVG element; text becomes a text node, attributes pass the same check as h(). */
export function svg (tag: string, attrs: Readonly<Record<string, string | number>>, ...children: SvgChild[]): SVGElement {
  const el = document.createElementNS(SVG, tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (!isAllowedAttribute(name)) throw new Error(`attribute ${name} is not allowed`)
    el.setAttribute(name, String(value))
  }
  for (const c of children) el.append(typeof c === 'string' ? document.createTextNode(c) : c)
  return el
}

export interface ChartFigure extends BarChartSpec {
  readonly caption: string
  /** Headers of the table of figures: the row label's column, then one per series. */
  readonly tableHeaders: readonly string[]
  /** The "show as a table" summary text. */
  readonly tableLabel: string
  /** Text for a row's cell of the table (defaults to the bar's label). */
  readonly cell?: (row: number, series: number) => string
}

export function barChart (fig: ChartFigure): HTMLElement {
  const l = layoutBars(fig)
  const captionId = uid('chart')
  const picture = svg('svg', { viewBox: `0 0 ${l.width} ${l.height}`, role: 'img', 'aria-labelledby': captionId, class: 'bar-chart', focusable: 'false' },
    svg('g', { class: 'chart-grid' }, ...l.ticks.map((tk) => svg('line', { x1: tk.x, x2: tk.x, y1: l.plotTop, y2: l.plotBottom }))),
    svg('g', { class: 'chart-axis' }, ...l.ticks.map((tk) => svg('text', { x: tk.x, y: l.plotBottom + 15, 'text-anchor': 'middle' }, tk.text))),
    svg('g', { class: 'chart-labels' }, ...l.rows.map((r) => svg('text', { x: l.plotX - 8, y: r.y + 4, 'text-anchor': 'end' }, r.label))),
    svg('g', { class: 'chart-bars' }, ...l.bars.map((b) => svg('rect', { x: b.x, y: b.y, width: Math.max(0, b.width), height: b.height, class: b.cls, rx: 2 }))),
    svg('g', { class: 'chart-values' }, ...l.bars.map((b) => svg('text', { x: b.textX, y: b.y + b.height - 4 }, b.text))),
    svg('g', { class: 'chart-marks' }, ...l.marks.map((m) => svg('g', {},
      svg('line', { x1: m.x, x2: m.x, y1: l.plotTop, y2: l.plotBottom }),
      svg('title', {}, m.label)))))
  const legend: Child = fig.series.length < 2 && (fig.marks ?? []).length === 0 ? null
    : h('ul', { class: 'chart-legend' },
      fig.series.length < 2 ? null : fig.series.map((s) => h('li', null, h('span', { class: `swatch ${s.cls}`, 'aria-hidden': 'true' }), s.name)),
      (fig.marks ?? []).map((m) => h('li', null, h('span', { class: 'swatch swatch-mark', 'aria-hidden': 'true' }), m.label)))
  const cell = fig.cell ?? ((row: number, series: number): string => l.bars[row * fig.series.length + series]?.text ?? '–')
  const table = h('details', { class: 'chart-table' },
    h('summary', null, fig.tableLabel),
    h('table', { class: 'data compact' },
      h('caption', { class: 'sr-only' }, fig.caption),
      h('thead', null, h('tr', null, fig.tableHeaders.map((th, i) => h('th', { scope: 'col', class: i === 0 ? null : 'num' }, th)))),
      h('tbody', null, fig.rows.map((r, i) => h('tr', null,
        h('th', { scope: 'row' }, r.label),
        fig.series.map((_, j) => h('td', { class: 'num' }, cell(i, j))))))))
  return h('figure', { class: 'chart' }, h('figcaption', { id: captionId }, fig.caption), picture, legend, table)
}
