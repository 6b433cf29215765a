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
  private postings = new Map<string, Posting[]>()
  /** Every distinct token, sorted, so a prefix is a contiguous range. */
  private sortedTokens: string[] = []

  get size (): number { return this.docs.length }

  /** Replaces the whole index: records arrive as complete, verified directories. */
  rebuild (entries: readonly IndexedEntry[]): void {
    this.docs = [...entries]
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
    let scores: Map<number, number> | undefined
    for (const word of words) {
      const matches = this.match(word)
      if (scores === undefined) {
        scores = matches
      } else {
        const next = new Map<number, number>()
        for (const [doc, s] of scores) { const m = matches.get(doc); if (m !== undefined) next.set(doc, s + m) }
        scores = next
      }
      if (scores.size === 0) break
    }
    const candidates = scores ?? new Map(this.docs.map((_, i) => [i, 0]))
    const hits: SearchHit[] = []
    for (const [doc, score] of candidates) {
      const d = this.docs[doc]!
      if (!passes(d, q)) continue
      hits.push({ ...d, score })
    }
    hits.sort((a, b) => b.score - a.score || shortestName(a) - shortestName(b) || a.entry.id.localeCompare(b.entry.id))
    return hits.slice(0, q.limit ?? 50)
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

  /** Best score per document for one query word: whole word or prefix, name or description. */
  private match (word: string): Map<number, number> {
    const out = new Map<number, number>()
    let i = lowerBound(this.sortedTokens, word)
    for (; i < this.sortedTokens.length && this.sortedTokens[i]!.startsWith(word); i++) {
      const token = this.sortedTokens[i]!
      const whole = token === word
      for (const p of this.postings.get(token)!) {
        const score = (p.field === NAME ? 4 : 1) * (whole ? 2 : 1) * (p.infix ? 0.5 : 1)
        if (score > (out.get(p.doc) ?? 0)) out.set(p.doc, score)
      }
    }
    return out
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

function shortestName (h: SearchHit): number {
  return Math.min(...texts(h.entry.names).map((n) => n.length))
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
