/**
 * Dates, numbers, names and deadlines shown the way the reader's language expects (Intl),
 * and the deadline arithmetic the inbox needs. Pure: `now` and the language are
 * parameters, so the same functions are unit-tested and used by the pages.
 */
import type { RequestState } from '@imi/protocol'

const DAY_MS = 86_400_000
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** A YYYY-MM-DD calendar date (no time zone) in `lang`, e.g. "14. 3. 2026" for cs. */
export function formatDate (iso: string, lang: string): string {
  const m = ISO_DATE.exec(iso)
  if (m === null) return iso
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  // UTC on both sides: a calendar date must not shift by a day in any time zone.
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(at)
}

/** An instant (ms since the epoch) in `lang`, in the browser's time zone. */
export function formatDateTime (ms: number, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(ms)
}

export function formatNumber (n: number, lang: string): string {
  return new Intl.NumberFormat(lang).format(n)
}

/** "3 minutes ago", "vor 2 Stunden": how old something is, from its age in ms. */
export function formatAge (ageMs: number, lang: string): string {
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' })
  const s = Math.max(0, Math.round(ageMs / 1000))
  if (s < 60) return rtf.format(-s, 'second')
  if (s < 3600) return rtf.format(-Math.round(s / 60), 'minute')
  if (s < 86_400) return rtf.format(-Math.round(s / 3600), 'hour')
  return rtf.format(-Math.round(s / 86_400), 'day')
}

/** A member state's name in `lang` ("Polsko" for PL in Czech); the code where Intl has none. */
export function countryName (code: string, lang: string): string {
  // Greece is EL in EU usage and GR in ISO 3166.
  const region = code === 'EL' ? 'GR' : code
  try {
    return new Intl.DisplayNames([lang], { type: 'region' }).of(region) ?? code
  } catch {
    return code
  }
}

/** A language's own name ("polski", "čeština"), for the language switcher. */
export function languageName (code: string): string {
  try {
    const name = new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code
    return name.charAt(0).toLocaleUpperCase(code) + name.slice(1)
  } catch {
    return code
  }
}

/** The name of a directory entry in the reader's language, else English, else the first given. */
export function localName (names: Readonly<Record<string, string>>, lang: string): string {
  return names[lang] ?? names.en ?? Object.values(names)[0] ?? ''
}

/** Case and accents folded, so "reseni" finds "řešení" when filtering a list. */
export function fold (s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

/** Today's calendar date where the reader is (the date inputs and deadlines are local dates). */
export function todayIso (now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/** `iso` plus `days` calendar days. */
export function addDays (iso: string, days: number): string {
  const m = ISO_DATE.exec(iso)
  if (m === null) return iso
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + days * DAY_MS).toISOString().slice(0, 10)
}

/** The date that counts: the one agreed on acceptance, else the requester's needed-by date. */
export function dueDate (s: Pick<RequestState, 'answerBy' | 'neededBy'>): string {
  return s.answerBy ?? s.neededBy
}

/** Statuses in which the responder still owes an answer. */
const AWAITING_ANSWER: ReadonlySet<string> = new Set(['sent', 'accepted', 'info-requested'])

/** Overdue the day after the due date while an answer is still owed (as the node's deadline marks do). */
export function isOverdue (s: Pick<RequestState, 'status' | 'answerBy' | 'neededBy'>, today: string): boolean {
  return AWAITING_ANSWER.has(s.status) && dueDate(s) < today
}

/** "in 3 days", "yesterday", "vor 2 Tagen": whole days from today, in `lang` (plurals by Intl). */
export function formatInDays (days: number, lang: string): string {
  return new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }).format(days, 'day')
}

/** The UTC calendar day of an instant, in `lang`: for dates the node keeps as midnight UTC. */
export function formatDay (ms: number, lang: string): string {
  return formatDate(new Date(ms).toISOString().slice(0, 10), lang)
}
