/**
 * The CLI's own errors. main.ts turns them into exit codes: an InputError or UsageError
 * (like every ConfigError) is bad input, exit 2; a CommandFailure is a refusal or a failed check,
 * exit 1. Neither ever prints a stack trace.
 */

/** Input the command refuses: a file that already exists, a proposal that is not one. */
export class InputError extends Error {
  override name = 'InputError'
}

/** A command line that does not say what to do; main.ts adds a pointer to the usage. */
export class UsageError extends InputError {
  override name = 'UsageError'
}

/** The command ran but its answer is "no": the node does not answer, the log is broken. */
export class CommandFailure extends Error {
  override name = 'CommandFailure'
}
