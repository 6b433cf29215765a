/**
 * Confidential alert content after a key rotation: what was sealed to the node's old key
 * (before the rotation, or by a member still using it during the grace period) stays
 * readable with the key `imi rotate-key --finish` kept as `<keyFile>.old`.
 */
import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { hasCode, utf8, type Json, type Roster } from '@imi/protocol'
import { systemClock } from '../../src/clock.js'
import { encryptForCountries } from '../../src/crypto-jwe.js'
import { generateIdentity, loadRetiredIdentity, saveIdentity, type NodeIdentity } from '../../src/identity.js'
import { rosterSealer } from '../../src/services/alerts/roster-sealer.js'

const AAD = createHash('sha256').update('alert header').digest()
const noRoster = (): Roster => { throw new Error('opening needs no roster') }

async function sealedTo (identity: NodeIdentity): Promise<Json> {
  const jwe = await encryptForCountries(utf8('{"name":"Jan Kowalski"}'), [{ country: 'CZ', kid: identity.signer.kid, publicKey: identity.signer.publicKey }], { aad: AAD })
  return jwe as unknown as Json
}

async function failure (promise: Promise<unknown>): Promise<unknown> {
  try { await promise } catch (err) { return err }
  throw new Error('expected a failure')
}

describe('roster sealer across a key rotation', () => {
  let oldKey: NodeIdentity
  let newKey: NodeIdentity
  before(async () => { [oldKey, newKey] = await Promise.all([generateIdentity(), generateIdentity()]) })

  it('opens content sealed to the retired key, and to the current one', async () => {
    const sealer = rosterSealer({ roster: noRoster, identity: () => newKey, retiredIdentities: () => [oldKey], clock: systemClock })
    expect(new TextDecoder().decode(await sealer.open(await sealedTo(oldKey), AAD))).to.include('Kowalski')
    expect(new TextDecoder().decode(await sealer.open(await sealedTo(newKey), AAD))).to.include('Kowalski')
  })

  it('without the retired key, old content is not ours (a relay), and other nodes\' content never is', async () => {
    const current = rosterSealer({ roster: noRoster, identity: () => newKey, clock: systemClock })
    expect(hasCode(await failure(current.open(await sealedTo(oldKey), AAD)), 'ERR_NOT_A_RECIPIENT')).to.equal(true)
    const withRetired = rosterSealer({ roster: noRoster, identity: () => newKey, retiredIdentities: () => [oldKey], clock: systemClock })
    expect(hasCode(await failure(withRetired.open(await sealedTo(await generateIdentity()), AAD)), 'ERR_NOT_A_RECIPIENT')).to.equal(true)
  })

  it('a tampered binding fails on the retired key too, not silently with the next', async () => {
    const sealer = rosterSealer({ roster: noRoster, identity: () => newKey, retiredIdentities: () => [oldKey], clock: systemClock })
    const other = createHash('sha256').update('another alert').digest()
    expect(hasCode(await failure(sealer.open(await sealedTo(oldKey), other)), 'ERR_JWE_DECRYPT')).to.equal(true)
  })

  it('loads <keyFile>.old when rotate-key left one, and nothing otherwise', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'imi-retired-'))
    try {
      const keyFile = join(dir, 'node.key')
      await saveIdentity(keyFile, newKey)
      expect(await loadRetiredIdentity(keyFile)).to.equal(undefined)
      await saveIdentity(`${keyFile}.old`, oldKey)
      expect((await loadRetiredIdentity(keyFile))?.peerId).to.equal(oldKey.peerId)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
