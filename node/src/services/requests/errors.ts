import { ImiError } from '@imi/protocol'

/** An event for a request this node does not hold (yet): the sender retries, as for a split's child that outran its parent's event. */
export class UnknownRequestError extends ImiError {
  override name = 'UnknownRequestError'
  constructor (message: string) { super('ERR_UNKNOWN_REQUEST', message, 'ignore') }
}
