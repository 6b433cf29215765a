/** Errors raised by the node itself (configuration, storage, delivery). */
import { ImiError } from '@imi/protocol'

export class ConfigError extends ImiError {
  override name = 'ConfigError'
  /** The configuration setting at fault, so the operator knows what to fix. */
  readonly setting: string
  constructor (setting: string, message: string) {
    super('ERR_CONFIG', `${setting}: ${message}`)
    this.setting = setting
  }
}

export class NotFoundError extends ImiError {
  override name = 'NotFoundError'
  constructor (message: string) { super('ERR_NOT_FOUND', message) }
}

export class InvalidRequestError extends ImiError {
  override name = 'InvalidRequestError'
  constructor (message: string) { super('ERR_INVALID_REQUEST', message) }
}

export class NotRunningError extends ImiError {
  override name = 'NotRunningError'
  constructor (message = 'node is not running') { super('ERR_NOT_RUNNING', message) }
}

export class DeliveryError extends ImiError {
  override name = 'DeliveryError'
  constructor (code: string, message: string) { super(code, message) }
}
