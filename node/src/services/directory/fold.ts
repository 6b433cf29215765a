/**
 * Folding for search: case, diacritics and the letters Unicode does not decompose, so
 * "Izba Architektów", "izba architektow" and "IZBA ARCHITEKTÓW" are one query.
 */
const SPECIAL: Record<string, string> = {
  ß: 'ss', ł: 'l', ø: 'o', æ: 'ae', œ: 'oe', đ: 'd', ħ: 'h', ı: 'i', þ: 'th', ð: 'd', ŀ: 'l', ŧ: 't', ς: 'σ'
}
const SPECIAL_PATTERN = new RegExp(`[${Object.keys(SPECIAL).join('')}]`, 'gu')

export function fold (text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(SPECIAL_PATTERN, (c) => SPECIAL[c] ?? c)
}

/** Words of at least one letter or digit, folded. */
export function tokens (text: string): string[] {
  return fold(text).split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0)
}
