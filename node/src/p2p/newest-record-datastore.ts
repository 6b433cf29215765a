/**
 * kad-dht stores whatever a peer PUTs once the validator accepts it, without asking the
 * selector whether the copy it already holds is newer. A member could therefore replay
 * an older, still validly signed directory record (one naming an authority since
 * removed) over a newer one. This datastore keeps the stored record when the selector
 * prefers it, so a DHT server only ever moves forward.
 */
import { LevelDatastore } from 'datastore-level'
import { Libp2pRecord } from '@libp2p/record'
import type { Key } from 'interface-datastore'
import type { AbortOptions } from '@libp2p/interface'
import { fromUtf8, selectDirectoryRecord } from '@imi/protocol'

const RECORD_PREFIX = '/dht/record/'

export class NewestRecordDatastore extends LevelDatastore {
  override async put (key: Key, value: Uint8Array, options?: AbortOptions): Promise<Key> {
    if (key.toString().startsWith(RECORD_PREFIX) && await this.keepsStored(key, value, options)) return key
    return await super.put(key, value, options)
  }

  private async keepsStored (key: Key, value: Uint8Array, options?: AbortOptions): Promise<boolean> {
    let stored: Uint8Array
    try {
      stored = await super.get(key, options)
    } catch {
      return false
    }
    try {
      const incoming = Libp2pRecord.deserialize(value)
      const held = Libp2pRecord.deserialize(stored)
      const recordKey = fromUtf8(incoming.key)
      if (!recordKey.startsWith('/imi/')) return false
      return selectDirectoryRecord(recordKey, [incoming.value, held.value]) === 1
    } catch {
      // An unreadable stored copy is no reason to refuse a validated one.
      return false
    }
  }
}
