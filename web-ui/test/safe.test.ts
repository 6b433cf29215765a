import { expect } from 'chai'
import { isAllowedAttribute, oneLine, safeUrl } from '../src/safe.js'

describe('web UI output safety', () => {
  it('refuses inline handlers and styles as attributes', () => {
    for (const name of ['onclick', 'ONERROR', 'onload', 'style', 'srcdoc', 'formaction', 'x y', '"', '']) expect(isAllowedAttribute(name), name).to.equal(false)
    for (const name of ['href', 'class', 'aria-label', 'data-id', 'for', 'type']) expect(isAllowedAttribute(name), name).to.equal(true)
  })

  it('lets through only in-app, same-origin, http(s), mailto and tel URLs', () => {
    for (const ok of ['#/inbox', '/assets/x.css', 'https://www.example.pl/rejestr', 'http://example.eu', 'mailto:info@example.cz', 'tel:+420123']) {
      expect(safeUrl(ok), ok).to.equal(ok)
    }
    for (const bad of ['javascript:alert(1)', ' JavaScript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>', 'vbscript:x',
      '//evil.example', '/\\evil.example', 'https:/evil', 'https:\\\\evil', 'file:///etc/passwd', 'http://a b', '']) {
      expect(safeUrl(bad), bad).to.equal(undefined)
    }
  })

  it('keeps labels to one line and a bounded length', () => {
    expect(oneLine('a\u2028b\nc\u0000d')).to.equal('a b c d')
    expect(oneLine('x'.repeat(600))).to.have.length(500)
  })
})
