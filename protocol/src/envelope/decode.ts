/** Structural decoding of an envelope: every field checked, nothing extra allowed. */
import { ENVELOPE_VERSION, FEDERATION_ID_PATTERN, JWS_TYPE_ENVELOPE } from '../constants.js'
import type { Json } from '../encoding.js'
import { EnvelopeSchemaError } from '../errors.js'
import {
  DIGEST_PATTERN, ID_PATTERN, KIND_PATTERN, LOCAL_ID_PATTERN, expectArray, expectCountry,
  expectInteger, expectObject, expectString, isObject, onlyKeys, type SchemaFail
} from '../schema.js'
import type { EnvelopeHeader, EnvelopePayload, PersonalDataSidecar } from './types.js'

const fail: SchemaFail = (message) => { throw new EnvelopeSchemaError(message) }

export function decodeProtectedHeader (value: unknown): { kid: string } {
  const h = expectObject(value, 'header', fail)
  onlyKeys(h, ['alg', 'kid', 'typ'], 'header', fail)
  if (h.alg !== 'EdDSA') fail('header.alg must be EdDSA')
  if (h.typ !== JWS_TYPE_ENVELOPE) fail(`header.typ must be ${JWS_TYPE_ENVELOPE}`)
  return { kid: expectString(h.kid, 'header.kid', fail, DIGEST_PATTERN) }
}

export function decodeRecipients (value: unknown, path: string): string[] {
  const to = expectArray(value, path, fail, 30, 1) as unknown[]
  if (to.length === 1 && to[0] === '*') return ['*']
  const seen = new Set<string>()
  to.forEach((c, i) => {
    const code = expectCountry(c, `${path}[${i}]`, fail)
    if (seen.has(code)) fail(`${path} lists ${code} twice`)
    seen.add(code)
  })
  return [...seen]
}

export function decodeHeader (value: unknown): EnvelopeHeader {
  const h = expectObject(value, 'hdr', fail)
  onlyKeys(h, ['v', 'fed', 'id', 'kind', 'from', 'fromAuthority', 'to', 'toAuthority', 'created', 'pd'], 'hdr', fail)
  if (h.v !== ENVELOPE_VERSION) fail(`hdr.v must be ${ENVELOPE_VERSION}`)
  const header: EnvelopeHeader = {
    v: ENVELOPE_VERSION,
    fed: expectString(h.fed, 'hdr.fed', fail, FEDERATION_ID_PATTERN),
    id: expectString(h.id, 'hdr.id', fail, ID_PATTERN),
    kind: expectString(h.kind, 'hdr.kind', fail, KIND_PATTERN),
    from: expectCountry(h.from, 'hdr.from', fail),
    to: decodeRecipients(h.to, 'hdr.to'),
    created: expectInteger(h.created, 'hdr.created', fail)
  }
  return {
    ...header,
    ...(h.fromAuthority !== undefined && { fromAuthority: expectString(h.fromAuthority, 'hdr.fromAuthority', fail, LOCAL_ID_PATTERN) }),
    ...(h.toAuthority !== undefined && { toAuthority: expectString(h.toAuthority, 'hdr.toAuthority', fail, LOCAL_ID_PATTERN) }),
    ...(h.pd !== undefined && { pd: expectString(h.pd, 'hdr.pd', fail, DIGEST_PATTERN) })
  }
}

export function decodePayload (value: unknown): EnvelopePayload {
  const p = expectObject(value, 'payload', fail)
  onlyKeys(p, ['hdr', 'body'], 'payload', fail)
  if (!isObject(p.body)) fail('payload.body must be an object')
  return { hdr: decodeHeader(p.hdr), body: p.body as Json }
}

export function decodeSidecar (value: unknown): PersonalDataSidecar {
  const s = expectObject(value, 'pd', fail)
  onlyKeys(s, ['salt', 'data'], 'pd', fail)
  const salt = expectString(s.salt, 'pd.salt', fail, DIGEST_PATTERN)
  if (!isObject(s.data)) fail('pd.data must be an object')
  return { salt, data: s.data as Json }
}
