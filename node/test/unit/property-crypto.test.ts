/**
 * Property tests of the node's crypto edges (issue 9, part 6): sealed alert content
 * (decryptAsCountry over mutated and hostile JWEs) and envelopes verified with the
 * node's own node:crypto suite (nodeCrypto) and signed by node identities (nodeSigner).
 */
import { expect } from 'chai'
import fc from 'fast-check'
import {
  DIRECT_MESSAGE_KINDS, signEnvelope, verifyEnvelope, type GeneralJwe, type KeyResolver
} from '@imi/protocol'
import { decryptAsCountry, encryptForCountries, type JweRecipientKey } from '../../src/crypto-jwe.js'
import { nodeCrypto } from '../../src/crypto.js'
import { generateIdentity, type NodeIdentity } from '../../src/identity.js'
import { anyValue, hostileJson, pathsOf, shallowJson, stringMutation, updateAt } from '../../../protocol/test/property/arbitraries.js'
import { outcomeAsync, properties, refused, total } from '../../../protocol/test/property/harness.js'

const JWE_CODES = ['ERR_JWE_FORMAT', 'ERR_JWE_DECRYPT', 'ERR_NOT_A_RECIPIENT']
const COUNTRIES = ['PL', 'AT', 'CZ', 'DE', 'FR']

/** A character-level change, as data, so the property can apply it after (asynchronous) encryption. */
interface StringOp {
  readonly kind: 'set' | 'bit' | 'delete' | 'insert' | 'truncate' | 'append' | 'swap'
  readonly i: number
  readonly j: number
  readonly c: string
  readonly bit: number
}
const stringOp: fc.Arbitrary<StringOp> = fc.record({
  kind: fc.constantFrom('set', 'bit', 'delete', 'insert', 'truncate', 'append', 'swap'),
  i: fc.nat(),
  j: fc.nat(),
  c: fc.constantFrom(...'ABCDEFabcdef0189-_', '.', '=', '+', '/', ' ', 'é'),
  bit: fc.integer({ min: 0, max: 5 })
})

function applyOp (s: string, op: StringOp): string {
  const n = s.length
  const i = n === 0 ? 0 : op.i % n
  let out: string
  switch (op.kind) {
    case 'set': out = s.slice(0, i) + op.c + s.slice(i + 1); break
    case 'bit': out = n === 0 ? op.c : s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) ^ (1 << op.bit)) + s.slice(i + 1); break
    case 'delete': out = s.slice(0, i) + s.slice(i + 1); break
    case 'insert': out = s.slice(0, i) + op.c + s.slice(i); break
    case 'truncate': out = s.slice(0, i); break
    case 'append': out = s + op.c; break
    case 'swap': {
      const j = n === 0 ? 0 : op.j % n
      const [a, b] = i < j ? [i, j] : [j, i]
      out = a === b ? s : s.slice(0, a) + s[b]! + s.slice(a + 1, b) + s[a]! + s.slice(b + 1)
    }
  }
  // Never the identity: a change that changed nothing becomes an appended character.
  return out === s ? s + (op.c === 'A' ? 'B' : 'A') : out
}

type Target = 'protected' | 'iv' | 'ciphertext' | 'tag' | 'aad' | 'my encrypted_key' | 'my epk' | 'my kid' | 'my country' | 'other encrypted_key' | 'other epk' | 'other kid'
/** Members whose change the receiver must detect: authenticated by AES-GCM, AES-KW or ECDH, or naming the receiver. */
const PROTECTED_TARGETS: readonly Target[] = ['protected', 'iv', 'ciphertext', 'tag', 'aad', 'my encrypted_key', 'my epk', 'my kid']

type Mutable = Record<string, unknown> & { recipients: Array<{ header: Record<string, unknown> & { epk?: { x: string } }, encrypted_key: string }> }

function mutate (jwe: GeneralJwe, me: number, other: number, target: Target, op: StringOp): Mutable | undefined {
  const j = structuredClone(jwe) as unknown as Mutable
  const single = j.recipients.length === 1
  const mine = j.recipients[me]!
  const theirs = j.recipients[other]
  switch (target) {
    case 'protected': case 'iv': case 'ciphertext': case 'tag':
      j[target] = applyOp(j[target] as string, op); break
    case 'aad':
      if (j.aad === undefined) return undefined
      j.aad = applyOp(j.aad as string, op); break
    case 'my encrypted_key': mine.encrypted_key = applyOp(mine.encrypted_key, op); break
    case 'my epk':
      // With one recipient the ephemeral key is in the protected header: changing it is changing that.
      if (single) j.protected = applyOp(j.protected as string, op)
      else mine.header.epk = { ...mine.header.epk!, x: applyOp(mine.header.epk!.x, op) }
      break
    case 'my kid': mine.header.kid = applyOp(mine.header.kid as string, op); break
    case 'my country': mine.header['imi-country'] = COUNTRIES.find((c) => c !== mine.header['imi-country'] && !j.recipients.some((r) => r.header['imi-country'] === c)) ?? 'SE'; break
    case 'other encrypted_key': if (theirs === undefined || other === me) return undefined; theirs.encrypted_key = applyOp(theirs.encrypted_key, op); break
    case 'other epk': if (theirs === undefined || other === me || single) return undefined; theirs.header.epk = { ...theirs.header.epk!, x: applyOp(theirs.header.epk!.x, op) }; break
    case 'other kid': if (theirs === undefined || other === me) return undefined; theirs.header.kid = applyOp(theirs.header.kid as string, op); break
  }
  return j
}

describe('property: node crypto edges (decryptAsCountry, verifyEnvelope with nodeCrypto)', function () {
  const p = properties('node crypto')
  const ids: NodeIdentity[] = []
  const keyOf = (i: number): JweRecipientKey => ({ country: COUNTRIES[i]!, kid: ids[i]!.signer.kid, publicKey: ids[i]!.signer.publicKey })
  const me = (i: number): { kid: string, privateKey: NodeIdentity['privateKey'] } => ({ kid: ids[i]!.signer.kid, privateKey: ids[i]!.privateKey })

  before(async () => {
    ids.push(...await Promise.all(COUNTRIES.map(async () => await generateIdentity())))
  })

  const sealCase = fc.record({
    to: fc.uniqueArray(fc.nat({ max: COUNTRIES.length - 1 }), { minLength: 1, maxLength: COUNTRIES.length }),
    pick: fc.nat(),
    other: fc.nat(),
    plaintext: fc.uint8Array({ maxLength: 300 }),
    aad: fc.option(fc.uint8Array({ minLength: 1, maxLength: 64 }), { nil: undefined })
  })

  p.checkAsync('decryptAsCountry: every addressed state opens what was sealed; a state not addressed gets ERR_NOT_A_RECIPIENT', 500, sealCase, async (c) => {
    const jwe = await encryptForCountries(c.plaintext, c.to.map(keyOf), c.aad === undefined ? {} : { aad: c.aad })
    for (const i of c.to) expect(Buffer.from(await decryptAsCountry(jwe, me(i), c.aad === undefined ? {} : { aad: c.aad })).equals(Buffer.from(c.plaintext))).to.equal(true)
    const outsider = COUNTRIES.findIndex((_, i) => !c.to.includes(i))
    if (outsider >= 0) {
      const out = await outcomeAsync(async () => await decryptAsCountry(jwe, me(outsider), c.aad === undefined ? {} : { aad: c.aad }))
      expect(out.ok ? 'opened' : out.error.code).to.equal('ERR_NOT_A_RECIPIENT')
    }
  }, { budgetMs: 5000 })

  p.checkAsync('decryptAsCountry: refuses every change to an authenticated member; other changes open to the same plaintext or are refused', 2000,
    fc.tuple(sealCase, fc.constantFrom<Target>('protected', 'iv', 'ciphertext', 'tag', 'aad', 'my encrypted_key', 'my epk', 'my kid', 'my country', 'other encrypted_key', 'other epk', 'other kid'), stringOp),
    async ([c, target, op]) => {
      const jwe = await encryptForCountries(c.plaintext, c.to.map(keyOf), c.aad === undefined ? {} : { aad: c.aad })
      const mine = c.pick % c.to.length
      const mutated = mutate(jwe, mine, c.other % c.to.length, target, op)
      if (mutated === undefined) return
      const out = await outcomeAsync(async () => await decryptAsCountry(mutated as unknown as GeneralJwe, me(c.to[mine]!), c.aad === undefined ? {} : { aad: c.aad }))
      if (!out.ok) expect(JWE_CODES).to.include(out.error.code)
      else if (PROTECTED_TARGETS.includes(target)) throw new Error(`a change to ${target} was not detected`)
      else expect(Buffer.from(out.value).equals(Buffer.from(c.plaintext)), `${target} changed the plaintext`).to.equal(true)
    }, { budgetMs: 5000 })

  p.checkAsync('decryptAsCountry: the JWE opens only with the additional data it was bound to', 1000,
    fc.tuple(sealCase, fc.option(fc.uint8Array({ minLength: 1, maxLength: 64 }), { nil: undefined })), async ([c, other]) => {
      const jwe = await encryptForCountries(c.plaintext, c.to.map(keyOf), c.aad === undefined ? {} : { aad: c.aad })
      const same = (c.aad === undefined && other === undefined) || (c.aad !== undefined && other !== undefined && Buffer.from(c.aad).equals(Buffer.from(other)))
      const out = await outcomeAsync(async () => await decryptAsCountry(jwe, me(c.to[0]!), other === undefined ? {} : { aad: other }))
      expect(out.ok ? 'opened' : out.error.code).to.equal(same ? 'opened' : 'ERR_JWE_DECRYPT')
    }, { budgetMs: 5000 })

  p.checkAsync('decryptAsCountry: total over hostile JWEs and structural near misses', 1500,
    fc.tuple(sealCase, fc.oneof(hostileJson, anyValue), fc.boolean(), fc.nat(), fc.oneof(shallowJson, anyValue, fc.constant(undefined))),
    async ([c, hostile, near, at, replacement]) => {
      let input: unknown = hostile
      if (near) {
        // A real JWE with one member (or the whole) replaced or removed.
        const jwe = JSON.parse(JSON.stringify(await encryptForCountries(c.plaintext, c.to.map(keyOf), {}))) as unknown
        const paths = pathsOf(jwe)
        input = updateAt(jwe, paths[at % paths.length]!, () => replacement)
      }
      const out = await outcomeAsync(async () => await decryptAsCountry(input as GeneralJwe, me(c.to[0]!), {}))
      if (!out.ok) expect(JWE_CODES).to.include(out.error.code)
    }, { budgetMs: 5000 })

  // Envelopes, as the node signs and verifies them.
  const keys: KeyResolver = {
    key: (kid) => {
      const i = ids.findIndex((id) => id.signer.kid === kid)
      return i < 0 ? undefined : { kid, country: COUNTRIES[i]!, publicKey: ids[i]!.signer.publicKey, notBefore: 0 }
    }
  }
  const envelopeCase = fc.record({ from: fc.nat({ max: COUNTRIES.length - 1 }), to: fc.nat({ max: COUNTRIES.length - 1 }), text: fc.string({ maxLength: 200 }), now: fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }), entropy: fc.uint8Array({ minLength: 48, maxLength: 48 }) })
    .map((c) => ({ ...c, to: c.to === c.from ? (c.to + 1) % COUNTRIES.length : c.to }))
  const signedNote = (c: fc.Arbitrary<typeof envelopeCase extends fc.Arbitrary<infer T> ? T : never>): fc.Arbitrary<{ jws: string, to: string, now: number }> => c.map((x) => {
    let at = 0
    const env = signEnvelope({ kind: 'note', from: COUNTRIES[x.from]!, to: [COUNTRIES[x.to]!], body: { text: x.text } }, {
      federationId: 'imi', signer: ids[x.from]!.signer, crypto: nodeCrypto, now: x.now, randomBytes: (n) => x.entropy.slice(at, (at += n))
    })
    return { jws: env.jws, to: COUNTRIES[x.to]!, now: x.now }
  })

  p.check('verifyEnvelope with nodeCrypto: accepts what nodeSigner signed', 1000, fc.constant(null).chain(() => signedNote(envelopeCase)), (s) => {
    total(() => verifyEnvelope(s.jws, { federationId: 'imi', keys, crypto: nodeCrypto, now: s.now, recipient: s.to, bodies: DIRECT_MESSAGE_KINDS }), [])
  })

  p.check('verifyEnvelope with nodeCrypto: refuses every character-level mutation of a signed envelope', 3000,
    fc.constant(null).chain(() => signedNote(envelopeCase)).chain((s) => stringMutation(s.jws).map((m) => ({ s, m }))), ({ s, m }) => {
      refused(() => verifyEnvelope(m.value, { federationId: 'imi', keys, crypto: nodeCrypto, now: s.now, recipient: s.to, bodies: DIRECT_MESSAGE_KINDS }), [
        'ERR_ENVELOPE_ENCODING', 'ERR_ENVELOPE_SCHEMA', 'ERR_WRONG_FEDERATION', 'ERR_UNKNOWN_KEY', 'ERR_WRONG_COUNTRY_FOR_KEY', 'ERR_KEY_NOT_VALID_AT_TIME',
        'ERR_STALE_MESSAGE', 'ERR_FUTURE_MESSAGE', 'ERR_INVALID_SIGNATURE', 'ERR_WRONG_RECIPIENT', 'ERR_UNKNOWN_KIND', 'ERR_BODY_SCHEMA'
      ])
    })
})
