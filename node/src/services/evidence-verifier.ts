/**
 * Walks the evidence log from the first entry: recomputes every hash, checks every
 * link, and verifies every envelope and receipt signature against the roster chain.
 * Reports the first broken link, which is where an investigation starts.
 */
import {
  ImiError, decodeSignedRoster, verifyEnvelope, verifyGenesis, verifyRosterUpdate, type CryptoSuite, type KeyResolver, type Roster
} from '@imi/protocol'
import { EvidenceLog, type EvidenceEntry } from '../storage/index.js'

export interface EvidenceReport {
  readonly ok: boolean
  readonly entries: number
  readonly firstBroken?: { readonly seq: number, readonly reason: string }
}

export interface EvidenceContext {
  readonly crypto: CryptoSuite
  readonly keys: KeyResolver
  readonly federationId: string
  /** The head recorded with the last append: the chain must end exactly there. */
  readonly head?: { readonly seq: number, readonly hash: string }
}

export async function verifyEvidence (entries: AsyncIterable<EvidenceEntry>, ctx: EvidenceContext): Promise<EvidenceReport> {
  let expectedSeq = 0
  let prev = 'A'.repeat(43)
  let roster: Roster | undefined
  const broken = (seq: number, reason: string): EvidenceReport => ({ ok: false, entries: expectedSeq, firstBroken: { seq, reason } })
  for await (const entry of entries) {
    if (entry.seq !== expectedSeq) return broken(expectedSeq, `entry ${expectedSeq} is missing`)
    if (entry.prev !== prev) return broken(entry.seq, 'does not link to the previous entry')
    const { hash, ...rest } = entry
    if (EvidenceLog.hashOf(rest, ctx.crypto) !== hash) return broken(entry.seq, 'content does not match its hash')
    if (entry.type === 'roster') {
      // Each logged version must follow the one before it under the quorum rule.
      try {
        const signed = decodeSignedRoster(JSON.parse(entry.jws))
        roster = roster === undefined ? verifyGenesis(signed, ctx.crypto, ctx.federationId) : verifyRosterUpdate(roster, signed, ctx.crypto)
      } catch (err) {
        return broken(entry.seq, `roster version does not verify: ${err instanceof ImiError ? err.code : 'not JSON'}`)
      }
    } else {
      try {
        // Evidence is judged by the keys valid when it was signed, however old it is.
        verifyEnvelope(entry.jws, { federationId: ctx.federationId, keys: ctx.keys, crypto: ctx.crypto, now: entry.at, maxAgeMs: Number.MAX_SAFE_INTEGER })
      } catch (err) {
        return broken(entry.seq, `signature check failed: ${err instanceof ImiError ? err.code : 'error'}`)
      }
    }
    prev = hash
    expectedSeq++
  }
  // Without this, deleting the newest entries would leave a chain that checks out.
  if (ctx.head !== undefined && (ctx.head.seq !== expectedSeq - 1 || (expectedSeq > 0 && ctx.head.hash !== prev))) {
    return broken(expectedSeq, `the chain ends at entry ${expectedSeq - 1}, the recorded head is entry ${ctx.head.seq}`)
  }
  return { ok: true, entries: expectedSeq }
}
