import type { AuthorityEntry, RegisterEntry } from '@imi/protocol'

/** What this member state publishes. Dispatches a plain Event 'change' after any change that alters what is published. */
export interface LocalDirectorySource extends EventTarget {
  /** Active authorities only (not pending, suspended or removed), sorted by id. */
  publishedAuthorities(): Promise<AuthorityEntry[]>
  /** Current registers, sorted by id. */
  publishedRegisters(): Promise<RegisterEntry[]>
  /** true only for an active authority of this node. */
  isActiveAuthority(id: string): Promise<boolean>
}
