/**
 * `npm run bench`: every benchmark, a table on stdout, the same figures in
 * bench-results.json at the repository root. Ratios compare with floors measured in
 * this run, because shared machines are noisy.
 */
import { join } from 'node:path'
import { benchDirectMessages } from '../node/bench/direct-messages.js'
import { benchRequestLifecycle } from '../node/bench/request-lifecycle.js'
import { printTable, writeResults, type BenchResult } from '../node/bench/stats.js'
import { benchDirectorySearch } from '../simulations/bench/directory-search.js'
import { benchDirectorySync } from '../simulations/bench/directory-sync.js'
import { benchAlertDelivery } from '../simulations/bench/alert-delivery.js'
import { benchPageLoad } from '../web-ui/bench/page-load.js'

const quick = process.argv.includes('--quick')
const results: BenchResult[] = []
results.push(...await benchDirectMessages({ rounds: quick ? 200 : 1000, burst: quick ? 1000 : 5000, sync: true }))
results.push(...(await benchDirectMessages({ rounds: quick ? 200 : 1000, burst: quick ? 1000 : 5000, sync: false })).slice(0, 3))
results.push(...await benchDirectorySearch(quick ? 50 : 300))
// Quick: the fresh node and 9 other states (their full share of the dataset), not 29.
results.push(...await benchDirectorySync(quick ? { states: 10, label: 'quick' } : { states: 30 }))
results.push(...await benchRequestLifecycle(quick ? 30 : 200))
// 30 nodes in this one process (one JavaScript thread); quick: 10 states. 100 alerts so p99 is not the maximum.
results.push(...await benchAlertDelivery(quick ? { states: 10, alerts: 40, label: 'quick' } : { states: 30, alerts: 100 }))
// Real Chromium against a local node (the UI must be built: npm run build:ui).
results.push(...await benchPageLoad(quick ? 5 : 20))
printTable(results)
const file = join(import.meta.dirname, '../bench-results.json')
await writeResults(file, results)
console.log(`\nwrote ${file}`)
