/**
 * Property tests of the node's configuration parser (parseConfig): every configuration
 * file is either taken, with every default filled in, or refused with a ConfigError
 * naming the setting at fault (issue 9, part 6).
 */
import { expect } from 'chai'
import fc from 'fast-check'
import { isAbsolute, resolve } from 'node:path'
import { ConfigError, DEFAULTS, parseConfig } from '../../src/index.js'
import {
  country, getAt, hostileJson, jsonType, otherType, pathsOf, shallowJson, updateAt, type Path
} from '../../../protocol/test/property/arbitraries.js'
import { outcome, properties, total } from '../../../protocol/test/property/harness.js'

const BASE = '/srv/imi/node'
const PEER = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'

const port = fc.integer({ min: 0, max: 65535 })
const listenAddr = fc.oneof(
  port.map((p) => `/ip4/0.0.0.0/tcp/${p}`),
  port.map((p) => `/ip4/127.0.0.1/tcp/${p}`),
  port.map((p) => `/ip6/::1/tcp/${p}`),
  port.map((p) => `/dns4/imi.example.eu/tcp/${p}`)
)
const bootstrapAddr = listenAddr.map((a) => `${a}/p2p/${PEER}`)
const path = fc.oneof(fc.constantFrom('data', 'keys/node.key', '/var/lib/imi', './x', '../y', 'a b/c'), fc.stringMatching(/^[a-zA-Z0-9._/-]{1,30}$/))
const host = fc.oneof(fc.constantFrom('127.0.0.1', '0.0.0.0', '::1', '[::1]', 'localhost', 'imi.example.eu', 'a-b.c-d.eu'), fc.ipV4())
const int = (min: number, max: number): fc.Arbitrary<number> => fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max))
const opt = <T> (arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined })

const SECTIONS = ['p2p', 'api', 'storage', 'delivery', 'directory', 'requests', 'notifications', 'mail', 'metrics', 'log']
/** Every setting name the configuration knows, at any level. */
const KNOWN = [
  'country', 'federationId', 'dataDir', 'keyFile', 'rosterFile', ...SECTIONS, 'listen', 'announce', 'bootstrap', 'singleHost', 'host',
  'port', 'tokenFile', 'trustProxy', 'sync', 'retryInitialMs', 'retryMaxMs', 'refreshMs', 'republishMs', 'reminderBeforeMs',
  'escalateAfterMs', 'keepDraftsForMs', 'closeAfterMs', 'enabled', 'secure', 'from', 'publicUrl', 'user', 'passwordFile', 'level'
]

/** The integer settings and their bounds, as the configuration documents them. */
const INTS: ReadonlyArray<[string, string, number, number]> = [
  ['api', 'port', 0, 65535],
  ['delivery', 'retryInitialMs', 10, 3_600_000],
  ['delivery', 'retryMaxMs', 100, 86_400_000],
  ['directory', 'refreshMs', 100, 86_400_000],
  ['directory', 'republishMs', 1000, 12 * 3_600_000],
  ['notifications', 'closeAfterMs', 1000, 366 * 86_400_000],
  ['metrics', 'port', 0, 65535],
  ['mail', 'port', 1, 65535],
  ['requests', 'reminderBeforeMs', 0, 60 * 86_400_000],
  ['requests', 'escalateAfterMs', 60_000, 730 * 86_400_000],
  ['requests', 'keepDraftsForMs', 3_600_000, 365 * 86_400_000]
]

const validConfig = fc.record({
  country,
  federationId: opt(fc.stringMatching(/^[a-z][a-z0-9-]{1,31}$/)),
  dataDir: opt(path),
  keyFile: opt(path),
  rosterFile: opt(path),
  p2p: opt(fc.record({ listen: opt(fc.array(listenAddr, { minLength: 1, maxLength: 3 })), announce: opt(fc.array(listenAddr, { maxLength: 2 })), bootstrap: opt(fc.array(bootstrapAddr, { maxLength: 2 })), singleHost: opt(fc.boolean()) })),
  api: opt(fc.record({ host: opt(host), port: opt(int(0, 65535)), tokenFile: opt(path), trustProxy: opt(fc.boolean()) })),
  storage: opt(fc.record({ sync: opt(fc.boolean()) })),
  delivery: opt(fc.tuple(int(10, 3_600_000), int(100, 86_400_000)).map(([a, b]) => ({ retryInitialMs: Math.min(a, b), retryMaxMs: Math.max(a, b, 100) }))),
  directory: opt(fc.record({ refreshMs: opt(int(100, 86_400_000)), republishMs: opt(int(1000, 12 * 3_600_000)) })),
  requests: opt(fc.record({ reminderBeforeMs: opt(int(0, 60 * 86_400_000)), escalateAfterMs: opt(int(60_000, 730 * 86_400_000)), keepDraftsForMs: opt(int(3_600_000, 365 * 86_400_000)) })),
  notifications: opt(fc.record({ closeAfterMs: opt(int(1000, 366 * 86_400_000)) })),
  metrics: opt(fc.record({ enabled: opt(fc.boolean()), host: opt(fc.constantFrom('127.0.0.1', '127.1.2.3', '::1')), port: opt(int(0, 65535)) })),
  mail: opt(fc.record({
    enabled: opt(fc.boolean()), host: opt(host), port: opt(int(1, 65535)), secure: opt(fc.boolean()),
    from: opt(fc.constantFrom('imi@ministry.example', 'a@b', 'noreply@imi.gov.pl')),
    publicUrl: opt(fc.constantFrom('https://imi.example.eu', 'https://imi.example.eu/', 'http://127.0.0.1:8080', 'https://x.eu/imi/ui/')),
    user: opt(fc.string({ minLength: 1, maxLength: 10 })), passwordFile: opt(path)
  // SMTP authentication takes both or neither (one alone is refused, see config.test.ts).
  }).map((m) => (m.user === undefined) === (m.passwordFile === undefined) ? m : { ...m, user: undefined, passwordFile: undefined })),
  log: opt(fc.record({ level: opt(fc.constantFrom('debug', 'info', 'warn', 'error')) }))
}).map((c) => strip(c) as Record<string, unknown>)

/** Drops undefined members, deeply: what a JSON file would hold. */
function strip (v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip)
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, strip(x)]))
  return v
}

/** What parseConfig must make of a valid configuration: an independent statement of the defaults. */
function expected (c: Record<string, unknown>): unknown {
  const s = (name: string): Record<string, unknown> => (c[name] ?? {}) as Record<string, unknown>
  const abs = (p: unknown, fallback: string): string => { const v = (p ?? fallback) as string; return isAbsolute(v) ? v : resolve(BASE, v) }
  return {
    country: c.country,
    federationId: c.federationId ?? DEFAULTS.federationId,
    dataDir: abs(c.dataDir, DEFAULTS.dataDir),
    keyFile: abs(c.keyFile, DEFAULTS.keyFile),
    rosterFile: abs(c.rosterFile, DEFAULTS.rosterFile),
    p2p: { listen: s('p2p').listen ?? DEFAULTS.listen, announce: s('p2p').announce ?? [], bootstrap: s('p2p').bootstrap ?? [], singleHost: s('p2p').singleHost ?? false },
    api: { host: s('api').host ?? DEFAULTS.apiHost, port: s('api').port ?? DEFAULTS.apiPort, tokenFile: abs(s('api').tokenFile, DEFAULTS.tokenFile), trustProxy: s('api').trustProxy ?? false },
    storage: { sync: s('storage').sync ?? true },
    delivery: { retryInitialMs: s('delivery').retryInitialMs ?? DEFAULTS.retryInitialMs, retryMaxMs: s('delivery').retryMaxMs ?? DEFAULTS.retryMaxMs },
    directory: { refreshMs: s('directory').refreshMs ?? DEFAULTS.directoryRefreshMs, republishMs: s('directory').republishMs ?? DEFAULTS.directoryRepublishMs },
    requests: { reminderBeforeMs: s('requests').reminderBeforeMs ?? DEFAULTS.requestReminderBeforeMs, escalateAfterMs: s('requests').escalateAfterMs ?? DEFAULTS.requestEscalateAfterMs, keepDraftsForMs: s('requests').keepDraftsForMs ?? DEFAULTS.keepDraftsForMs },
    notifications: { closeAfterMs: s('notifications').closeAfterMs ?? DEFAULTS.notificationCloseAfterMs },
    mail: {
      enabled: s('mail').enabled ?? false,
      host: s('mail').host ?? '127.0.0.1',
      port: s('mail').port ?? 25,
      secure: s('mail').secure ?? false,
      from: s('mail').from ?? 'imi@localhost',
      publicUrl: ((s('mail').publicUrl ?? 'http://127.0.0.1:8080') as string).replace(/\/$/, ''),
      ...(s('mail').user !== undefined && { user: s('mail').user }),
      ...(s('mail').passwordFile !== undefined && { passwordFile: abs(s('mail').passwordFile, '') })
    },
    metrics: { enabled: s('metrics').enabled ?? false, host: s('metrics').host ?? DEFAULTS.metricsHost, port: s('metrics').port ?? DEFAULTS.metricsPort },
    log: { level: s('log').level ?? 'info' }
  }
}

/** The setting a ConfigError should name for a change at `path`: sections by name, list items by index. */
function settingFor (path: Path): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc === '' ? k : `${acc}.${k}`), '')
}

/** Refused with a ConfigError: returns the setting it names, after checking the error's shape. */
function configErrorOf (fn: () => unknown): string {
  const out = outcome(fn)
  if (out.ok) throw new Error('accepted')
  expect(out.error).to.be.instanceOf(ConfigError)
  expect(out.error.code).to.equal('ERR_CONFIG')
  const setting = (out.error as InstanceType<typeof ConfigError>).setting
  expect(out.error.message.startsWith(`${setting}: `)).to.equal(true)
  return setting
}

/** `String(v)` throws for an object whose toString is not a function: the known bug below. */
function stringifies (v: unknown): boolean {
  try {
    String(v)
    return true
  } catch {
    return false
  }
}

describe('property: node configuration (parseConfig)', function () {
  const p = properties('configuration')

  p.check('parseConfig: fills every default and resolves paths, for every valid configuration', 2000, validConfig, (c) => {
    expect(parseConfig(c, BASE)).to.deep.equal(expected(c))
  })

  p.check('parseConfig: a value of the wrong type anywhere is refused with a ConfigError naming that setting', 3000,
    validConfig.chain((c) => fc.constantFrom(...pathsOf(c).filter((q) => q.length > 0)).chain((q) => otherType(getAt(c, q)).map((v) => ({ c, q, v }))))
      // A section set to null counts as absent (`raw[name] ?? {}`): the defaults apply. Checked below.
      .filter(({ q, v }) => !(q.length === 1 && v === null && SECTIONS.includes(q[0] as string))),
    ({ c, q, v }) => {
      const mutated = updateAt(c, q, () => v)
      // A section replaced by something that is not an object is named by the section.
      expect(configErrorOf(() => parseConfig(mutated, BASE))).to.equal(settingFor(q))
    })

  p.check('parseConfig: a section set to null takes the defaults, like an absent one', 500,
    fc.tuple(validConfig, fc.constantFrom(...SECTIONS)), ([c, section]) => {
      const { [section]: _dropped, ...without } = c
      expect(parseConfig({ ...without, [section]: null }, BASE)).to.deep.equal(parseConfig(without, BASE))
    })

  p.check('parseConfig: an unknown setting anywhere is refused with a ConfigError naming it', 2000,
    validConfig.chain((c) => {
      const sections = pathsOf(c).filter((q) => q.length <= 1 && jsonType(getAt(c, q)) === 'object')
      return fc.tuple(fc.constantFrom(...sections), fc.stringMatching(/^[a-zA-Z_]{1,12}$/), shallowJson).map(([q, k, v]) => ({ c, q, k, v }))
    }).filter(({ k }) => !KNOWN.includes(k)),
    ({ c, q, k, v }) => {
      const mutated = updateAt(c, q, (o) => ({ ...(o as object), [k]: v }))
      expect(configErrorOf(() => parseConfig(mutated, BASE))).to.equal(settingFor([...q, k]))
    })

  p.check(`parseConfig: ${INTS.length} integer settings are accepted iff within their bounds`, 2000,
    fc.constantFrom(...INTS).chain(([section, key, min, max]) => fc.tuple(fc.constant([section, key, min, max] as const), fc.oneof(fc.integer({ min: min - 3, max: min + 3 }), fc.integer({ min: max - 3, max: max + 3 }), fc.constantFrom(min + 0.5, -0, Number.MAX_SAFE_INTEGER + 2)))),
    ([[section, key, min, max], n]) => {
      // The retry bounds depend on each other: the other one is set so that only this one can fail.
      const other = section === 'delivery' ? (key === 'retryInitialMs' ? { retryMaxMs: 86_400_000 } : { retryInitialMs: 10 }) : {}
      const c = { country: 'PL', [section]: { ...other, [key]: n } }
      const ok = Number.isInteger(n) && n >= min && n <= max && !(section === 'delivery' && key === 'retryMaxMs' && n < 10)
      if (ok) expect((parseConfig(c, BASE) as unknown as Record<string, Record<string, number>>)[section]![key]).to.equal(n)
      else expect(configErrorOf(() => parseConfig(c, BASE))).to.equal(`${section}.${key}`)
    })

  p.check('parseConfig: a bootstrap address without /p2p/<peer id>, or any string that is no multiaddr, is refused naming its index', 1500,
    fc.tuple(fc.constantFrom('listen', 'announce', 'bootstrap'), fc.oneof(listenAddr, fc.string({ maxLength: 30 }), fc.constantFrom('/ip4/1.2.3.4', '/ip4/999.0.0.1/tcp/1', '/tcp/1', '/p2p/x', '//', '/ip4/1.2.3.4/tcp/65536')), fc.nat({ max: 2 })),
    ([key, addr, i]) => {
      const list = Array.from({ length: i }, (): string => (key === 'bootstrap' ? `/ip4/1.2.3.4/tcp/1/p2p/${PEER}` : '/ip4/1.2.3.4/tcp/1')).concat([addr])
      const out = total(() => parseConfig({ country: 'PL', p2p: { [key]: list } }, BASE), ['ERR_CONFIG'])
      if (!out.ok) expect((out.error as InstanceType<typeof ConfigError>).setting).to.equal(`p2p.${key}[${i}]`)
      else if (key === 'bootstrap') expect(addr).to.include('/p2p/')
    })

  p.check('parseConfig: api.host and metrics.host take addresses and names only, in bounded time', 3000,
    fc.tuple(fc.constantFrom('api', 'metrics'), fc.oneof(
      host, fc.string({ maxLength: 40 }),
      fc.tuple(fc.constantFrom('a', 'a-', 'a.', '1.', ':', '-', 'aa.b'), fc.integer({ min: 1, max: 5000 }), fc.constantFrom('', '!', '-', '.', '_')).map(([u, n, end]) => u.repeat(n) + end)
    )), ([section, h]) => {
      const out = total(() => parseConfig({ country: 'PL', [section]: { host: h } }, BASE), ['ERR_CONFIG'])
      if (!out.ok) expect((out.error as InstanceType<typeof ConfigError>).setting).to.equal(`${section}.host`)
      else if (section === 'metrics') expect(h).to.match(/^(127\.\d+\.\d+\.\d+|::1)$/)
    })

  // Totality. Objects whose toString is not a function are left out here: see the known bug.
  p.check('parseConfig: total over hostile documents (country values that String() can convert)', 4000,
    fc.oneof(hostileJson, validConfig.chain((c) => fc.constantFrom(...pathsOf(c)).chain((q) => hostileJson.map((v) => updateAt(c, q, () => v))))),
    (raw) => {
      if (typeof raw === 'object' && raw !== null && !stringifies((raw as { country?: unknown }).country)) return
      const out = total(() => parseConfig(raw, BASE), ['ERR_CONFIG'])
      if (!out.ok) expect(out.error).to.be.instanceOf(ConfigError)
    })

  p.check('parseConfig: total when country is an object (or list) with a "toString" member',
    1000, fc.tuple(fc.constantFrom('toString', 'valueOf'), hostileJson, fc.boolean()).map(([k, v, inList]) => {
      const obj: Record<string, unknown> = k === 'toString' ? { toString: v ?? 1 } : { toString: 1, valueOf: v ?? 1 }
      return { country: inList ? [obj] : obj }
    }), (raw) => {
      total(() => parseConfig(raw, BASE), ['ERR_CONFIG'])
    })
})
