import { expect } from 'chai'
import { homeRoute, navItems } from '../src/nav.js'

describe('web UI navigation by role', () => {
  const sections = (u: Parameters<typeof navItems>[0]): string[] => navItems(u).map((i) => i.section)

  it('gives the coordinator the state\'s supervision and no sending', () => {
    const coordinator = { coordinator: true, grants: [] }
    expect(sections(coordinator)).to.deep.equal(['oversight', 'indicators', 'authorities', 'alerts', 'notifications', 'directory', 'audit', 'subjects', 'retention'])
    expect(homeRoute(coordinator)).to.deep.equal({ page: 'oversight' })
  })

  it('gives a request handler the boxes, compose and drafts; users, data subject requests and retention only to a local data administrator', () => {
    const handler = { coordinator: false, authority: 'cz-brno', grants: [{ area: 'services', role: 'request-handler' }] }
    expect(sections(handler)).to.deep.equal(['inbox', 'outbox', 'compose', 'drafts', 'alerts', 'notifications', 'directory'])
    const admin = { coordinator: false, authority: 'cz-brno', grants: [{ area: 'professional-qualifications', role: 'local-data-admin' }] }
    expect(sections(admin)).to.deep.equal(['inbox', 'outbox', 'alerts', 'directory', 'users', 'subjects', 'retention'])
    expect(homeRoute(admin)).to.deep.equal({ page: 'requests', box: 'inbox' })
  })
})
