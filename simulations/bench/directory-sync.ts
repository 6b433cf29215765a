/**
 * How long a fresh node takes to sync the federation's directory: the other member
 * states' nodes run on loopback and have published their share of the generated dataset
 * to the DHT; DE then starts with an empty store and the clock runs until it holds every
 * other state's authorities and registers, verified and indexed. Floor: verifying and
 * decoding the same records in one thread with no network at all. Then the same node
 * refreshes with nothing changed (one lookup of each directory's first record).
 *
 * Every node shares this one process (and one JavaScript thread): the peers' answers
 * cost the same CPU as the fresh node's own work, which on a real network runs on 29
 * other machines. Read the figure as an upper bound for the fresh node.
 */
import {
  DIRECTORY_RECORD_TTL_MS, MEMBER_STATES, directoryKey, shardDirectory, signDirectoryRecord, validateDirectoryRecord, verifyGenesis
} from '@imi/protocol'
import { nodeCrypto } from '@imi/node'
import { DirectoryService } from '../../node/src/services/directory/directory-service.js'
import { result, type BenchResult } from '../../node/bench/stats.js'
import { TestDirectorySource } from '../../node/test/fixtures/directory-source.js'
import { TEST_FED, eventually, makeFederation, type TestFederation } from '../../node/test/fixtures/federation.js'
import { generateDirectory, type DirectoryDataset } from '../src/dataset/index.js'

const FRESH = 'DE'
/** No periodic refresh during the run: what the fresh node fetches, it fetches because it is new. */
const SETTINGS = { directory: { refreshMs: 3_600_000 } }

export interface DirectorySyncOptions {
  /** Member states taking part, the fresh node included (at most 30); fewer for a quick run. */
  readonly states: number
  /** Added to the result names, e.g. "quick". */
  readonly label?: string
}

export async function benchDirectorySync (opts: DirectorySyncOptions): Promise<BenchResult[]> {
  const data = generateDirectory({ seed: 2011 })
  const publishers = MEMBER_STATES.map((s) => s.code).filter((c) => c !== FRESH).slice(0, opts.states - 1)
  const fed = await makeFederation([...publishers, FRESH])
  const source = (c: string): TestDirectorySource => new TestDirectorySource([...data.authorities.get(c)!], [...data.registers.get(c)!])
  const expected = publishers.reduce((n, c) => n + data.authorities.get(c)!.length + data.registers.get(c)!.length, 0)
  const label = `${publishers.length} states${opts.label === undefined ? '' : `, ${opts.label}`}`
  try {
    await startPublishers(fed, publishers, source)
    // Published: every record of every publisher is held by at least one peer.
    await eventually(() => publishers.every((c) => fed.node(c).directory.published), 120_000, 'publications')

    const t0 = process.hrtime.bigint()
    const fresh = await fed.start(FRESH, { directorySource: source(FRESH) }, SETTINGS)
    const others = (): number => fresh.directory.status().filter((s) => s.country !== FRESH).length
    await eventually(() => others() === publishers.length * 2, 120_000, 'fresh node synced')
    const syncMs = Number(process.hrtime.bigint() - t0) / 1e6
    const rssMb = process.memoryUsage().rss / 1e6
    const entries = fresh.directory.index.size - data.authorities.get(FRESH)!.length - data.registers.get(FRESH)!.length
    if (entries !== expected) throw new Error(`fresh node indexed ${entries} other states' entries, expected ${expected}`)

    // Measured once the fresh node's own publication is out, so only the refresh runs.
    await eventually(() => fresh.directory.published, 60_000, 'fresh node published')
    const t1 = process.hrtime.bigint()
    await fresh.directory.refresh()
    const refreshMs = Number(process.hrtime.bigint() - t1) / 1e6

    const floor = verifyFloor(fed, data, publishers)
    return [
      result(`directory sync, fresh node from ${label} (${expected} entries, ${floor.records} records; floor: verify+decode)`, syncMs, 'ms', floor.ms),
      result(`directory refresh, nothing changed (${label})`, refreshMs, 'ms'),
      result(`process RSS after directory sync (${publishers.length + 1} nodes in one process)`, rssMb, 'MB')
    ]
  } finally {
    await fed.close()
  }
}

/**
 * Starts the publishers without letting them fetch each other's directories. On a real
 * network each node does so on its own machine; here that would be 29 full copies (each
 * about 60 MB once indexed) fetched on the same two cores, measured instead of the fresh
 * node. No setting turns a node's fetching off, so its directory service's two entry
 * points (the timer's full refresh, an announcement's or unknown authority's one-state
 * fetch) are replaced: on the prototype while the publishers start, since the first
 * refresh is scheduled during start, and on each publisher's instance for the rest of
 * the run. They still publish, republish and announce as they would.
 */
async function startPublishers (fed: TestFederation, publishers: readonly string[], source: (c: string) => TestDirectorySource): Promise<void> {
  const inert = async (): Promise<void> => {}
  const proto = DirectoryService.prototype
  const saved = { refresh: proto.refresh, refreshCountry: proto.refreshCountry }
  Object.assign(proto, { refresh: inert, refreshCountry: inert })
  try {
    for (const c of publishers) {
      const node = await fed.start(c, { directorySource: source(c) }, SETTINGS)
      Object.assign(node.directory, { refresh: inert, refreshCountry: inert })
    }
  } finally {
    Object.assign(proto, saved)
  }
}

/** Verifies and decodes every record the fresh node fetches, in one thread, no network. */
function verifyFloor (fed: TestFederation, data: DirectoryDataset, publishers: readonly string[]): { ms: number, records: number } {
  const roster = verifyGenesis(fed.genesis, nodeCrypto)
  const now = Date.now()
  const records: Array<{ key: string, value: Uint8Array }> = []
  for (const c of publishers) {
    const signer = fed.member(c).identity.signer
    for (const name of ['authorities', 'registers'] as const) {
      const entries = name === 'authorities' ? data.authorities.get(c)! : data.registers.get(c)!
      for (const r of shardDirectory(entries, { fed: TEST_FED, country: c, name, seq: now, created: now, expires: now + DIRECTORY_RECORD_TTL_MS })) {
        records.push({ key: directoryKey(r), value: signDirectoryRecord(r, signer) })
      }
    }
  }
  const t = process.hrtime.bigint()
  for (const r of records) validateDirectoryRecord(r.key, r.value, { federationId: TEST_FED, roster, crypto: nodeCrypto, now })
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, records: records.length }
}
