/**
 * The catalogue's texts, one file per language (translators work on one file each). English
 * (./en.ts) is the source and the fallback. Adding a language: add its file here and its code
 * to LANGUAGES in ../../member-states.ts.
 */
import type { Language } from '../../member-states.js'
import type { CatalogueTexts } from '../types.js'
import { texts as bg } from './bg.js'
import { texts as cs } from './cs.js'
import { texts as da } from './da.js'
import { texts as de } from './de.js'
import { texts as el } from './el.js'
import { texts as en } from './en.js'
import { texts as es } from './es.js'
import { texts as et } from './et.js'
import { texts as fi } from './fi.js'
import { texts as fr } from './fr.js'
import { texts as ga } from './ga.js'
import { texts as hr } from './hr.js'
import { texts as hu } from './hu.js'
import { texts as it } from './it.js'
import { texts as lt } from './lt.js'
import { texts as lv } from './lv.js'
import { texts as mt } from './mt.js'
import { texts as nl } from './nl.js'
import { texts as pl } from './pl.js'
import { texts as pt } from './pt.js'
import { texts as ro } from './ro.js'
import { texts as sk } from './sk.js'
import { texts as sl } from './sl.js'
import { texts as sv } from './sv.js'
import { texts as is } from './is.js'
import { texts as no } from './no.js'

export const TRANSLATIONS: Readonly<Record<Language, CatalogueTexts>> = Object.freeze({
  bg, cs, da, de, el, en, es, et, fi, fr, ga, hr, hu,
  it, lt, lv, mt, nl, pl, pt, ro, sk, sl, sv, is, no
})
for (const texts of Object.values(TRANSLATIONS)) Object.freeze(texts)
