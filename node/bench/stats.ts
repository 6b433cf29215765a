/** Small helpers shared by every benchmark: percentiles, the result table, the JSON file. */
import { writeFile } from 'node:fs/promises'

export interface BenchResult {
  readonly name: string
  readonly value: number
  readonly unit: string
  readonly floor?: number
  readonly ratio?: number
}

export function percentile (samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[idx] ?? NaN
}

export function result (name: string, value: number, unit: string, floor?: number, higherIsBetter = false): BenchResult {
  const round = (n: number): number => Math.round(n * 1000) / 1000
  if (floor === undefined) return { name, value: round(value), unit }
  // Ratio > 1 always means "slower than the floor" so a table can be read one way.
  const ratio = higherIsBetter ? floor / value : value / floor
  return { name, value: round(value), unit, floor: round(floor), ratio: round(ratio) }
}

export function printTable (results: readonly BenchResult[]): void {
  const rows = results.map((r) => [r.name, `${r.value} ${r.unit}`, r.floor === undefined ? '' : `${r.floor} ${r.unit}`, r.ratio === undefined ? '' : `${r.ratio}x`])
  const header = ['benchmark', 'value', 'floor', 'ratio']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const r of rows) console.log(line(r))
}

export async function writeResults (file: string, results: readonly BenchResult[]): Promise<void> {
  await writeFile(file, JSON.stringify(results, null, 2) + '\n')
}

export async function timeIt (fn: () => Promise<void> | void): Promise<number> {
  const t = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - t) / 1e6
}
