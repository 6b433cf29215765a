/**
 * Token buckets per key (a peer, a user, a client address): `capacity` requests at once,
 * refilled at `perSecond`. Keys that fall idle are forgotten, so a flood of fresh keys
 * cannot grow memory without bound. Time comes from the caller.
 */
export interface RateLimit {
  readonly perSecond: number
  readonly capacity: number
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number, at: number }>()

  constructor (private readonly limit: RateLimit, private readonly now: () => number, private readonly maxKeys = 10_000) {}

  /** Takes one token for `key`; false when its bucket is empty (the caller refuses). */
  take (key: string, cost = 1): boolean {
    const now = this.now()
    let b = this.buckets.get(key)
    if (b === undefined) {
      if (this.buckets.size >= this.maxKeys) this.forgetFull(now)
      b = { tokens: this.limit.capacity, at: now }
      this.buckets.set(key, b)
    } else {
      b.tokens = Math.min(this.limit.capacity, b.tokens + ((now - b.at) / 1000) * this.limit.perSecond)
      b.at = now
    }
    if (b.tokens < cost) return false
    b.tokens -= cost
    return true
  }

  /** Seconds until `key` has a token again: for Retry-After. */
  retryAfter (key: string): number {
    const b = this.buckets.get(key)
    if (b === undefined || b.tokens >= 1) return 0
    return Math.ceil((1 - b.tokens) / this.limit.perSecond)
  }

  /** Drops buckets that have refilled completely: they hold no information. */
  private forgetFull (now: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.limit.perSecond >= this.limit.capacity) this.buckets.delete(k)
    }
    // Still full of busy keys: the oldest go.
    if (this.buckets.size >= this.maxKeys) for (const k of [...this.buckets.keys()].slice(0, this.maxKeys / 10)) this.buckets.delete(k)
  }
}

/** Defaults, per key. Generous for a federation's real traffic, tight against floods. */
export const RATE_LIMITS = {
  /** Direct messages from one peer: the fastest sustained exchange measured is ~1,000 a second. */
  directMessagesPerPeer: { perSecond: 2000, capacity: 10_000 },
  /** Sync, roster and directory pulls from one peer. */
  pullsPerPeer: { perSecond: 5, capacity: 50 },
  /** API calls of one session (or the operator). */
  apiPerPrincipal: { perSecond: 50, capacity: 300 },
  /**
   * Log-in attempts from one client address, whatever the user name. A whole ministry may
   * sit behind one address at nine in the morning: generous, but a spray is slowed.
   */
  loginsPerClient: { perSecond: 1, capacity: 60 }
} as const satisfies Record<string, RateLimit>
