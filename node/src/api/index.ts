export { createApiApp, type ApiInit } from './app.js'
export { startApiServer, serveNodeApi, readApiToken, type ApiServer } from './server.js'
export type { ApiNode } from './api-node.js'
export { HttpError } from './errors.js'
