/**
 * What the DOM helpers refuse, as pure functions. Text never becomes markup (pages build
 * nodes with textContent), so the remaining ways in are attributes: an inline event
 * handler, a `style` the CSP would block anyway, or a `javascript:` URL in a link that
 * came from another state's directory. These checks close them.
 */

/** Attributes a page may set; event handlers go through addEventListener, styles through classes. */
export function isAllowedAttribute (name: string): boolean {
  const n = name.toLowerCase()
  if (!/^[a-z][a-z0-9-]*$/.test(n)) return false
  return !n.startsWith('on') && n !== 'style' && n !== 'srcdoc' && n !== 'formaction'
}

/** Attributes whose value is a URL and must pass safeUrl(). */
export const URL_ATTRIBUTES: ReadonlySet<string> = new Set(['href', 'src', 'action', 'cite', 'poster', 'data'])

/**
 * `url` if it is safe to put in a link: an in-app hash route, a same-origin path, or an
 * http(s) or mailto/tel address. Anything else (javascript:, data:, vbscript:, a
 * protocol-relative `//host`, control characters) gives undefined.
 */
export function safeUrl (url: string): string | undefined {
  const u = url.trim()
  // eslint-disable-next-line no-control-regex -- control characters and spaces hide schemes from naive checks
  if (u === '' || /[\u0000-\u0020\u007f]/.test(u)) return undefined
  if (u.startsWith('#')) return u
  if (u.startsWith('/') && !u.startsWith('//') && !u.startsWith('/\\')) return u
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(u)?.[1]?.toLowerCase()
  if (scheme === 'http' || scheme === 'https') return /^https?:\/\/[^/\\]/i.test(u) ? u : undefined
  if (scheme === 'mailto' || scheme === 'tel') return u
  return undefined
}

/** A value for display: collapses what would be invisible or misleading in one line of text. */
export function oneLine (text: string, max = 500): string {
  // eslint-disable-next-line no-control-regex -- control characters have no place in a one-line label
  const clean = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim()
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean
}
