/** Structural checks of directory records: every field, nothing extra. */
import { FEDERATION_ID_PATTERN } from '../constants.js'
import { RecordSchemaError } from '../errors.js'
import { LANGUAGES, type Language } from '../member-states.js'
import {
  LOCAL_ID_PATTERN, expectArray, expectCountry, expectInteger, expectObject, expectString, onlyKeys, type SchemaFail
} from '../schema.js'
import { isLegislativeArea, type LegislativeArea } from './areas.js'
import type { AuthorityEntry, DirectoryName, DirectoryRecord, Multilingual, RegisterEntry } from './types.js'

const fail: SchemaFail = (message) => { throw new RecordSchemaError(message) }
const KEYWORD_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} .'/&-]{0,63}$/u
const URL_PATTERN = /^https?:\/\/[^\s<>"]{1,500}$/

function multilingual (v: unknown, path: string, max: number): Multilingual {
  const o = expectObject(v, path, fail)
  const out: Partial<Record<Language, string>> = {}
  for (const [lang, text] of Object.entries(o)) {
    if (!(LANGUAGES as readonly string[]).includes(lang)) fail(`${path}.${lang} is not an IMI language`)
    out[lang as Language] = expectString(text, `${path}.${lang}`, fail, /\S/, max)
  }
  if (Object.keys(out).length === 0) fail(`${path} needs at least one language`)
  return out
}

export function decodeAuthorityEntry (v: unknown, path = 'authority'): AuthorityEntry {
  const o = expectObject(v, path, fail)
  onlyKeys(o, ['id', 'names', 'areas', 'competences', 'contact'], path, fail)
  const entry: AuthorityEntry = {
    id: expectString(o.id, `${path}.id`, fail, LOCAL_ID_PATTERN),
    names: multilingual(o.names, `${path}.names`, 300),
    areas: expectArray(o.areas, `${path}.areas`, fail, 32, 1).map((a, i) => {
      if (!isLegislativeArea(a)) fail(`${path}.areas[${i}] is not a legislative area`)
      return a as LegislativeArea
    }),
    competences: expectArray(o.competences, `${path}.competences`, fail, 64).map((c, i) => expectString(c, `${path}.competences[${i}]`, fail, KEYWORD_PATTERN, 64))
  }
  if (o.contact === undefined) return entry
  const c = expectObject(o.contact, `${path}.contact`, fail)
  onlyKeys(c, ['email', 'phone', 'website', 'address'], `${path}.contact`, fail)
  return {
    ...entry,
    contact: {
      ...(c.email !== undefined && { email: expectString(c.email, `${path}.contact.email`, fail, /^[^\s@]{1,64}@[^\s@]{1,190}$/) }),
      ...(c.phone !== undefined && { phone: expectString(c.phone, `${path}.contact.phone`, fail, /^\+?[0-9 ()-]{4,32}$/) }),
      ...(c.website !== undefined && { website: expectString(c.website, `${path}.contact.website`, fail, URL_PATTERN) }),
      ...(c.address !== undefined && { address: expectString(c.address, `${path}.contact.address`, fail, /\S/, 300) })
    }
  }
}

export function decodeRegisterEntry (v: unknown, path = 'register'): RegisterEntry {
  const o = expectObject(v, path, fail)
  onlyKeys(o, ['id', 'names', 'descriptions', 'legalBasis', 'registerAuthority', 'url', 'languages'], path, fail)
  return {
    id: expectString(o.id, `${path}.id`, fail, LOCAL_ID_PATTERN),
    names: multilingual(o.names, `${path}.names`, 300),
    descriptions: multilingual(o.descriptions, `${path}.descriptions`, 2000),
    legalBasis: expectString(o.legalBasis, `${path}.legalBasis`, fail, /\S/, 300),
    registerAuthority: expectString(o.registerAuthority, `${path}.registerAuthority`, fail, /\S/, 300),
    url: expectString(o.url, `${path}.url`, fail, URL_PATTERN),
    languages: expectArray(o.languages, `${path}.languages`, fail, 26, 1).map((l, i) => {
      if (!(LANGUAGES as readonly string[]).includes(l as string)) fail(`${path}.languages[${i}] is not an IMI language`)
      return l as Language
    })
  }
}

export function decodeDirectoryRecord (v: unknown): DirectoryRecord {
  const o = expectObject(v, 'record', fail)
  onlyKeys(o, ['fed', 'country', 'name', 'shard', 'shards', 'seq', 'created', 'expires', 'entries'], 'record', fail)
  if (o.name !== 'authorities' && o.name !== 'registers') fail('record.name must be authorities or registers')
  const name = o.name as DirectoryName
  const shards = expectInteger(o.shards, 'record.shards', fail, 1)
  const shard = expectInteger(o.shard, 'record.shard', fail, 0)
  if (shard >= shards || shards > 1000) fail('record.shard must be below record.shards (at most 1000)')
  const created = expectInteger(o.created, 'record.created', fail)
  const expires = expectInteger(o.expires, 'record.expires', fail)
  if (expires <= created) fail('record.expires must be after record.created')
  const decodeEntry = name === 'authorities' ? decodeAuthorityEntry : decodeRegisterEntry
  const entries = expectArray(o.entries, 'record.entries', fail, 2000).map((e, i) => decodeEntry(e, `record.entries[${i}]`))
  const ids = new Set(entries.map((e) => e.id))
  if (ids.size !== entries.length) fail('record.entries repeats an id')
  return {
    fed: expectString(o.fed, 'record.fed', fail, FEDERATION_ID_PATTERN),
    country: expectCountry(o.country, 'record.country', fail),
    name, shard, shards, created, expires,
    seq: expectInteger(o.seq, 'record.seq', fail, 1),
    entries
  }
}
