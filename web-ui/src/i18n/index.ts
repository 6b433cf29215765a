/**
 * The interface text in the official's language. English defines the keys; every other
 * catalogue is typed against it (a missing key fails the type-check) and a unit test
 * checks the same at run time, placeholders included. Catalogue questions and answers are
 * not here: they come pre-translated from protocol's catalogue in all 26 languages.
 */
import { cs } from './cs.js'
import { de } from './de.js'
import { en, type MessageKey, type Messages } from './en.js'
import { es } from './es.js'
import { fr } from './fr.js'
import { it } from './it.js'
import { pl } from './pl.js'
import { ro } from './ro.js'

export type { MessageKey, Messages }
export const UI_LANGUAGES = ['en', 'de', 'fr', 'it', 'pl', 'ro', 'cs', 'es'] as const
export type UiLanguage = typeof UI_LANGUAGES[number]

export const CATALOGUES: Readonly<Record<UiLanguage, Messages>> = { en, de, fr, it, pl, ro, cs, es }

export type Params = Readonly<Record<string, string | number>>
export type Translate = (key: MessageKey, params?: Params) => string

export function isUiLanguage (lang: string | undefined): lang is UiLanguage {
  return lang !== undefined && (UI_LANGUAGES as readonly string[]).includes(lang)
}

/** The first of `preferences` (account language, stored choice, browser languages) the interface speaks; else English. */
export function pickUiLanguage (preferences: ReadonlyArray<string | undefined>): UiLanguage {
  for (const p of preferences) {
    const base = p?.toLowerCase().split('-')[0]
    if (isUiLanguage(base)) return base
  }
  return 'en'
}

/** Placeholders such as {count} in a message, sorted, for the completeness test. */
export function placeholders (text: string): string[] {
  return [...text.matchAll(/\{([a-zA-Z]+)\}/g)].map((m) => m[1]!).sort()
}

export function translate (lang: UiLanguage, key: MessageKey, params: Params = {}): string {
  // A key no catalogue has (an error code without its own text) comes back as itself.
  const text: string | undefined = CATALOGUES[lang][key] ?? en[key]
  if (text === undefined) return key
  return text.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => Object.hasOwn(params, name) ? String(params[name]) : whole)
}

export function translator (lang: UiLanguage): Translate {
  return (key, params) => translate(lang, key, params)
}
