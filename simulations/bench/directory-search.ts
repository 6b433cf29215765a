/**
 * Directory search over the full generated dataset (12,600 authorities, 700 registers):
 * latency of typical queries and the index's memory. Floor: a linear scan that only
 * compares folded names, the least any search must do without an index.
 */
import { DirectorySearchIndex, type IndexedEntry } from '@imi/node'
import { percentile, result, type BenchResult } from '../../node/bench/stats.js'
import { generateDirectory } from '../src/dataset/index.js'

const QUERIES = ['Architektenkammer', 'architects', 'izba architektów', 'trade licensing', 'ärztekammer wien', 'kammer', 'labour inspectorate porto',
  'Colegiul Medicilor', 'živnostenský úřad', 'data protection', 'chamber of commerce', 'ordre des médecins', 'Inspekcja Pracy', 'nursing']

export async function benchDirectorySearch (rounds: number): Promise<BenchResult[]> {
  const data = generateDirectory({ seed: 2011 })
  const entries: IndexedEntry[] = []
  for (const [country, list] of data.authorities) for (const entry of list) entries.push({ kind: 'authorities', country, entry })
  for (const [country, list] of data.registers) for (const entry of list) entries.push({ kind: 'registers', country, entry })

  globalThis.gc?.()
  const before = process.memoryUsage().heapUsed
  const index = new DirectorySearchIndex()
  const t0 = process.hrtime.bigint()
  index.rebuild(entries)
  const buildMs = Number(process.hrtime.bigint() - t0) / 1e6
  globalThis.gc?.()
  const indexMb = (process.memoryUsage().heapUsed - before) / 1024 / 1024

  const samples: number[] = []
  for (let r = 0; r < rounds; r++) {
    for (const q of QUERIES) {
      const t = process.hrtime.bigint()
      index.search({ text: q, limit: 20 })
      samples.push(Number(process.hrtime.bigint() - t) / 1e6)
    }
  }
  const names = entries.map((e) => Object.values(e.entry.names).join(' ').toLowerCase())
  const scan: number[] = []
  for (let r = 0; r < Math.max(5, rounds / 10); r++) {
    const t = process.hrtime.bigint()
    let n = 0
    for (const name of names) if (name.includes('architekt')) n++
    scan.push(Number(process.hrtime.bigint() - t) / 1e6 + n * 0)
  }
  return [
    result(`directory search p50 (${entries.length} entries)`, percentile(samples, 50), 'ms', percentile(scan, 50)),
    result(`directory search p99 (${entries.length} entries)`, percentile(samples, 99), 'ms', percentile(scan, 50)),
    result('directory index build', buildMs, 'ms'),
    result('directory index memory', indexMb, 'MiB')
  ]
}
