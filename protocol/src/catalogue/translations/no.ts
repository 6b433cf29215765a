/**
 * Norsk bokmål (Norwegian). Keys and English source: ./en.ts. Norway is an EEA state, not a
 * member state: "your member state" is rendered as "landet deres" (your country).
 */
import type { CatalogueTexts } from '../types.js'

export const texts: CatalogueTexts = {
  'set.pq.title': 'Yrkeskvalifikasjoner (direktiv 2005/36/EF)',
  'set.services.title': 'Tjenester (direktiv 2006/123/EF)',
  'answer.yes': 'Ja',
  'answer.no': 'Nei',
  'ui.fallback-notice': 'Vises på engelsk: ingen oversettelse ennå',
  'ui.original-language-notice': 'Fritekst og vedlegg vises på originalspråket',
  'ui.answer-type.yes-no': 'Ja eller nei',
  'ui.answer-type.choice': 'Valg fra en liste',
  'ui.answer-type.date': 'Dato',
  'ui.answer-type.text': 'Fritekst',
  'ui.answer-type.attachment': 'Vedlegg',

  // Yrkeskvalifikasjoner
  'pq.diploma-authentic': 'Er det vedlagte vitnemålet eller beviset på yrkeskvalifikasjoner ekte?',
  'pq.awarding-body-competent': 'Er kvalifikasjonen tildelt av et organ som har myndighet til dette i landet deres?',
  'pq.qualification-date': 'På hvilken dato ble kvalifikasjonen tildelt?',
  'pq.qualification-level': 'Hvilket nivå i artikkel 11 i direktiv 2005/36/EF tilsvarer kvalifikasjonen?',
  'pq.qualification-level.a': 'Kompetansebevis (artikkel 11 bokstav a)',
  'pq.qualification-level.b': 'Bevis for fullført utdanning på videregående nivå (artikkel 11 bokstav b)',
  'pq.qualification-level.c': 'Vitnemål for minst ettårig utdanning etter videregående nivå (artikkel 11 bokstav c)',
  'pq.qualification-level.d': 'Vitnemål for tre- til fireårig høyere utdanning (artikkel 11 bokstav d)',
  'pq.qualification-level.e': 'Vitnemål for minst fireårig høyere utdanning (artikkel 11 bokstav e)',
  'pq.minimum-training': 'Oppfyller utdanningen som førte til kvalifikasjonen, minstekravene til utdanning som er fastsatt i direktiv 2005/36/EF?',
  'pq.professional-experience': 'Har yrkesutøveren faktisk og lovlig utøvd den aktuelle virksomheten i minst tre sammenhengende år i løpet av de fem årene før attesten ble utstedt?',
  'pq.legally-established-on-date': 'Var yrkesutøveren på datoen som er oppgitt i anmodningen, lovlig etablert i landet deres for å utøve det aktuelle yrket?',
  'pq.registration-date': 'Fra hvilken dato har yrkesutøveren vært registrert eller hatt autorisasjon til å utøve yrket i landet deres?',
  'pq.registered': 'Er yrkesutøveren registrert i registeret eller hos yrkesorganisasjonen som er nevnt i anmodningen?',
  'pq.good-standing-genuine': 'Er den vedlagte attesten om god yrkesmessig status eller god vandel ekte og fortsatt gyldig?',
  'pq.sanctions': 'Er yrkesutøveren ilagt disiplinære eller strafferettslige sanksjoner i forbindelse med sin yrkesutøvelse?',
  'pq.sanction-kind': 'Hvilken type sanksjon ble ilagt?',
  'pq.sanction-kind.disciplinary': 'Disiplinær sanksjon',
  'pq.sanction-kind.criminal': 'Strafferettslig sanksjon',
  'pq.sanction-kind.administrative': 'Administrativ sanksjon',
  'pq.sanction-kind.other': 'Annet tiltak',
  'pq.sanction-details': 'Beskriv sanksjonen: myndigheten som ila den, omfanget og varigheten.',
  'pq.suspended-or-prohibited': 'Er yrkesutøveren for tiden, også midlertidig, suspendert fra eller fratatt retten til å utøve yrket i landet deres?',
  'pq.supporting-document': 'Legg ved det aktuelle vedtaket, attesten eller utskriften fra registeret.',

  // Tjenester
  'services.legally-established': 'Er tjenesteyteren lovlig etablert i landet deres?',
  'services.establishment-date': 'Fra hvilken dato har tjenesteyteren vært etablert i landet deres?',
  'services.legal-form': 'Hvilken organisasjonsform har tjenesteyteren?',
  'services.legal-form.natural-person': 'Fysisk person (enkeltpersonforetak)',
  'services.legal-form.company': 'Selskap eller annen juridisk person',
  'services.legal-form.partnership': 'Sammenslutning uten status som juridisk person',
  'services.legal-form.other': 'Annen organisasjonsform',
  'services.registered': 'Er tjenesteyteren registrert i foretaksregisteret eller i et annet offentlig register som er nevnt i anmodningen?',
  'services.pursuing-activity': 'Utøver tjenesteyteren faktisk den aktuelle virksomheten i landet deres?',
  'services.authorisation-required': 'Krever den aktuelle virksomheten tillatelse i landet deres?',
  'services.authorisation-valid': 'Er tjenesteyterens tillatelse fortsatt gyldig?',
  'services.authorisation-expiry': 'Til hvilken dato er tillatelsen gyldig?',
  'services.suspension-or-ban': 'Er tjenesteyteren ilagt suspensjon fra eller forbud mot å utøve virksomheten?',
  'services.measure-kind': 'Hvilken type tiltak ble truffet?',
  'services.measure-kind.suspension': 'Suspensjon av virksomheten',
  'services.measure-kind.withdrawal': 'Tilbakekall av tillatelsen',
  'services.measure-kind.prohibition': 'Forbud mot å utøve virksomheten',
  'services.measure-kind.fine': 'Overtredelsesgebyr',
  'services.sanctions': 'Er tjenesteyteren ilagt strafferettslige sanksjoner eller disiplinære eller administrative sanksjoner som har direkte betydning for dennes kompetanse eller faglige pålitelighet?',
  'services.insurance': 'Er tjenesteyteren for den aktuelle virksomheten dekket av en yrkesansvarsforsikring eller en tilsvarende garanti?',
  'services.inspection-findings': 'Beskriv resultatene av kontrollene, inspeksjonene eller undersøkelsene som er utført etter anmodningen.',
  'services.supporting-document': 'Legg ved tillatelsen, det aktuelle vedtaket eller en utskrift fra registeret.'
}
