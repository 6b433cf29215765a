/**
 * `npm start`: a demo federation on this machine. A bootstrap node and five member-state
 * nodes (CZ, PL, AT, RO, DE), each with its own folder, key, database and API port.
 * Each state's node holds that state's share of the generated directory (authorities in
 * its national languages and national registers) plus a national coordinator and one
 * official to log in as; every node syncs every other's directory over the DHT.
 * The Czech node sends the Polish node a note to show a signed, receipted exchange.
 * Ctrl-C stops everything cleanly. Each start is a fresh federation.
 *
 * `npm run training` starts the same software as a TRAINING federation: its own id
 * (`imi-training`), roster, ports and folder, seeded with sample requests between states
 * so officials can practise. Every protocol id, gossip topic and signed envelope carries
 * the federation id, so nothing of it can ever reach a production node.
 */
import { randomBytes } from 'node:crypto'
import { rm, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { BootstrapNode } from '@imi/bootstrap'
import { createNode, jsonLogger, loadConfig, serveNodeApi, type ImiNode } from '@imi/node'
import { MEMBER_STATES, questionSetsFor } from '@imi/protocol'
import { generateDirectory } from './dataset/index.js'
import { layOutFederation } from './local-federation.js'

const ROOT = join(import.meta.dirname, '../..')
const TRAINING = process.argv.includes('--training')
const DIR = join(ROOT, TRAINING ? '.training' : '.demo')
const COUNTRIES = ['CZ', 'PL', 'AT', 'RO', 'DE']
const logger = jsonLogger({ level: process.env.IMI_LOG_LEVEL === 'debug' ? 'debug' : 'warn' })

await rm(DIR, { recursive: true, force: true })
const fed = await layOutFederation({ dir: DIR, federationId: TRAINING ? 'imi-training' : 'imi-demo', countries: COUNTRIES, basePort: TRAINING ? 4300 : 4100 })

const bootstrap = new BootstrapNode({ dataDir: fed.bootstrap.dir, listen: [fed.bootstrap.address], roster: fed.genesis, singleHost: true, logger })
await bootstrap.start()

// The full 30-state dataset apportions its 12,600 authorities by state; the demo's
// five states take their own share of it.
const dataset = generateDirectory({ seed: 2011 })
const password = randomBytes(12).toString('base64url')
const nodes: ImiNode[] = []
const apis: Array<{ close: () => Promise<void> }> = []
const officials: Array<{ country: string, authority: string }> = []
for (const m of fed.members) {
  const config = await loadConfig(m.configFile)
  const node = await createNode(config, { logger: logger.child(m.country) })
  await node.start()
  await node.authorities.importAuthorities(dataset.authorities.get(m.country) ?? [])
  await node.authorities.putRegisters(dataset.registers.get(m.country) ?? [])
  await seedAccounts(node, m.country.toLowerCase())
  nodes.push(node)
  apis.push(await serveNodeApi(node, config))
}
await writeFile(join(DIR, 'password'), `${password}\n`, { mode: 0o600 })

/** A national coordinator and, in the first authority, a local data administrator who also handles requests. */
async function seedAccounts (node: ImiNode, cc: string): Promise<void> {
  await node.accounts.createCoordinator({ kind: 'operator' }, { username: `nimic.${cc}`, displayName: `National IMI coordinator (${cc.toUpperCase()})`, password })
  const first = node.authorities.list({ status: 'active' })[0]
  if (first === undefined) return
  const coordinator = (await node.accounts.authenticate((await node.accounts.login(`nimic.${cc}`, password)).token)).actor
  const language = MEMBER_STATES.find((m) => m.code === cc.toUpperCase())?.languages[0]
  await node.accounts.createUser(coordinator, first.entry.id, {
    username: `official.${cc}`, displayName: `Demo official (${cc.toUpperCase()})`, password, ...(language !== undefined && { language }),
    grants: first.entry.areas.flatMap((area) => [{ area, role: 'request-handler' as const }, { area, role: 'local-data-admin' as const }])
  })
  officials.push({ country: cc.toUpperCase(), authority: first.entry.id })
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

console.log(`IMI ${TRAINING ? 'TRAINING' : 'demo'} federation "${fed.federationId}" (data in ${relative(process.cwd(), DIR) || DIR})\n`)
console.log(`bootstrap  ${fed.bootstrap.address}/p2p/${fed.bootstrap.identity.peerId}`)
for (const [i, m] of fed.members.entries()) {
  const status = nodes[i]!.status()
  console.log(`${m.country}         p2p ${status.listen[0] ?? '-'}  web UI http://127.0.0.1:${m.apiPort}/  API /api/v1  token ${relative(process.cwd(), join(m.dir, 'api-token'))}`)
}

const cz = nodes[0]!
const sent = await cz.messaging.send({ kind: 'note', to: 'PL', body: { text: 'Dobrý den: is authorisation PL-2011-0042 of a Polish trader still valid?' } })
const t0 = Date.now()
while ((await cz.messaging.view(sent.id)).status !== 'delivered' && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 50))
const view = await cz.messaging.view(sent.id)
console.log(`\nCZ -> PL note ${sent.id}: ${view.status === 'delivered' ? `signed receipt stored after ${view.receiptAt! - view.created} ms` : 'still pending (PL unreachable?)'}`)

// Every node fetches every other state's directory from the DHT; wait until CZ holds them all.
const expected = (c: string, name: 'authorities' | 'registers'): number => (name === 'authorities' ? dataset.authorities : dataset.registers).get(c)?.length ?? 0
const complete = (): boolean => COUNTRIES.every((c) => (['authorities', 'registers'] as const).every((name) =>
  cz.directory.status().some((d) => d.country === c && d.name === name && d.entries === expected(c, name))))
const t1 = Date.now()
while (!complete() && Date.now() - t1 < 60_000) await new Promise((r) => setTimeout(r, 100))
console.log(`CZ directory: ${cz.directory.index.size} entries from ${new Set(cz.directory.status().map((d) => d.country)).size} states${complete() ? '' : ' (still syncing)'}, ${Date.now() - t1} ms after the note`)
for (const hit of cz.directory.search({ text: 'izba', limit: 3 })) {
  const names = hit.entry.names
  console.log(`  search "izba": ${hit.country} ${hit.entry.id}  ${names.pl ?? names.en ?? Object.values(names)[0]}`)
}

if (TRAINING) await seedTrainingRequests()

/** Practice material: requests between states, in areas the catalogue covers, about fictitious people. */
async function seedTrainingRequests (): Promise<void> {
  const neededBy = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10)
  let sentCount = 0
  for (const [from, to] of [['CZ', 'PL'], ['AT', 'RO'], ['DE', 'CZ'], ['PL', 'AT']] as const) {
    const index = COUNTRIES.indexOf(from)
    const node = nodes[index]!
    const official = officials.find((o) => o.country === from)
    const entry = official === undefined ? undefined : node.authorities.get(official.authority)?.entry
    const area = entry?.areas.find((a) => questionSetsFor(a).length > 0)
    if (official === undefined || area === undefined) continue
    const target = node.directory.search({ country: to, kind: 'authorities', area, limit: 1 })[0]
    if (target === undefined) continue
    await node.requests.send({ kind: 'user', username: `official.${from.toLowerCase()}`, authority: official.authority, coordinator: false, grants: [{ area, role: 'request-handler' }] }, {
      area, to: { country: to, authority: target.entry.id }, neededBy,
      questions: questionSetsFor(area)[0]!.questions.slice(0, 3).map((q) => q.id),
      subject: { name: `Training person ${sentCount + 1} (fictitious)`, registrationNumber: `TRAINING-${from}-${sentCount + 1}` }
    })
    sentCount++
  }
  console.log(`training: ${sentCount} sample requests sent between states, about fictitious people`)
}

const api = `http://127.0.0.1:${fed.members[0]!.apiPort}/api/v1`
console.log(`\nlog in (password in ${relative(process.cwd(), join(DIR, 'password'))}): users nimic.<cc> (national coordinator) and official.<cc> (${officials.map((o) => `${o.country}: ${o.authority}`).join(', ')})`)
console.log(`try:  curl -c /tmp/imi-cookies -H 'content-type: application/json' -d '{"username":"official.cz","password":"'$(cat ${relative(process.cwd(), join(DIR, 'password'))})'"}' ${api}/session`)
console.log(`      curl -b /tmp/imi-cookies '${api}/directory/search?q=architekt&limit=5'`)
console.log(`      curl -H "Authorization: Bearer $(cat ${relative(process.cwd(), join(fed.members[1]!.dir, 'api-token'))})" http://127.0.0.1:${fed.members[1]!.apiPort}/api/v1/status`)
console.log('Ctrl-C stops all nodes.')
