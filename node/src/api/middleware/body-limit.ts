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
