/** Why the request machine refuses an event; the same codes reach the HTTP API and the other node. */
import { ImiError } from '../../errors.js'

/** The action is not allowed in the request's current status. */
export class TransitionNotAllowedError extends ImiError {
  override name = 'TransitionNotAllowedError'
  constructor (message: string) { super('ERR_TRANSITION_NOT_ALLOWED', message) }
}

/** The author is not the party (or authority) that may take this action. */
export class NotPartyError extends ImiError {
  override name = 'NotPartyError'
  constructor (message: string) { super('ERR_NOT_PARTY', message) }
}

/** The event is well-formed but its content does not fit the request (an unknown question, a past date). */
export class InvalidRequestEventError extends ImiError {
  override name = 'InvalidRequestEventError'
  constructor (message: string) { super('ERR_INVALID_REQUEST_EVENT', message) }
}
