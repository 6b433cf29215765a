/**
 * The index of one member state's authorities or registers. The directory index holds
 * one segment per state and kind, so a state that publishes a change costs a rebuild of
 * its own segment, not of the whole federation's.
 */
import type { Multilingual } from '@imi/protocol'
import { tokens } from './fold.js'
import type { IndexedEntry } from './search-index.js'

const NAME = 1
const DESCRIPTION = 2

/** Compound words ("Bundesarchitektenkammer") are also indexed by their tails of this length or more. */
const MIN_INFIX = 4

interface Posting { readonly doc: number, readonly field: number, readonly infix: boolean }

export class IndexSegment {
  readonly docs: readonly IndexedEntry[]
  /** Shortest name of each document: the tie-breaker, computed once, not per comparison. */
  readonly nameLength: readonly number[]
  private readonly postings = new Map<string, Posting[]>()
  /** Every distinct token, sorted, so a prefix is a contiguous range. */
  private readonly sortedTokens: string[]

  constructor (entries: readonly IndexedEntry[]) {
    this.docs = [...entries]
    this.nameLength = this.docs.map((d) => Math.min(...texts(d.entry.names).map((n) => n.length)))
    this.docs.forEach((d, doc) => {
      this.add(doc, NAME, texts(d.entry.names))
      if ('descriptions' in d.entry) this.add(doc, DESCRIPTION, texts(d.entry.descriptions))
      if ('competences' in d.entry) this.add(doc, DESCRIPTION, d.entry.competences)
    })
    this.sortedTokens = [...this.postings.keys()].sort()
  }

  /** Documents matching every word, with their summed scores (typed arrays: a broad word touches thousands). */
  score (words: readonly string[]): { candidates: number[], total: Float64Array } {
    const total = new Float64Array(this.docs.length)
    if (words.length === 0) return { candidates: this.docs.map((_, i) => i), total }
    const matched = new Uint8Array(this.docs.length)
    const best = new Float64Array(this.docs.length)
    let candidates: number[] = []
    words.forEach((word, w) => {
      const touched = this.match(word, best)
      candidates = []
      for (const doc of touched) {
        if (matched[doc] === w) {
          matched[doc] = w + 1
          total[doc] = total[doc]! + best[doc]!
          candidates.push(doc)
        }
        best[doc] = 0
      }
    })
    return { candidates, total }
  }

  private add (doc: number, field: number, values: readonly string[]): void {
    for (const value of values) {
      for (const token of tokens(value)) {
        this.post(token, { doc, field, infix: false })
        for (let k = 1; token.length - k >= MIN_INFIX; k++) this.post(token.slice(k), { doc, field, infix: true })
      }
    }
  }

  private post (token: string, posting: Posting): void {
    let list = this.postings.get(token)
    if (list === undefined) { list = []; this.postings.set(token, list) }
    const last = list[list.length - 1]
    if (last?.doc !== posting.doc || last.field !== posting.field || last.infix !== posting.infix) list.push(posting)
  }

  /**
   * Best score per document for one query word (whole word or prefix, name or not,
   * word start or part of a compound), written into `best`; returns the documents touched.
   */
  private match (word: string, best: Float64Array): number[] {
    const touched: number[] = []
    for (let i = lowerBound(this.sortedTokens, word); i < this.sortedTokens.length && this.sortedTokens[i]!.startsWith(word); i++) {
      const token = this.sortedTokens[i]!
      const whole = token === word
      for (const p of this.postings.get(token)!) {
        const score = (p.field === NAME ? 4 : 1) * (whole ? 2 : 1) * (p.infix ? 0.5 : 1)
        if (best[p.doc] === 0) touched.push(p.doc)
        if (score > best[p.doc]!) best[p.doc] = score
      }
    }
    return touched
  }
}

function texts (m: Multilingual): string[] {
  return Object.values(m).filter((t): t is string => typeof t === 'string')
}

function lowerBound (sorted: readonly string[], value: string): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]! < value) lo = mid + 1
    else hi = mid
  }
  return lo
}
