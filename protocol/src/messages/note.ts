/** A free-text note between two nodes: the smallest direct message, used by operators and tests. */
import type { Json } from '../encoding.js'
import { BodySchemaError } from '../errors.js'
import { expectObject, expectString, onlyKeys, type SchemaFail } from '../schema.js'

export const NOTE_KIND = 'note'
export const MAX_NOTE_CHARS = 4000

const fail: SchemaFail = (message) => { throw new BodySchemaError(message) }

export function validateNoteBody (body: Json): void {
  const o = expectObject(body, 'body', fail)
  onlyKeys(o, ['text'], 'body', fail)
  expectString(o.text, 'body.text', fail, undefined, MAX_NOTE_CHARS)
}
