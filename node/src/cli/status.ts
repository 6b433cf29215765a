/** `imi status`: the running node's own account of itself, through its local API. */
import type { NodeConfig } from '../config.js'
import type { NodeStatus } from '../node.js'
import { apiGet } from './api-client.js'

interface OutboxPeer { country: string, pending: number, failures: number, retryAt?: number, lastError?: string }
type StatusAnswer = NodeStatus & { outbox?: OutboxPeer[] }

const row = (label: string, value: string): string => `${label.padEnd(12)}${value}`

export function formatStatus (s: StatusAnswer): string[] {
  const others = Math.max(s.members - 1, 0)
  const connected = s.connectedMembers.length > 0 ? `: ${s.connectedMembers.join(', ')}` : ''
  const [first = '(none)', ...more] = s.listen
  const waiting = (s.outbox ?? []).filter((p) => p.pending > 0)
  return [
    row('country', `${s.country} (federation ${s.federationId})`),
    row('peer id', s.peerId),
    row('running', s.running ? 'yes' : 'no (starting or stopping)'),
    row('roster', `version ${s.rosterVersion}, ${s.members} members`),
    row('connected', `${s.connectedMembers.length} of ${others} other members${connected} (${s.peers} peers in all)`),
    row('outbox', `${s.outboxDepth} messages waiting`),
    ...waiting.map((p) => row('', `${p.country}: ${p.pending} pending, ${p.failures} failed attempts${p.lastError !== undefined ? ` (last: ${p.lastError})` : ''}` +
      `${p.retryAt !== undefined ? `, next try ${new Date(p.retryAt).toISOString()}` : ''}`)),
    row('evidence', `${s.evidenceEntries} entries`),
    row('listening', first),
    ...more.map((a) => row('', a))
  ]
}

export async function statusCommand (config: NodeConfig): Promise<string[]> {
  return formatStatus(await apiGet<StatusAnswer>(config, '/status'))
}
