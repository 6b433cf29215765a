/**
 * The federated directory, read from this node's own verified copy: search across every
 * member state's authorities and registers, one entry, and how fresh each state's copy
 * is. Answers while other nodes are offline; the status says how old each copy is.
 */
import { Hono } from 'hono'
import { LEGISLATIVE_AREAS, LOCAL_ID_PATTERN } from '@imi/protocol'
import { InvalidRequestError, NotFoundError } from '../../errors.js'
import type { DirectoryService } from '../../services/directory/directory-service.js'
import { expectCountry, expectIntegerParam, expectOneOf, expectString } from '../input.js'

export type DirectoryApi = Pick<DirectoryService, 'search' | 'status' | 'authority'>

const KINDS = ['any', 'authorities', 'registers'] as const
const AREAS = ['any', ...LEGISLATIVE_AREAS] as const
/** Longer queries are not searches; they are someone pasting a document. */
const MAX_QUERY_CHARS = 200

function optional (v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v
}

export function directoryRoutes (node: { readonly directory: DirectoryApi }): Hono {
  return new Hono()
    .get('/directory/search', (c) => {
      const text = optional(c.req.query('q'))
      if (text !== undefined && text.length > MAX_QUERY_CHARS) throw new InvalidRequestError(`q must be at most ${MAX_QUERY_CHARS} characters`)
      const country = optional(c.req.query('country'))
      const kind = expectOneOf(optional(c.req.query('kind')), 'kind', KINDS, 'any')
      const area = expectOneOf(optional(c.req.query('area')), 'area', AREAS, 'any')
      const competence = optional(c.req.query('competence'))
      if (competence !== undefined && competence.length > MAX_QUERY_CHARS) throw new InvalidRequestError(`competence must be at most ${MAX_QUERY_CHARS} characters`)
      const limit = expectIntegerParam(c.req.query('limit'), 'limit', 1, 200, 50)
      const hits = node.directory.search({
        limit,
        ...(text !== undefined && { text }),
        ...(country !== undefined && { country: expectCountry(country, 'country') }),
        ...(kind !== 'any' && { kind }),
        ...(area !== 'any' && { area }),
        ...(competence !== undefined && { competence })
      })
      return c.json({ hits: hits.map((h) => ({ kind: h.kind, country: h.country, score: h.score, entry: h.entry })) })
    })
    .get('/directory/status', (c) => c.json({ directories: node.directory.status() }))
    .get('/directory/:country/authorities/:id', (c) => {
      const country = expectCountry(c.req.param('country'), 'country')
      const id = expectString(c.req.param('id'), 'id', LOCAL_ID_PATTERN)
      const entry = node.directory.authority(country, id)
      if (entry === undefined) throw new NotFoundError(`${country} lists no authority ${id}`)
      return c.json({ country, entry })
    })
}
