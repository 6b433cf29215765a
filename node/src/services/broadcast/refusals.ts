/**
 * How a catch-up reads the pipeline's refusal of an envelope a peer handed it: for now
 * only (the envelope may be taken later, so a catch-up must fetch it again) or for good
 * (the mark may move past it). The one place that decides; ImiError verdicts alone do not
 * tell: an unknown signing key is a 'reject' for gossip yet only means this node's roster
 * is behind, and an 'ignore' may be for now (the alert a withdrawal ends is not held yet)
 * or for good (the alert was issued already).
 */
import { ImiError } from '@imi/protocol'

/**
 * Refusals that this node may cure by itself: the event it follows not held yet, a
 * roster or directory behind the origin's, a clock behind the origin's, a local failure.
 */
const TEMPORARY_REFUSALS = new Set([
  'ERR_UNKNOWN_ALERT', 'ERR_UNKNOWN_NOTIFICATION',
  'ERR_UNKNOWN_KEY', 'ERR_KEY_NOT_VALID_AT_TIME',
  'ERR_FUTURE_MESSAGE', 'ERR_AUTHORITY_UNVERIFIED', 'ERR_NOT_RUNNING', 'ERR_INTERNAL'
])

/** The code a refusal counts under: anything not an ImiError is this node's failure. */
export function refusalCode (err: unknown): string {
  return err instanceof ImiError ? err.code : 'ERR_INTERNAL'
}

/** Whether an envelope refused with `err` may be taken later, so a catch-up must not move past it for good. */
export function isTemporaryRefusal (err: unknown): boolean {
  return TEMPORARY_REFUSALS.has(refusalCode(err))
}
