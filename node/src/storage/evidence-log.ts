/**
 * The evidence log: every envelope sent or received and every receipt, in a hash
 * chain. Each entry commits to the one before, so removing, reordering or editing any
 * entry breaks every later link, and `verify` names the first broken one.
 * Entries hold JWS strings only: personal data lives in its own bucket.
 */
import { canonicalJson, utf8, toBase64url, type CryptoSuite } from '@imi/protocol'
import { Bucket, seqKey } from './buckets.js'
import type { Sequencer, Store, WriteOp } from './store.js'

export type EvidenceType = 'sent' | 'received' | 'receipt-issued' | 'receipt-received' | 'roster'

export interface EvidenceDraft {
  readonly type: EvidenceType
  /** The message id, or `v<version>` for rosters. */
  readonly ref: string
  /** The signed artefact itself: a JWS compact string or a signed roster's JSON. */
  readonly jws: string
}

export interface EvidenceEntry extends EvidenceDraft {
  readonly seq: number
  readonly at: number
  readonly prev: string
  readonly hash: string
}

const HEAD_KEY = 'evidence-head'
const GENESIS_HASH = 'A'.repeat(43)

interface Head { seq: number, hash: string }

export class EvidenceLog {
  private durable: Head = { seq: -1, hash: GENESIS_HASH }
  private pending: Head = this.durable

  constructor (private readonly components: { store: Store, crypto: CryptoSuite, now: () => number }) {}

  async load (): Promise<void> {
    const head = await this.components.store.get<Head>(Bucket.meta, HEAD_KEY)
    this.durable = head ?? { seq: -1, hash: GENESIS_HASH }
    this.pending = this.durable
  }

  get length (): number { return this.durable.seq + 1 }

  /** The last entry written, as recorded with every append: what the chain must end at. */
  get head (): { readonly seq: number, readonly hash: string } { return this.durable }

  static hashOf (entry: Omit<EvidenceEntry, 'hash'>, crypto: Pick<CryptoSuite, 'sha256'>): string {
    return toBase64url(crypto.sha256(utf8(canonicalJson(entry))))
  }

  /** A sequencer that appends `drafts` at its place in the commit order. */
  append (drafts: readonly EvidenceDraft[]): Sequencer {
    return {
      build: () => {
        const ops: WriteOp[] = []
        for (const d of drafts) {
          const base = { seq: this.pending.seq + 1, at: this.components.now(), type: d.type, ref: d.ref, jws: d.jws, prev: this.pending.hash }
          const entry: EvidenceEntry = { ...base, hash: EvidenceLog.hashOf(base, this.components.crypto) }
          ops.push({ type: 'put', bucket: Bucket.evidence, key: seqKey(entry.seq), value: entry })
          this.pending = { seq: entry.seq, hash: entry.hash }
        }
        ops.push({ type: 'put', bucket: Bucket.meta, key: HEAD_KEY, value: this.pending })
        return ops
      },
      settle: (committed) => {
        if (committed) this.durable = this.pending
        else this.pending = this.durable
      }
    }
  }

  async * entries (fromSeq = 0): AsyncGenerator<EvidenceEntry> {
    for await (const [, entry] of this.components.store.entries<EvidenceEntry>(Bucket.evidence, { gte: seqKey(fromSeq) })) yield entry
  }
}
