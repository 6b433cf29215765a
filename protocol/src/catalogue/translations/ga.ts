/**
 * Gaeilge (Irish). Keys and English source: ./en.ts. Irish has no words for a bare yes and
 * no; the answers use the verbal forms "Tá" / "Níl", as Irish forms do.
 */
import type { CatalogueTexts } from '../types.js'

export const texts: CatalogueTexts = {
  'set.pq.title': 'Cáilíochtaí gairmiúla (Treoir 2005/36/CE)',
  'set.services.title': 'Seirbhísí (Treoir 2006/123/CE)',
  'answer.yes': 'Tá',
  'answer.no': 'Níl',
  'ui.fallback-notice': 'Á thaispeáint i mBéarla: níl aistriúchán ann fós',
  'ui.original-language-notice': 'Taispeántar saortéacs agus ceangaltáin ina mbunteanga',
  'ui.answer-type.yes-no': 'Tá nó níl',
  'ui.answer-type.choice': 'Rogha ó liosta',
  'ui.answer-type.date': 'Dáta',
  'ui.answer-type.text': 'Saortéacs',
  'ui.answer-type.attachment': 'Ceangaltán',

  // Cáilíochtaí gairmiúla
  'pq.diploma-authentic': 'An bhfuil an dioplóma nó an teastas cáilíochta gairmiúla atá faoi iamh barántúil?',
  'pq.awarding-body-competent': 'An comhlacht atá inniúil chuige sin i bhur mBallstát a bhronn an cháilíocht?',
  'pq.qualification-date': 'Cén dáta ar bronnadh an cháilíocht?',
  'pq.qualification-level': 'Cén leibhéal in Airteagal 11 de Threoir 2005/36/CE lena gcomhfhreagraíonn an cháilíocht?',
  'pq.qualification-level.a': 'Fianú inniúlachta (Airteagal 11(a))',
  'pq.qualification-level.b': 'Teastas oideachais dara leibhéal críochnaithe (Airteagal 11(b))',
  'pq.qualification-level.c': 'Dioplóma oiliúna iar-mheánscoile bliain amháin ar a laghad (Airteagal 11(c))',
  'pq.qualification-level.d': 'Dioplóma ardoideachais idir trí agus ceithre bliana (Airteagal 11(d))',
  'pq.qualification-level.e': 'Dioplóma ardoideachais ceithre bliana ar a laghad (Airteagal 11(e))',
  'pq.minimum-training': 'An gcomhlíonann an oiliúint as ar eascair an cháilíocht na coinníollacha íosta oiliúna a leagtar síos i dTreoir 2005/36/CE?',
  'pq.professional-experience': 'Ar chleacht an gairmí na gníomhaíochtaí lena mbaineann go hiarbhír agus go dleathach ar feadh trí bliana as a chéile ar a laghad le linn na gcúig bliana roimh eisiúint an teastais?',
  'pq.legally-established-on-date': 'An raibh an gairmí bunaithe go dleathach i bhur mBallstát chun an ghairm lena mbaineann a chleachtadh ar an dáta a luaitear san iarraidh?',
  'pq.registration-date': 'Ó cén dáta a bhfuil an gairmí cláraithe nó údaraithe chun an ghairm a chleachtadh i bhur mBallstát?',
  'pq.registered': 'An bhfuil an gairmí cláraithe sa chlár nó leis an gcomhlacht gairmiúil a luaitear san iarraidh?',
  'pq.good-standing-genuine': 'An bhfuil an teastas dea-sheasaimh nó dea-cháile atá faoi iamh barántúil agus bailí fós?',
  'pq.sanctions': 'Ar gearradh smachtbhannaí araíonachta nó coiriúla ar an ngairmí i ndáil le gníomhaíochtaí gairmiúla?',
  'pq.sanction-kind': 'Cén cineál smachtbhanna a gearradh?',
  'pq.sanction-kind.disciplinary': 'Smachtbhanna araíonachta',
  'pq.sanction-kind.criminal': 'Smachtbhanna coiriúil',
  'pq.sanction-kind.administrative': 'Smachtbhanna riaracháin',
  'pq.sanction-kind.other': 'Beart eile',
  'pq.sanction-details': 'Déan cur síos ar an smachtbhanna: an t-údarás a ghearr é, a raon feidhme agus a fhad.',
  'pq.suspended-or-prohibited': 'An bhfuil an gairmí ar fionraí faoi láthair, nó an bhfuil cosc air nó uirthi, fiú go sealadach, an ghairm a chleachtadh i bhur mBallstát?',
  'pq.supporting-document': 'Ceangail leis seo an cinneadh, an teastas nó an sliocht ábhartha as an gclár.',

  // Seirbhísí
  'services.legally-established': 'An bhfuil an soláthraí seirbhíse bunaithe go dleathach i bhur mBallstát?',
  'services.establishment-date': 'Ó cén dáta a bhfuil an soláthraí seirbhíse bunaithe i bhur mBallstát?',
  'services.legal-form': 'Cén fhoirm dhlíthiúil atá ag an soláthraí seirbhíse?',
  'services.legal-form.natural-person': 'Duine nádúrtha (trádálaí aonair)',
  'services.legal-form.company': 'Cuideachta nó duine dlítheanach eile',
  'services.legal-form.partnership': 'Comhpháirtíocht gan phearsantacht dhlítheanach',
  'services.legal-form.other': 'Foirm dhlíthiúil eile',
  'services.registered': 'An bhfuil an soláthraí seirbhíse cláraithe sa chlár tráchtála nó i gclár poiblí eile a luaitear san iarraidh?',
  'services.pursuing-activity': 'An gcleachtann an soláthraí seirbhíse an ghníomhaíocht lena mbaineann go hiarbhír i bhur mBallstát?',
  'services.authorisation-required': 'An gá údarú don ghníomhaíocht lena mbaineann i bhur mBallstát?',
  'services.authorisation-valid': 'An bhfuil údarú an tsoláthraí bailí fós?',
  'services.authorisation-expiry': 'Go dtí cén dáta a bhfuil an t-údarú bailí?',
  'services.suspension-or-ban': 'Ar cuireadh fionraí nó toirmeasc ar an soláthraí maidir leis an ngníomhaíocht a chleachtadh?',
  'services.measure-kind': 'Cén cineál birt a glacadh?',
  'services.measure-kind.suspension': 'Fionraí na gníomhaíochta',
  'services.measure-kind.withdrawal': 'Aistarraingt an údaraithe',
  'services.measure-kind.prohibition': 'Toirmeasc ar an ngníomhaíocht a chleachtadh',
  'services.measure-kind.fine': 'Fíneáil riaracháin',
  'services.sanctions': 'Ar gearradh pionóis choiriúla nó smachtbhannaí araíonachta nó riaracháin ar an soláthraí a bhaineann go díreach lena inniúlacht nó lena iontaofacht ghairmiúil?',
  'services.insurance': 'An bhfuil an soláthraí clúdaithe ag árachas slánaíochta gairmiúla nó ag ráthaíocht choibhéiseach don ghníomhaíocht lena mbaineann?',
  'services.inspection-findings': 'Déan cur síos ar thorthaí na seiceálacha, na gcigireachtaí nó na n-imscrúduithe a rinneadh de bharr na hiarrata.',
  'services.supporting-document': 'Ceangail leis seo an t-údarú, an cinneadh lena mbaineann nó sliocht as an gclár.'
}
