/**
 * Every way a protocol input can be wrong has its own class and a stable code.
 * Codes are part of the public surface: they appear in HTTP error bodies, logs and
 * metric labels, and tests check them instead of message text.
 */

/** What a relay (gossip) or receiver should do with an input that failed. */
export type Verdict = 'reject' | 'ignore'

export class ImiError extends Error {
  override name = 'ImiError'
  readonly code: string
  readonly verdict: Verdict

  constructor (code: string, message: string, verdict: Verdict = 'reject') {
    super(message)
    this.code = code
    this.verdict = verdict
  }
}

function errorClass (name: string, code: string, verdict: Verdict = 'reject') {
  const cls = class extends ImiError {
    static readonly code = code
    override name = name
    constructor (message: string) { super(code, message, verdict) }
  }
  Object.defineProperty(cls, 'name', { value: name })
  return cls
}

// Envelope rejections, in the order the validation pipeline checks them.
export const EnvelopeTooLargeError = errorClass('EnvelopeTooLargeError', 'ERR_ENVELOPE_TOO_LARGE')
export const EnvelopeEncodingError = errorClass('EnvelopeEncodingError', 'ERR_ENVELOPE_ENCODING')
export const EnvelopeSchemaError = errorClass('EnvelopeSchemaError', 'ERR_ENVELOPE_SCHEMA')
export const WrongFederationError = errorClass('WrongFederationError', 'ERR_WRONG_FEDERATION')
export const UnknownKeyError = errorClass('UnknownKeyError', 'ERR_UNKNOWN_KEY')
export const WrongCountryForKeyError = errorClass('WrongCountryForKeyError', 'ERR_WRONG_COUNTRY_FOR_KEY')
export const KeyNotValidAtTimeError = errorClass('KeyNotValidAtTimeError', 'ERR_KEY_NOT_VALID_AT_TIME')
export const StaleMessageError = errorClass('StaleMessageError', 'ERR_STALE_MESSAGE')
export const FutureMessageError = errorClass('FutureMessageError', 'ERR_FUTURE_MESSAGE')
export const InvalidSignatureError = errorClass('InvalidSignatureError', 'ERR_INVALID_SIGNATURE')
export const DuplicateMessageError = errorClass('DuplicateMessageError', 'ERR_DUPLICATE_MESSAGE', 'ignore')
export const WrongRecipientError = errorClass('WrongRecipientError', 'ERR_WRONG_RECIPIENT')
export const WrongSenderPeerError = errorClass('WrongSenderPeerError', 'ERR_WRONG_SENDER_PEER')
export const PersonalDataDigestError = errorClass('PersonalDataDigestError', 'ERR_PERSONAL_DATA_DIGEST')
export const BodySchemaError = errorClass('BodySchemaError', 'ERR_BODY_SCHEMA')
export const UnknownKindError = errorClass('UnknownKindError', 'ERR_UNKNOWN_KIND')

// Receipts.
export const ReceiptMismatchError = errorClass('ReceiptMismatchError', 'ERR_RECEIPT_MISMATCH')

// Roster (trust list) rejections.
export const RosterSchemaError = errorClass('RosterSchemaError', 'ERR_ROSTER_SCHEMA')
export const RosterVersionError = errorClass('RosterVersionError', 'ERR_ROSTER_VERSION', 'ignore')
export const RosterChainError = errorClass('RosterChainError', 'ERR_ROSTER_CHAIN')
export const RosterQuorumError = errorClass('RosterQuorumError', 'ERR_ROSTER_QUORUM')
export const RosterSignatureError = errorClass('RosterSignatureError', 'ERR_ROSTER_SIGNATURE')

/** True when `err` is an ImiError with the given code (works across module copies). */
export function hasCode (err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code
}

/** A message names an authority that its member state does not (or no longer) list. */
export const UnknownAuthorityError = errorClass('UnknownAuthorityError', 'ERR_UNKNOWN_AUTHORITY')

// Directory records (DHT): each way a record can be wrong.
export const RecordTooLargeError = errorClass('RecordTooLargeError', 'ERR_RECORD_TOO_LARGE')
export const RecordKeyError = errorClass('RecordKeyError', 'ERR_RECORD_KEY')
export const RecordSchemaError = errorClass('RecordSchemaError', 'ERR_RECORD_SCHEMA')
export const RecordSignatureError = errorClass('RecordSignatureError', 'ERR_RECORD_SIGNATURE')
export const RecordSignerError = errorClass('RecordSignerError', 'ERR_RECORD_SIGNER')
export const RecordExpiredError = errorClass('RecordExpiredError', 'ERR_RECORD_EXPIRED')

// Pre-translated question catalogue (issue 4): a request names questions by id and answers by value.
export const UnknownQuestionError = errorClass('UnknownQuestionError', 'ERR_UNKNOWN_QUESTION')
export const UnknownQuestionSetError = errorClass('UnknownQuestionSetError', 'ERR_UNKNOWN_QUESTION_SET')
export const InvalidAnswerError = errorClass('InvalidAnswerError', 'ERR_INVALID_ANSWER')
