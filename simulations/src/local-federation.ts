/**
 * A federation laid out on one machine the way operators lay out real ones: each member
 * in its own folder with its key, config file, roster and database; a bootstrap node in
 * its own folder; a genesis roster co-signed by every founder. The demo uses it, and
 * simulations will start many more nodes from it.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { cosignRoster, proposeRoster, toBase64url, type RosterDocument, type SignedRoster } from '@imi/protocol'
import { CONFIG_FILE_NAME, generateIdentity, rosterMemberOf, saveIdentity, type NodeIdentity } from '@imi/node'

export interface LocalMember {
  readonly country: string
  readonly dir: string
  readonly configFile: string
  readonly identity: NodeIdentity
  readonly p2pPort: number
  readonly apiPort: number
}

export interface LocalFederation {
  readonly federationId: string
  readonly dir: string
  readonly genesis: SignedRoster
  readonly bootstrap: { readonly dir: string, readonly identity: NodeIdentity, readonly port: number, readonly address: string }
  readonly members: readonly LocalMember[]
}

/** A port that is free now, preferring `wanted` so the demo's addresses stay stable. */
export async function portNear (wanted: number): Promise<number> {
  const tryPort = async (port: number): Promise<number | undefined> => await new Promise((resolve) => {
    const srv = createServer()
    srv.once('error', () => { resolve(undefined) })
    srv.listen(port, '127.0.0.1', () => { const p = (srv.address() as { port: number }).port; srv.close(() => { resolve(p) }) })
  })
  return (await tryPort(wanted)) ?? (await tryPort(0))!
}

export async function layOutFederation (opts: { dir: string, federationId: string, countries: readonly string[], basePort: number, created?: number }): Promise<LocalFederation> {
  const created = opts.created ?? Date.now()
  const bootstrapDir = join(opts.dir, 'bootstrap')
  await mkdir(bootstrapDir, { recursive: true, mode: 0o700 })
  const bootstrapIdentity = await generateIdentity()
  await saveIdentity(join(bootstrapDir, 'node.key'), bootstrapIdentity)
  const bootstrapPort = await portNear(opts.basePort)
  const bootstrapAddress = `/ip4/127.0.0.1/tcp/${bootstrapPort}`

  const members: LocalMember[] = []
  for (const [i, country] of opts.countries.entries()) {
    const dir = join(opts.dir, country.toLowerCase())
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const identity = await generateIdentity()
    await saveIdentity(join(dir, 'node.key'), identity)
    members.push({
      country, dir, configFile: join(dir, CONFIG_FILE_NAME), identity,
      p2pPort: await portNear(opts.basePort + 1 + i), apiPort: await portNear(opts.basePort + 1000 + i)
    })
  }

  const doc: RosterDocument = {
    fed: opts.federationId,
    version: 1,
    created,
    members: members.map((m) => rosterMemberOf(m.identity, m.country, [`/ip4/127.0.0.1/tcp/${m.p2pPort}`], created)),
    bootstraps: [{ peerId: bootstrapIdentity.peerId, addresses: [bootstrapAddress] }]
  }
  // The founding act: every member signs the genesis from its own key.
  let genesis: SignedRoster = proposeRoster(doc)
  for (const m of members) genesis = cosignRoster(genesis, m.identity.signer)
  const rosterJson = JSON.stringify(genesis, null, 2)
  await writeFile(join(bootstrapDir, 'roster.json'), rosterJson)

  for (const m of members) {
    await writeFile(join(m.dir, 'roster.json'), rosterJson)
    // What `imi init` creates: the operator's bearer token for the local API.
    await writeFile(join(m.dir, 'api-token'), toBase64url(randomBytes(32)), { mode: 0o600 })
    await writeFile(m.configFile, JSON.stringify({
      country: m.country,
      federationId: opts.federationId,
      p2p: { listen: [`/ip4/127.0.0.1/tcp/${m.p2pPort}`], singleHost: true },
      api: { host: '127.0.0.1', port: m.apiPort }
    }, null, 2) + '\n')
  }
  return {
    federationId: opts.federationId,
    dir: opts.dir,
    genesis,
    bootstrap: { dir: bootstrapDir, identity: bootstrapIdentity, port: bootstrapPort, address: bootstrapAddress },
    members
  }
}
