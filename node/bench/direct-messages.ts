/**
 * Direct messages between two real nodes on loopback, each in its own process as in a
 * real federation: from send() to the stored, verified receipt. Floors: a raw TCP round
 * trip of the same frame size plus one sign and two verifies.
 */
import type { ImiNode } from '@imi/node'
import { childSetup, startChild } from '../test/fixtures/child.js'
import { makeFederation } from '../test/fixtures/federation.js'
import { signVerifyCost, tcpRoundTrip } from './floors.js'
import { percentile, result, type BenchResult } from './stats.js'

/** Resolves when the receipt of `id` is stored, even if it was stored before the call. */
export function receipts (node: ImiNode): (id: string) => Promise<void> {
  const waiting = new Map<string, () => void>()
  const early = new Set<string>()
  node.messaging.addEventListener('delivered', (e) => {
    const id = (e as CustomEvent<{ id: string }>).detail.id
    const resolve = waiting.get(id)
    if (resolve === undefined) early.add(id)
    else { waiting.delete(id); resolve() }
  })
  return async (id) => {
    if (early.delete(id)) return
    await new Promise<void>((resolve) => { waiting.set(id, resolve) })
  }
}

export async function benchDirectMessages (opts: { rounds: number, burst: number, sync: boolean }): Promise<BenchResult[]> {
  const fed = await makeFederation(['CZ', 'PL'])
  const label = opts.sync ? 'fsync' : 'no fsync'
  const settings = { storage: { sync: opts.sync } }
  const pl = startChild(await childSetup(fed, 'PL', settings))
  try {
    await pl.ready
    const cz = await fed.start('CZ', {}, settings)
    const delivered = receipts(cz)
    const text = 'x'.repeat(600)
    const one = async (): Promise<void> => { await delivered((await cz.messaging.send({ kind: 'note', to: 'PL', body: { text } })).id) }
    const frameSize = (await cz.messaging.send({ kind: 'note', to: 'PL', body: { text } })).jws.length
    for (let i = 0; i < 200; i++) await one()

    const rtt: number[] = []
    for (let i = 0; i < opts.rounds; i++) {
      const t = process.hrtime.bigint()
      await one()
      rtt.push(Number(process.hrtime.bigint() - t) / 1e6)
    }
    const tcp = await tcpRoundTrip(frameSize, opts.rounds)
    const { signMs, verifyMs } = await signVerifyCost(2000)

    const t0 = process.hrtime.bigint()
    const sends = Array.from({ length: opts.burst }, async () => { await delivered((await cz.messaging.send({ kind: 'note', to: 'PL', body: { text } })).id) })
    await Promise.all(sends)
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9
    // Each node signs once and verifies once per message: one core's crypto bound.
    const cryptoBound = 1000 / (signMs + verifyMs)

    return [
      result(`direct message round trip p50 (${label})`, percentile(rtt, 50), 'ms', percentile(tcp, 50) + signMs + 2 * verifyMs),
      result(`direct message round trip p99 (${label})`, percentile(rtt, 99), 'ms', percentile(tcp, 99) + signMs + 2 * verifyMs),
      result(`direct message throughput, ${opts.burst} sent at once (${label})`, opts.burst / seconds, 'msg/s', cryptoBound, true),
      result('raw loopback TCP round trip p50', percentile(tcp, 50), 'ms'),
      result('Ed25519 sign (node:crypto) p50', signMs, 'ms'),
      result('Ed25519 verify (node:crypto) p50', verifyMs, 'ms')
    ]
  } finally {
    pl.proc.kill('SIGKILL')
    await pl.exited
    await fed.close()
  }
}
