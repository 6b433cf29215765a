/** RFC 7515 compact serialisation with EdDSA (RFC 8037), over an injected signer. */
import type { Signer } from '../crypto/types.js'
import { fromBase64url, fromUtf8, toBase64url, utf8 } from '../encoding.js'
import { EnvelopeEncodingError } from '../errors.js'

export function signCompact (protectedHeader: string, payload: Uint8Array, signer: Pick<Signer, 'sign'>): string {
  const signingInput = toBase64url(utf8(protectedHeader)) + '.' + toBase64url(payload)
  return signingInput + '.' + toBase64url(signer.sign(utf8(signingInput)))
}

export interface CompactParts {
  readonly header: unknown
  readonly payloadBytes: Uint8Array
  readonly signingInput: Uint8Array
  readonly signature: Uint8Array
}

export function parseCompact (jws: string): CompactParts {
  const parts = jws.split('.')
  if (parts.length !== 3) throw new EnvelopeEncodingError('JWS must have three dot-separated parts')
  const [h, p, s] = parts as [string, string, string]
  const headerBytes = fromBase64url(h)
  const payloadBytes = fromBase64url(p)
  const signature = fromBase64url(s)
  if (headerBytes === undefined || payloadBytes === undefined || signature === undefined) {
    throw new EnvelopeEncodingError('JWS part is not canonical base64url')
  }
  if (signature.length !== 64) throw new EnvelopeEncodingError('Ed25519 signature must be 64 bytes')
  return {
    header: parseJson(headerBytes, 'JWS header'),
    payloadBytes,
    signingInput: utf8(h + '.' + p),
    signature
  }
}

export function parseJson (bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(fromUtf8(bytes))
  } catch {
    throw new EnvelopeEncodingError(`${what} is not UTF-8 JSON`)
  }
}

/**
 * The envelope id from a JWS's payload, read WITHOUT verifying anything: for logs that
 * follow one exchange across nodes and for duplicate checks. Undefined when unreadable.
 */
export function peekEnvelopeId (jws: string): string | undefined {
  try {
    const id = (JSON.parse(new TextDecoder().decode(parseCompact(jws).payloadBytes)) as { hdr?: { id?: unknown } }).hdr?.id
    return typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : undefined
  } catch {
    return undefined
  }
}
