/**
 * English: the source language of the catalogue and the fallback for every other language.
 * Keys are stable ids (see ../sets.ts); every other language file has exactly these keys.
 */
import type { CatalogueTexts } from '../types.js'

export const texts: CatalogueTexts = {
  'set.pq.title': 'Professional Qualifications (Directive 2005/36/EC)',
  'set.services.title': 'Services (Directive 2006/123/EC)',
  'answer.yes': 'Yes',
  'answer.no': 'No',
  'ui.fallback-notice': 'Shown in English: no translation yet',
  'ui.original-language-notice': 'Free text and attachments are shown in their original language',
  'ui.answer-type.yes-no': 'Yes or no',
  'ui.answer-type.choice': 'Choice from a list',
  'ui.answer-type.date': 'Date',
  'ui.answer-type.text': 'Free text',
  'ui.answer-type.attachment': 'Attachment',

  // Professional Qualifications
  'pq.diploma-authentic': 'Is the attached diploma or certificate of professional qualification authentic?',
  'pq.awarding-body-competent': 'Was the qualification awarded by a body competent to do so in your member state?',
  'pq.qualification-date': 'On what date was the qualification awarded?',
  'pq.qualification-level': 'Which level of Article 11 of Directive 2005/36/EC does the qualification correspond to?',
  'pq.qualification-level.a': 'Attestation of competence (Article 11(a))',
  'pq.qualification-level.b': 'Certificate of completed secondary education (Article 11(b))',
  'pq.qualification-level.c': 'Diploma of post-secondary training of at least one year (Article 11(c))',
  'pq.qualification-level.d': 'Diploma of higher education of three to four years (Article 11(d))',
  'pq.qualification-level.e': 'Diploma of higher education of at least four years (Article 11(e))',
  'pq.minimum-training': 'Does the training leading to the qualification satisfy the minimum training conditions laid down in Directive 2005/36/EC?',
  'pq.professional-experience': 'Has the professional effectively and lawfully pursued the activities concerned for at least three consecutive years during the five years preceding the issue of the certificate?',
  'pq.legally-established-on-date': 'Was the professional legally established in your member state to pursue the profession concerned on the date given in the request?',
  'pq.registration-date': 'Since what date has the professional been registered or authorised to practise the profession in your member state?',
  'pq.registered': 'Is the professional registered in the register or with the professional body named in the request?',
  'pq.good-standing-genuine': 'Is the attached certificate of good standing or good repute genuine and still valid?',
  'pq.sanctions': 'Has the professional been subject to disciplinary or criminal sanctions relating to their professional activities?',
  'pq.sanction-kind': 'What kind of sanction was imposed?',
  'pq.sanction-kind.disciplinary': 'Disciplinary sanction',
  'pq.sanction-kind.criminal': 'Criminal sanction',
  'pq.sanction-kind.administrative': 'Administrative sanction',
  'pq.sanction-kind.other': 'Other measure',
  'pq.sanction-details': 'Please describe the sanction: the authority that imposed it, its scope and its duration.',
  'pq.suspended-or-prohibited': 'Is the professional currently suspended or prohibited, even temporarily, from practising the profession in your member state?',
  'pq.supporting-document': 'Please attach the relevant decision, certificate or extract from the register.',

  // Services
  'services.legally-established': 'Is the service provider legally established in your member state?',
  'services.establishment-date': 'Since what date has the service provider been established in your member state?',
  'services.legal-form': 'What is the legal form of the service provider?',
  'services.legal-form.natural-person': 'Natural person (sole trader)',
  'services.legal-form.company': 'Company or other legal person',
  'services.legal-form.partnership': 'Partnership without legal personality',
  'services.legal-form.other': 'Other legal form',
  'services.registered': 'Is the service provider entered in the commercial register or other public register named in the request?',
  'services.pursuing-activity': 'Does the service provider actually pursue the activity concerned in your member state?',
  'services.authorisation-required': 'Does the activity concerned require an authorisation in your member state?',
  'services.authorisation-valid': 'Is the provider\'s authorisation still valid?',
  'services.authorisation-expiry': 'Until what date is the authorisation valid?',
  'services.suspension-or-ban': 'Has the provider been subject to a suspension or a ban on pursuing the activity?',
  'services.measure-kind': 'What kind of measure was taken?',
  'services.measure-kind.suspension': 'Suspension of the activity',
  'services.measure-kind.withdrawal': 'Withdrawal of the authorisation',
  'services.measure-kind.prohibition': 'Prohibition from pursuing the activity',
  'services.measure-kind.fine': 'Administrative fine',
  'services.sanctions': 'Has the provider been subject to criminal penalties or to disciplinary or administrative sanctions directly relevant to its competence or professional reliability?',
  'services.insurance': 'Is the provider covered by professional liability insurance or an equivalent guarantee for the activity concerned?',
  'services.inspection-findings': 'Please describe the findings of the checks, inspections or investigations carried out following the request.',
  'services.supporting-document': 'Please attach the authorisation, the decision concerned or an extract from the register.'
}
