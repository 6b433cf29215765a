/**
 * "My directory changed": a tiny gossip message a node sends after it publishes, so the
 * others fetch the new records at once instead of at their next refresh. It carries no
 * directory data; readers still fetch and verify the signed records. Its authenticity
 * is the gossip message's own signature, checked against the roster by the receiver.
 */
import { fromUtf8, utf8 } from '../encoding.js'
import { RecordSchemaError } from '../errors.js'
import { expectCountry, expectInteger, expectObject, onlyKeys, type SchemaFail } from '../schema.js'
import type { DirectoryName } from './types.js'

export interface DirectoryAnnouncement {
  readonly country: string
  readonly name: DirectoryName
  readonly seq: number
}

export const MAX_ANNOUNCEMENT_BYTES = 256
const fail: SchemaFail = (message) => { throw new RecordSchemaError(message) }

export function encodeDirectoryAnnouncement (a: DirectoryAnnouncement): Uint8Array {
  return utf8(JSON.stringify({ country: a.country, name: a.name, seq: a.seq }))
}

export function decodeDirectoryAnnouncement (bytes: Uint8Array): DirectoryAnnouncement {
  if (bytes.length > MAX_ANNOUNCEMENT_BYTES) fail(`announcement exceeds ${MAX_ANNOUNCEMENT_BYTES} bytes`)
  let raw: unknown
  try { raw = JSON.parse(fromUtf8(bytes)) } catch { fail('announcement is not JSON') }
  const o = expectObject(raw, 'announcement', fail)
  onlyKeys(o, ['country', 'name', 'seq'], 'announcement', fail)
  if (o.name !== 'authorities' && o.name !== 'registers') fail('announcement.name must be authorities or registers')
  return { country: expectCountry(o.country, 'announcement.country', fail), name: o.name as DirectoryName, seq: expectInteger(o.seq, 'announcement.seq', fail) }
}
