/**
 * The e-mails officials get, in their own language (English where a language has none
 * yet). An e-mail says that something awaits and links to it: never who it is about,
 * never what it says. Mail is not a safe place for personal data.
 */
export type MailKind = 'request-received' | 'deadline' | 'alert-received'

interface Template { readonly subject: string, readonly body: string }

// {from} is a country code, {area} a legislative area id, {due} a date, {link} the page.
const TEMPLATES: Readonly<Record<string, Readonly<Record<MailKind, Template>>>> = {
  en: {
    'request-received': { subject: 'IMI: a new information request from {from}', body: 'A new information request from {from} ({area}) awaits your authority.\n\nOpen it: {link}' },
    deadline: { subject: 'IMI: an information request is due on {due}', body: 'An information request your authority accepted is due on {due}.\n\nOpen it: {link}' },
    'alert-received': { subject: 'IMI: a new alert from {from}', body: 'A new alert from {from} ({area}) was routed to your authority.\n\nOpen it: {link}' }
  },
  de: {
    'request-received': { subject: 'IMI: neues Auskunftsersuchen aus {from}', body: 'Ein neues Auskunftsersuchen aus {from} ({area}) liegt für Ihre Behörde vor.\n\nÖffnen: {link}' },
    deadline: { subject: 'IMI: ein Auskunftsersuchen ist am {due} fällig', body: 'Ein von Ihrer Behörde angenommenes Auskunftsersuchen ist am {due} fällig.\n\nÖffnen: {link}' },
    'alert-received': { subject: 'IMI: neue Warnmeldung aus {from}', body: 'Eine neue Warnmeldung aus {from} ({area}) wurde an Ihre Behörde weitergeleitet.\n\nÖffnen: {link}' }
  },
  fr: {
    'request-received': { subject: 'IMI : nouvelle demande d’information de {from}', body: 'Une nouvelle demande d’information de {from} ({area}) attend votre autorité.\n\nL’ouvrir : {link}' },
    deadline: { subject: 'IMI : une demande d’information arrive à échéance le {due}', body: 'Une demande d’information acceptée par votre autorité arrive à échéance le {due}.\n\nL’ouvrir : {link}' },
    'alert-received': { subject: 'IMI : nouvelle alerte de {from}', body: 'Une nouvelle alerte de {from} ({area}) a été transmise à votre autorité.\n\nL’ouvrir : {link}' }
  },
  cs: {
    'request-received': { subject: 'IMI: nová žádost o informace z {from}', body: 'Na váš úřad čeká nová žádost o informace z {from} ({area}).\n\nOtevřít: {link}' },
    deadline: { subject: 'IMI: lhůta žádosti o informace končí {due}', body: 'Lhůta žádosti o informace, kterou váš úřad přijal, končí {due}.\n\nOtevřít: {link}' },
    'alert-received': { subject: 'IMI: nové varování z {from}', body: 'Vašemu úřadu bylo předáno nové varování z {from} ({area}).\n\nOtevřít: {link}' }
  },
  pl: {
    'request-received': { subject: 'IMI: nowy wniosek o informacje z {from}', body: 'Na Państwa urząd czeka nowy wniosek o informacje z {from} ({area}).\n\nOtwórz: {link}' },
    deadline: { subject: 'IMI: termin wniosku o informacje upływa {due}', body: 'Termin wniosku o informacje przyjętego przez Państwa urząd upływa {due}.\n\nOtwórz: {link}' },
    'alert-received': { subject: 'IMI: nowe ostrzeżenie z {from}', body: 'Nowe ostrzeżenie z {from} ({area}) zostało przekazane Państwa urzędowi.\n\nOtwórz: {link}' }
  },
  ro: {
    'request-received': { subject: 'IMI: o nouă cerere de informații din {from}', body: 'O nouă cerere de informații din {from} ({area}) așteaptă autoritatea dumneavoastră.\n\nDeschideți: {link}' },
    deadline: { subject: 'IMI: o cerere de informații are termen la {due}', body: 'O cerere de informații acceptată de autoritatea dumneavoastră are termen la {due}.\n\nDeschideți: {link}' },
    'alert-received': { subject: 'IMI: o nouă alertă din {from}', body: 'O nouă alertă din {from} ({area}) a fost transmisă autorității dumneavoastră.\n\nDeschideți: {link}' }
  },
  it: {
    'request-received': { subject: 'IMI: nuova richiesta di informazioni da {from}', body: 'Una nuova richiesta di informazioni da {from} ({area}) attende la vostra autorità.\n\nAprire: {link}' },
    deadline: { subject: 'IMI: una richiesta di informazioni scade il {due}', body: 'Una richiesta di informazioni accettata dalla vostra autorità scade il {due}.\n\nAprire: {link}' },
    'alert-received': { subject: 'IMI: nuova allerta da {from}', body: 'Una nuova allerta da {from} ({area}) è stata inoltrata alla vostra autorità.\n\nAprire: {link}' }
  },
  es: {
    'request-received': { subject: 'IMI: nueva solicitud de información de {from}', body: 'Una nueva solicitud de información de {from} ({area}) espera a su autoridad.\n\nAbrir: {link}' },
    deadline: { subject: 'IMI: una solicitud de información vence el {due}', body: 'Una solicitud de información aceptada por su autoridad vence el {due}.\n\nAbrir: {link}' },
    'alert-received': { subject: 'IMI: nueva alerta de {from}', body: 'Una nueva alerta de {from} ({area}) se ha transmitido a su autoridad.\n\nAbrir: {link}' }
  }
}

export function renderMail (kind: MailKind, lang: string | undefined, values: Readonly<Record<string, string>>): Template {
  const t = (TEMPLATES[lang ?? 'en'] ?? TEMPLATES.en!)[kind]
  const fill = (s: string): string => s.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '')
  return { subject: fill(t.subject), body: fill(t.body) }
}

export const MAIL_LANGUAGES = Object.keys(TEMPLATES)
