/**
 * The local index every node keeps of every member state's directory, so search works
 * with the other nodes offline. In memory, no I/O: built from verified records.
 * Query words must all match (as words, word prefixes or parts of compound words) in any
 * language's name, description or competences; names weigh more than the rest, whole
 * words more than prefixes, and word starts more than parts of compounds.
 */
import type { AuthorityEntry, DirectoryName, Multilingual, RegisterEntry } from '@imi/protocol'
import { tokens } from './fold.js'

export interface IndexedEntry {
  readonly kind: DirectoryName
  readonly country: string
  readonly entry: AuthorityEntry | RegisterEntry
}

export interface SearchQuery {
  readonly text?: string
  readonly kind?: DirectoryName
  readonly country?: string
  readonly area?: string
  readonly competence?: string
  readonly limit?: number
}

export interface SearchHit extends IndexedEntry { readonly score: number }

const NAME = 1
const DESCRIPTION = 2

/** Compound words ("Bundesarchitektenkammer") are also indexed by their tails of this length or more. */
const MIN_INFIX = 4

interface Posting { readonly doc: number, readonly field: number, readonly infix: boolean }

export class DirectorySearchIndex {
  private docs: IndexedEntry[] = []
  /** Shortest name of each document: the tie-breaker, computed once, not per comparison. */
  private nameLength: number[] = []
  private postings = new Map<string, Posting[]>()
  /** Every distinct token, sorted, so a prefix is a contiguous range. */
  private sortedTokens: string[] = []

  get size (): number { return this.docs.length }

  /** Replaces the whole index: records arrive as complete, verified directories. */
  rebuild (entries: readonly IndexedEntry[]): void {
    this.docs = [...entries]
    this.nameLength = this.docs.map((d) => Math.min(...texts(d.entry.names).map((n) => n.length)))
    this.postings = new Map()
    this.docs.forEach((d, doc) => {
      this.add(doc, NAME, texts(d.entry.names))
      if ('descriptions' in d.entry) this.add(doc, DESCRIPTION, texts(d.entry.descriptions))
      if ('competences' in d.entry) this.add(doc, DESCRIPTION, d.entry.competences)
    })
    this.sortedTokens = [...this.postings.keys()].sort()
  }

  search (q: SearchQuery): SearchHit[] {
    const words = q.text === undefined ? [] : tokens(q.text)
    let candidates: number[]
    const total = new Float64Array(this.docs.length)
    if (words.length === 0) {
      candidates = this.docs.map((_, i) => i)
    } else {
      // Typed arrays indexed by document: a broad word touches thousands of documents.
      const matched = new Uint8Array(this.docs.length)
      const best = new Float64Array(this.docs.length)
      candidates = []
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
    }
    const before = (a: number, b: number): number => total[b]! - total[a]! || this.nameLength[a]! - this.nameLength[b]! || a - b
    const ranked = candidates.filter((doc) => passes(this.docs[doc]!, q)).sort(before)
    return ranked.slice(0, q.limit ?? 50).map((doc) => ({ ...this.docs[doc]!, score: total[doc]! }))
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

function passes (d: IndexedEntry, q: SearchQuery): boolean {
  if (q.kind !== undefined && d.kind !== q.kind) return false
  if (q.country !== undefined && d.country !== q.country) return false
  if (q.area !== undefined && !('areas' in d.entry && (d.entry.areas as readonly string[]).includes(q.area))) return false
  if (q.competence !== undefined) {
    const wanted = tokens(q.competence).join(' ')
    if (!('competences' in d.entry && d.entry.competences.some((c) => tokens(c).join(' ').startsWith(wanted)))) return false
  }
  return true
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
