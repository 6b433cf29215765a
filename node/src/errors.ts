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

/** LevelDB's lock file: another process (a running node) holds the data folder. */
export class DatabaseLockedError extends ConfigError {
  override name = 'DatabaseLockedError'
  constructor (location: string) { super('dataDir', `${location} is in use by another process (is this node already running?)`) }
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
