/**
 * Seals alert content to the addressed states' current roster keys and opens what was
 * sealed to this node's key: the JWE code with the roster and the node identity plugged in.
 */
import { NotARecipientError, type Json, type Roster } from '@imi/protocol'
import type { Clock } from '../../clock.js'
import { decryptAsCountry, encryptForCountries, type GeneralJwe } from '../../crypto-jwe.js'
import { InvalidRequestError } from '../../errors.js'
import type { NodeIdentity } from '../../identity.js'
import type { AlertSealer } from './alert-service.js'

export interface RosterSealerComponents {
  readonly roster: () => Roster
  readonly identity: () => NodeIdentity
  /** Keys this node held before a rotation: they open what was sealed to them, never seal. */
  readonly retiredIdentities?: () => readonly NodeIdentity[]
  readonly clock: Clock
}

export function rosterSealer (components: RosterSealerComponents): AlertSealer {
  return {
    async seal (plaintext, countries, aad) {
      const now = components.clock.now()
      const recipients = countries.map((country) => {
        const key = components.roster().currentKey(country, now)
        if (key === undefined) throw new InvalidRequestError(`${country} has no current key in the roster`)
        return { country, kid: key.kid, publicKey: key.publicKey }
      })
      return await encryptForCountries(plaintext, recipients, { aad }) as unknown as Json
    },
    async open (sealed, aad) {
      const keys = [components.identity(), ...(components.retiredIdentities?.() ?? [])]
      let notARecipient: unknown
      for (const identity of keys) {
        try {
          return await decryptAsCountry(sealed as unknown as GeneralJwe, { kid: identity.signer.kid, privateKey: identity.privateKey }, { aad })
        } catch (err) {
          // Sealed to another of our keys (or to none): try the next; any other failure is final.
          if (!(err instanceof NotARecipientError)) throw err
          notARecipient ??= err
        }
      }
      throw notARecipient
    }
  }
}
