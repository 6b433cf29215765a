/**
 * Directory records over kad-dht. `put` counts the peers that stored the record (kad-dht
 * itself ignores rejections); `get` returns every value it met instead of kad-dht's one
 * pick, because kad-dht gives up the pick when a stale peer refuses a correction, and
 * stops as soon as the caller has what it needs instead of waiting for every peer.
 */
import { utf8 } from '@imi/protocol'
import type { DirectoryRecordTransport } from '../services/directory/record-transport.js'
import type { ImiLibp2p } from './libp2p.js'

/** Records are up to 256 KiB and arrive ten or twenty times over: compare them natively. */
function sameBytes (a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b)
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
    async get (key, { signal, until }) {
      const found: Uint8Array[] = []
      const keep = (value: Uint8Array): Uint8Array => {
        const same = found.find((f) => sameBytes(f, value))
        if (same !== undefined) return same
        found.push(value)
        return value
      }
      try {
        for await (const event of dht.get(utf8(key), { signal })) {
          // kad-dht holds back its VALUE events (own copy included) until every peer has
          // answered; peers' copies arrive earlier, one PEER_RESPONSE each.
          if (event.name === 'VALUE') keep(event.value)
          else if (event.name === 'PEER_RESPONSE' && event.record !== undefined) {
            // Leaving the loop ends kad-dht's query and cancels the requests still out.
            if (until?.(keep(event.record.value)) === true) break
          }
        }
      } catch (err) {
        // A failed correction or a timeout after some answers: what arrived still counts.
        if (found.length === 0 && signal.aborted) throw err
      }
      return found
    }
  }
}
