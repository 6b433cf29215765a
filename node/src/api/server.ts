/**
 * Puts an API app on a socket. A socket that cannot be bound is a configuration
 * problem, reported as such, never as a stack trace.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import type { Hono } from 'hono'
import { ConfigError } from '../errors.js'

export interface ApiServerInit {
  readonly host: string
  readonly port: number
}

export interface ApiServer {
  readonly host: string
  /** The bound port: differs from the configured one when that was 0. */
  readonly port: number
  readonly url: string
  close(): Promise<void>
}

function bindError (err: NodeJS.ErrnoException, init: ApiServerInit): Error {
  if (err.code === 'EADDRINUSE') return new ConfigError('api.port', `${init.host}:${init.port} is already in use`)
  if (err.code === 'EACCES') return new ConfigError('api.port', `not permitted to listen on ${init.host}:${init.port}`)
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') return new ConfigError('api.host', `${init.host} is not an address of this machine`)
  return err
}

export async function startApiServer (app: Pick<Hono, 'fetch'>, init: ApiServerInit): Promise<ApiServer> {
  const server = createAdaptorServer({ fetch: app.fetch }) as Server
  // No request may hold a connection open for long: this API answers from local state.
  server.requestTimeout = 30_000
  server.headersTimeout = 10_000
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => { reject(bindError(err, init)) }
    server.once('error', onError)
    server.listen(init.port, init.host, () => {
      server.off('error', onError)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const hostInUrl = init.host.includes(':') ? `[${init.host}]` : init.host
  return {
    host: init.host,
    port,
    url: `http://${hostInUrl}:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => { resolve() })
        // Keep-alive connections would otherwise hold close() open until they time out.
        server.closeAllConnections()
      })
    }
  }
}
