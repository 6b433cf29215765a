import type { Language } from '../member-states.js'
import type { LegislativeArea } from './areas.js'

/** Text in one or more languages: language code -> text. */
export type Multilingual = Readonly<Partial<Record<Language, string>>>

/** A competent authority as the federation sees it: functional contacts, no personal data. */
export interface AuthorityEntry {
  readonly id: string
  readonly names: Multilingual
  readonly areas: readonly LegislativeArea[]
  /** Structured keywords: professions, activities ("architect", "trade licensing"). */
  readonly competences: readonly string[]
  readonly contact?: { readonly email?: string, readonly phone?: string, readonly website?: string, readonly address?: string }
}

/** A national register (e.g. of architects): what it is, who keeps it, where it is. */
export interface RegisterEntry {
  readonly id: string
  readonly names: Multilingual
  readonly descriptions: Multilingual
  readonly legalBasis: string
  readonly registerAuthority: string
  readonly url: string
  readonly languages: readonly Language[]
}

export type DirectoryName = 'authorities' | 'registers'

/**
 * One shard of one member state's directory. A directory too large for one DHT record
 * is split into `shards` records; each carries the same `seq`, so a reader knows when it
 * holds a complete, consistent set.
 */
export interface DirectoryRecord {
  readonly fed: string
  readonly country: string
  readonly name: DirectoryName
  readonly shard: number
  readonly shards: number
  readonly seq: number
  readonly created: number
  /** After this instant the record is refused: publishers republish well before. */
  readonly expires: number
  readonly entries: ReadonlyArray<AuthorityEntry | RegisterEntry>
}
