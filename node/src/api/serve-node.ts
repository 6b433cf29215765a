/**
 * Starts a node's API from its configuration: reads the token file, builds the app,
 * binds config.api.host:port. Kept apart from node.ts so the node's assembly stays
 * free of HTTP and the API free of libp2p.
 */
import type { NodeConfig } from '../config.js'
import { silentLogger, type Logger } from '../services/logger.js'
import type { ApiNode } from './api-node.js'
import { createApiApp } from './app.js'
import { startApiServer, type ApiServer } from './server.js'
import { withWebUi } from './ui-routes.js'
import { readApiToken } from './token.js'

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/

export async function serveNodeApi (node: ApiNode, config: { readonly api: Omit<NodeConfig['api'], 'trustProxy'> & { readonly trustProxy?: boolean } }, components: { logger?: Logger } = {}): Promise<ApiServer> {
  const logger = components.logger ?? silentLogger
  const token = await readApiToken(config.api.tokenFile)
  const app = createApiApp(node, { token, trustProxy: config.api.trustProxy ?? false }, { logger })
  // The officials' web UI on the same origin as the API: its cookie, CSP and CSRF rules need that.
  const server = await startApiServer(withWebUi(app), { host: config.api.host, port: config.api.port })
  // Plain HTTP: off this machine it belongs behind a TLS-terminating proxy.
  if (!LOOPBACK.test(config.api.host)) logger.warn('api listens beyond loopback without TLS', { host: config.api.host })
  logger.info('api listening', { url: server.url })
  return server
}
