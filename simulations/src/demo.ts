/**
 * `npm start`: a demo federation on this machine. A bootstrap node and five member-state
 * nodes (CZ, PL, AT, RO, DE), each with its own folder, key, database and API port.
 * The Czech node sends the Polish node a note to show a signed, receipted exchange.
 * Ctrl-C stops everything cleanly. `--keep` reuses nothing: each start is a fresh federation.
 */
import { rm } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { BootstrapNode } from '@imi/bootstrap'
import { createNode, jsonLogger, loadConfig, serveNodeApi, type ImiNode } from '@imi/node'
import { layOutFederation } from './local-federation.js'

const ROOT = join(import.meta.dirname, '../..')
const DIR = join(ROOT, '.demo')
const COUNTRIES = ['CZ', 'PL', 'AT', 'RO', 'DE']
const logger = jsonLogger({ level: process.env.IMI_LOG_LEVEL === 'debug' ? 'debug' : 'warn' })

await rm(DIR, { recursive: true, force: true })
const fed = await layOutFederation({ dir: DIR, federationId: 'imi-demo', countries: COUNTRIES, basePort: 4100 })

const bootstrap = new BootstrapNode({ dataDir: fed.bootstrap.dir, listen: [fed.bootstrap.address], roster: fed.genesis, singleHost: true, logger })
await bootstrap.start()

const nodes: ImiNode[] = []
const apis: Array<{ close: () => Promise<void> }> = []
for (const m of fed.members) {
  const config = await loadConfig(m.configFile)
  const node = await createNode(config, { logger: logger.child(m.country) })
  await node.start()
  nodes.push(node)
  apis.push(await serveNodeApi(node, config))
}

let stopping = false
async function stop (): Promise<void> {
  if (stopping) return
  stopping = true
  console.log('\nstopping the demo federation...')
  await Promise.all(apis.map(async (a) => { await a.close() }))
  await Promise.all(nodes.map(async (n) => { await n.stop() }))
  await bootstrap.stop()
  console.log('stopped cleanly')
  process.exit(0)
}
process.on('SIGINT', () => { void stop() })
process.on('SIGTERM', () => { void stop() })

console.log(`IMI demo federation "${fed.federationId}" (data in ${relative(process.cwd(), DIR) || DIR})\n`)
console.log(`bootstrap  ${fed.bootstrap.address}/p2p/${fed.bootstrap.identity.peerId}`)
for (const [i, m] of fed.members.entries()) {
  const status = nodes[i]!.status()
  console.log(`${m.country}         p2p ${status.listen[0] ?? '-'}  API http://127.0.0.1:${m.apiPort}/api/v1  token ${relative(process.cwd(), join(m.dir, 'api-token'))}`)
}

const cz = nodes[0]!
const sent = await cz.messaging.send({ kind: 'note', to: 'PL', body: { text: 'Dobrý den: is authorisation PL-2011-0042 of a Polish trader still valid?' } })
const t0 = Date.now()
while ((await cz.messaging.view(sent.id)).status !== 'delivered' && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 50))
const view = await cz.messaging.view(sent.id)
console.log(`\nCZ -> PL note ${sent.id}: ${view.status === 'delivered' ? `signed receipt stored after ${view.receiptAt! - view.created} ms` : 'still pending (PL unreachable?)'}`)
console.log('\ntry:  curl -H "Authorization: Bearer $(cat .demo/pl/api-token)" http://127.0.0.1:' + fed.members[1]!.apiPort + '/api/v1/status')
console.log('Ctrl-C stops all nodes.')
