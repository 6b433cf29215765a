import { expect } from 'chai'
import { MAX_CLOCK_SKEW_MS, MAX_MESSAGE_AGE_MS } from '@imi/protocol'
import { AUTHORITY_DISAGREEMENT_MS, isPermanentRefusal, PermanentRefusalError, RefusalError, refusalFrom, retryWindowMs } from '../../src/services/messaging/refusals.js'

/** How a sender reads a receiver's refusal: abandon the message (permanent) or keep it and retry. */
describe('refusal classification', () => {
  it('abandons a message the receiver can never take', () => {
    for (const code of ['ERR_WRONG_RECIPIENT', 'ERR_BODY_SCHEMA', 'ERR_STALE_MESSAGE', 'ERR_NOT_PARTY', 'ERR_UNKNOWN_AUTHORITY']) {
      expect(isPermanentRefusal(code), code).to.equal(true)
      expect(refusalFrom('PL', { code, message: 'no' })).to.be.instanceOf(PermanentRefusalError)
    }
  })

  it('retries while the receiver cannot verify an authority yet (its directory still loading or unconfirmed)', () => {
    expect(isPermanentRefusal('ERR_AUTHORITY_UNVERIFIED')).to.equal(false)
    const err = refusalFrom('PL', { code: 'ERR_AUTHORITY_UNVERIFIED', message: 'cannot tell yet' })
    expect(err).not.to.be.instanceOf(PermanentRefusalError)
    // A refusal, not a transport failure: the outbox backs off this message alone.
    expect(err).to.be.instanceOf(RefusalError)
    expect(err.code).to.equal('ERR_AUTHORITY_UNVERIFIED')
  })

  it('retries an unknown-authority refusal while the sender\'s own view lists every authority the message names', () => {
    expect(isPermanentRefusal('ERR_UNKNOWN_AUTHORITY', { senderListsAuthorities: true })).to.equal(false)
    expect(refusalFrom('PL', { code: 'ERR_UNKNOWN_AUTHORITY', message: 'no' }, { senderListsAuthorities: true })).not.to.be.instanceOf(PermanentRefusalError)
    // The sender's view agrees the authority is gone: abandoned, and shown as failed.
    expect(isPermanentRefusal('ERR_UNKNOWN_AUTHORITY', { senderListsAuthorities: false })).to.equal(true)
    // The sender's view changes nothing else.
    expect(isPermanentRefusal('ERR_NOT_PARTY', { senderListsAuthorities: true })).to.equal(true)
  })

  it('retries what a peer may cure by itself', () => {
    for (const code of ['ERR_UNKNOWN_KEY', 'ERR_RATE_LIMITED', 'ERR_UNKNOWN_REQUEST', 'ERR_INTERNAL']) expect(isPermanentRefusal(code), code).to.equal(false)
  })

  it('stops retrying any refusal, known code or not, once the message is older than the sender\'s retry window', () => {
    for (const code of ['ERR_UNKNOWN_KEY', 'ERR_KEY_NOT_VALID_AT_TIME', 'ERR_INVALID_SIGNATURE', 'ERR_WRONG_SENDER_PEER', 'ERR_INTERNAL', 'ERR_AUTHORITY_UNVERIFIED', 'ERR_SOMETHING_NEW']) {
      expect(retryWindowMs(code), code).to.equal(MAX_MESSAGE_AGE_MS + MAX_CLOCK_SKEW_MS)
      expect(refusalFrom('PL', { code, message: 'no' }, {}, retryWindowMs(code))).not.to.be.instanceOf(PermanentRefusalError)
      expect(refusalFrom('PL', { code, message: 'no' }, {}, retryWindowMs(code) + 1)).to.be.instanceOf(PermanentRefusalError)
    }
    // Two views of an authority disagreeing: about one directory record's lifetime.
    const listed = { senderListsAuthorities: true }
    expect(retryWindowMs('ERR_UNKNOWN_AUTHORITY')).to.equal(AUTHORITY_DISAGREEMENT_MS)
    expect(refusalFrom('PL', { code: 'ERR_UNKNOWN_AUTHORITY', message: 'no' }, listed, AUTHORITY_DISAGREEMENT_MS)).not.to.be.instanceOf(PermanentRefusalError)
    expect(refusalFrom('PL', { code: 'ERR_UNKNOWN_AUTHORITY', message: 'no' }, listed, AUTHORITY_DISAGREEMENT_MS + 1)).to.be.instanceOf(PermanentRefusalError)
  })
})
