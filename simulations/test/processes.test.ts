/**
 * The separate-processes mode (processes/): a tiny scenario (three states, three
 * simulated days, a crash and restart) with every node in a process of its own on
 * loopback, then again with every node in a network namespace of its own (and 150 ms of
 * latency between two of them, links.ts in their processes). The scenario's assertions
 * hold as in one process, each node ran in its own process (and namespace), the same seed
 * gave the same workload and the same actions at the same virtual times in both, and no
 * namespace is left afterwards, nor after the harness is interrupted. The namespace tests
 * need root and iproute2, as CI has: without them they fail, saying so. `--netem` is not
 * tested: this project's kernel has no netem qdisc (see the README).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { expect } from 'chai'
import { checkAssertions, type AssertionResult } from '../src/sim/assertions.js'
import { processModeProblem, type ProcessMode } from '../src/sim/processes/federation.js'
import { NETNS_PREFIX, namespaces, netnsProblem } from '../src/sim/processes/netns.js'
import type { ChildRecord } from '../src/sim/processes/remote-node.js'
import { runScenario, type RunRecord } from '../src/sim/run.js'
import { parseScenario, type Scenario } from '../src/sim/scenario.js'
import { generateWorkload } from '../src/sim/workload.js'

const tiny = {
  name: 'tiny-processes', seed: 11, nodes: ['CZ', 'PL', 'AT'], durationDays: 3, stepHours: 2, settleMs: 2000, finalSettleMs: 10_000,
  workload: { requestsPerMonth: 240, alertsPerMonth: 90, authoritiesPerState: 4 }
}
const crash = [{ at: 1, kind: 'crash', nodes: ['AT'] }, { at: 1.5, kind: 'restart', nodes: ['AT'] }]
const ownNetns = readlinkSync('/proc/self/ns/net')
const ROOT = fileURLToPath(new URL('../../', import.meta.url))

function needNetns (): void {
  const problem = netnsProblem()
  if (problem !== undefined) throw new Error(`this test needs root and iproute2 (ip, tc) to create network namespaces: ${problem}`)
}

const alive = (pid: number): boolean => { try { process.kill(pid, 0); return true } catch { return false } }

/** What the officials did when: the same seed must give the same in every mode. */
const actions = (run: RunRecord): string => JSON.stringify({
  sent: run.requests.map((r) => [r.plan.id, r.sentAt]),
  issued: run.alerts.map((a) => [a.plan.id, a.issuedAt])
})

function expectAssertionsHold (results: readonly AssertionResult[]): void {
  expect(results.length).to.be.above(3)
  for (const r of results) expect(r.ok, `${r.id}: ${r.detail} ${r.examples.join('; ')}`).to.equal(true)
}

/** Each node name's processes: distinct pids, none of them this process. */
function expectOwnProcesses (started: readonly ChildRecord[], names: readonly string[]): void {
  expect(started.map((r) => r.name).sort()).to.deep.equal([...names].sort())
  const pids = started.map((r) => r.pid)
  expect(new Set(pids).size, 'a process per node start').to.equal(pids.length)
  expect(pids).not.to.include(process.pid)
}

describe('the separate-processes mode', function () {
  this.timeout(60_000)
  let loopback: RunRecord | undefined
  let scenario: Scenario

  it('runs each node in its own process on loopback, with the same assertions holding', async () => {
    scenario = parseScenario({ ...tiny, faults: crash })
    const mode: ProcessMode = { netns: false, started: [] }
    loopback = await runScenario({ scenario, processes: mode })
    expectAssertionsHold(checkAssertions(scenario.assertions, loopback))
    expect(loopback.requests.filter((r) => r.sentAt !== undefined).length).to.be.above(10)
    expect(loopback.faults.map((f) => f.kind)).to.deep.equal(['crash', 'restart'])
    // AT twice: its restart is a new process.
    expectOwnProcesses(mode.started!, ['CZ', 'PL', 'AT', 'AT'])
    for (const r of mode.started!) expect(r.netns).to.equal(ownNetns)
    expect(JSON.stringify(loopback.plans)).to.equal(JSON.stringify([generateWorkload(scenario, 0)]))
  })

  it('runs each node in its own network namespace, with latency between two, and removes the namespaces', async () => {
    needNetns()
    // A namespace left by a harness that was killed: the next run removes it.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid
    const stale = `${NETNS_PREFIX}${gone}-f0-br`
    execFileSync('ip', ['netns', 'add', stale])
    // The same scenario and seed, with 150 ms between Czechia and Poland all along (links.ts in each process).
    const withLatency = parseScenario({ ...tiny, faults: [{ at: 0, kind: 'latency', nodes: ['CZ'], to: ['PL'], ms: 150 }, ...crash] })
    const mode: ProcessMode = { netns: true, started: [] }
    expect(processModeProblem(withLatency, mode)).to.equal(undefined)
    const run = await runScenario({ scenario: withLatency, processes: mode })
    expectAssertionsHold(checkAssertions(withLatency.assertions, run))
    expectOwnProcesses(mode.started!, ['CZ', 'PL', 'AT', 'AT'])
    const byName = new Map<string, Set<string>>()
    for (const r of mode.started!) {
      expect(r.netns).not.to.equal(ownNetns)
      expect(r.namespace).to.match(new RegExp(`^${NETNS_PREFIX}${process.pid}-f0-\\d+$`))
      byName.set(r.name, (byName.get(r.name) ?? new Set()).add(r.netns))
    }
    // One namespace per node (AT's restart in AT's), none shared.
    expect([...byName.values()].map((s) => s.size)).to.deep.equal([1, 1, 1])
    expect(new Set([...byName.values()].map((s) => [...s][0])).size).to.equal(3)
    // The latency is on the links: every request event between CZ and PL (direct messages; an alert may come by gossip through AT) took it, the others did not.
    const between = (a: string, b: string): number[] => run.deliveries.filter((d) => d.kind === 'request' && ((d.from === a && d.to === b) || (d.from === b && d.to === a))).map((d) => d.realMs)
    const czpl = between('CZ', 'PL')
    const others = [...between('CZ', 'AT'), ...between('PL', 'AT')].sort((x, y) => x - y)
    expect(czpl.length).to.be.above(3)
    expect(Math.min(...czpl)).to.be.at.least(150)
    expect(others[Math.floor(others.length / 2)]!).to.be.below(150)
    expect(run.faultCounters[0]!.delayedWrites).to.be.above(0)
    // The same seed gave the same workload and the same actions at the same virtual times.
    expect(JSON.stringify(run.plans)).to.equal(JSON.stringify([generateWorkload(scenario, 0)]))
    if (loopback !== undefined) expect(actions(run)).to.equal(actions(loopback))
    // Nothing left: this run's namespaces and the stale one are gone.
    expect(namespaces().filter((n) => n.startsWith(`${NETNS_PREFIX}${process.pid}-`) || n === stale)).to.deep.equal([])
  })

  it('removes the namespaces and ends the nodes\' processes when the harness is interrupted (SIGINT)', async () => {
    needNetns()
    const dir = mkdtempSync(join(tmpdir(), 'imi-sim-sigint-'))
    try {
      const file = join(dir, 'tiny.json')
      writeFileSync(file, JSON.stringify({ ...tiny, durationDays: 30 }))
      const harness = spawn(process.execPath, ['--import', 'tsx', 'simulations/src/sim/cli.ts', '--scenario', file, '--quiet', '--processes', '--netns', '--out', join(dir, 'out')], { cwd: ROOT, stdio: 'ignore' })
      const exited = new Promise<number | null>((resolve) => { harness.once('exit', (code) => { resolve(code) }) })
      const prefix = `${NETNS_PREFIX}${harness.pid}-`
      // Until the three nodes run in their namespaces (the bridge's is the fourth).
      let pids: number[] = []
      for (let i = 0; i < 300 && pids.length < 3; i++) {
        await sleep(100)
        const ours = namespaces().filter((n) => n.startsWith(prefix))
        if (ours.length === 4) pids = ours.flatMap((n) => execFileSync('ip', ['netns', 'pids', n], { encoding: 'utf8' }).split('\n').filter((l) => l !== '').map(Number))
      }
      expect(pids, 'the nodes\' processes in their namespaces').to.have.length(3)
      harness.kill('SIGINT')
      expect(await exited).to.equal(130)
      expect(namespaces().filter((n) => n.startsWith(prefix))).to.deep.equal([])
      for (let i = 0; i < 50 && pids.some(alive); i++) await sleep(100)
      expect(pids.filter(alive), 'node processes still running').to.deep.equal([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
