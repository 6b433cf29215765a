/**
 * Request calls beyond the daily ones on ApiClient: reading retention-blocked personal
 * data with a stated reason, the download address of an attachment, and drafts (kept on
 * the node for the request handlers of the authority until sent or deleted).
 */
import type { ApiClient } from './api-client.js'
import type { Draft, NewRequestInput, RequestView } from './api-types.js'
import type { RequestState } from '@imi/protocol'

const seg = encodeURIComponent

/** Blocked personal data, only to prove an exchange took place: the node records the reason first. */
export async function readBlockedRequest (api: ApiClient, id: string, reason: string, lang: string): Promise<RequestView> {
  return await api.json('POST', `/requests/${seg(id)}/blocked`, { reason, lang })
}

/** Same origin, so the session cookie goes with it; the node answers with Content-Disposition: attachment. */
export function attachmentHref (requestId: string, sha256: string): string {
  return `/api/v1/requests/${seg(requestId)}/attachments/${seg(sha256)}`
}

export type DraftContent = Partial<NewRequestInput>

export async function drafts (api: ApiClient): Promise<Draft[]> {
  return (await api.json<{ drafts: Draft[] }>('GET', '/request-drafts')).drafts
}

export async function draft (api: ApiClient, id: string): Promise<Draft> {
  return await api.json('GET', `/request-drafts/${seg(id)}`)
}

export async function saveDraft (api: ApiClient, id: string | undefined, content: DraftContent): Promise<Draft> {
  return id === undefined ? await api.json('POST', '/request-drafts', content) : await api.json('PUT', `/request-drafts/${seg(id)}`, content)
}

export async function deleteDraft (api: ApiClient, id: string): Promise<void> {
  await api.json('DELETE', `/request-drafts/${seg(id)}`)
}

export async function sendDraft (api: ApiClient, id: string): Promise<RequestState> {
  return (await api.json<{ request: RequestState }>('POST', `/request-drafts/${seg(id)}/send`)).request
}
