/**
 * How a data subject is recognised in a procedure's personal data: by name, folded for
 * case and diacritics ("Stanislaw Wisniewski" finds "Stanisław Wiśniewski"), every word
 * of the name a whole word of one field, in any order (so "Jan" does not find "Janina");
 * or by an identifier (registration, identity or tax number), equal to a whole field
 * (ignoring case and spaces) or a whole token of a free text. Pure: the service reads.
 */
import { InvalidRequestError } from '../../errors.js'
import { tokens } from '../directory/fold.js'

export interface SubjectQuery {
  readonly name?: string
  readonly identifier?: string
}

/** A query checked once: the name's folded words, the identifier normalised. */
export interface PreparedQuery {
  readonly words?: readonly string[]
  readonly identifier?: string
  /** The identifier as a whole token of free text, case-insensitively. */
  readonly identifierInText?: RegExp
}

/** A value of a procedure's personal data and where it is: a field (a name, a number) or free text (an answer, a note). */
export interface SearchItem {
  readonly path: string
  readonly value: string
  /** composite: several fields joined, for a name split over them (matched by name only). */
  readonly kind: 'field' | 'text' | 'composite'
}

const MAX_QUERY_CHARS = 200

const normaliseId = (v: string): string => v.normalize('NFKC').replace(/\s+/gu, '').toUpperCase()
const escape = (v: string): string => v.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')

export function prepareQuery (q: SubjectQuery): PreparedQuery {
  const out: { words?: string[], identifier?: string, identifierInText?: RegExp } = {}
  if (q.name !== undefined) {
    if (typeof q.name !== 'string' || q.name.length > MAX_QUERY_CHARS) throw new InvalidRequestError(`name must be text of at most ${MAX_QUERY_CHARS} characters`)
    const words = [...new Set(tokens(q.name))]
    if (words.length === 0 || words.every((w) => w.length < 2)) throw new InvalidRequestError('name must hold a word of at least two letters')
    out.words = words
  }
  if (q.identifier !== undefined) {
    if (typeof q.identifier !== 'string' || q.identifier.length > MAX_QUERY_CHARS) throw new InvalidRequestError(`identifier must be text of at most ${MAX_QUERY_CHARS} characters`)
    const id = normaliseId(q.identifier)
    if (id.length < 3) throw new InvalidRequestError('identifier must have at least three characters')
    out.identifier = id
    out.identifierInText = new RegExp(`(?<![\\p{L}\\p{N}])${escape(q.identifier.trim().normalize('NFKC'))}(?![\\p{L}\\p{N}])`, 'iu')
  }
  if (out.words === undefined && out.identifier === undefined) throw new InvalidRequestError('search by name, identifier or both')
  return out
}

/** Whether one value names the person. */
export function matches (q: PreparedQuery, item: SearchItem): boolean {
  if (q.words !== undefined) {
    const have = new Set(tokens(item.value))
    if (q.words.every((w) => have.has(w))) return true
  }
  if (q.identifier !== undefined) {
    if (item.kind === 'field' && normaliseId(item.value) === q.identifier) return true
    if (item.kind === 'text' && q.identifierInText!.test(item.value.normalize('NFKC'))) return true
  }
  return false
}

/** The paths of the items that name the person. */
export function matchingPaths (q: PreparedQuery, items: Iterable<SearchItem>): string[] {
  const out: string[] = []
  for (const item of items) if (matches(q, item)) out.push(item.path)
  return [...new Set(out)]
}

/**
 * A record of named fields (a request's subject, an alert's person concerned): each field,
 * and all of them together for a name split over fields (first name, surname).
 */
export function recordItems (path: string, record: Readonly<Record<string, string>>): SearchItem[] {
  const fields = Object.entries(record).map(([k, v]): SearchItem => ({ path: `${path}.${k}`, value: v, kind: 'field' }))
  return [...fields, { path, value: Object.values(record).join(' '), kind: 'composite' }]
}

/** Strings anywhere inside a JSON value (an answer's value), as free text. */
export function jsonItems (path: string, value: unknown): SearchItem[] {
  const out: SearchItem[] = []
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push({ path, value: v, kind: 'text' })
    else if (Array.isArray(v)) v.forEach(walk)
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk)
  }
  walk(value)
  return out
}
