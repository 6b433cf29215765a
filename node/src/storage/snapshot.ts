/**
 * The whole database as raw keys and values, read through one iterator: LevelDB serves
 * an iterator from a snapshot, so a backup taken while the node runs is consistent even
 * as writes go on. Restoring writes the same bytes into a fresh database.
 */
import { Level } from 'level'
import type { Store } from './store.js'

export async function * rawEntries (store: Store): AsyncGenerator<[Uint8Array, Uint8Array]> {
  for await (const [k, v] of store.db.iterator({ keyEncoding: 'view', valueEncoding: 'view' })) yield [k as unknown as Uint8Array, v as unknown as Uint8Array]
}

/** Writes entries into a new database at `location`; refuses one that already holds data. */
export async function restoreRawEntries (location: string, entries: AsyncIterable<[Uint8Array, Uint8Array]> | Iterable<[Uint8Array, Uint8Array]>): Promise<number> {
  const db = new Level<Uint8Array, Uint8Array>(location, { keyEncoding: 'view', valueEncoding: 'view' })
  await db.open()
  try {
    for await (const _ of db.keys({ limit: 1 })) throw new Error(`${location} already holds a database: restore into an empty folder`)
    let batch = db.batch()
    let n = 0
    for await (const [k, v] of entries) {
      batch.put(k, v)
      if (++n % 1000 === 0) { await batch.write({ sync: false } as object); batch = db.batch() }
    }
    await batch.write({ sync: true } as object)
    return n
  } finally {
    await db.close()
  }
}
