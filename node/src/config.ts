/**
 * The node's configuration file. Every setting is checked before the node starts, and
 * every error names the setting, so an operator knows what to fix.
 */
import { dirname, isAbsolute, resolve } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { FEDERATION_ID_PATTERN, isCountryCode } from '@imi/protocol'
import { ConfigError } from './errors.js'
import { readSettingFile } from './setting-file.js'
import type { LogLevel } from './services/logger.js'

export interface NodeConfig {
  readonly country: string
  readonly federationId: string
  /** Absolute paths, resolved against the config file's folder. */
  readonly dataDir: string
  readonly keyFile: string
  readonly rosterFile: string
  readonly p2p: {
    readonly listen: readonly string[]
    readonly announce: readonly string[]
    /** Extra bootstrap addresses; the roster's bootstrap nodes are always used. */
    readonly bootstrap: readonly string[]
    readonly singleHost: boolean
  }
  /** `trustProxy`: behind a TLS reverse proxy that sets X-Forwarded-Proto, so session cookies get Secure. */
  readonly api: { readonly host: string, readonly port: number, readonly tokenFile: string, readonly trustProxy: boolean }
  readonly storage: { readonly sync: boolean }
  readonly delivery: { readonly retryInitialMs: number, readonly retryMaxMs: number }
  /** How often other states' directories are fetched, and this state's re-signed and republished. */
  readonly directory: { readonly refreshMs: number, readonly republishMs: number }
  /** Information requests: when the responder is reminded, and when a quiet request goes to the coordinator. */
  readonly requests: { readonly reminderBeforeMs: number, readonly escalateAfterMs: number, readonly keepDraftsForMs: number }
  /** Services Directive notifications close on their own this long after creation. */
  readonly notifications: { readonly closeAfterMs: number }
  /** E-mail to officials through the operator's SMTP server; off unless enabled. */
  readonly mail: {
    readonly enabled: boolean
    readonly host: string
    readonly port: number
    /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
    readonly secure: boolean
    readonly from: string
    /** Where officials reach this node's web UI: links in e-mails start here. */
    readonly publicUrl: string
    readonly user?: string
    readonly passwordFile?: string
  }
  /** Prometheus metrics on a loopback port of their own; off unless enabled. */
  readonly metrics: { readonly enabled: boolean, readonly host: string, readonly port: number }
  readonly log: { readonly level: LogLevel }
}

export const CONFIG_FILE_NAME = 'imi.json'

export const DEFAULTS = {
  federationId: 'imi',
  dataDir: 'data',
  keyFile: 'node.key',
  rosterFile: 'roster.json',
  listen: ['/ip4/0.0.0.0/tcp/4001'],
  apiHost: '127.0.0.1',
  apiPort: 8080,
  tokenFile: 'api-token',
  retryInitialMs: 1000,
  retryMaxMs: 300_000,
  directoryRefreshMs: 300_000,
  // A quarter of a record's 24-hour life: three republications can fail before it lapses.
  directoryRepublishMs: 6 * 3_600_000,
  requestReminderBeforeMs: 2 * 86_400_000,
  // "Unjustifiably inactive for more than 2 months" in IMI's own rules.
  requestEscalateAfterMs: 60 * 86_400_000,
  keepDraftsForMs: 30 * 86_400_000,
  // Services Directive notifications: comments are invited for three months.
  notificationCloseAfterMs: 90 * 86_400_000,
  metricsHost: '127.0.0.1',
  metricsPort: 9464
} as const

type Raw = Record<string, unknown>

/** A section of settings; a key nobody defined is a typo, and typos are errors. */
function section (raw: Raw, name: string, known: readonly string[]): Raw {
  const v = raw[name] ?? {}
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ConfigError(name, 'must be an object')
  for (const k of Object.keys(v)) if (!known.includes(k)) throw new ConfigError(`${name}.${k}`, `is not a known setting (known: ${known.join(', ')})`)
  return v as Raw
}

const HOST_PATTERN = /^(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|\[?[0-9a-fA-F:]+\]?|[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*)$/

function str (v: unknown, setting: string, fallback: string): string {
  if (v === undefined) return fallback
  if (typeof v !== 'string' || v.length === 0) throw new ConfigError(setting, 'must be a non-empty string')
  return v
}

function int (v: unknown, setting: string, fallback: number, min: number, max: number): number {
  if (v === undefined) return fallback
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new ConfigError(setting, `must be an integer from ${min} to ${max}`)
  return v
}

function bool (v: unknown, setting: string, fallback: boolean): boolean {
  if (v === undefined) return fallback
  if (typeof v !== 'boolean') throw new ConfigError(setting, 'must be true or false')
  return v
}

function addrs (v: unknown, setting: string, fallback: readonly string[], needPeer = false): string[] {
  if (v === undefined) return [...fallback]
  if (!Array.isArray(v)) throw new ConfigError(setting, 'must be a list of multiaddrs')
  return v.map((a, i) => {
    if (typeof a !== 'string') throw new ConfigError(`${setting}[${i}]`, 'must be a multiaddr string')
    let ma
    try { ma = multiaddr(a) } catch { throw new ConfigError(`${setting}[${i}]`, `"${a}" is not a valid multiaddr`) }
    if (needPeer && ma.getComponents().find((c) => c.name === 'p2p') === undefined) {
      throw new ConfigError(`${setting}[${i}]`, `"${a}" must end with /p2p/<peer id>`)
    }
    return a
  })
}

/** Checks a parsed config object; `baseDir` resolves relative paths. */
export function parseConfig (raw: unknown, baseDir: string): NodeConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError('config', 'must be a JSON object')
  const r = raw as Raw
  const known = ['country', 'federationId', 'dataDir', 'keyFile', 'rosterFile', 'p2p', 'api', 'storage', 'delivery', 'directory', 'requests', 'notifications', 'metrics', 'mail', 'log']
  for (const k of Object.keys(r)) if (!known.includes(k)) throw new ConfigError(k, 'is not a known setting')
  if (!isCountryCode(r.country)) throw new ConfigError('country', `${typeof r.country === 'string' ? `"${r.country.slice(0, 20)}"` : `a ${Array.isArray(r.country) ? 'list' : typeof r.country}`} is not an EU/EEA member state code (e.g. PL)`)
  const federationId = str(r.federationId, 'federationId', DEFAULTS.federationId)
  if (!FEDERATION_ID_PATTERN.test(federationId)) throw new ConfigError('federationId', `"${federationId.slice(0, 40)}" must be 2 to 32 lower-case letters, digits and dashes, starting with a letter (e.g. imi, imi-training)`)
  const path = (v: unknown, setting: string, fallback: string): string => {
    const p = str(v, setting, fallback)
    return isAbsolute(p) ? p : resolve(baseDir, p)
  }
  const p2p = section(r, 'p2p', ['listen', 'announce', 'bootstrap', 'singleHost'])
  const api = section(r, 'api', ['host', 'port', 'tokenFile', 'trustProxy'])
  const storage = section(r, 'storage', ['sync'])
  const delivery = section(r, 'delivery', ['retryInitialMs', 'retryMaxMs'])
  const directory = section(r, 'directory', ['refreshMs', 'republishMs'])
  const requests = section(r, 'requests', ['reminderBeforeMs', 'escalateAfterMs', 'keepDraftsForMs'])
  const metrics = section(r, 'metrics', ['enabled', 'host', 'port'])
  const notifications = section(r, 'notifications', ['closeAfterMs'])
  const mail = section(r, 'mail', ['enabled', 'host', 'port', 'secure', 'from', 'publicUrl', 'user', 'passwordFile'])
  const mailFrom = str(mail.from, 'mail.from', 'imi@localhost')
  if (!/^[^\s@<>]{1,64}@[^\s@<>]{1,190}$/.test(mailFrom)) throw new ConfigError('mail.from', 'must be an e-mail address such as imi@ministry.example')
  const publicUrl = str(mail.publicUrl, 'mail.publicUrl', 'http://127.0.0.1:8080')
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(publicUrl)) throw new ConfigError('mail.publicUrl', 'must be the http(s) URL where officials open this node\'s web UI')
  // SMTP authentication needs both: one alone would send mail unauthenticated without a word.
  const mailUser = mail.user === undefined ? undefined : str(mail.user, 'mail.user', '')
  const mailPasswordFile = mail.passwordFile === undefined ? undefined : path(mail.passwordFile, 'mail.passwordFile', '')
  if (mailUser !== undefined && mailPasswordFile === undefined) throw new ConfigError('mail.user', 'needs mail.passwordFile (the file holding the SMTP password): set both for SMTP authentication, or neither')
  if (mailUser === undefined && mailPasswordFile !== undefined) throw new ConfigError('mail.passwordFile', 'needs mail.user (the SMTP user name): set both for SMTP authentication, or neither')
  const metricsHost = str(metrics.host, 'metrics.host', DEFAULTS.metricsHost)
  if (!/^(127\.\d+\.\d+\.\d+|::1)$/.test(metricsHost)) throw new ConfigError('metrics.host', 'must be a loopback address (127.0.0.1 or ::1): metrics are for this machine\'s monitoring only')
  const log = section(r, 'log', ['level'])
  const level = str(log.level, 'log.level', 'info')
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new ConfigError('log.level', 'must be debug, info, warn or error')
  const host = str(api.host, 'api.host', DEFAULTS.apiHost)
  if (!HOST_PATTERN.test(host)) throw new ConfigError('api.host', `"${host}" is not an IP address or host name`)
  const listen = addrs(p2p.listen, 'p2p.listen', DEFAULTS.listen)
  if (listen.length === 0) throw new ConfigError('p2p.listen', 'needs at least one address')
  const retryInitialMs = int(delivery.retryInitialMs, 'delivery.retryInitialMs', DEFAULTS.retryInitialMs, 10, 3_600_000)
  const retryMaxMs = int(delivery.retryMaxMs, 'delivery.retryMaxMs', DEFAULTS.retryMaxMs, 100, 86_400_000)
  if (retryMaxMs < retryInitialMs) throw new ConfigError('delivery.retryMaxMs', 'must not be smaller than delivery.retryInitialMs')
  return {
    country: r.country,
    federationId,
    dataDir: path(r.dataDir, 'dataDir', DEFAULTS.dataDir),
    keyFile: path(r.keyFile, 'keyFile', DEFAULTS.keyFile),
    rosterFile: path(r.rosterFile, 'rosterFile', DEFAULTS.rosterFile),
    p2p: {
      listen,
      announce: addrs(p2p.announce, 'p2p.announce', []),
      bootstrap: addrs(p2p.bootstrap, 'p2p.bootstrap', [], true),
      singleHost: bool(p2p.singleHost, 'p2p.singleHost', false)
    },
    api: { host, port: int(api.port, 'api.port', DEFAULTS.apiPort, 0, 65535), tokenFile: path(api.tokenFile, 'api.tokenFile', DEFAULTS.tokenFile), trustProxy: bool(api.trustProxy, 'api.trustProxy', false) },
    storage: { sync: bool(storage.sync, 'storage.sync', true) },
    delivery: { retryInitialMs, retryMaxMs },
    directory: {
      refreshMs: int(directory.refreshMs, 'directory.refreshMs', DEFAULTS.directoryRefreshMs, 100, 86_400_000),
      republishMs: int(directory.republishMs, 'directory.republishMs', DEFAULTS.directoryRepublishMs, 1000, 12 * 3_600_000)
    },
    notifications: { closeAfterMs: int(notifications.closeAfterMs, 'notifications.closeAfterMs', DEFAULTS.notificationCloseAfterMs, 1000, 366 * 86_400_000) },
    mail: {
      enabled: bool(mail.enabled, 'mail.enabled', false),
      host: str(mail.host, 'mail.host', '127.0.0.1'),
      port: int(mail.port, 'mail.port', 25, 1, 65535),
      secure: bool(mail.secure, 'mail.secure', false),
      from: mailFrom,
      publicUrl: publicUrl.replace(/\/$/, ''),
      ...(mailUser !== undefined && { user: mailUser }),
      ...(mailPasswordFile !== undefined && { passwordFile: mailPasswordFile })
    },
    metrics: { enabled: bool(metrics.enabled, 'metrics.enabled', false), host: metricsHost, port: int(metrics.port, 'metrics.port', DEFAULTS.metricsPort, 0, 65535) },
    requests: {
      reminderBeforeMs: int(requests.reminderBeforeMs, 'requests.reminderBeforeMs', DEFAULTS.requestReminderBeforeMs, 0, 60 * 86_400_000),
      escalateAfterMs: int(requests.escalateAfterMs, 'requests.escalateAfterMs', DEFAULTS.requestEscalateAfterMs, 60_000, 730 * 86_400_000),
      // A draft holds a subject's personal data that no procedure's retention reaches.
      keepDraftsForMs: int(requests.keepDraftsForMs, 'requests.keepDraftsForMs', DEFAULTS.keepDraftsForMs, 3_600_000, 365 * 86_400_000)
    },
    log: { level: level as LogLevel }
  }
}

/**
 * An operator's imi.json. Stricter than parseConfig in one place: `api.port` 0 (any free
 * port, which tests and simulations embedding a node use) is refused, because every imi
 * command finds the running node at the configured port.
 */
export async function loadConfig (file: string): Promise<NodeConfig> {
  const text = (await readSettingFile('config', file)).toString('utf8')
  let raw: unknown
  try { raw = JSON.parse(text) } catch { throw new ConfigError('config', `${file} is not valid JSON`) }
  const config = parseConfig(raw, dirname(resolve(file)))
  if (config.api.port === 0) throw new ConfigError('api.port', 'must be an integer from 1 to 65535 (0, any free port, would leave the imi commands unable to find the node)')
  return config
}
