/**
 * The 30 EU/EEA member states that take part in IMI, with the official languages that
 * IMI's pre-translated texts cover (the 24 official EU languages plus Icelandic and
 * Norwegian). Languages are listed in each state's own order of precedence.
 */

export const LANGUAGES = [
  'bg', 'cs', 'da', 'de', 'el', 'en', 'es', 'et', 'fi', 'fr', 'ga', 'hr', 'hu',
  'it', 'lt', 'lv', 'mt', 'nl', 'pl', 'pt', 'ro', 'sk', 'sl', 'sv', 'is', 'no'
] as const
export type Language = typeof LANGUAGES[number]

export interface MemberState {
  readonly code: string
  readonly name: string
  readonly nativeName: string
  readonly languages: readonly Language[]
  readonly eu: boolean
}

function state (code: string, name: string, nativeName: string, languages: Language[], eu = true): MemberState {
  return Object.freeze({ code, name, nativeName, languages: Object.freeze(languages), eu })
}

export const MEMBER_STATES: readonly MemberState[] = Object.freeze([
  state('AT', 'Austria', 'Österreich', ['de']),
  state('BE', 'Belgium', 'België / Belgique / Belgien', ['nl', 'fr', 'de']),
  state('BG', 'Bulgaria', 'България', ['bg']),
  state('HR', 'Croatia', 'Hrvatska', ['hr']),
  state('CY', 'Cyprus', 'Κύπρος', ['el']),
  state('CZ', 'Czechia', 'Česko', ['cs']),
  state('DK', 'Denmark', 'Danmark', ['da']),
  state('EE', 'Estonia', 'Eesti', ['et']),
  state('FI', 'Finland', 'Suomi / Finland', ['fi', 'sv']),
  state('FR', 'France', 'France', ['fr']),
  state('DE', 'Germany', 'Deutschland', ['de']),
  state('GR', 'Greece', 'Ελλάδα', ['el']),
  state('HU', 'Hungary', 'Magyarország', ['hu']),
  state('IE', 'Ireland', 'Éire / Ireland', ['ga', 'en']),
  state('IT', 'Italy', 'Italia', ['it']),
  state('LV', 'Latvia', 'Latvija', ['lv']),
  state('LT', 'Lithuania', 'Lietuva', ['lt']),
  state('LU', 'Luxembourg', 'Lëtzebuerg / Luxembourg / Luxemburg', ['fr', 'de']),
  state('MT', 'Malta', 'Malta', ['mt', 'en']),
  state('NL', 'Netherlands', 'Nederland', ['nl']),
  state('PL', 'Poland', 'Polska', ['pl']),
  state('PT', 'Portugal', 'Portugal', ['pt']),
  state('RO', 'Romania', 'România', ['ro']),
  state('SK', 'Slovakia', 'Slovensko', ['sk']),
  state('SI', 'Slovenia', 'Slovenija', ['sl']),
  state('ES', 'Spain', 'España', ['es']),
  state('SE', 'Sweden', 'Sverige', ['sv']),
  state('IS', 'Iceland', 'Ísland', ['is'], false),
  state('LI', 'Liechtenstein', 'Liechtenstein', ['de'], false),
  state('NO', 'Norway', 'Norge', ['no'], false)
])

const BY_CODE = new Map(MEMBER_STATES.map((s) => [s.code, s]))

export function isCountryCode (value: unknown): value is string {
  return typeof value === 'string' && BY_CODE.has(value)
}

export function memberState (code: string): MemberState | undefined {
  return BY_CODE.get(code)
}
