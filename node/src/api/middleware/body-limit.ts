/**
 * Refuses bodies over `maxBytes` before they are read: by Content-Length when the client
 * declares one, and by counting the stream when it does not (chunked uploads).
 */
import type { MiddlewareHandler } from 'hono'
import { bodyLimit as honoBodyLimit } from 'hono/body-limit'
import { PayloadTooLargeError } from '../errors.js'

export function bodyLimit (maxBytes: number): MiddlewareHandler {
  const limit = honoBodyLimit({ maxSize: maxBytes, onError: () => { throw new PayloadTooLargeError(maxBytes) } })
  return async function limitBodySize (c, next) {
    return await limit(c, next)
  }
}

/** The app-wide ceiling, with a larger one for the few routes that take file uploads. */
export function bodyLimitByRoute (maxBytes: number, uploadMaxBytes: number, isUpload: (method: string, path: string) => boolean): MiddlewareHandler {
  const normal = bodyLimit(maxBytes)
  const upload = bodyLimit(uploadMaxBytes)
  return async function limitBodyByRoute (c, next) {
    return await (isUpload(c.req.method, c.req.path) ? upload : normal)(c, next)
  }
}
