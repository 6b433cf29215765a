/**
 * The local index every node keeps of every member state's directory, so search works
 * with the other nodes offline. In memory, no I/O: built from verified records, one
 * segment per state and kind (index-segment.ts), so one state's change reindexes only it.
 * Query words must all match (as words, word prefixes or parts of compound words) in any
 * language's name, description or competences; names weigh more than the rest, whole
 * words more than prefixes, and word starts more than parts of compounds.
 */
import type { AuthorityEntry, DirectoryName, RegisterEntry } from '@imi/protocol'
import { tokens } from './fold.js'
import { IndexSegment } from './index-segment.js'

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

interface Candidate { readonly segment: IndexSegment, readonly doc: number, readonly score: number, readonly order: number }

export class DirectorySearchIndex {
  /** `<CC>/<kind>` -> segment, kept in key order so results tie-break the same way everywhere. */
  private segments = new Map<string, IndexSegment>()

  get size (): number {
    let n = 0
    for (const s of this.segments.values()) n += s.docs.length
    return n
  }

  /** Replaces one state's authorities or registers. */
  replace (country: string, kind: DirectoryName, entries: ReadonlyArray<AuthorityEntry | RegisterEntry>): void {
    this.segments.set(`${country}/${kind}`, new IndexSegment(entries.map((entry) => ({ kind, country, entry }))))
    this.segments = new Map([...this.segments].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  }

  remove (country: string, kind: DirectoryName): void {
    this.segments.delete(`${country}/${kind}`)
  }

  /** Replaces the whole index. */
  rebuild (entries: readonly IndexedEntry[]): void {
    const groups = new Map<string, IndexedEntry[]>()
    for (const e of entries) {
      const key = `${e.country}/${e.kind}`
      let group = groups.get(key)
      if (group === undefined) { group = []; groups.set(key, group) }
      group.push(e)
    }
    this.segments = new Map()
    for (const group of groups.values()) this.replace(group[0]!.country, group[0]!.kind, group.map((g) => g.entry))
  }

  search (q: SearchQuery): SearchHit[] {
    const words = q.text === undefined ? [] : tokens(q.text)
    const found: Candidate[] = []
    let order = 0
    for (const [key, segment] of this.segments) {
      const [country, kind] = key.split('/')
      if ((q.country !== undefined && country !== q.country) || (q.kind !== undefined && kind !== q.kind)) {
        order += segment.docs.length
        continue
      }
      const { candidates, total } = segment.score(words)
      for (const doc of candidates) if (passes(segment.docs[doc]!, q)) found.push({ segment, doc, score: total[doc]!, order: order + doc })
      order += segment.docs.length
    }
    found.sort((a, b) => b.score - a.score || a.segment.nameLength[a.doc]! - b.segment.nameLength[b.doc]! || a.order - b.order)
    return found.slice(0, q.limit ?? 50).map((c) => ({ ...c.segment.docs[c.doc]!, score: c.score }))
  }
}

function passes (d: IndexedEntry, q: SearchQuery): boolean {
  if (q.area !== undefined && !('areas' in d.entry && (d.entry.areas as readonly string[]).includes(q.area))) return false
  if (q.competence !== undefined) {
    const wanted = tokens(q.competence).join(' ')
    if (!('competences' in d.entry && d.entry.competences.some((c) => tokens(c).join(' ').startsWith(wanted)))) return false
  }
  return true
}
