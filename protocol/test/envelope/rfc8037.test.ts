import { expect } from 'chai'
import { compactVerify, importJWK } from 'jose'
import { fromBase64url, nobleCrypto, nobleSigner, parseCompact, signCompact, utf8 } from '../../src/index.js'

// RFC 8037, Appendix A.1 (key) and A.4 (Ed25519 signing): a fixed vector.
const D = 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A'
const X = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo'
const EXPECTED = 'eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.' +
  'hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg'

describe('JWS EdDSA (RFC 8037 A.4)', () => {
  const signer = nobleSigner(fromBase64url(D)!)

  it('derives the public key of the RFC', () => {
    expect(Buffer.from(signer.publicKey).toString('base64url')).to.equal(X)
  })

  it('produces the RFC signature byte for byte', () => {
    expect(signCompact('{"alg":"EdDSA"}', utf8('Example of Ed25519 signing'), signer)).to.equal(EXPECTED)
  })

  it('verifies the RFC signature and refuses a flipped bit', () => {
    const parts = parseCompact(EXPECTED)
    expect(nobleCrypto.verify(signer.publicKey, parts.signingInput, parts.signature)).to.equal(true)
    const bad = Uint8Array.from(parts.signature)
    bad[0] = bad[0]! ^ 1
    expect(nobleCrypto.verify(signer.publicKey, parts.signingInput, bad)).to.equal(false)
  })

  it('interoperates with jose', async () => {
    const key = await importJWK({ kty: 'OKP', crv: 'Ed25519', x: X }, 'EdDSA')
    const { payload } = await compactVerify(EXPECTED, key)
    expect(new TextDecoder().decode(payload)).to.equal('Example of Ed25519 signing')
  })
})
