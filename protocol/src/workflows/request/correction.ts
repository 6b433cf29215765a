/**
 * Data subject rights across nodes (Art 19 of Regulation 1024/2012): when an authority
 * corrects the subject's data of a request (rectification), or records that the data
 * subject contests their accuracy (contest), its node tells the counterpart node with a
 * signed `subject-correction` direct message, so both copies say the same.
 *
 * The signed body names only the request, what happened and when; the corrected data
 * and any note ride in the personal-data sidecar, beside the signature, so retention
 * and erasure delete them like every other sidecar and the evidence still verifies.
 * A rectification's sidecar holds the whole corrected subject (it replaces the one
 * disclosed); a contest's holds at most a note.
 */
import type { Json } from '../../encoding.js'
import { BodySchemaError } from '../../errors.js'
import { ID_PATTERN, expectInteger, expectObject, expectString, onlyKeys, type SchemaFail } from '../../schema.js'
import { MAX_MESSAGE_CHARS, decodeSubject, type SubjectData } from './personal-data.js'

export const SUBJECT_CORRECTION_KIND = 'subject-correction'

export const SUBJECT_CORRECTION_KINDS = ['rectification', 'contest'] as const
export type SubjectCorrectionKind = typeof SUBJECT_CORRECTION_KINDS[number]

export interface SubjectCorrectionBody {
  readonly request: string
  readonly kind: SubjectCorrectionKind
  /** When the authority corrected or recorded the contest (ms, its node's clock). */
  readonly at: number
}

/** The sidecar: the corrected subject (rectification only), and the authority's note. */
export interface SubjectCorrectionData {
  readonly subject?: SubjectData
  readonly note?: string
}

const fail: SchemaFail = (message) => { throw new BodySchemaError(message) }

export function decodeSubjectCorrectionBody (body: unknown): SubjectCorrectionBody {
  const o = expectObject(body, 'body', fail)
  onlyKeys(o, ['request', 'kind', 'at'], 'body', fail)
  const kind = expectString(o.kind, 'body.kind', fail)
  if (!(SUBJECT_CORRECTION_KINDS as readonly string[]).includes(kind)) fail(`body.kind must be one of ${SUBJECT_CORRECTION_KINDS.join(', ')}`)
  return {
    request: expectString(o.request, 'body.request', fail, ID_PATTERN),
    kind: kind as SubjectCorrectionKind,
    at: expectInteger(o.at, 'body.at', fail)
  }
}

/** A rectification carries the whole corrected subject; a contest no subject. Either may carry a note. */
export function decodeSubjectCorrectionData (kind: SubjectCorrectionKind, data: unknown): SubjectCorrectionData {
  const o = expectObject(data, 'pd', fail)
  onlyKeys(o, kind === 'rectification' ? ['subject', 'note'] : ['note'], 'pd', fail)
  if (kind === 'rectification' && o.subject === undefined) fail('pd.subject is required for a rectification')
  return {
    ...(o.subject !== undefined && { subject: decodeSubject(o.subject, 'pd.subject') }),
    ...(o.note !== undefined && { note: expectString(o.note, 'pd.note', fail, /\S/, MAX_MESSAGE_CHARS) })
  }
}

export function validateSubjectCorrectionBody (body: Json): void { decodeSubjectCorrectionBody(body) }
