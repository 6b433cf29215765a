/**
 * A whole information request across two real nodes on loopback: send, accept, a final
 * answer and close, each step waiting until the other node has applied it (the
 * acceptance also makes the requesting node disclose the subject: a fifth message).
 * Floor, measured in the same run on the same nodes: four bare direct messages, each to
 * its stored receipt, one after the other.
 */
import type { ImiNode } from '@imi/node'
import type { Actor } from '../src/services/accounts/permissions.js'
import { eventually, makeFederation } from '../test/fixtures/federation.js'
import { receipts } from './direct-messages.js'
import { percentile, result, type BenchResult } from './stats.js'

/** Resolves when `node` has applied a change to request `id` that satisfies `done`. */
function changes (node: ImiNode): (id: string, done: () => Promise<boolean>) => Promise<void> {
  return async (id, done) => {
    // Listen first, then look: a change between the look and the listening would be missed.
    await new Promise<void>((resolve, reject) => {
      let finished = false
      const check = (): void => {
        void done().then((ok) => {
          if (!ok || finished) return
          finished = true
          node.requests.removeEventListener('changed', listener)
          resolve()
        }, reject)
      }
      const listener = (e: Event): void => { if ((e as CustomEvent<{ id: string }>).detail.id === id) check() }
      node.requests.addEventListener('changed', listener)
      check()
    })
  }
}

export async function benchRequestLifecycle (rounds: number): Promise<BenchResult[]> {
  const fed = await makeFederation(['CZ', 'PL'])
  try {
    const cz = await fed.start('CZ')
    const pl = await fed.start('PL')
    await cz.authorities.importAuthorities([{ id: 'cz-brno', names: { cs: 'Živnostenský úřad Brno' }, areas: ['services'], competences: ['trade licensing'] }])
    await pl.authorities.importAuthorities([{ id: 'pl-krakow', names: { pl: 'Urząd Miasta Krakowa' }, areas: ['services'], competences: ['trade licensing'] }])
    for (const [node, country, id] of [[cz, 'PL', 'pl-krakow'], [pl, 'CZ', 'cz-brno']] as const) {
      await eventually(async () => { await node.directory.refreshCountry(country); return node.directory.authority(country, id) }, 30_000, 'directories')
    }
    const brno: Actor = { kind: 'user', username: 'brno', authority: 'cz-brno', coordinator: false, grants: [{ area: 'services', role: 'request-handler' }] }
    const krakow: Actor = { kind: 'user', username: 'krakow', authority: 'pl-krakow', coordinator: false, grants: [{ area: 'services', role: 'request-handler' }] }
    const onCz = changes(cz)
    const onPl = changes(pl)
    const status = async (node: ImiNode, id: string): Promise<string | undefined> => (await node.requests.log.record(id))?.state.status
    const neededBy = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10)

    const lifecycle = async (): Promise<void> => {
      const sent = await cz.requests.send(brno, {
        area: 'services', to: { country: 'PL', authority: 'pl-krakow' }, questions: ['services.authorisation-valid'], neededBy, subject: { name: 'Jan Kowalski' }
      })
      await onPl(sent.id, async () => await status(pl, sent.id) === 'sent')
      await pl.requests.act(krakow, sent.id, 'accept')
      await onCz(sent.id, async () => await status(cz, sent.id) === 'accepted')
      await pl.requests.act(krakow, sent.id, 'answer', { fields: { questions: ['services.authorisation-valid'], final: true } })
      await onCz(sent.id, async () => await status(cz, sent.id) === 'answered')
      await cz.requests.act(brno, sent.id, 'close', { fields: { rating: { timeliness: 5, effort: 5 } } })
      await onPl(sent.id, async () => await status(pl, sent.id) === 'closed')
    }
    const receipt = receipts(cz)
    const delivered = async (): Promise<void> => { await receipt((await cz.messaging.send({ kind: 'note', to: 'PL', body: { text: 'x'.repeat(600) } })).id) }
    for (let i = 0; i < 20; i++) await lifecycle()
    const times: number[] = []
    const floors: number[] = []
    for (let i = 0; i < rounds; i++) {
      // Interleaved, so both see the same machine load.
      let t = process.hrtime.bigint()
      await lifecycle()
      times.push(Number(process.hrtime.bigint() - t) / 1e6)
      t = process.hrtime.bigint()
      for (let k = 0; k < 4; k++) await delivered()
      floors.push(Number(process.hrtime.bigint() - t) / 1e6)
    }
    return [
      result('request lifecycle send-accept-answer-close p50 (2 nodes)', percentile(times, 50), 'ms', percentile(floors, 50)),
      result('request lifecycle send-accept-answer-close p99 (2 nodes)', percentile(times, 99), 'ms', percentile(floors, 99))
    ]
  } finally {
    await fed.close()
  }
}
