/**
 * A deterministic directory of all 30 member states at today's IMI size (12,600
 * authorities, 700 national registers by default): the same seed always gives the same
 * dataset, so tests, benchmarks and simulations can be compared run to run.
 */
import { MEMBER_STATES, type AuthorityEntry, type Language, type RegisterEntry } from '@imi/protocol'
import { AUTHORITY_KINDS, AUTHORITY_SHARE, CITIES, REGISTER_WORD, type AuthorityKind } from './vocabulary.js'

export interface DirectoryDataset {
  readonly authorities: ReadonlyMap<string, readonly AuthorityEntry[]>
  readonly registers: ReadonlyMap<string, readonly RegisterEntry[]>
}

export interface DatasetOptions {
  readonly seed: number
  readonly authorities?: number
  readonly registers?: number
  /** Only these member states (a demo's slice); all 30 by default. */
  readonly countries?: readonly string[]
}

/** mulberry32: small, fast, and the same on every platform. */
export function seededRandom (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Splits `total` over the states by their share; every state gets at least `min`. */
function apportion (total: number, countries: readonly string[], min: number): Map<string, number> {
  const weight = (c: string): number => AUTHORITY_SHARE[c] ?? 1
  const sum = countries.reduce((s, c) => s + weight(c), 0)
  const out = new Map(countries.map((c) => [c, Math.max(min, Math.floor(total * weight(c) / sum))]))
  let missing = total - [...out.values()].reduce((s, n) => s + n, 0)
  for (const c of [...countries].sort((a, b) => weight(b) - weight(a))) {
    if (missing <= 0) break
    out.set(c, out.get(c)! + 1)
    missing--
  }
  return out
}

function languagesOf (country: string): Language[] {
  const own = MEMBER_STATES.find((s) => s.code === country)?.languages ?? []
  return [...new Set<Language>([...own, 'en'])]
}

function slug (text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'office'
}

function pickKind (random: () => number, kinds: readonly AuthorityKind[]): AuthorityKind {
  const total = kinds.reduce((s, k) => s + k.weight, 0)
  let r = random() * total
  for (const k of kinds) { r -= k.weight; if (r < 0) return k }
  return kinds[kinds.length - 1]!
}

function authoritiesOf (country: string, count: number, random: () => number): AuthorityEntry[] {
  const langs = languagesOf(country)
  const cities = CITIES[country] ?? [country]
  const counters = new Map<string, number>()
  const out: AuthorityEntry[] = []
  const make = (kind: AuthorityKind, city?: string): AuthorityEntry => {
    const key = `${kind.id}/${city ?? ''}`
    const n = (counters.get(key) ?? 0) + 1
    counters.set(key, n)
    // Several offices of one kind in one city get numbered, as districts are.
    const place = city === undefined ? '' : n > 1 || kind.scope === 'local' ? ` ${city} ${n}` : ` ${city}`
    const names = Object.fromEntries(langs.map((l) => [l, `${kind.names[l]}${place}`])) as Partial<Record<Language, string>>
    const id = `${country.toLowerCase()}-${kind.id}-${out.length + 1}`
    const web = `${slug(names.en ?? id)}.example.${country.toLowerCase()}`
    return { id, names, areas: kind.areas, competences: kind.competences, contact: { email: `info@${web}`, website: `https://${web}` } }
  }
  for (const kind of AUTHORITY_KINDS.filter((k) => k.scope === 'national')) out.push(make(kind))
  const others = AUTHORITY_KINDS.filter((k) => k.scope !== 'national')
  while (out.length < count) out.push(make(pickKind(random, others), cities[Math.floor(random() * cities.length)]!))
  return out
}

function registersOf (country: string, count: number, random: () => number): RegisterEntry[] {
  const langs = languagesOf(country)
  const cities = CITIES[country] ?? [country]
  const kinds = AUTHORITY_KINDS.filter((k) => k.id === 'architects' || k.id === 'doctors' || k.id === 'commerce' || k.id === 'nursing')
  const out: RegisterEntry[] = []
  for (let i = 0; out.length < count; i++) {
    const kind = kinds[i % kinds.length]!
    const city = cities[Math.floor(random() * cities.length)]!
    const suffix = i >= kinds.length * cities.length ? ` ${Math.floor(i / (kinds.length * cities.length)) + 1}` : ''
    const names = Object.fromEntries(langs.map((l) => [l, `${REGISTER_WORD[l]} – ${kind.names[l]} ${city}${suffix}`])) as Partial<Record<Language, string>>
    out.push({
      id: `${country.toLowerCase()}-reg-${kind.id}-${i + 1}`,
      names,
      descriptions: { ...names, en: `Public register of ${kind.competences[0]}s kept by the ${kind.names.en} ${city}` },
      legalBasis: `National law on ${kind.competences[0]}s`,
      registerAuthority: `${kind.names[langs[0]!]} ${city}`,
      url: `https://register.${slug(`${kind.names.en} ${city}`)}.example.${country.toLowerCase()}`,
      // The languages the register itself is kept in: the state's own.
      languages: [...(MEMBER_STATES.find((s) => s.code === country)?.languages ?? ['en'])]
    })
  }
  return out
}

export function generateDirectory (options: DatasetOptions): DirectoryDataset {
  const countries = options.countries ?? MEMBER_STATES.map((s) => s.code)
  const random = seededRandom(options.seed)
  const authorityCounts = apportion(options.authorities ?? 12_600, countries, 4)
  const registerCounts = apportion(options.registers ?? 700, countries, 4)
  const authorities = new Map<string, AuthorityEntry[]>()
  const registers = new Map<string, RegisterEntry[]>()
  for (const c of countries) {
    authorities.set(c, authoritiesOf(c, authorityCounts.get(c)!, random))
    registers.set(c, registersOf(c, registerCounts.get(c)!, random))
  }
  return { authorities, registers }
}
