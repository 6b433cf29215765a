/**
 * GET /backup/snapshot (operator): every database entry, read from one LevelDB snapshot
 * while the node keeps running, gzipped JSON of [key, value] in base64. The CLI encrypts
 * it with the operator's passphrase together with the node's files; it never leaves
 * this machine unencrypted (the API listens on loopback).
 */
import { Hono } from 'hono'
import type { ApiEnv } from '../principal.js'

export function backupRoutes (node: { snapshot(): Promise<Uint8Array> }): Hono<ApiEnv> {
  return new Hono<ApiEnv>().get('/backup/snapshot', async (c) => {
    c.header('Content-Type', 'application/gzip')
    return c.body(Buffer.from(await node.snapshot()))
  })
}
