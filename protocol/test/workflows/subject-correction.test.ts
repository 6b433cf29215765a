import { expect } from 'chai'
import { DIRECT_MESSAGE_KINDS, SUBJECT_CORRECTION_KIND, decodeSubjectCorrectionBody, decodeSubjectCorrectionData } from '../../src/index.js'

const REQ = 'req_aaaaaaaaaaaaaaaaaa'

function refused (fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    return (err as { code: string }).code
  }
  throw new Error('accepted')
}

describe('subject-correction messages (Art 19)', () => {
  it('is a direct message kind whose body names the request, the kind and the instant only', () => {
    expect(DIRECT_MESSAGE_KINDS.has(SUBJECT_CORRECTION_KIND)).to.equal(true)
    expect(decodeSubjectCorrectionBody({ request: REQ, kind: 'rectification', at: 1 })).to.deep.equal({ request: REQ, kind: 'rectification', at: 1 })
    expect(decodeSubjectCorrectionBody({ request: REQ, kind: 'contest', at: 0 }).kind).to.equal('contest')
    for (const bad of [
      { request: REQ, kind: 'erasure', at: 1 },
      { request: 'short', kind: 'contest', at: 1 },
      { request: REQ, kind: 'contest', at: -1 },
      { request: REQ, kind: 'contest', at: 1, subject: { name: 'In the signed body' } },
      { request: REQ, kind: 'contest' }
    ]) expect(refused(() => decodeSubjectCorrectionBody(bad)), JSON.stringify(bad)).to.equal('ERR_BODY_SCHEMA')
  })

  it('carries the corrected subject of a rectification in the sidecar, and at most a note for a contest', () => {
    expect(decodeSubjectCorrectionData('rectification', { subject: { name: 'Jan Nowak' }, note: 'per the register' }))
      .to.deep.equal({ subject: { name: 'Jan Nowak' }, note: 'per the register' })
    expect(decodeSubjectCorrectionData('contest', { note: 'the birth date is disputed' })).to.deep.equal({ note: 'the birth date is disputed' })
    expect(decodeSubjectCorrectionData('contest', {})).to.deep.equal({})
    expect(refused(() => decodeSubjectCorrectionData('rectification', { note: 'no subject' }))).to.equal('ERR_BODY_SCHEMA')
    expect(refused(() => decodeSubjectCorrectionData('contest', { subject: { name: 'X' } }))).to.equal('ERR_BODY_SCHEMA')
    expect(refused(() => decodeSubjectCorrectionData('rectification', { subject: {} }))).to.equal('ERR_BODY_SCHEMA')
    expect(refused(() => decodeSubjectCorrectionData('contest', { note: ' ' }))).to.equal('ERR_BODY_SCHEMA')
  })
})
