/**
 * /metrics in the Prometheus text format, on its own port, bound to loopback only: the
 * figures describe the federation's traffic and belong to the operator's monitoring,
 * never to the network. Off unless the configuration enables it.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ConfigError } from '../errors.js'
import type { Registry } from './registry.js'

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1)$/

export interface MetricsServer { readonly url: string, close(): Promise<void> }

export async function serveMetrics (registry: Registry, init: { host: string, port: number }): Promise<MetricsServer> {
  if (!LOOPBACK.test(init.host)) throw new ConfigError('metrics.host', 'metrics are served on a loopback address only (127.0.0.1 or ::1)')
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
      return
    }
    registry.render().then((text) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' }).end(text)
    }, () => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n')
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => { reject(err.code === 'EADDRINUSE' ? new ConfigError('metrics.port', `${init.host}:${init.port} is already in use`) : err) })
    server.listen(init.port, init.host, () => { resolve() })
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://${init.host.includes(':') ? `[${init.host}]` : init.host}:${port}/metrics`,
    close: async () => { await new Promise<void>((resolve) => { server.close(() => { resolve() }); server.closeAllConnections() }) }
  }
}
