/** Errors of the bootstrap tooling. The CLI turns every ImiError-like error into exit code 2. */
import { ImiError } from '@imi/protocol'

/** A file that cannot be read or parsed. */
export class FileInputError extends ImiError {
  override name = 'FileInputError'
  constructor (message: string) { super('ERR_FILE_INPUT', message) }
}

/** A command line that does not say what to do. */
export class UsageError extends ImiError {
  override name = 'UsageError'
  constructor (message: string) { super('ERR_USAGE', message) }
}
