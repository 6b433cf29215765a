/**
 * What a national IT team watches: messages in, out and refused (by code), the outbox
 * and how long its oldest entry waits, receipt latency, peers, gossip and DHT health,
 * directory freshness, requests and alerts by status, the performance indicators and
 * retention. Counters follow the services' events; the rest is read at scrape time.
 */
import type { ImiNode } from '../node.js'
import { indicatorsFor } from '../services/requests/indicators.js'
import { Counter, Gauge, Histogram, Registry } from './registry.js'

export function nodeMetrics (node: ImiNode, now: () => number): Registry {
  const r = new Registry()
  const received = r.add(new Counter('imi_messages_received_total', 'Direct messages accepted, by kind and sending state'))
  const rejected = r.add(new Counter('imi_messages_rejected_total', 'Direct messages refused, by error code'))
  const delivered = r.add(new Counter('imi_messages_delivered_total', 'Direct messages whose signed receipt arrived, by receiving state'))
  const failed = r.add(new Counter('imi_messages_failed_total', 'Direct messages given up for good, by error code'))
  const latency = r.add(new Histogram('imi_receipt_latency_seconds', 'From signing a direct message to storing its receipt', [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 300, 3600, 86_400]))
  const broadcasts = r.add(new Counter('imi_broadcasts_accepted_total', 'Broadcast envelopes (alerts, notifications) accepted, by kind and source'))
  const blocked = r.add(new Counter('imi_retention_blocked_total', 'Procedures whose personal data the retention policy blocked, by kind'))
  const deleted = r.add(new Counter('imi_retention_deleted_total', 'Procedures whose personal data were deleted, by kind and reason'))
  const runs = r.add(new Counter('imi_retention_runs_total', 'Retention scheduler runs'))

  const listen = (target: EventTarget, type: string, fn: (detail: Record<string, unknown>) => void): void => {
    target.addEventListener(type, (e) => { fn((e as CustomEvent<Record<string, unknown>>).detail) })
  }
  listen(node.messaging, 'received', (d) => { received.inc({ kind: String(d.kind), from: String(d.from) }) })
  listen(node.messaging, 'rejected', (d) => { rejected.inc({ code: String(d.code) }) })
  listen(node.messaging, 'delivered', (d) => { delivered.inc({ to: String(d.to) }); latency.observe(Number(d.latencyMs) / 1000) })
  listen(node.messaging, 'failed', (d) => { failed.inc({ code: String(d.code) }) })
  listen(node.broadcaster, 'accepted', (d) => { broadcasts.inc({ kind: String(d.kind), source: String(d.source) }) })
  listen(node.retention, 'blocked', (d) => { blocked.inc({ kind: String(d.kind) }) })
  listen(node.retention, 'deleted', (d) => { deleted.inc({ kind: String(d.kind), reason: String(d.reason) }) })
  listen(node.retention, 'run', () => { runs.inc() })

  r.add(new Gauge('imi_broadcasts_rejected', 'Broadcast envelopes refused since start, by error code',
    () => [...node.broadcaster.rejected.entries()].map(([code, value]) => ({ labels: { code }, value }))))
  r.add(new Gauge('imi_outbox_depth', 'Direct messages waiting for a receipt, by receiving state',
    () => node.messaging.outboxSummary().map((p) => ({ labels: { to: p.country }, value: p.pending }))))
  r.add(new Gauge('imi_outbox_oldest_age_seconds', 'Age of the oldest waiting message, by receiving state',
    () => node.messaging.outboxSummary().map((p) => ({ labels: { to: p.country }, value: p.oldestQueuedAt === undefined ? 0 : (now() - p.oldestQueuedAt) / 1000 }))))
  r.add(new Gauge('imi_peers_connected', 'Connected libp2p peers', () => [{ value: node.libp2p?.getPeers().length ?? 0 }]))
  r.add(new Gauge('imi_members_connected', 'Roster members this node is connected to', () => [{ value: node.status().connectedMembers.length }]))
  r.add(new Gauge('imi_roster_version', 'Roster version in force', () => [{ value: node.status().rosterVersion }]))
  r.add(new Gauge('imi_gossip_topic_peers', 'Peers subscribed to each federation topic', () => {
    const pubsub = node.libp2p?.services.pubsub
    if (pubsub === undefined) return []
    return pubsub.getTopics().map((topic) => ({ labels: { topic }, value: pubsub.getSubscribers(topic).length }))
  }))
  r.add(new Gauge('imi_dht_routing_table_size', 'Peers in the DHT routing table', () => [{ value: (node.libp2p?.services.dht as unknown as { routingTable?: { size: number } } | undefined)?.routingTable?.size ?? 0 }]))
  r.add(new Gauge('imi_directory_age_seconds', 'Age of this node\'s verified copy of each state\'s directory', () => node.directory.status().map((d) => ({ labels: { country: d.country, name: d.name }, value: d.ageMs / 1000 }))))
  r.add(new Gauge('imi_directory_expired', 'Directories served past their publisher\'s expiry', () => [{ value: node.directory.status().filter((d) => d.expired).length }]))
  r.add(new Gauge('imi_evidence_entries', 'Entries in the evidence log', () => [{ value: node.evidence.length }]))

  // Requests, alerts and indicators need a pass over the store: once per scrape.
  let requestCounts: Array<{ labels: Record<string, string>, value: number }> = []
  let alertCounts: Array<{ labels: Record<string, string>, value: number }> = []
  let indicators: Array<{ labels: Record<string, string>, value: number }> = []
  r.beforeScrape(async () => {
    const states = []
    const counts = new Map<string, number>()
    for await (const rec of node.requests.log.records()) {
      states.push(rec.state)
      const side = rec.state.requester.country === node.config.country ? 'sent' : 'received'
      const k = `${side}/${rec.state.status}`
      counts.set(k, (counts.get(k) ?? 0) + 1)
    }
    requestCounts = [...counts].map(([k, value]) => { const [side, status] = k.split('/'); return { labels: { side: side!, status: status! }, value } })
    const report = indicatorsFor(states, { country: node.config.country, now: now() })
    const p = report.responding
    indicators = [
      { labels: { indicator: 'accepted_within_7_days_percent' }, value: p.acceptedWithin7Days.percent ?? Number.NaN },
      { labels: { indicator: 'average_answer_days' }, value: p.averageAnswerDays.days ?? Number.NaN },
      { labels: { indicator: 'answered_by_agreed_date_percent' }, value: p.answeredByAgreedDate.percent ?? Number.NaN }
    ]
    const alerts = new Map<string, number>()
    for (const a of await node.alerts.list({ kind: 'user', username: 'metrics', coordinator: true, grants: [] })) {
      const k = `${a.state.from === node.config.country ? 'issued' : 'received'}/${a.state.status}`
      alerts.set(k, (alerts.get(k) ?? 0) + 1)
    }
    alertCounts = [...alerts].map(([k, value]) => { const [side, status] = k.split('/'); return { labels: { side: side!, status: status! }, value } })
  })
  r.add(new Gauge('imi_requests', 'Information requests held, by side and status', () => requestCounts))
  r.add(new Gauge('imi_alerts', 'Alerts held, by side and status', () => alertCounts))
  r.add(new Gauge('imi_indicator', 'The Commission\'s performance indicators for requests this state received', () => indicators))
  return r
}
