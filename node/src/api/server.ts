/** Serves the API app on a socket; a port in use is a configuration error, named as such. */
import { readFile } from 'node:fs/promises'
import { serve } from '@hono/node-server'
import type { Hono } from 'hono'
import { ConfigError } from '../errors.js'
import type { NodeConfig } from '../config.js'
import type { ApiNode } from './api-node.js'
import { createApiApp } from './app.js'

export interface ApiServer {
  readonly port: number
  close(): Promise<void>
}

export async function startApiServer (app: Hono, opts: { host: string, port: number }): Promise<ApiServer> {
  return await new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: opts.host, port: opts.port }, (info) => {
      resolve({
        port: info.port,
        close: async () => { await new Promise<void>((done) => { server.close(() => { done() }) }) }
      })
    })
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE'
        ? new ConfigError('api.port', `port ${opts.port} on ${opts.host} is already in use`)
        : new ConfigError('api.host', `cannot listen on ${opts.host}:${opts.port} (${err.code ?? err.message})`))
    })
  })
}

export async function readApiToken (file: string): Promise<string> {
  let token: string
  try {
    token = (await readFile(file, 'utf8')).trim()
  } catch (err) {
    throw new ConfigError('api.tokenFile', `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  if (token.length < 32) throw new ConfigError('api.tokenFile', `${file} holds no usable token (at least 32 characters)`)
  return token
}

/** The node's API as configured: token from its file, bound to the configured host and port. */
export async function serveNodeApi (node: ApiNode, config: Pick<NodeConfig, 'api'>): Promise<ApiServer> {
  const token = await readApiToken(config.api.tokenFile)
  return await startApiServer(createApiApp(node, { token }), { host: config.api.host, port: config.api.port })
}
