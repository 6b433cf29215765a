/**
 * E-mail to officials through a real SMTP server that the test starts: a request received,
 * a deadline coming, an alert routed; in each official's language, with a link to the
 * page, only to those who want it, and with no personal data in it.
 */
import { expect } from 'chai'
import { SMTPServer } from 'smtp-server'
import type { AddressInfo } from 'node:net'
import type { ImiNode } from '../../src/index.js'
import type { Actor } from '../../src/services/accounts/permissions.js'
import { eventually, makeFederation, type TestFederation } from '../fixtures/federation.js'

interface Mail { to: string, raw: string }

/** The message as a reader sees it: quoted-printable soft breaks and escapes undone. */
function decoded (raw: string): string {
  return Buffer.from(raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8')
}
const PASSWORD = 'correct horse battery'

describe('e-mail to officials', function () {
  this.timeout(60_000)
  let fed: TestFederation
  let smtp: SMTPServer
  const inbox: Mail[] = []
  let cz: ImiNode
  let pl: ImiNode
  const brno: Actor = { kind: 'user', username: 'brno', authority: 'cz-brno', coordinator: false, grants: [{ area: 'services', role: 'request-handler' }, { area: 'services', role: 'alert-handler' }] }

  before(async () => {
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData (stream, session, callback) {
        let raw = ''
        stream.on('data', (d: Buffer) => { raw += d.toString('utf8') })
        stream.on('end', () => {
          for (const rcpt of session.envelope.rcptTo) inbox.push({ to: rcpt.address, raw: decoded(raw) })
          callback()
        })
      }
    })
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
    const port = (smtp.server.address() as AddressInfo).port
    fed = await makeFederation(['CZ', 'PL'])
    cz = await fed.start('CZ')
    pl = await fed.start('PL', {}, { mail: { enabled: true, host: '127.0.0.1', port, from: 'imi@pl.example', publicUrl: 'https://imi.pl.example' } })
    await cz.authorities.importAuthorities([{ id: 'cz-brno', names: { cs: 'Brno' }, areas: ['services'], competences: ['trade licensing'] }])
    await pl.authorities.importAuthorities([{ id: 'pl-krakow', names: { pl: 'Kraków' }, areas: ['services'], competences: ['trade licensing'] }])
    await pl.accounts.createCoordinator({ kind: 'operator' }, { username: 'nimic.pl', displayName: 'Coordinator', password: PASSWORD })
    const nimic = (await pl.accounts.authenticate((await pl.accounts.login('nimic.pl', PASSWORD)).token)).actor
    const user = async (username: string, email: string, roles: Array<'request-handler' | 'alert-handler' | 'viewer'>, language: 'pl' | 'en' = 'pl'): Promise<void> => {
      await pl.accounts.createUser(nimic, 'pl-krakow', { username, displayName: username, password: PASSWORD, email, language, grants: roles.map((role) => ({ area: 'services' as const, role })) })
    }
    await user('handler.pl', 'handler@pl.example', ['request-handler'])
    await user('optout.pl', 'optout@pl.example', ['request-handler'], 'en')
    await user('viewer.pl', 'viewer@pl.example', ['viewer'])
    await user('alerts.pl', 'alerts@pl.example', ['alert-handler'], 'en')
    const optout = (await pl.accounts.authenticate((await pl.accounts.login('optout.pl', PASSWORD)).token)).actor
    await pl.accounts.updatePreferences(optout, { notify: { requests: false } })
    for (const [node, country, id] of [[cz, 'PL', 'pl-krakow'], [pl, 'CZ', 'cz-brno']] as const) {
      await eventually(async () => { await node.directory.refreshCountry(country); return node.directory.authority(country, id) }, 20_000, 'directories')
    }
  })
  after(async () => { await fed.close(); await new Promise<void>((resolve) => smtp.close(() => { resolve() })) })

  const mailsTo = (address: string): Mail[] => inbox.filter((m) => m.to === address)

  it('tells the receiving authority\'s request handlers of a new request, in their language, with a link and nothing personal', async () => {
    const sent = await cz.requests.send(brno, {
      area: 'services', to: { country: 'PL', authority: 'pl-krakow' }, questions: ['services.registered'],
      neededBy: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10), subject: { name: 'Stanisław Wiśniewski', registrationNumber: 'PL-2011-0042' }
    })
    const mail = await eventually(() => mailsTo('handler@pl.example')[0], 10_000, 'the handler\'s e-mail')
    expect(mail.raw).to.match(/^Subject: .*IMI: nowy wniosek o informacje z CZ/m)
    expect(mail.raw).to.include(`https://imi.pl.example/#/requests/${sent.id}`)
    expect(mail.raw).not.to.include('Wi=C5=9Bniewski').and.not.to.include('Wiśniewski').and.not.to.include('PL-2011-0042')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(mailsTo('optout@pl.example')).to.deep.equal([]) // switched off
    expect(mailsTo('viewer@pl.example')).to.deep.equal([]) // no role to act

    // The needed-by date is tomorrow: the deadline scan reminds the handlers.
    const krakow: Actor = { kind: 'user', username: 'handler.pl', authority: 'pl-krakow', coordinator: false, grants: [{ area: 'services', role: 'request-handler' }] }
    await pl.requests.act(krakow, sent.id, 'accept')
    await pl.requestDeadlines.scan()
    const reminder = await eventually(() => mailsTo('handler@pl.example').find((m) => /termin/.test(m.raw)), 10_000, 'a deadline e-mail')
    expect(reminder.raw).to.include(`https://imi.pl.example/#/requests/${sent.id}`)
  })

  it('tells the authority an alert was routed to', async () => {
    await cz.authorities.importAuthorities([{ id: 'cz-brno', names: { cs: 'Brno' }, areas: ['services'], competences: ['trade licensing'] }])
    const alert = await cz.alerts.issue(brno, { area: 'services', type: 'services-risk', to: 'all', content: { description: 'Unsafe installations', concerned: { name: 'Karel Novák' } } })
    const mail = await eventually(() => mailsTo('alerts@pl.example')[0], 15_000, 'the alert handler\'s e-mail')
    expect(mail.raw).to.match(/^Subject: IMI: a new alert from CZ/m)
    expect(mail.raw).to.include(`https://imi.pl.example/#/alerts/${alert.state.id}`)
    expect(mail.raw).not.to.include('Karel')
  })
})
