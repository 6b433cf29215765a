/**
 * Íslenska (Icelandic). Keys and English source: ./en.ts. Iceland is an EEA state, not a
 * member state: "your member state" is rendered as "ykkar ríki" (your state). EEA terms:
 * "fagleg menntun og hæfi" (professional qualifications), "staðfesta" (establishment).
 */
import type { CatalogueTexts } from '../types.js'

export const texts: CatalogueTexts = {
  'set.pq.title': 'Fagleg menntun og hæfi (tilskipun 2005/36/EB)',
  'set.services.title': 'Þjónusta (tilskipun 2006/123/EB)',
  'answer.yes': 'Já',
  'answer.no': 'Nei',
  'ui.fallback-notice': 'Birt á ensku: engin þýðing enn',
  'ui.original-language-notice': 'Frjáls texti og viðhengi birtast á frummálinu',
  'ui.answer-type.yes-no': 'Já eða nei',
  'ui.answer-type.choice': 'Val af lista',
  'ui.answer-type.date': 'Dagsetning',
  'ui.answer-type.text': 'Frjáls texti',
  'ui.answer-type.attachment': 'Viðhengi',

  // Fagleg menntun og hæfi
  'pq.diploma-authentic': 'Er meðfylgjandi prófskírteini eða vottorð um faglega menntun og hæfi ósvikið?',
  'pq.awarding-body-competent': 'Var skírteinið um menntun og hæfi gefið út af aðila sem er til þess bær í ykkar ríki?',
  'pq.qualification-date': 'Hvaða dag var skírteinið um menntun og hæfi gefið út?',
  'pq.qualification-level': 'Hvaða stigi samkvæmt 11. gr. tilskipunar 2005/36/EB samsvarar skírteinið um menntun og hæfi?',
  'pq.qualification-level.a': 'Hæfnisvottorð (a-liður 11. gr.)',
  'pq.qualification-level.b': 'Vottorð um lok náms á framhaldsskólastigi (b-liður 11. gr.)',
  'pq.qualification-level.c': 'Prófskírteini um a.m.k. eins árs nám að loknu framhaldsskólastigi (c-liður 11. gr.)',
  'pq.qualification-level.d': 'Prófskírteini um þriggja til fjögurra ára nám á háskólastigi (d-liður 11. gr.)',
  'pq.qualification-level.e': 'Prófskírteini um a.m.k. fjögurra ára nám á háskólastigi (e-liður 11. gr.)',
  'pq.minimum-training': 'Uppfyllir námið sem leiddi til menntunar og hæfis lágmarkskröfur um menntun sem mælt er fyrir um í tilskipun 2005/36/EB?',
  'pq.professional-experience': 'Hefur fagmaðurinn raunverulega og með lögmætum hætti stundað viðkomandi starfsemi í a.m.k. þrjú samfelld ár á síðustu fimm árum fyrir útgáfu vottorðsins?',
  'pq.legally-established-on-date': 'Hafði fagmaðurinn löglega staðfestu í ykkar ríki til að stunda viðkomandi starfsgrein á þeim degi sem tilgreindur er í beiðninni?',
  'pq.registration-date': 'Frá hvaða degi hefur fagmaðurinn verið skráður eða haft leyfi til að stunda starfsgreinina í ykkar ríki?',
  'pq.registered': 'Er fagmaðurinn skráður í þá skrá eða hjá því fagfélagi sem tilgreint er í beiðninni?',
  'pq.good-standing-genuine': 'Er meðfylgjandi vottorð um góða faglega stöðu eða gott orðspor ósvikið og enn í gildi?',
  'pq.sanctions': 'Hefur fagmaðurinn sætt agaviðurlögum eða refsiviðurlögum í tengslum við starfsemi sína?',
  'pq.sanction-kind': 'Hvers konar viðurlögum var beitt?',
  'pq.sanction-kind.disciplinary': 'Agaviðurlög',
  'pq.sanction-kind.criminal': 'Refsiviðurlög',
  'pq.sanction-kind.administrative': 'Stjórnsýsluviðurlög',
  'pq.sanction-kind.other': 'Önnur ráðstöfun',
  'pq.sanction-details': 'Lýsið viðurlögunum: hvaða yfirvald beitti þeim, umfangi þeirra og gildistíma.',
  'pq.suspended-or-prohibited': 'Er fagmaðurinn nú, jafnvel tímabundið, sviptur rétti til að stunda starfsgreinina í ykkar ríki eða hefur honum verið bannað það?',
  'pq.supporting-document': 'Hengið við viðkomandi ákvörðun, vottorð eða útdrátt úr skránni.',

  // Þjónusta
  'services.legally-established': 'Hefur þjónustuveitandinn löglega staðfestu í ykkar ríki?',
  'services.establishment-date': 'Frá hvaða degi hefur þjónustuveitandinn haft staðfestu í ykkar ríki?',
  'services.legal-form': 'Hvert er rekstrarform þjónustuveitandans?',
  'services.legal-form.natural-person': 'Einstaklingur (einstaklingsrekstur)',
  'services.legal-form.company': 'Félag eða annar lögaðili',
  'services.legal-form.partnership': 'Félag sem ekki er sjálfstæður lögaðili',
  'services.legal-form.other': 'Annað rekstrarform',
  'services.registered': 'Er þjónustuveitandinn skráður í fyrirtækjaskrá eða aðra opinbera skrá sem tilgreind er í beiðninni?',
  'services.pursuing-activity': 'Stundar þjónustuveitandinn í raun viðkomandi starfsemi í ykkar ríki?',
  'services.authorisation-required': 'Er leyfi áskilið fyrir viðkomandi starfsemi í ykkar ríki?',
  'services.authorisation-valid': 'Er leyfi þjónustuveitandans enn í gildi?',
  'services.authorisation-expiry': 'Til hvaða dags gildir leyfið?',
  'services.suspension-or-ban': 'Hefur starfsemi þjónustuveitandans verið stöðvuð tímabundið eða hefur honum verið bannað að stunda hana?',
  'services.measure-kind': 'Hvers konar ráðstöfun var gripið til?',
  'services.measure-kind.suspension': 'Tímabundin stöðvun starfseminnar',
  'services.measure-kind.withdrawal': 'Afturköllun leyfisins',
  'services.measure-kind.prohibition': 'Bann við að stunda starfsemina',
  'services.measure-kind.fine': 'Stjórnvaldssekt',
  'services.sanctions': 'Hefur þjónustuveitandinn sætt refsiviðurlögum eða aga- eða stjórnsýsluviðurlögum sem varða beint hæfni hans eða faglegan áreiðanleika?',
  'services.insurance': 'Er þjónustuveitandinn með starfsábyrgðartryggingu eða sambærilega tryggingu vegna viðkomandi starfsemi?',
  'services.inspection-findings': 'Lýsið niðurstöðum þeirra athugana, skoðana eða rannsókna sem gerðar voru vegna beiðninnar.',
  'services.supporting-document': 'Hengið við leyfið, viðkomandi ákvörðun eða útdrátt úr skránni.'
}
