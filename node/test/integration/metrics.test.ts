/**
 * Prometheus metrics of a real node: on a loopback port only, counters that follow real
 * traffic, gauges read at scrape time, and no personal data in any of it.
 */
import { expect } from 'chai'
import { ConfigError, type ImiNode } from '../../src/index.js'
import { nodeMetrics } from '../../src/metrics/node-metrics.js'
import { serveMetrics, type MetricsServer } from '../../src/metrics/serve-metrics.js'
import type { Actor } from '../../src/services/accounts/permissions.js'
import { eventually, makeFederation, type TestFederation } from '../fixtures/federation.js'

describe('metrics', function () {
  this.timeout(60_000)
  let fed: TestFederation
  let cz: ImiNode
  let server: MetricsServer

  before(async () => {
    fed = await makeFederation(['CZ', 'PL'])
    cz = await fed.start('CZ')
    const pl = await fed.start('PL')
    server = await serveMetrics(nodeMetrics(cz, () => Date.now()), { host: '127.0.0.1', port: 0 })
    await cz.authorities.importAuthorities([{ id: 'cz-brno', names: { cs: 'Brno' }, areas: ['services'], competences: ['trade licensing'] }])
    await pl.authorities.importAuthorities([{ id: 'pl-krakow', names: { pl: 'Kraków' }, areas: ['services'], competences: ['trade licensing'] }])
    await eventually(async () => { await cz.directory.refreshCountry('PL'); return cz.directory.authority('PL', 'pl-krakow') }, 20_000, 'directory')
    await eventually(async () => { await pl.directory.refreshCountry('CZ'); return pl.directory.authority('CZ', 'cz-brno') }, 20_000, 'directory')
  })
  after(async () => { await server.close(); await fed.close() })

  const scrape = async (): Promise<string> => await (await fetch(server.url)).text()

  it('counts deliveries and receipt latency, reads the outbox and requests at scrape time, and names no person', async () => {
    const brno: Actor = { kind: 'user', username: 'b', authority: 'cz-brno', coordinator: false, grants: [{ area: 'services', role: 'request-handler' }] }
    const sent = await cz.requests.send(brno, {
      area: 'services', to: { country: 'PL', authority: 'pl-krakow' }, questions: ['services.registered'],
      neededBy: new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10), subject: { name: 'Jan Kowalski', registrationNumber: 'PL-777' }
    })
    await eventually(async () => (await scrape()).includes('imi_messages_delivered_total{to="PL"} 1'), 10_000, 'a delivery counted')
    const text = await scrape()
    expect(text).to.match(/^imi_receipt_latency_seconds_count 1$/m)
    expect(text).to.match(/^imi_requests\{side="sent",status="sent"\} 1$/m)
    expect(text).to.match(/^imi_peers_connected [1-9]/m)
    expect(text).to.match(/^# TYPE imi_outbox_depth gauge$/m)
    expect(text).to.match(/^# TYPE imi_directory_age_seconds gauge$/m)
    expect(text).not.to.contain('Kowalski')
    expect(text).not.to.contain('PL-777')
    expect(text).not.to.contain(sent.id)
    expect((await fetch(server.url.replace('/metrics', '/other'))).status).to.equal(404)
  })

  it('serves on loopback only', async () => {
    for (const host of ['0.0.0.0', '192.168.1.10', '::']) {
      const err = await serveMetrics(nodeMetrics(cz, () => Date.now()), { host, port: 0 }).then(() => undefined, (e: unknown) => e)
      expect(err).to.be.instanceOf(ConfigError)
    }
  })
})
