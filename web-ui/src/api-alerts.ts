/**
 * Alerts beyond reading them: issuing one to all or to selected states, withdrawing or
 * closing one's own, the coordinator's routing of an incoming one to this state's
 * authorities, and reading content that retention has blocked, with a stated reason.
 */
import type { ApiClient } from './api-client.js'
import type { AlertView, NewAlertInput } from './api-types.js'

const seg = encodeURIComponent

export async function issueAlert (api: ApiClient, alert: NewAlertInput): Promise<AlertView> {
  return await api.json('POST', '/alerts', alert)
}

export async function endAlert (api: ApiClient, id: string, how: 'withdraw' | 'close', reason?: string): Promise<AlertView> {
  return await api.json('POST', `/alerts/${seg(id)}/${how}`, reason === undefined ? {} : { reason })
}

export async function routeAlert (api: ApiClient, id: string, authorities: readonly string[]): Promise<AlertView> {
  return await api.json('PUT', `/alerts/${seg(id)}/routing`, { authorities })
}

/** Blocked content, for proof that an exchange took place: the node records the reason first. */
export async function readBlockedAlert (api: ApiClient, id: string, reason: string): Promise<AlertView> {
  return await api.json('POST', `/alerts/${seg(id)}/blocked`, { reason })
}
