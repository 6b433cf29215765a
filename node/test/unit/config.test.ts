import { expect } from 'chai'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, DEFAULTS, loadConfig, parseConfig } from '../../src/index.js'

const PEER = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'

/** The setting a ConfigError names; fails the test when `fn` does not throw one. */
function settingOf (fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError)
    expect((err as ConfigError).code).to.equal('ERR_CONFIG')
    expect((err as ConfigError).message.startsWith(`${(err as ConfigError).setting}: `)).to.equal(true)
    return (err as ConfigError).setting
  }
  throw new Error('no ConfigError')
}

describe('node configuration', () => {
  const base = '/srv/imi/pl'
  const parse = (raw: Record<string, unknown>): ReturnType<typeof parseConfig> => parseConfig({ country: 'PL', ...raw }, base)

  it('fills every default and resolves paths against the config folder', () => {
    const c = parse({})
    expect(c).to.deep.equal({
      country: 'PL',
      federationId: DEFAULTS.federationId,
      dataDir: join(base, 'data'),
      keyFile: join(base, 'node.key'),
      rosterFile: join(base, 'roster.json'),
      p2p: { listen: ['/ip4/0.0.0.0/tcp/4001'], announce: [], bootstrap: [], singleHost: false },
      api: { host: '127.0.0.1', port: 8080, tokenFile: join(base, 'api-token'), trustProxy: false },
      storage: { sync: true },
      delivery: { retryInitialMs: DEFAULTS.retryInitialMs, retryMaxMs: DEFAULTS.retryMaxMs },
      directory: { refreshMs: DEFAULTS.directoryRefreshMs, republishMs: DEFAULTS.directoryRepublishMs },
      requests: { reminderBeforeMs: DEFAULTS.requestReminderBeforeMs, escalateAfterMs: DEFAULTS.requestEscalateAfterMs, keepDraftsForMs: DEFAULTS.keepDraftsForMs },
      metrics: { enabled: false, host: '127.0.0.1', port: 9464 },
      notifications: { closeAfterMs: DEFAULTS.notificationCloseAfterMs },
      mail: { enabled: false, host: '127.0.0.1', port: 25, secure: false, from: 'imi@localhost', publicUrl: 'http://127.0.0.1:8080' },
      log: { level: 'info' }
    })
  })

  it('keeps given values and absolute paths', () => {
    const c = parse({
      federationId: 'imi-training', dataDir: '/var/lib/imi', keyFile: 'keys/node.key',
      p2p: { listen: ['/ip4/127.0.0.1/tcp/4101'], bootstrap: [`/dns4/boot.example.eu/tcp/4001/p2p/${PEER}`], singleHost: true },
      api: { port: 0 }, log: { level: 'debug' }
    })
    expect(c.federationId).to.equal('imi-training')
    expect(c.dataDir).to.equal('/var/lib/imi')
    expect(c.keyFile).to.equal(join(base, 'keys/node.key'))
    expect(c.p2p.bootstrap).to.have.length(1)
    expect(c.api.port).to.equal(0)
  })

  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['an unknown country', { country: 'XX' }, 'country'],
    ['a lower-case country', { country: 'pl' }, 'country'],
    ['a country that is not EU/EEA', { country: 'CH' }, 'country'],
    ['a missing country', { country: undefined }, 'country'],
    ['a federation id with capitals', { federationId: 'IMI' }, 'federationId'],
    ['a federation id with a slash', { federationId: 'imi/1' }, 'federationId'],
    ['an empty federation id', { federationId: '' }, 'federationId'],
    ['a bootstrap address without /p2p/', { p2p: { bootstrap: ['/ip4/10.0.0.1/tcp/4001'] } }, 'p2p.bootstrap[0]'],
    ['a bootstrap address that is not a multiaddr', { p2p: { bootstrap: ['boot.example.eu:4001'] } }, 'p2p.bootstrap[0]'],
    ['a listen address that is not a multiaddr', { p2p: { listen: ['/ip4/0.0.0.0/tcp/4001', '/ip9/nowhere'] } }, 'p2p.listen[1]'],
    ['a listen list that is a string', { p2p: { listen: '/ip4/0.0.0.0/tcp/4001' } }, 'p2p.listen'],
    ['an announce address that is a number', { p2p: { announce: [4001] } }, 'p2p.announce[0]'],
    ['an unknown setting', { apiPort: 8080 }, 'apiPort'],
    ['a port given as a string', { api: { port: '8080' } }, 'api.port'],
    ['a port out of range', { api: { port: 70000 } }, 'api.port'],
    ['a fractional port', { api: { port: 80.5 } }, 'api.port'],
    ['an empty API host', { api: { host: '' } }, 'api.host'],
    ['a section that is not an object', { p2p: [] }, 'p2p'],
    ['singleHost given as a string', { p2p: { singleHost: 'yes' } }, 'p2p.singleHost'],
    ['sync given as a number', { storage: { sync: 1 } }, 'storage.sync'],
    ['a retry delay below the minimum', { delivery: { retryInitialMs: 1 } }, 'delivery.retryInitialMs'],
    ['an unknown log level', { log: { level: 'verbose' } }, 'log.level'],
    ['a key file that is not a string', { keyFile: 42 }, 'keyFile'],
    // SMTP authentication needs both: either alone would send mail unauthenticated.
    ['an SMTP user without a password file', { mail: { enabled: true, user: 'imi' } }, 'mail.user'],
    ['an SMTP password file without a user', { mail: { passwordFile: 'smtp-password' } }, 'mail.passwordFile']
  ]
  for (const [what, raw, setting] of cases) {
    it(`names ${setting} for ${what}`, () => {
      expect(settingOf(() => parse(raw))).to.equal(setting)
    })
  }

  it('says what a federation id may be: its length, its characters and its first letter', () => {
    for (const federationId of ['i', '1mi', '-imi', 'imi_test', 'a'.repeat(33)]) {
      let message = ''
      try { parse({ federationId }) } catch (err) { message = (err as Error).message }
      expect(message).to.equal(`federationId: "${federationId}" must be 2 to 32 lower-case letters, digits and dashes, starting with a letter (e.g. imi, imi-training)`)
    }
    expect(parse({ federationId: 'a'.repeat(32) }).federationId).to.have.length(32)
  })

  it('takes SMTP authentication as a pair', () => {
    const c = parse({ mail: { user: 'imi', passwordFile: 'smtp-password' } })
    expect(c.mail).to.deep.include({ user: 'imi', passwordFile: join(base, 'smtp-password') })
  })

  it('names config for a document that is not an object', () => {
    for (const raw of [null, [], 'PL', 4]) expect(settingOf(() => parseConfig(raw, base))).to.equal('config')
  })

  describe('from a file', () => {
    let dir: string
    before(async () => { dir = await mkdtemp(join(tmpdir(), 'imi-config-')) })
    after(async () => { await rm(dir, { recursive: true, force: true }) })

    const loadError = async (file: string): Promise<ConfigError> => {
      const err = await loadConfig(file).then(() => undefined, (e: unknown) => e)
      expect(err).to.be.instanceOf(ConfigError)
      return err as ConfigError
    }

    it('resolves relative paths against the file, not the working directory', async () => {
      const file = join(dir, 'imi.json')
      await writeFile(file, JSON.stringify({ country: 'CZ', dataDir: 'db' }))
      const c = await loadConfig(file)
      expect(c.dataDir).to.equal(join(dir, 'db'))
      expect(c.keyFile).to.equal(join(dir, 'node.key'))
    })

    it('names config for a missing file or one that is not JSON', async () => {
      expect((await loadError(join(dir, 'missing.json'))).setting).to.equal('config')
      const bad = join(dir, 'bad.json')
      await writeFile(bad, '{ "country": "PL", }')
      expect((await loadError(bad)).setting).to.equal('config')
    })

    it('refuses api.port 0 in a file: no imi command could find the node (embedding code may still use it)', async () => {
      const file = join(dir, 'any-port.json')
      await writeFile(file, JSON.stringify({ country: 'PL', api: { port: 0 } }))
      const err = await loadError(file)
      expect(err.setting).to.equal('api.port')
      expect(err.message).to.match(/^api\.port: must be an integer from 1 to 65535/)
      expect(parseConfig({ country: 'PL', api: { port: 0 } }, dir).api.port).to.equal(0)
    })

    it('names the setting at fault inside a file', async () => {
      const file = join(dir, 'unknown-country.json')
      await writeFile(file, JSON.stringify({ country: 'UK' }))
      const err = await loadError(file)
      expect(err.setting).to.equal('country')
      expect(err.message).to.include('"UK"')
    })
  })
})

describe('configuration: settings inside sections', () => {
  const base = { country: 'PL' }
  const settingOf = (raw: Record<string, unknown>): string => {
    try { parseConfig({ ...base, ...raw }, '/srv/imi') } catch (err) { return (err as { setting: string }).setting }
    return 'accepted'
  }

  it('names a misspelt setting inside a section', () => {
    expect(settingOf({ api: { prot: 8080 } })).to.equal('api.prot')
    expect(settingOf({ p2p: { listn: [] } })).to.equal('p2p.listn')
  })

  it('refuses an empty listen list, a bad API host and retries that shrink', () => {
    expect(settingOf({ p2p: { listen: [] } })).to.equal('p2p.listen')
    expect(settingOf({ api: { host: 'local host' } })).to.equal('api.host')
    expect(settingOf({ delivery: { retryInitialMs: 5000, retryMaxMs: 1000 } })).to.equal('delivery.retryMaxMs')
    expect(settingOf({ api: { host: '::1' } })).to.equal('accepted')
    expect(settingOf({ api: { host: 'imi.example.internal' } })).to.equal('accepted')
  })
})
