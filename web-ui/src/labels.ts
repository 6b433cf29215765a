/**
 * Labels for the protocol's enumerations (statuses, areas, actions, alert types), typed so
 * that a value the protocol adds without a message here fails the type-check.
 */
import type { AlertStatus, AlertType, LegislativeArea, RequestAction, RequestStatus } from '@imi/protocol'
import type { AreaRole } from './api-client.js'
import type { MessageKey, Translate } from './i18n/index.js'
import { countryName } from './format.js'
import type { AuthorityStatus, NotificationStatus } from './router.js'

export const statusLabel = (t: Translate, s: RequestStatus): string => t(`status.${s}` satisfies MessageKey)
export const areaLabel = (t: Translate, a: LegislativeArea): string => t(`area.${a}` satisfies MessageKey)
export const eventLabel = (t: Translate, a: RequestAction): string => t(`event.${a}` satisfies MessageKey)
export const alertTypeLabel = (t: Translate, a: AlertType): string => t(`alertType.${a}` satisfies MessageKey)
export const alertStatusLabel = (t: Translate, s: AlertStatus): string => t(`alertStatus.${s}` satisfies MessageKey)
export const roleLabel = (t: Translate, r: AreaRole): string => t(`role.${r}` satisfies MessageKey)
export const authorityStatusLabel = (t: Translate, s: AuthorityStatus): string => t(`authorities.status.${s}` satisfies MessageKey)
export const notificationStatusLabel = (t: Translate, s: NotificationStatus): string => t(`notifications.status.${s}` satisfies MessageKey)

/** Every alert type, in the order the issuing form offers them. */
export const ALERT_TYPES = ['services-risk', 'professional-ban', 'falsified-qualification', 'other'] as const satisfies readonly AlertType[]

const FIELD_LABELS: Readonly<Record<string, MessageKey>> = { name: 'subject.name', birthDate: 'subject.birthDate', registrationNumber: 'subject.registrationNumber' }

/** The label of a subject or alert field: translated for the known ones, the field name otherwise. */
export function fieldLabel (t: Translate, field: string): string {
  const key = FIELD_LABELS[field]
  return key === undefined ? field : t(key)
}

/** "Poland · pl-krakow": a party of a request as far as this node knows it. */
export function partyLabel (t: Translate, lang: string, party: { readonly country: string, readonly authority?: string }): string {
  return `${countryName(party.country, lang)} · ${party.authority ?? t('request.coordinator')}`
}
