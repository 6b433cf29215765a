/** How a sender reads a receiver's refusal: worth a retry, or never going to succeed. */
import { ImiError, MAX_CLOCK_SKEW_MS, MAX_MESSAGE_AGE_MS } from '@imi/protocol'

/**
 * Refusals that no retry can cure: the message itself is wrong for the receiver. Others
 * (an unknown key while rosters converge, a peer that is down, an authority the receiver
 * cannot verify yet, ERR_AUTHORITY_UNVERIFIED, a code this node does not know) are
 * retried, but only within the sender's own window (`retryWindowMs`): never forever.
 */
const PERMANENT_REFUSALS = new Set([
  'ERR_WRONG_RECIPIENT', 'ERR_UNKNOWN_KIND', 'ERR_BODY_SCHEMA', 'ERR_STALE_MESSAGE', 'ERR_WRONG_FEDERATION',
  'ERR_ENVELOPE_TOO_LARGE', 'ERR_ENVELOPE_ENCODING', 'ERR_ENVELOPE_SCHEMA', 'ERR_DUPLICATE_MESSAGE',
  'ERR_PERSONAL_DATA_DIGEST', 'ERR_INVALID_REQUEST', 'ERR_NOT_A_MEMBER',
  'ERR_UNKNOWN_AUTHORITY', 'ERR_NOT_PARTY', 'ERR_INVALID_ANSWER'
])

/** What the sender knows when it reads a refusal. */
export interface RefusalContext {
  /**
   * The sender's own view (its registry for its own authorities, its directory, just
   * refreshed, for the receiver's) lists every authority the refused message names. Then
   * an ERR_UNKNOWN_AUTHORITY means the two nodes' views disagree, one of them stale (the
   * receiver just restarted, or has not fetched the new authority yet): the message is
   * kept and retried until the views agree, or for AUTHORITY_DISAGREEMENT_MS at most
   * after the first such refusal (see `retryWindowMs`), then abandoned and shown as failed.
   */
  readonly senderListsAuthorities?: boolean
}

/**
 * A receiver's answer refusing one message: the peer is reachable and answered, so only
 * that message waits (backs off on its own); the others to the same peer go on.
 */
export class RefusalError extends ImiError {
  override name = 'RefusalError'
}

/** A refusal (or a local finding) that no retry can cure: the message is abandoned. */
export class PermanentRefusalError extends RefusalError {
  override name = 'PermanentRefusalError'
}

/** Whether a refusal with `code` can never be cured by sending the same message again. */
export function isPermanentRefusal (code: string, context: RefusalContext = {}): boolean {
  if (code === 'ERR_UNKNOWN_AUTHORITY' && context.senderListsAuthorities === true) return false
  return PERMANENT_REFUSALS.has(code)
}

/**
 * How long the views of two nodes may disagree about an authority before the sender
 * stops retrying: about one directory record's lifetime, after which both have fetched
 * (or dropped) the same publication.
 */
export const AUTHORITY_DISAGREEMENT_MS = 24 * 60 * 60 * 1000

/**
 * The sender's own limit on retrying a refused message, counted from the message's
 * creation. The receiver's ERR_STALE_MESSAGE is not relied on: a receiver that keeps
 * answering ERR_UNKNOWN_KEY, ERR_INVALID_SIGNATURE, ERR_INTERNAL or a code this node
 * does not know would otherwise be retried forever. Past the replay window (plus clock
 * skew) no receiver may take the message anyway; an authority disagreement gets
 * AUTHORITY_DISAGREEMENT_MS.
 */
export function retryWindowMs (code: string): number {
  return code === 'ERR_UNKNOWN_AUTHORITY' ? AUTHORITY_DISAGREEMENT_MS : MAX_MESSAGE_AGE_MS + MAX_CLOCK_SKEW_MS
}

/**
 * The error a refusal becomes on the sending side. `ageMs` past `retryWindowMs` makes any
 * refusal permanent: how long ago the message was created, or, for an authority
 * disagreement, how long the receiver has refused it so (its first such refusal).
 */
export function refusalFrom (peer: string, error: { code: string, message: string }, context: RefusalContext = {}, ageMs = 0): RefusalError {
  const message = `${peer} refused: ${error.message}`
  if (isPermanentRefusal(error.code, context)) return new PermanentRefusalError(error.code, message)
  if (ageMs > retryWindowMs(error.code)) return new PermanentRefusalError(error.code, `${message} (still refused ${Math.round(ageMs / 3_600_000)} h after the message was created: abandoned)`)
  return new RefusalError(error.code, message)
}
