/**
 * The words the dataset generator builds names from: kinds of competent authority, each
 * named in all 26 IMI languages, and a few cities per member state in their own spelling.
 * Synthetic but believable: real kinds of body, national languages, no real people.
 */
import type { Language, LegislativeArea } from '@imi/protocol'

export interface AuthorityKind {
  readonly id: string
  readonly scope: 'national' | 'regional' | 'local'
  /** Relative frequency among a country's authorities. */
  readonly weight: number
  readonly areas: readonly LegislativeArea[]
  readonly competences: readonly string[]
  readonly names: Readonly<Record<Language, string>>
}

const L = (...n: string[]): Readonly<Record<Language, string>> => {
  const langs: Language[] = ['bg', 'cs', 'da', 'de', 'el', 'en', 'es', 'et', 'fi', 'fr', 'ga', 'hr', 'hu', 'it', 'lt', 'lv', 'mt', 'nl', 'pl', 'pt', 'ro', 'sk', 'sl', 'sv', 'is', 'no']
  if (n.length !== langs.length) throw new Error(`vocabulary entry needs ${langs.length} names, has ${n.length}`)
  return Object.fromEntries(langs.map((l, i) => [l, n[i]!])) as Record<Language, string>
}

export const AUTHORITY_KINDS: readonly AuthorityKind[] = [
  {
    id: 'architects', scope: 'regional', weight: 3, areas: ['professional-qualifications'], competences: ['architect', 'architecture'],
    names: L('Камара на архитектите', 'Komora architektů', 'Arkitektkammer', 'Architektenkammer', 'Σύλλογος Αρχιτεκτόνων', 'Chamber of Architects',
      'Colegio de Arquitectos', 'Arhitektide Koda', 'Arkkitehtikamari', 'Ordre des architectes', 'Cumann na nAiltirí', 'Komora arhitekata', 'Építész Kamara',
      'Ordine degli Architetti', 'Architektų rūmai', 'Arhitektu palāta', 'Kamra tal-Periti', 'Orde van Architecten', 'Izba Architektów', 'Ordem dos Arquitetos',
      'Ordinul Arhitecților', 'Komora architektov', 'Zbornica za arhitekturo', 'Arkitektkammaren', 'Arkitektafélag', 'Arkitektkammer')
  },
  {
    id: 'doctors', scope: 'regional', weight: 4, areas: ['professional-qualifications', 'patients-rights'], competences: ['doctor', 'medicine', 'certificate of good standing'],
    names: L('Лекарски съюз', 'Lékařská komora', 'Lægeforening', 'Ärztekammer', 'Ιατρικός Σύλλογος', 'Medical Chamber', 'Colegio de Médicos', 'Arstide Liit',
      'Lääkäriliitto', 'Ordre des médecins', 'Comhairle na nDochtúirí Leighis', 'Liječnička komora', 'Orvosi Kamara', 'Ordine dei Medici', 'Gydytojų rūmai',
      'Ārstu biedrība', 'Kunsill Mediku', 'Orde van Artsen', 'Izba Lekarska', 'Ordem dos Médicos', 'Colegiul Medicilor', 'Lekárska komora', 'Zdravniška zbornica',
      'Läkarförbundet', 'Læknafélag', 'Legeforening')
  },
  {
    id: 'trade-licensing', scope: 'local', weight: 10, areas: ['services'], competences: ['trade licensing', 'business authorisation'],
    names: L('Служба за търговски лицензи', 'Živnostenský úřad', 'Erhvervstilladelseskontor', 'Gewerbeamt', 'Υπηρεσία Αδειοδότησης Επιχειρήσεων',
      'Trade Licensing Office', 'Oficina de Licencias Comerciales', 'Tegevuslubade Büroo', 'Elinkeinolupatoimisto', 'Bureau des licences commerciales',
      'Oifig Ceadúnaithe Trádála', 'Ured za obrtne dozvole', 'Ipari Engedélyezési Hivatal', 'Ufficio Licenze Commerciali', 'Verslo licencijų skyrius',
      'Komercdarbības licencēšanas birojs', 'Uffiċċju tal-Liċenzji tal-Kummerċ', 'Bureau Bedrijfsvergunningen', 'Urząd ds. Działalności Gospodarczej',
      'Serviço de Licenciamento Comercial', 'Oficiul de Autorizare Comercială', 'Živnostenský úrad', 'Urad za obrtna dovoljenja', 'Näringstillståndskontoret',
      'Leyfisskrifstofa atvinnurekstrar', 'Næringslisenskontoret')
  },
  {
    id: 'labour-inspection', scope: 'regional', weight: 3, areas: ['posting-of-workers'], competences: ['labour inspection', 'posted workers'],
    names: L('Инспекция по труда', 'Inspektorát práce', 'Arbejdstilsynet', 'Arbeitsinspektorat', 'Επιθεώρηση Εργασίας', 'Labour Inspectorate', 'Inspección de Trabajo',
      'Tööinspektsioon', 'Työsuojeluviranomainen', 'Inspection du travail', 'Cigireacht Saothair', 'Inspektorat rada', 'Munkaügyi Felügyelet', 'Ispettorato del Lavoro',
      'Darbo inspekcija', 'Darba inspekcija', 'Spettorat tax-Xogħol', 'Arbeidsinspectie', 'Inspekcja Pracy', 'Inspeção do Trabalho', 'Inspectoratul de Muncă',
      'Inšpektorát práce', 'Inšpektorat za delo', 'Arbetsmiljöverket', 'Vinnueftirlitið', 'Arbeidstilsynet')
  },
  {
    id: 'health-ministry', scope: 'national', weight: 0, areas: ['patients-rights', 'professional-qualifications'], competences: ['healthcare', 'health professions'],
    names: L('Министерство на здравеопазването', 'Ministerstvo zdravotnictví', 'Sundhedsministeriet', 'Gesundheitsministerium', 'Υπουργείο Υγείας', 'Ministry of Health',
      'Ministerio de Sanidad', 'Sotsiaalministeerium', 'Sosiaali- ja terveysministeriö', 'Ministère de la Santé', 'An Roinn Sláinte', 'Ministarstvo zdravstva',
      'Egészségügyi Minisztérium', 'Ministero della Salute', 'Sveikatos apsaugos ministerija', 'Veselības ministrija', 'Ministeru għas-Saħħa',
      'Ministerie van Volksgezondheid', 'Ministerstwo Zdrowia', 'Ministério da Saúde', 'Ministerul Sănătății', 'Ministerstvo zdravotníctva', 'Ministrstvo za zdravje',
      'Socialdepartementet', 'Heilbrigðisráðuneytið', 'Helse- og omsorgsdepartementet')
  },
  {
    id: 'data-protection', scope: 'national', weight: 0, areas: ['gdpr-cooperation'], competences: ['data protection'],
    names: L('Комисия за защита на личните данни', 'Úřad pro ochranu osobních údajů', 'Datatilsynet', 'Datenschutzbehörde', 'Αρχή Προστασίας Δεδομένων',
      'Data Protection Authority', 'Agencia de Protección de Datos', 'Andmekaitse Inspektsioon', 'Tietosuojavaltuutetun toimisto', 'Autorité de protection des données',
      'An Coimisiún um Chosaint Sonraí', 'Agencija za zaštitu osobnih podataka', 'Adatvédelmi Hatóság', 'Garante per la protezione dei dati personali',
      'Duomenų apsaugos inspekcija', 'Datu valsts inspekcija', 'Kummissarju għall-Protezzjoni tad-Data', 'Gegevensbeschermingsautoriteit',
      'Urząd Ochrony Danych Osobowych', 'Comissão de Proteção de Dados', 'Autoritatea de Supraveghere a Datelor', 'Úrad na ochranu osobných údajov',
      'Informacijski pooblaščenec', 'Integritetsskyddsmyndigheten', 'Persónuvernd', 'Datatilsynet')
  },
  {
    id: 'commerce', scope: 'regional', weight: 3, areas: ['services', 'e-commerce'], competences: ['business registration', 'e-commerce'],
    names: L('Търговско-промишлена палата', 'Hospodářská komora', 'Handelskammer', 'Industrie- und Handelskammer', 'Εμπορικό και Βιομηχανικό Επιμελητήριο',
      'Chamber of Commerce', 'Cámara de Comercio', 'Kaubandus-Tööstuskoda', 'Kauppakamari', 'Chambre de commerce et d\u2019industrie', 'Cumann Tráchtála',
      'Gospodarska komora', 'Kereskedelmi és Iparkamara', 'Camera di Commercio', 'Prekybos, pramonės ir amatų rūmai', 'Tirdzniecības un rūpniecības kamera',
      'Kamra tal-Kummerċ', 'Kamer van Koophandel', 'Izba Gospodarcza', 'Câmara de Comércio', 'Camera de Comerț și Industrie', 'Obchodná a priemyselná komora',
      'Gospodarska zbornica', 'Handelskammaren', 'Viðskiptaráð', 'Handelskammer')
  },
  {
    id: 'nursing', scope: 'regional', weight: 2, areas: ['professional-qualifications'], competences: ['nurse', 'midwife'],
    names: L('Съюз на медицинските сестри', 'Komora zdravotních sester', 'Sygeplejeråd', 'Pflegekammer', 'Ένωση Νοσηλευτών', 'Nursing Council', 'Colegio de Enfermería',
      'Õdede Liit', 'Sairaanhoitajaliitto', 'Ordre des infirmiers', 'Bord Altranais', 'Komora medicinskih sestara', 'Ápolói Kamara',
      'Ordine delle Professioni Infermieristiche', 'Slaugytojų rūmai', 'Māsu asociācija', 'Kunsill tal-Infermiera', 'Verpleegkundig College', 'Izba Pielęgniarek',
      'Ordem dos Enfermeiros', 'Ordinul Asistenților Medicali', 'Komora sestier', 'Zbornica zdravstvene nege', 'Sjuksköterskeförbundet', 'Hjúkrunarráð', 'Sykepleierråd')
  }
]

/** "Register" in each language, for the names of national registers. */
export const REGISTER_WORD = L('Регистър', 'Rejstřík', 'Register', 'Verzeichnis', 'Μητρώο', 'Register', 'Registro', 'Register', 'Rekisteri', 'Registre', 'Clár',
  'Registar', 'Nyilvántartás', 'Albo', 'Registras', 'Reģistrs', 'Reġistru', 'Register', 'Rejestr', 'Registo', 'Registrul', 'Register', 'Register', 'Register', 'Skrá', 'Register')

/** A few cities per member state, in their own spelling. */
export const CITIES: Readonly<Record<string, readonly string[]>> = {
  AT: ['Wien', 'Graz', 'Linz', 'Salzburg', 'Innsbruck', 'Klagenfurt'], BE: ['Bruxelles', 'Antwerpen', 'Gent', 'Liège', 'Charleroi', 'Brugge'],
  BG: ['София', 'Пловдив', 'Варна', 'Бургас', 'Русе'], HR: ['Zagreb', 'Split', 'Rijeka', 'Osijek', 'Zadar'], CY: ['Λευκωσία', 'Λεμεσός', 'Λάρνακα', 'Πάφος'],
  CZ: ['Praha', 'Brno', 'Ostrava', 'Plzeň', 'Olomouc', 'Liberec'], DK: ['København', 'Aarhus', 'Odense', 'Aalborg', 'Esbjerg'],
  EE: ['Tallinn', 'Tartu', 'Narva', 'Pärnu'], FI: ['Helsinki', 'Espoo', 'Tampere', 'Turku', 'Oulu'], FR: ['Paris', 'Lyon', 'Marseille', 'Toulouse', 'Lille', 'Bordeaux'],
  DE: ['Berlin', 'München', 'Hamburg', 'Köln', 'Frankfurt am Main', 'Stuttgart', 'Düsseldorf', 'Leipzig'], GR: ['Αθήνα', 'Θεσσαλονίκη', 'Πάτρα', 'Ηράκλειο', 'Λάρισα'],
  HU: ['Budapest', 'Debrecen', 'Szeged', 'Miskolc', 'Pécs'], IE: ['Baile Átha Cliath', 'Corcaigh', 'Gaillimh', 'Luimneach'], IT: ['Roma', 'Milano', 'Napoli', 'Torino', 'Palermo', 'Bologna'],
  LV: ['Rīga', 'Daugavpils', 'Liepāja', 'Jelgava'], LT: ['Vilnius', 'Kaunas', 'Klaipėda', 'Šiauliai'], LU: ['Luxembourg', 'Esch-sur-Alzette', 'Differdange'],
  MT: ['Valletta', 'Birkirkara', 'Mosta'], NL: ['Amsterdam', 'Rotterdam', 'Den Haag', 'Utrecht', 'Eindhoven'], PL: ['Warszawa', 'Kraków', 'Łódź', 'Wrocław', 'Poznań', 'Gdańsk'],
  PT: ['Lisboa', 'Porto', 'Braga', 'Coimbra', 'Faro'], RO: ['București', 'Cluj-Napoca', 'Timișoara', 'Iași', 'Constanța', 'Brașov'],
  SK: ['Bratislava', 'Košice', 'Prešov', 'Žilina', 'Nitra'], SI: ['Ljubljana', 'Maribor', 'Celje', 'Kranj'], ES: ['Madrid', 'Barcelona', 'Valencia', 'Sevilla', 'Zaragoza', 'Bilbao'],
  SE: ['Stockholm', 'Göteborg', 'Malmö', 'Uppsala', 'Linköping'], IS: ['Reykjavík', 'Akureyri', 'Kópavogur'], LI: ['Vaduz', 'Schaan', 'Balzers'],
  NO: ['Oslo', 'Bergen', 'Trondheim', 'Stavanger', 'Tromsø']
}

/** Rough size of each state's share of IMI's authorities (bigger states register more). */
export const AUTHORITY_SHARE: Readonly<Record<string, number>> = {
  DE: 16, FR: 12, IT: 11, ES: 9, PL: 7, RO: 5, NL: 5, BE: 4, CZ: 4, GR: 3, PT: 3, SE: 3, HU: 3, AT: 3, BG: 2, DK: 2, FI: 2, SK: 2, IE: 2, HR: 2, NO: 2,
  LT: 1, SI: 1, LV: 1, EE: 1, CY: 1, LU: 1, MT: 1, IS: 1, LI: 1
}
