/** Floors measured in the same run as the figures they sit beside. */
import { createServer, connect, type Socket } from 'node:net'
import { randomBytes } from 'node:crypto'
import { generateIdentity, nodeCrypto } from '@imi/node'
import { percentile } from './stats.js'

/** Round trip of a frame of `size` bytes over a raw loopback TCP socket (echo). */
export async function tcpRoundTrip (size: number, rounds: number): Promise<number[]> {
  const server = createServer((s) => { s.on('data', (d) => s.write(d)) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  const client: Socket = connect(port, '127.0.0.1')
  client.setNoDelay(true)
  await new Promise((resolve) => client.once('connect', resolve))
  const frame = randomBytes(size)
  const samples: number[] = []
  for (let i = 0; i < rounds; i++) {
    const t = process.hrtime.bigint()
    await new Promise<void>((resolve) => {
      let got = 0
      const onData = (d: Buffer): void => { got += d.length; if (got >= size) { client.off('data', onData); resolve() } }
      client.on('data', onData)
      client.write(frame)
    })
    samples.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  client.destroy()
  await new Promise((resolve) => server.close(resolve))
  return samples
}

/** Median cost in ms of one Ed25519 sign and one verify with the node's crypto. */
export async function signVerifyCost (rounds: number): Promise<{ signMs: number, verifyMs: number }> {
  const id = await generateIdentity()
  const data = randomBytes(1200)
  const signs: number[] = []
  const verifies: number[] = []
  let sig = id.signer.sign(data)
  for (let i = 0; i < rounds; i++) {
    let t = process.hrtime.bigint()
    sig = id.signer.sign(data)
    signs.push(Number(process.hrtime.bigint() - t) / 1e6)
    t = process.hrtime.bigint()
    if (!nodeCrypto.verify(id.signer.publicKey, data, sig)) throw new Error('verify failed')
    verifies.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  return { signMs: percentile(signs, 50), verifyMs: percentile(verifies, 50) }
}
