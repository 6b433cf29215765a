/**
 * Structured, levelled logging. Fields are ids, codes and counts: never personal data,
 * never message bodies. Tests and simulations pass a silent or capturing logger.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, string | number | boolean | undefined>

export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  child(component: string): Logger
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export function jsonLogger (init: { level?: LogLevel, component?: string, base?: LogFields, write?: (line: string) => void } = {}): Logger {
  const min = ORDER[init.level ?? 'info']
  const write = init.write ?? ((line: string) => { process.stderr.write(line + '\n') })
  const make = (component: string): Logger => {
    const log = (level: LogLevel) => (msg: string, fields: LogFields = {}) => {
      if (ORDER[level] < min) return
      write(JSON.stringify({ t: new Date().toISOString(), level, c: component, msg, ...init.base, ...fields }))
    }
    return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: (c) => make(`${component}:${c}`) }
  }
  return make(init.component ?? 'imi')
}

export const silentLogger: Logger = {
  debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, child: () => silentLogger
}
