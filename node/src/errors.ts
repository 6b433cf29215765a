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

/**
 * A receiver cannot tell whether the sending state lists an authority: its copy of that
 * state's directory is not loaded, or not confirmed from the network since it started.
 * Not a verdict on the message, so the sender keeps it and retries.
 */
export class AuthorityUnverifiedError extends ImiError {
  override name = 'AuthorityUnverifiedError'
  constructor (message: string) { super('ERR_AUTHORITY_UNVERIFIED', message) }
}

export class NotRunningError extends ImiError {
  override name = 'NotRunningError'
  constructor (message = 'node is not running') { super('ERR_NOT_RUNNING', message) }
}

/** Wrong user name or password: deliberately silent about which. */
export class InvalidCredentialsError extends ImiError {
  override name = 'InvalidCredentialsError'
  constructor () { super('ERR_INVALID_CREDENTIALS', 'user name or password is wrong') }
}

/** Too many failed log-ins: the account stays locked until `until` (or an administrator unlocks it). */
export class AccountLockedError extends ImiError {
  override name = 'AccountLockedError'
  constructor (readonly until: number, readonly retryAfterMs: number) { super('ERR_ACCOUNT_LOCKED', 'too many failed log-ins: the account is locked for a while') }
}

/** No session, an expired one, or one that was ended. */
export class SessionRequiredError extends ImiError {
  override name = 'SessionRequiredError'
  constructor (message = 'log in first') { super('ERR_UNAUTHORIZED', message) }
}

/** The caller is known but its roles do not allow this, or the object belongs to another authority. */
export class PermissionDeniedError extends ImiError {
  override name = 'PermissionDeniedError'
  constructor (message: string) { super('ERR_FORBIDDEN', message) }
}

/** The thing already exists (a user name, an authority id). */
export class ConflictError extends ImiError {
  override name = 'ConflictError'
  constructor (message: string) { super('ERR_CONFLICT', message) }
}

/** The object is not in a state that allows this (approving an active authority). */
export class InvalidStateError extends ImiError {
  override name = 'InvalidStateError'
  constructor (message: string) { super('ERR_INVALID_STATE', message) }
}

/** Too many requests from one peer, session or client address: slow down and retry. */
export class RateLimitedError extends ImiError {
  override name = 'RateLimitedError'
  constructor (readonly retryAfterMs: number, message = 'too many requests: slow down') { super('ERR_RATE_LIMITED', message, 'ignore') }
}
