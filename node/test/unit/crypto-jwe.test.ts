import { expect } from 'chai'
import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { x25519 } from '@noble/curves/ed25519.js'
import { generalDecrypt, type GeneralJWE } from 'jose'
import { fromBase64url, hasCode, toBase64url, utf8 } from '@imi/protocol'
import { MAX_JWE_CIPHERTEXT_BYTES, decodeGeneralJwe, decodeJweProtectedHeader, type GeneralJwe } from '@imi/protocol'
import {
  decryptAsCountry, encryptForCountries, x25519PublicFromEd25519, x25519SecretFromEd25519, type JweRecipientKey
} from '../../src/crypto-jwe.js'
import { generateIdentity, identityFrom, type NodeIdentity } from '../../src/identity.js'

const PLAINTEXT = utf8(JSON.stringify({ title: 'Suspension of a veterinary surgeon', professional: { name: 'Jan Kowalski' } }))
const AAD = createHash('sha256').update('the alert header').digest()

function recipientOf (identity: NodeIdentity, country: string): JweRecipientKey {
  return { country, kid: identity.signer.kid, publicKey: identity.signer.publicKey }
}

function me (identity: NodeIdentity) {
  return { kid: identity.signer.kid, privateKey: identity.privateKey }
}

/** The node's Ed25519 key converted to an X25519 JWK, as any JOSE library would take it. */
function x25519Jwk (identity: NodeIdentity) {
  return {
    kty: 'OKP',
    crv: 'X25519',
    x: toBase64url(x25519PublicFromEd25519(identity.signer.publicKey)),
    d: toBase64url(x25519SecretFromEd25519(identity.privateKey.raw.subarray(0, 32)))
  }
}

async function rejects (promise: Promise<unknown>, code: string): Promise<void> {
  let caught: unknown
  try { await promise } catch (err) { caught = err }
  expect(caught, `expected ${code}`).to.not.equal(undefined)
  expect(hasCode(caught, code), `expected ${code}, got ${String(caught)}`).to.equal(true)
}

/** Flips one bit of a base64url member. */
function flip (b64: string, index = 0): string {
  const bytes = fromBase64url(b64)!
  bytes[index] = bytes[index]! ^ 1
  return toBase64url(bytes)
}

type Writable<T> = { -readonly [K in keyof T]: T[K] extends object ? Writable<T[K]> : T[K] }
type Mutable = Writable<GeneralJwe>
const copy = (jwe: GeneralJwe): Mutable => structuredClone(jwe) as Mutable
/** What another JOSE library receives: the JSON text. */
const overTheWire = (jwe: GeneralJwe): GeneralJWE => JSON.parse(JSON.stringify(jwe)) as GeneralJWE

describe('confidential alerts: JWE to member states (issue 5)', () => {
  let pl: NodeIdentity
  let at: NodeIdentity
  let cz: NodeIdentity
  let jwe: GeneralJwe

  before(async () => {
    [pl, at, cz] = await Promise.all([generateIdentity(), generateIdentity(), generateIdentity()])
    jwe = await encryptForCountries(PLAINTEXT, [recipientOf(pl, 'PL'), recipientOf(at, 'AT')], { aad: AAD })
  })

  describe('key conversion', () => {
    it('matches libsodium crypto_sign_ed25519_{pk,sk}_to_curve25519 (its ed25519_convert test vector)', async () => {
      const seed = Buffer.from('421151a459faeade3d247115f94aedae42318124095afabe4d1451a559faedee', 'hex')
      const identity = identityFrom(await generateKeyPairFromSeed('Ed25519', seed))
      expect(Buffer.from(x25519PublicFromEd25519(identity.signer.publicKey)).toString('hex')).to.equal('f1814f0e8ff1043d8a44d25babff3cedcae6c22c3edaa48f857ae70de2baae50')
      expect(Buffer.from(x25519SecretFromEd25519(seed)).toString('hex')).to.equal('8052030376d47112be7f73ed7a019293dd12ad910b654455798b4667d73de166')
    })

    it('gives each node an X25519 pair whose halves belong together', () => {
      for (const id of [pl, at, cz]) {
        const secret = x25519SecretFromEd25519(id.privateKey.raw.subarray(0, 32))
        expect(toBase64url(x25519.getPublicKey(secret))).to.equal(toBase64url(x25519PublicFromEd25519(id.signer.publicKey)))
      }
    })

    it('refuses public keys that are not Ed25519 points or have small order', () => {
      expect(() => x25519PublicFromEd25519(new Uint8Array(31))).to.throw(TypeError)
      const identity = new Uint8Array(32)
      identity[0] = 1 // y = 1: the neutral element
      expect(() => x25519PublicFromEd25519(identity)).to.throw(TypeError, /small order/)
      const notOnCurve = new Uint8Array(32).fill(0xff)
      expect(() => x25519PublicFromEd25519(notOnCurve)).to.throw(TypeError)
    })
  })

  describe('encryption', () => {
    it('produces a General JSON JWE with one entry per country', () => {
      expect(Object.keys(jwe).sort()).to.deep.equal(['aad', 'ciphertext', 'iv', 'protected', 'recipients', 'tag'])
      expect(decodeJweProtectedHeader(jwe.protected)).to.deep.equal({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', typ: 'imi-alert+jwe' })
      expect(jwe.recipients.map((r) => [r.header.kid, r.header['imi-country']])).to.deep.equal([[pl.signer.kid, 'PL'], [at.signer.kid, 'AT']])
      expect(jwe.recipients[0]!.header.epk!.x).to.not.equal(jwe.recipients[1]!.header.epk!.x) // one ephemeral key each
      expect(jwe.aad).to.equal(toBase64url(AAD))
      expect(decodeGeneralJwe(JSON.parse(JSON.stringify(jwe)))).to.deep.equal(jwe)
    })

    it('does not carry the plaintext in the clear', () => {
      const text = JSON.stringify(jwe)
      expect(text).to.not.contain('Kowalski')
      expect(Buffer.from(fromBase64url(jwe.ciphertext)!).toString('latin1')).to.not.contain('Kowalski')
    })

    it('encrypts the same content differently each time', async () => {
      const again = await encryptForCountries(PLAINTEXT, [recipientOf(pl, 'PL'), recipientOf(at, 'AT')], { aad: AAD })
      expect(again.ciphertext).to.not.equal(jwe.ciphertext)
    })

    it('refuses what the format would refuse, and keys that are not the named key', async () => {
      await rejects(encryptForCountries(PLAINTEXT, []), 'ERR_JWE_FORMAT')
      await rejects(encryptForCountries(PLAINTEXT, [recipientOf(pl, 'PL'), recipientOf(at, 'PL')]), 'ERR_JWE_FORMAT')
      await rejects(encryptForCountries(PLAINTEXT, [recipientOf(pl, 'PL'), recipientOf(pl, 'AT')]), 'ERR_JWE_FORMAT')
      await rejects(encryptForCountries(PLAINTEXT, [recipientOf(pl, 'XX')]), 'ERR_JWE_FORMAT')
      await rejects(encryptForCountries(new Uint8Array(MAX_JWE_CIPHERTEXT_BYTES + 1), [recipientOf(pl, 'PL')]), 'ERR_JWE_FORMAT')
      let caught: unknown
      try { await encryptForCountries(PLAINTEXT, [{ ...recipientOf(pl, 'PL'), kid: at.signer.kid }]) } catch (err) { caught = err }
      expect(caught).to.be.instanceOf(TypeError)
    })
  })

  describe('decryption', () => {
    it('lets each addressed country read the content', async () => {
      expect(await decryptAsCountry(jwe, me(pl), { aad: AAD })).to.deep.equal(PLAINTEXT)
      expect(await decryptAsCountry(jwe, me(at), { aad: AAD })).to.deep.equal(PLAINTEXT)
    })

    it('works for a single recipient (ephemeral key in the protected header) and without aad', async () => {
      const one = await encryptForCountries(PLAINTEXT, [recipientOf(at, 'AT')])
      expect(decodeJweProtectedHeader(one.protected).epk).to.not.equal(undefined)
      expect(one.aad).to.equal(undefined)
      expect(await decryptAsCountry(one, me(at))).to.deep.equal(PLAINTEXT)
      expect(await decryptAsCountry(one, me(at), { aad: new Uint8Array(0) })).to.deep.equal(PLAINTEXT)
    })

    it('encrypts empty content too', async () => {
      const empty = await encryptForCountries(new Uint8Array(0), [recipientOf(pl, 'PL'), recipientOf(at, 'AT')], { aad: AAD })
      expect(await decryptAsCountry(empty, me(pl), { aad: AAD })).to.have.length(0)
    })

    it('tells a relay it is not a recipient', async () => {
      await rejects(decryptAsCountry(jwe, me(cz), { aad: AAD }), 'ERR_NOT_A_RECIPIENT')
    })

    it('does not let a relay read any entry, even by claiming it', async () => {
      for (let i = 0; i < jwe.recipients.length; i++) {
        const stolen = copy(jwe)
        stolen.recipients[i]!.header.kid = cz.signer.kid
        await rejects(decryptAsCountry(stolen, me(cz), { aad: AAD }), 'ERR_JWE_DECRYPT')
      }
      // Nor with jose directly, which tries every entry with the relay's converted key.
      let caught: unknown
      try { await generalDecrypt(overTheWire(jwe), x25519Jwk(cz)) } catch (err) { caught = err }
      expect((caught as { code?: string }).code).to.equal('ERR_JWE_DECRYPTION_FAILED')
    })

    it('refuses a flipped byte anywhere that matters', async () => {
      const tampered: Array<(j: Mutable) => void> = [
        (j) => { j.ciphertext = flip(j.ciphertext, 3) },
        (j) => { j.tag = flip(j.tag, 15) },
        (j) => { j.iv = flip(j.iv) },
        (j) => { j.recipients[0]!.encrypted_key = flip(j.recipients[0]!.encrypted_key, 20) },
        (j) => { const epk = j.recipients[0]!.header.epk!; j.recipients[0]!.header.epk = { ...epk, x: flip(epk.x, 1) } },
        // The same protected header, serialised differently: it is authenticated byte for byte.
        (j) => { j.protected = toBase64url(utf8('{"enc":"A256GCM","alg":"ECDH-ES+A256KW","typ":"imi-alert+jwe"}')) }
      ]
      for (const mutate of tampered) {
        const j = copy(jwe)
        mutate(j)
        await rejects(decryptAsCountry(j, me(pl), { aad: AAD }), 'ERR_JWE_DECRYPT')
      }
    })

    it('refuses content lifted into another alert (other aad)', async () => {
      const other = createHash('sha256').update('another alert header').digest()
      await rejects(decryptAsCountry(jwe, me(pl), { aad: other }), 'ERR_JWE_DECRYPT')
      await rejects(decryptAsCountry(jwe, me(pl)), 'ERR_JWE_DECRYPT')
      // Rewriting the JWE's aad member to the other alert's digest breaks the tag.
      const lifted = copy(jwe)
      lifted.aad = toBase64url(other)
      await rejects(decryptAsCountry(lifted, me(pl), { aad: other }), 'ERR_JWE_DECRYPT')
      // And an unbound JWE does not satisfy a caller that expects a binding.
      const unbound = await encryptForCountries(PLAINTEXT, [recipientOf(pl, 'PL'), recipientOf(at, 'AT')])
      await rejects(decryptAsCountry(unbound, me(pl), { aad: AAD }), 'ERR_JWE_DECRYPT')
    })

    it('refuses swapped recipient headers', async () => {
      const whole = copy(jwe)
      ;[whole.recipients[0]!.header, whole.recipients[1]!.header] = [whole.recipients[1]!.header, whole.recipients[0]!.header]
      await rejects(decryptAsCountry(whole, me(pl), { aad: AAD }), 'ERR_JWE_DECRYPT')
      await rejects(decryptAsCountry(whole, me(at), { aad: AAD }), 'ERR_JWE_DECRYPT')
      const names = copy(jwe)
      const [a, b] = [names.recipients[0]!.header, names.recipients[1]!.header]
      ;[a.kid, b.kid, a['imi-country'], b['imi-country']] = [b.kid, a.kid, b['imi-country'], a['imi-country']]
      await rejects(decryptAsCountry(names, me(pl), { aad: AAD }), 'ERR_JWE_DECRYPT')
      await rejects(decryptAsCountry(names, me(at), { aad: AAD }), 'ERR_JWE_DECRYPT')
      const keys = copy(jwe)
      ;[keys.recipients[0]!.encrypted_key, keys.recipients[1]!.encrypted_key] = [keys.recipients[1]!.encrypted_key, keys.recipients[0]!.encrypted_key]
      await rejects(decryptAsCountry(keys, me(pl), { aad: AAD }), 'ERR_JWE_DECRYPT')
    })

    it('runs the format decoder first: extra fields, 31 recipients, oversized', async () => {
      await rejects(decryptAsCountry({ ...jwe, unprotected: { alg: 'dir' } } as GeneralJwe, me(pl), { aad: AAD }), 'ERR_JWE_FORMAT')
      const extraHeader = copy(jwe)
      const header: Record<string, unknown> = extraHeader.recipients[0]!.header
      header.alg = 'ECDH-ES+A256KW'
      await rejects(decryptAsCountry(extraHeader, me(pl), { aad: AAD }), 'ERR_JWE_FORMAT')
      const many = copy(jwe)
      many.recipients = Array.from({ length: 31 }, (_, i) => ({ ...jwe.recipients[i % 2]!, header: { ...jwe.recipients[i % 2]!.header } }))
      await rejects(decryptAsCountry(many, me(pl), { aad: AAD }), 'ERR_JWE_FORMAT')
      const big = copy(jwe)
      big.ciphertext = toBase64url(new Uint8Array(MAX_JWE_CIPHERTEXT_BYTES + 1))
      await rejects(decryptAsCountry(big, me(pl), { aad: AAD }), 'ERR_JWE_FORMAT')
    })

    it('refuses a key id that is not the key', async () => {
      let caught: unknown
      try { await decryptAsCountry(jwe, { kid: pl.signer.kid, privateKey: at.privateKey }, { aad: AAD }) } catch (err) { caught = err }
      expect(caught).to.be.instanceOf(TypeError)
    })
  })

  describe('interoperability: standard JWE', () => {
    it("jose's generalDecrypt opens it with the converted X25519 key", async () => {
      for (const id of [pl, at]) {
        const result = await generalDecrypt(overTheWire(jwe), x25519Jwk(id), { keyManagementAlgorithms: ['ECDH-ES+A256KW'], contentEncryptionAlgorithms: ['A256GCM'] })
        expect(result.plaintext).to.deep.equal(PLAINTEXT)
        expect(result.additionalAuthenticatedData).to.deep.equal(new Uint8Array(AAD))
        expect(result.protectedHeader).to.deep.equal({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', typ: 'imi-alert+jwe' })
      }
    })

    it('an independent RFC 7518 implementation (node:crypto only) opens it too', () => {
      // ECDH-ES+A256KW by hand: Z = X25519(d, epk); KEK = Concat KDF (RFC 7518 §4.6.2,
      // NIST SP 800-56A), one SHA-256 round; CEK = AES-KW-unwrap(KEK); A256GCM with
      // AAD = ASCII(protected || '.' || aad).
      const entry = jwe.recipients.find((r) => r.header.kid === at.signer.kid)!
      const d = createPrivateKey({ key: x25519Jwk(at), format: 'jwk' })
      const epk = createPublicKey({ key: { ...entry.header.epk! }, format: 'jwk' })
      const z = diffieHellman({ privateKey: d, publicKey: epk })
      const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b }
      const field = (b: Uint8Array) => Buffer.concat([u32(b.length), b])
      const otherInfo = Buffer.concat([field(utf8('ECDH-ES+A256KW')), field(new Uint8Array(0)), field(new Uint8Array(0)), u32(256)])
      const kek = createHash('sha256').update(u32(1)).update(z).update(otherInfo).digest()
      const unwrap = createDecipheriv('id-aes256-wrap', kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'))
      const cek = Buffer.concat([unwrap.update(fromBase64url(entry.encrypted_key)!), unwrap.final()])
      expect(cek).to.have.length(32)
      const gcm = createDecipheriv('aes-256-gcm', cek, fromBase64url(jwe.iv)!)
      gcm.setAAD(utf8(`${jwe.protected}.${jwe.aad!}`))
      gcm.setAuthTag(fromBase64url(jwe.tag)!)
      const plaintext = Buffer.concat([gcm.update(fromBase64url(jwe.ciphertext)!), gcm.final()])
      expect(new Uint8Array(plaintext)).to.deep.equal(PLAINTEXT)
      // Sanity of the hand-rolled wrap: re-wrapping the CEK gives the same encrypted key.
      const wrap = createCipheriv('id-aes256-wrap', kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'))
      expect(toBase64url(Buffer.concat([wrap.update(cek), wrap.final()]))).to.equal(entry.encrypted_key)
    })
  })
})
