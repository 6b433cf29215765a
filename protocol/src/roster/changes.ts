/**
 * Builders for the next roster version, one per kind of change. Each takes the current
 * verified Roster and returns the complete next document (version + 1, `previous` naming
 * the current digest), already checked by the same decoder every node runs, so a
 * proposal that members co-sign can never be one the federation would refuse.
 * Time is a parameter: the caller (a CLI, a test) says when the version is created.
 */
import { MAX_MESSAGE_AGE_MS } from '../constants.js'
import { instantText } from '../encoding.js'
import { RosterSchemaError } from '../errors.js'
import { decodeRosterDocument } from './decode.js'
import type { Roster } from './roster.js'
import type { RosterBootstrap, RosterDocument, RosterKey, RosterMember } from './types.js'

function next (current: Roster, created: number, members: readonly RosterMember[], bootstraps = current.doc.bootstraps): RosterDocument {
  if (created <= current.doc.created) throw new RosterSchemaError(`created must be after version ${current.version} (${current.doc.created})`)
  return decodeRosterDocument({ fed: current.federationId, version: current.version + 1, created, previous: current.digest, members, bootstraps })
}

function existing (current: Roster, country: string): RosterMember {
  const member = current.member(country)
  if (member === undefined) throw new RosterSchemaError(`${country} is not a member in version ${current.version}`)
  return member
}

function replace (current: Roster, member: RosterMember): RosterMember[] {
  return current.doc.members.map((m) => (m.country === member.country ? member : m))
}

export function memberJoins (current: Roster, member: RosterMember, created: number): RosterDocument {
  if (current.member(member.country) !== undefined) throw new RosterSchemaError(`${member.country} is already a member`)
  if (current.memberByPeerId(member.peerId) !== undefined) throw new RosterSchemaError(`peer ${member.peerId} already speaks for a member`)
  return next(current, created, [...current.doc.members, member])
}

export function memberLeaves (current: Roster, country: string, created: number): RosterDocument {
  existing(current, country)
  if (current.size === 1) throw new RosterSchemaError('the last member cannot leave: a roster has at least one member')
  return next(current, created, current.doc.members.filter((m) => m.country !== country))
}

export interface RotateKeyOptions {
  /**
   * A node's signing key is also its libp2p identity, so a new key usually comes with a
   * new PeerId. Omit to keep the current one.
   */
  readonly peerId?: string
}

/**
 * The old key stays valid for `graceMs` after `created`, so messages signed before the
 * rotation (or still queued in outboxes when it happens) keep verifying; the new key is
 * valid from `created`. Keys whose window closed longer ago than any message may be kept
 * in transit are dropped, so repeated rotations do not grow the roster without bound.
 */
export function rotateKey (current: Roster, country: string, newKey: RosterKey, created: number, graceMs: number, options: RotateKeyOptions = {}): RosterDocument {
  const member = existing(current, country)
  if (!Number.isSafeInteger(graceMs) || graceMs < 0) throw new RosterSchemaError('grace must be a non-negative number of milliseconds')
  if (current.key(newKey.kid) !== undefined) throw new RosterSchemaError(`key ${newKey.kid} is already in the roster`)
  if (options.peerId !== undefined && options.peerId !== member.peerId && current.memberByPeerId(options.peerId) !== undefined) {
    throw new RosterSchemaError(`peer ${options.peerId} already speaks for a member`)
  }
  const closeAt = created + graceMs
  const kept = member.keys
    .filter((k) => k.notAfter === undefined || k.notAfter + MAX_MESSAGE_AGE_MS > created)
    // A key never closes later than it already would, and never before it opened.
    .map((k) => ({ ...k, notAfter: Math.max(k.notBefore + 1, Math.min(k.notAfter ?? closeAt, closeAt)) }))
  const { notAfter: _ignored, ...fresh } = newKey
  const keys = [...kept, { ...fresh, notBefore: created }]
  return next(current, created, replace(current, { ...member, ...(options.peerId !== undefined && { peerId: options.peerId }), keys }))
}

export function updateAddresses (current: Roster, country: string, addresses: readonly string[], created: number): RosterDocument {
  const member = existing(current, country)
  return next(current, created, replace(current, { ...member, addresses: [...new Set(addresses)] }))
}

export function setBootstraps (current: Roster, bootstraps: readonly RosterBootstrap[], created: number): RosterDocument {
  for (const b of bootstraps) {
    if (current.memberByPeerId(b.peerId) !== undefined) throw new RosterSchemaError(`bootstrap ${b.peerId} is a member's peer`)
  }
  if (new Set(bootstraps.map((b) => b.peerId)).size !== bootstraps.length) throw new RosterSchemaError('a bootstrap peer is listed twice')
  return next(current, created, current.doc.members, bootstraps)
}

const at = (ms: number): string => instantText(ms)

function describeKey (k: RosterKey): string {
  return `key ${k.kid} valid from ${at(k.notBefore)}${k.notAfter !== undefined ? ` until ${at(k.notAfter)}` : ''}`
}

function describeMember (before: RosterMember, after: RosterMember): string[] {
  const c = after.country
  const out: string[] = []
  if (before.name !== after.name) out.push(`${c}: name "${before.name}" -> "${after.name}"`)
  if (before.peerId !== after.peerId) out.push(`${c}: peer ${before.peerId} -> ${after.peerId}`)
  for (const a of after.addresses) if (!before.addresses.includes(a)) out.push(`${c}: + address ${a}`)
  for (const a of before.addresses) if (!after.addresses.includes(a)) out.push(`${c}: - address ${a}`)
  const old = new Map(before.keys.map((k) => [k.kid, k]))
  for (const k of after.keys) {
    const was = old.get(k.kid)
    if (was === undefined) out.push(`${c}: + ${describeKey(k)}`)
    else if (was.notBefore !== k.notBefore || was.notAfter !== k.notAfter) out.push(`${c}: ${describeKey(was)} -> ${describeKey(k)}`)
  }
  const now = new Set(after.keys.map((k) => k.kid))
  for (const k of before.keys) if (!now.has(k.kid)) out.push(`${c}: - ${describeKey(k)}`)
  return out
}

/**
 * What `nextDoc` changes relative to `current`, one line per difference, so that a
 * member sees exactly what it co-signs. Lines starting with "WARNING" mean the version
 * would be refused (or was built against another current version).
 */
export function describeChange (current: Roster, nextDoc: RosterDocument): string[] {
  const out: string[] = []
  if (nextDoc.fed !== current.federationId) out.push(`WARNING federation ${current.federationId} -> ${nextDoc.fed}`)
  if (nextDoc.version !== current.version + 1) out.push(`WARNING version ${nextDoc.version} does not follow version ${current.version}`)
  if (nextDoc.previous !== current.digest) out.push(`WARNING previous does not name version ${current.version}`)
  if (nextDoc.created <= current.doc.created) out.push(`WARNING created ${at(nextDoc.created)} is not after version ${current.version}`)
  out.push(`version ${current.version} -> ${nextDoc.version}, created ${at(nextDoc.created)}`)
  const after = new Map(nextDoc.members.map((m) => [m.country, m]))
  for (const m of nextDoc.members) {
    const before = current.member(m.country)
    if (before === undefined) {
      out.push(`+ member ${m.country} "${m.name}" peer ${m.peerId}, ${m.keys.map(describeKey).join(', ')}, addresses [${m.addresses.join(' ')}]`)
    } else {
      out.push(...describeMember(before, m))
    }
  }
  for (const m of current.doc.members) if (!after.has(m.country)) out.push(`- member ${m.country} "${m.name}" leaves`)
  const oldBoot = new Map(current.doc.bootstraps.map((b) => [b.peerId, b]))
  const newBoot = new Map(nextDoc.bootstraps.map((b) => [b.peerId, b]))
  for (const b of nextDoc.bootstraps) {
    const was = oldBoot.get(b.peerId)
    if (was === undefined) out.push(`+ bootstrap ${b.peerId} [${b.addresses.join(' ')}]`)
    else if (was.addresses.join(' ') !== b.addresses.join(' ')) out.push(`bootstrap ${b.peerId}: [${was.addresses.join(' ')}] -> [${b.addresses.join(' ')}]`)
  }
  for (const b of current.doc.bootstraps) if (!newBoot.has(b.peerId)) out.push(`- bootstrap ${b.peerId}`)
  if (out.length === 1 + out.filter((l) => l.startsWith('WARNING')).length) out.push('no change to members or bootstraps')
  return out
}
