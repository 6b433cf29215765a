/**
 * The geometry of a horizontal bar chart, as pure arithmetic: a round upper bound and
 * its ticks, one row per label, one bar per series in each row, value labels after the
 * bars, optional reference marks (a target). No DOM, so it is unit-tested; chart.ts draws
 * it as inline SVG. Horizontal bars keep long labels (authorities, states) readable.
 */

export interface BarRow {
  readonly label: string
  /** One value per series; null is "no data" (no bar, a dash). */
  readonly values: ReadonlyArray<number | null>
  /** A class for this row's bars (a rating colour), instead of the series' own. */
  readonly cls?: string
}

export interface BarSeries { readonly name: string, readonly cls: string }

export interface BarChartSpec {
  readonly rows: readonly BarRow[]
  readonly series: readonly BarSeries[]
  /** The scale's end; else a round number above the largest value. */
  readonly max?: number
  /** Vertical reference lines, e.g. a target of 80 %. */
  readonly marks?: ReadonlyArray<{ readonly value: number, readonly label: string }>
  readonly format: (n: number) => string
  readonly width?: number
}

export interface Bar { readonly x: number, readonly y: number, readonly width: number, readonly height: number, readonly cls: string, readonly value: number | null, readonly text: string, readonly textX: number }

export interface ChartLayout {
  readonly width: number
  readonly height: number
  readonly plotX: number
  readonly plotWidth: number
  readonly plotTop: number
  readonly plotBottom: number
  readonly rows: ReadonlyArray<{ readonly label: string, readonly y: number }>
  readonly bars: readonly Bar[]
  readonly ticks: ReadonlyArray<{ readonly x: number, readonly text: string }>
  readonly marks: ReadonlyArray<{ readonly x: number, readonly label: string }>
}

export const BAR_HEIGHT = 16
const BAR_GAP = 3
const ROW_GAP = 12
const CHAR_WIDTH = 7
const VALUE_ROOM = 56
const TOP = 8
const AXIS_ROOM = 22

/** The smallest 1, 2 or 5 times a power of ten at or above `n` (1 for nothing). */
export function niceMax (n: number): number {
  if (!(n > 0)) return 1
  const power = 10 ** Math.floor(Math.log10(n))
  for (const step of [1, 2, 5, 10]) if (step * power >= n) return step * power
  return 10 * power
}

/** Up to five ticks from 0 to `max`, whole numbers where the scale allows. */
export function ticks (max: number): number[] {
  const steps = max <= 4 && Number.isInteger(max) ? max : 4
  return Array.from({ length: steps + 1 }, (_, i) => Math.round((max * i / steps) * 100) / 100)
}

/** A label cut to `chars` characters, with an ellipsis (the table beside the chart has it whole). */
export function shorten (label: string, chars: number): string {
  return [...label].length <= chars ? label : `${[...label].slice(0, Math.max(1, chars - 1)).join('')}…`
}

export function layoutBars (spec: BarChartSpec): ChartLayout {
  const width = spec.width ?? 640
  const longest = Math.max(4, ...spec.rows.map((r) => [...r.label].length))
  const labelChars = Math.min(30, longest)
  const plotX = labelChars * CHAR_WIDTH + 12
  const plotWidth = Math.max(80, width - plotX - VALUE_ROOM)
  const values = spec.rows.flatMap((r) => r.values.filter((v): v is number => v !== null))
  const max = spec.max ?? niceMax(Math.max(0, ...values))
  const scale = (v: number): number => Math.max(0, Math.min(1, v / max)) * plotWidth
  const rowHeight = spec.series.length * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
  const rows: Array<{ label: string, y: number }> = []
  const bars: Bar[] = []
  spec.rows.forEach((row, i) => {
    const top = TOP + i * (rowHeight + ROW_GAP)
    rows.push({ label: shorten(row.label, labelChars), y: top + rowHeight / 2 })
    spec.series.forEach((s, j) => {
      const value = row.values[j] ?? null
      const y = top + j * (BAR_HEIGHT + BAR_GAP)
      const w = value === null ? 0 : scale(value)
      bars.push({ x: plotX, y, width: w, height: BAR_HEIGHT, cls: row.cls ?? s.cls, value, text: value === null ? '–' : spec.format(value), textX: plotX + w + 4 })
    })
  })
  const plotBottom = TOP + spec.rows.length * (rowHeight + ROW_GAP) - ROW_GAP + 4
  return {
    width,
    height: plotBottom + AXIS_ROOM,
    plotX,
    plotWidth,
    plotTop: TOP - 4,
    plotBottom,
    rows,
    bars,
    ticks: ticks(max).map((v) => ({ x: plotX + scale(v), text: spec.format(v) })),
    marks: (spec.marks ?? []).map((m) => ({ x: plotX + scale(m.value), label: m.label }))
  }
}
