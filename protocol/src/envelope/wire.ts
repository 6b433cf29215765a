/** Frames that carry an envelope and its optional personal-data sidecar. */
import { MAX_ENVELOPE_BYTES, MAX_PERSONAL_DATA_BYTES } from '../constants.js'
import { EnvelopeSchemaError, EnvelopeTooLargeError } from '../errors.js'
import { expectObject, expectString, onlyKeys, type SchemaFail } from '../schema.js'
import { decodeSidecar } from './decode.js'
import { parseJson } from './jws.js'
import type { WireEnvelope } from './types.js'

const fail: SchemaFail = (message) => { throw new EnvelopeSchemaError(message) }

/** Upper bound of an encoded wire envelope: JWS, sidecar and JSON punctuation. */
export const MAX_WIRE_BYTES = MAX_ENVELOPE_BYTES + MAX_PERSONAL_DATA_BYTES * 2 + 1024

export function encodeWire (wire: WireEnvelope): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(wire))
}

export function decodeWire (bytes: Uint8Array, maxBytes = MAX_WIRE_BYTES): WireEnvelope {
  if (bytes.length > maxBytes) throw new EnvelopeTooLargeError(`frame exceeds ${maxBytes} bytes`)
  return decodeWireValue(parseJson(bytes, 'frame'))
}

export function decodeWireValue (value: unknown): WireEnvelope {
  const o = expectObject(value, 'frame', fail)
  onlyKeys(o, ['jws', 'pd'], 'frame', fail)
  const jws = expectString(o.jws, 'frame.jws', fail, undefined, MAX_ENVELOPE_BYTES * 2)
  return o.pd === undefined ? { jws } : { jws, pd: decodeSidecar(o.pd) }
}

/** The answer to a direct message: the receiver's signed receipt, or why it refused. */
export type Reply = { readonly receipt: string } | { readonly error: { readonly code: string, readonly message: string } }

export function encodeReply (reply: Reply): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(reply))
}

export function decodeReply (bytes: Uint8Array, maxBytes = MAX_WIRE_BYTES): Reply {
  if (bytes.length > maxBytes) throw new EnvelopeTooLargeError(`reply exceeds ${maxBytes} bytes`)
  const o = expectObject(parseJson(bytes, 'reply'), 'reply', fail)
  if ('receipt' in o) {
    onlyKeys(o, ['receipt'], 'reply', fail)
    return { receipt: expectString(o.receipt, 'reply.receipt', fail, undefined, MAX_ENVELOPE_BYTES) }
  }
  onlyKeys(o, ['error'], 'reply', fail)
  const e = expectObject(o.error, 'reply.error', fail)
  onlyKeys(e, ['code', 'message'], 'reply.error', fail)
  return { error: { code: expectString(e.code, 'reply.error.code', fail, /^ERR_[A-Z_]{1,60}$/), message: expectString(e.message, 'reply.error.message', fail, undefined, 500) } }
}
