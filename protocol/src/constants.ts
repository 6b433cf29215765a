/** Limits and names shared by every node. Nodes may tighten limits, never loosen them. */

export const ENVELOPE_VERSION = 1

/** Largest signed envelope (JWS compact string) accepted from anyone. */
export const MAX_ENVELOPE_BYTES = 256 * 1024
/** Largest personal-data sidecar travelling beside an envelope. */
export const MAX_PERSONAL_DATA_BYTES = 64 * 1024
/** Largest roster document (general JWS JSON). */
export const MAX_ROSTER_BYTES = 512 * 1024

/** A message dated further ahead than this is refused: clocks are NTP-synchronised. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000
/**
 * Direct messages wait in durable outboxes while a receiver is offline, so they may
 * arrive long after they were signed. Receivers remember every id for this long, which
 * is what makes a replay older than this window detectable as stale.
 */
export const MAX_MESSAGE_AGE_MS = 30 * 24 * 60 * 60 * 1000

export const MESSAGE_ID_BYTES = 16
export const PERSONAL_DATA_SALT_BYTES = 32

export const JWS_TYPE_ENVELOPE = 'imi-envelope+jws'
export const JWS_TYPE_ROSTER = 'imi-roster+jws'

/** Federation ids: lower-case, short, safe inside protocol ids and topic names. */
export const FEDERATION_ID_PATTERN = /^[a-z][a-z0-9-]{1,31}$/

export function protocolId (federationId: string, name: string, version = '1.0.0'): string {
  return `/imi/${federationId}/${name}/${version}`
}

export function topicName (federationId: string, name: string): string {
  return `/imi/${federationId}/${name}/1`
}
