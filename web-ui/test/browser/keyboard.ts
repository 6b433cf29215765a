/**
 * Driving a page with the keyboard only: Tab or Shift+Tab until the focused element is
 * the one wanted, reading (never setting) `document.activeElement`. Every element
 * reached must show a visible focus indicator; the page's headings are focused by the
 * app itself after navigation, which `expectHeadingFocused` checks.
 */
import { expect } from 'chai'
import type { Page } from 'playwright-core'

/** What a keyboard user's focus is on: enough to recognise it and to see that it shows. */
export interface Focused {
  readonly tag: string
  readonly type: string
  readonly name: string
  /** Visible text (links, buttons, headings). */
  readonly text: string
  /** The text of its label (form controls). */
  readonly label: string
  readonly checked: boolean
  /** The computed outline, "none" when the focus would be invisible. */
  readonly outline: string
}

/** Read in the page as source text: the tests' project has no DOM types. */
const DESCRIBE_FOCUS = `(() => {
  const el = document.activeElement
  if (el === null || el === document.body) return { tag: 'body', type: '', name: '', text: '', label: '', checked: false, outline: 'none' }
  const style = getComputedStyle(el)
  const label = (el.labels && el.labels[0] ? el.labels[0].textContent : el.getAttribute('aria-label')) || ''
  return {
    tag: el.tagName.toLowerCase(),
    type: el.type || '',
    name: el.getAttribute('name') || '',
    text: (el.innerText || el.textContent || '').trim().slice(0, 300),
    label: label.trim().slice(0, 300),
    checked: el.checked === true,
    outline: style.outlineStyle === 'none' || style.outlineWidth === '0px' ? 'none' : style.outlineStyle + ' ' + style.outlineWidth
  }
})()`

export async function focused (page: Page): Promise<Focused> {
  return await page.evaluate(DESCRIBE_FOCUS) as Focused
}

/** Presses Tab (or Shift+Tab) until `match` holds for the focused element; fails after `max` presses. */
export async function tabTo (page: Page, what: string, match: (f: Focused) => boolean, opts: { back?: boolean, max?: number } = {}): Promise<Focused> {
  const seen: string[] = []
  for (let i = 0; i < (opts.max ?? 150); i++) {
    await page.keyboard.press(opts.back === true ? 'Shift+Tab' : 'Tab')
    const f = await focused(page)
    seen.push(`${f.tag}${f.name === '' ? '' : `[${f.name}]`} ${(f.text || f.label).slice(0, 40)}`)
    if (match(f)) {
      expect(f.outline, `the focus on ${what} is visible`).not.to.equal('none')
      return f
    }
  }
  throw new Error(`Tab never reached ${what}; focus went through: ${seen.join(' | ')}`)
}

export const byName = (name: string) => (f: Focused): boolean => f.name === name
export const byText = (tag: string, text: string) => (f: Focused): boolean => f.tag === tag && f.text === text
export const byLabel = (type: string, label: RegExp | string) => (f: Focused): boolean =>
  f.type === type && (typeof label === 'string' ? f.label === label : label.test(f.label))

/**
 * Waits until `condition` (page source text) holds. Polled with page.evaluate, which the
 * DevTools protocol runs outside the page's CSP; waitForFunction would poll with eval,
 * which the CSP (rightly) forbids.
 */
export async function focusArrives (page: Page, condition: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (await page.evaluate(condition) !== true) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${condition}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** After a navigation the app puts the focus on the new page's heading. */
export async function expectHeadingFocused (page: Page, heading: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name: heading }).waitFor()
  await focusArrives(page, "document.activeElement !== null && document.activeElement.tagName === 'H1'")
  const f = await focused(page)
  if (typeof heading === 'string') expect(f.text).to.equal(heading)
  else expect(f.text).to.match(heading)
}

/**
 * Types a date into the focused date field. The order of its parts follows the browser's
 * own settings (headless Chromium keeps month, day, year whatever the page's locale), so
 * each order is tried in turn, going back into the field with Shift+Tab and Tab; the
 * focus ends in the field holding `iso`.
 */
export async function typeDate (page: Page, field: string, iso: string): Promise<void> {
  const [y, m, d] = iso.split('-') as [string, string, string]
  for (const typed of [`${m}${d}${y}`, `${d}${m}${y}`, `${y}${m}${d}`]) {
    await page.keyboard.type(typed)
    if (await page.locator(`input[name="${field}"]`).inputValue() === iso) return
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Tab')
  }
  throw new Error(`the date field ${field} would not take ${iso}`)
}
