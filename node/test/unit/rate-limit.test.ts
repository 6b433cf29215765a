import { expect } from 'chai'
import { RateLimiter } from '../../src/rate-limit.js'

describe('rate limiter', () => {
  it('allows a burst of capacity, then refills at the rate, per key', () => {
    let now = 0
    const limiter = new RateLimiter({ perSecond: 2, capacity: 5 }, () => now)
    for (let i = 0; i < 5; i++) expect(limiter.take('a')).to.equal(true)
    expect(limiter.take('a')).to.equal(false)
    expect(limiter.take('b')).to.equal(true) // another key has its own bucket
    expect(limiter.retryAfter('a')).to.equal(1)
    now += 500
    expect(limiter.take('a')).to.equal(true)
    expect(limiter.take('a')).to.equal(false)
    now += 60_000
    for (let i = 0; i < 5; i++) expect(limiter.take('a')).to.equal(true) // never more than capacity
    expect(limiter.take('a')).to.equal(false)
  })

  it('keeps memory bounded under a flood of fresh keys', () => {
    let now = 0
    const limiter = new RateLimiter({ perSecond: 1, capacity: 1 }, () => now, 100)
    for (let i = 0; i < 10_000; i++) { now += 1; limiter.take(`peer-${i}`) }
    expect((limiter as unknown as { buckets: Map<string, unknown> }).buckets.size).to.be.at.most(100)
  })
})
