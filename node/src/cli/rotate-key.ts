/**
 * `imi rotate-key`: the node's side of a key rotation, which is a roster change.
 * `--out <proposal.json>` creates the next key (beside the current one, as
 * `<keyFile>.next`, 0600, never overwritten), proposes the roster version that names it
 * (the old key stays valid for the grace period, so messages in flight still verify) and
 * signs the proposal with the current key; the other members co-sign it as for any
 * change. Once the new version is applied, `--finish` puts the next key in place (the old
 * one kept as `<keyFile>.old`) and the node is restarted.
 */
import { access, rename, writeFile } from 'node:fs/promises'
import { cosignRoster, describeChange, proposeRoster, quorumFor, rotateKey } from '@imi/protocol'
import type { NodeConfig } from '../config.js'
import { generateIdentity, loadIdentity, rosterKeyOf, saveIdentity } from '../identity.js'
import { CommandFailure, InputError } from './errors.js'
import { currentRoster, rosterFromFile } from './local-files.js'

const DAY_MS = 86_400_000
const exists = async (p: string): Promise<boolean> => await access(p).then(() => true, () => false)

export async function rotateKeyCommand (config: NodeConfig, out: string, graceDays: number, now: number): Promise<string[]> {
  if (!(graceDays >= 0 && graceDays <= 365)) throw new InputError('--grace-days must be 0 to 365')
  const roster = await currentRoster(config)
  if (roster === undefined) throw new CommandFailure('error: this node has no roster yet: a key is rotated only in a founded federation')
  const nextFile = `${config.keyFile}.next`
  if (await exists(nextFile)) throw new CommandFailure(`error: ${nextFile} exists: a rotation is under way (finish it with --finish, or remove the file to start over)`)
  const current = await loadIdentity(config.keyFile)
  const next = await generateIdentity()
  const doc = rotateKey(roster, config.country, rosterKeyOf(next, now), now, Math.round(graceDays * DAY_MS), { peerId: next.peerId })
  await saveIdentity(nextFile, next)
  const proposal = cosignRoster(proposeRoster(doc), current.signer)
  await writeFile(out, JSON.stringify(proposal, null, 2) + '\n', { flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
    throw new CommandFailure(err.code === 'EEXIST' ? `error: ${out} exists: choose a new file` : `error: cannot write ${out}: ${err.message}`)
  })
  return [
    ...describeChange(roster, doc),
    `new key ${next.signer.kid} (peer ${next.peerId}) written to ${nextFile}`,
    `wrote ${out}, signed by ${config.country}: it needs ${quorumFor(roster.size)} of the ${roster.size} members' signatures (imi roster cosign)`,
    'once the new roster version is applied, run: imi rotate-key --finish, then restart the node'
  ]
}

export async function finishRotationCommand (config: NodeConfig): Promise<string[]> {
  const nextFile = `${config.keyFile}.next`
  if (!await exists(nextFile)) throw new CommandFailure(`error: no rotation under way (no ${nextFile})`)
  const next = await loadIdentity(nextFile)
  // The running node's (or stored) roster, or a newer version already in the roster file.
  const named = [await currentRoster(config), await rosterFromFile(config)].some((r) => r?.member(config.country)?.peerId === next.peerId)
  if (!named) {
    throw new CommandFailure('error: the roster does not name the new key yet: apply the co-signed version first (POST /api/v1/roster, or roster.json)')
  }
  // The node opens alerts sealed to the key before the last rotation with <keyFile>.old:
  // never replace one silently (a second rotation would destroy the first key).
  const oldFile = `${config.keyFile}.old`
  if (await exists(oldFile)) {
    throw new CommandFailure(`error: ${oldFile} holds the key before an earlier rotation: move it somewhere safe (confidential alerts sealed to it can no longer be opened then), and run --finish again`)
  }
  await rename(config.keyFile, oldFile)
  await rename(nextFile, config.keyFile)
  return [`${config.keyFile} is now key ${next.signer.kid}; the old one is ${config.keyFile}.old; restart the node`]
}
