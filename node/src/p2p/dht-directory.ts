/**
 * Directory records over kad-dht. `put` counts the peers that stored the record (kad-dht
 * itself ignores rejections); `get` returns every value it met instead of kad-dht's one
 * pick, because kad-dht gives up the pick when a stale peer refuses a correction.
 */
import { utf8 } from '@imi/protocol'
import type { DirectoryRecordTransport } from '../services/directory/record-transport.js'
import type { ImiLibp2p } from './libp2p.js'

function sameBytes (a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

export function dhtDirectoryTransport (libp2p: ImiLibp2p): DirectoryRecordTransport {
  const dht = libp2p.services.dht
  return {
    async put (key, value, { signal }) {
      let acks = 0
      for await (const event of dht.put(utf8(key), value, { signal })) {
        if (event.name === 'PEER_RESPONSE' && event.record !== undefined && sameBytes(event.record.value, value)) acks++
      }
      return acks
    },
    async get (key, { signal }) {
      const found: Uint8Array[] = []
      const keep = (value: Uint8Array): void => { if (!found.some((f) => sameBytes(f, value))) found.push(value) }
      try {
        for await (const event of dht.get(utf8(key), { signal })) {
          if (event.name === 'VALUE') keep(event.value)
          else if (event.name === 'PEER_RESPONSE' && event.record !== undefined) keep(event.record.value)
        }
      } catch (err) {
        // A failed correction or a timeout after some answers: what arrived still counts.
        if (found.length === 0 && signal.aborted) throw err
      }
      return found
    }
  }
}
