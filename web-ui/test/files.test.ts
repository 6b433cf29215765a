import { expect } from 'chai'
import { createHash } from 'node:crypto'
import { base64, cleanName, fileProblem, formatBytes, mediaType, sha256 } from '../src/files.js'

describe('web UI attachments', () => {
  it('checks the node\'s limits before anything is sent', () => {
    expect(fileProblem([{ name: 'a.pdf', size: 10 }])).to.equal(undefined)
    expect(fileProblem(Array.from({ length: 11 }, (_, i) => ({ name: `${i}`, size: 1 })))?.key).to.equal('attachments.tooMany')
    expect(fileProblem([{ name: 'big.pdf', size: 10 * 1024 * 1024 + 1 }])).to.deep.equal({ key: 'attachments.tooLarge', name: 'big.pdf' })
    expect(fileProblem([{ name: 'empty.txt', size: 0 }])?.key).to.equal('attachments.tooLarge')
    expect(fileProblem([{ name: 'a', size: 9 * 1024 * 1024 }, { name: 'b', size: 9 * 1024 * 1024 }, { name: 'c', size: 3 * 1024 * 1024 }])?.key).to.equal('attachments.tooLargeTotal')
  })

  it('hashes like the node (SHA-256, base64url) and encodes large files in chunks', async () => {
    const bytes = new Uint8Array(200_000).map((_, i) => i % 251)
    expect(await sha256(bytes)).to.equal(createHash('sha256').update(bytes).digest('base64url'))
    expect(base64(bytes)).to.equal(Buffer.from(bytes).toString('base64'))
  })

  it('sends only names and types the node accepts', () => {
    expect(cleanName('C:\\fakepath\\osvědčení.pdf')).to.equal('C:_fakepath_osvědčení.pdf')
    expect(cleanName('\u0007')).to.equal('_')
    expect(cleanName('  ')).to.equal('file')
    expect(mediaType('application/PDF')).to.equal('application/pdf')
    expect(mediaType('')).to.equal('application/octet-stream')
  })

  it('shows sizes in the reader\'s language', () => {
    expect(formatBytes(512, 'en')).to.equal('512 byte')
    expect(formatBytes(1536, 'de')).to.match(/^1,5\skB$/)
  })
})
