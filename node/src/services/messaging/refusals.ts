/** How a sender reads a receiver's refusal: worth a retry, or never going to succeed. */
import { ImiError } from '@imi/protocol'

/**
 * Refusals that no retry can cure: the message itself is wrong for the receiver. Others
 * (an unknown key while rosters converge, a peer that is down) are worth retrying.
 */
const PERMANENT_REFUSALS = new Set([
  'ERR_WRONG_RECIPIENT', 'ERR_UNKNOWN_KIND', 'ERR_BODY_SCHEMA', 'ERR_STALE_MESSAGE', 'ERR_WRONG_FEDERATION',
  'ERR_ENVELOPE_TOO_LARGE', 'ERR_ENVELOPE_ENCODING', 'ERR_ENVELOPE_SCHEMA', 'ERR_DUPLICATE_MESSAGE',
  'ERR_PERSONAL_DATA_DIGEST', 'ERR_INVALID_REQUEST', 'ERR_NOT_A_MEMBER',
  'ERR_UNKNOWN_AUTHORITY', 'ERR_NOT_PARTY', 'ERR_INVALID_ANSWER'
])

export class PermanentRefusalError extends ImiError {
  override name = 'PermanentRefusalError'
}

/** The error a refusal becomes on the sending side. */
export function refusalFrom (peer: string, error: { code: string, message: string }): ImiError {
  const message = `${peer} refused: ${error.message}`
  return PERMANENT_REFUSALS.has(error.code) ? new PermanentRefusalError(error.code, message) : new ImiError(error.code, message)
}
