export { createApiApp, API_PREFIX, DEFAULT_MAX_BODY_BYTES, type ApiComponents, type ApiInit } from './app.js'
export type { ApiNode } from './api-node.js'
export {
  HttpError, ForbiddenError, InvalidJsonError, PayloadTooLargeError, UnauthorizedError, UnsupportedMediaTypeError,
  errorBody, statusForCode, type ErrorBody
} from './errors.js'
export { startApiServer, type ApiServer, type ApiServerInit } from './server.js'
export { serveNodeApi } from './serve-node.js'
export { createApiToken, readApiToken, API_TOKEN_BYTES } from './token.js'
