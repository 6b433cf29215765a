import { expect } from 'chai'
import {
  MAX_DIRECTORY_RECORD_BYTES, directoryKey, nobleCrypto, selectDirectoryRecord, signCompact, signDirectoryRecord, utf8,
  validateDirectoryRecord, type DirectoryRecord
} from '../../src/index.js'
import { FED, T0, testFederation } from '../fixtures.js'

const fed = testFederation(['CZ', 'PL', 'DE'])
const de = fed.signers.get('DE')!
const key = directoryKey({ fed: FED, country: 'DE', name: 'registers', shard: 0 })

const architects: DirectoryRecord = {
  fed: FED, country: 'DE', name: 'registers', shard: 0, shards: 1, seq: 7, created: T0, expires: T0 + 86_400_000,
  entries: [{
    id: 'de-bak-architects',
    names: { de: 'Architektenliste der Bundesarchitektenkammer', en: 'Register of architects' },
    descriptions: { de: 'Verzeichnis der eingetragenen Architektinnen und Architekten', en: 'Register of registered architects' },
    legalBasis: 'Architektengesetze der Länder',
    registerAuthority: 'Bundesarchitektenkammer',
    url: 'https://www.bak.de/architektenliste',
    languages: ['de']
  }]
}
const ctx = { federationId: FED, roster: fed.roster, crypto: nobleCrypto, now: T0 + 1000 }

function codeOf (fn: () => unknown): string {
  try { fn() } catch (err) { return (err as { code: string }).code }
  return 'accepted'
}

describe('directory records in the DHT', () => {
  it('accepts a record signed with the roster key of the country in its key', () => {
    const record = validateDirectoryRecord(key, signDirectoryRecord(architects, de), ctx)
    expect(record.entries[0]?.names).to.deep.include({ en: 'Register of architects' })
  })

  const refusals: Array<[string, string, () => unknown]> = [
    ['forged (a bit flipped in the signature)', 'ERR_RECORD_SIGNATURE', () => {
      const bytes = signDirectoryRecord(architects, de)
      const text = new TextDecoder().decode(bytes)
      const last = text.at(-2) === 'A' ? 'B' : 'A'
      return validateDirectoryRecord(key, utf8(text.slice(0, -2) + last + text.at(-1)!), ctx)
    }],
    ['signed by another member state', 'ERR_RECORD_SIGNER', () => validateDirectoryRecord(key, signDirectoryRecord(architects, fed.signers.get('PL')!), ctx)],
    ['stored under another country\'s key', 'ERR_RECORD_KEY', () => validateDirectoryRecord(directoryKey({ fed: FED, country: 'PL', name: 'registers', shard: 0 }), signDirectoryRecord(architects, de), ctx)],
    ['expired (stale)', 'ERR_RECORD_EXPIRED', () => validateDirectoryRecord(key, signDirectoryRecord(architects, de), { ...ctx, now: T0 + 2 * 86_400_000 })],
    ['oversized', 'ERR_RECORD_TOO_LARGE', () => validateDirectoryRecord(key, new Uint8Array(MAX_DIRECTORY_RECORD_BYTES + 1), ctx)],
    ['not a JWS', 'ERR_RECORD_SCHEMA', () => validateDirectoryRecord(key, utf8('{"hello":"world"}'), ctx)],
    ['malformed entries', 'ERR_RECORD_SCHEMA', () => {
      const bad = { ...architects, entries: [{ ...architects.entries[0]!, url: 'javascript:alert(1)' }] }
      return validateDirectoryRecord(key, utf8(signCompact(JSON.stringify({ alg: 'EdDSA', kid: de.kid, typ: 'imi-directory+jws' }), utf8(JSON.stringify(bad)), de)), ctx)
    }],
    ['from another federation', 'ERR_RECORD_KEY', () => validateDirectoryRecord(directoryKey({ fed: 'imi-training', country: 'DE', name: 'registers', shard: 0 }), signDirectoryRecord(architects, de), ctx)],
    ['under a key that is no directory key', 'ERR_RECORD_KEY', () => validateDirectoryRecord('/imi/imi-test/DE/secrets/0', signDirectoryRecord(architects, de), ctx)]
  ]
  for (const [what, code, attempt] of refusals) {
    it(`refuses a record ${what} with ${code}`, () => { expect(codeOf(attempt)).to.equal(code) })
  }

  it('refuses to sign a record whose entries repeat an id', () => {
    expect(codeOf(() => signDirectoryRecord({ ...architects, entries: [...architects.entries, architects.entries[0]!] }, de))).to.equal('ERR_RECORD_SCHEMA')
  })

  it('keeps the record with the highest sequence number, then the newest', () => {
    const older = signDirectoryRecord(architects, de)
    const newer = signDirectoryRecord({ ...architects, seq: 8 }, de)
    const sameSeqLater = signDirectoryRecord({ ...architects, seq: 8, created: T0 + 10 }, de)
    expect(selectDirectoryRecord(key, [older, newer])).to.equal(1)
    expect(selectDirectoryRecord(key, [newer, older])).to.equal(0)
    expect(selectDirectoryRecord(key, [newer, sameSeqLater, older])).to.equal(1)
    expect(selectDirectoryRecord(key, [utf8('garbage'), older])).to.equal(1)
  })
})
