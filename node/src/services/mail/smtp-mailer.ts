/** The operator's SMTP server, through nodemailer: STARTTLS when offered, or TLS from the start (`secure`). */
import { readFile } from 'node:fs/promises'
import nodemailer from 'nodemailer'
import type { NodeConfig } from '../../config.js'
import type { Mailer } from './notifier.js'

export async function smtpMailer (config: NodeConfig['mail']): Promise<Mailer> {
  const pass = config.passwordFile === undefined ? undefined : (await readFile(config.passwordFile, 'utf8')).trim()
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    ...(config.user !== undefined && pass !== undefined && { auth: { user: config.user, pass } }),
    connectionTimeout: 10_000,
    socketTimeout: 30_000
  })
  return {
    async send (m) { await transport.sendMail({ from: config.from, to: m.to, subject: m.subject, text: m.text }) }
  }
}
