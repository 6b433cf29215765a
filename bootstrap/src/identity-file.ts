/**
 * The bootstrap's persisted identity: the same key file format as member nodes, so the
 * PeerId (which the roster lists) survives restarts.
 */
import { access, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { generateIdentity, loadIdentity, saveIdentity, type NodeIdentity } from '@imi/node'

export async function exists (path: string): Promise<boolean> {
  return await access(path).then(() => true, () => false)
}

/** Loads the key at `path`, creating it (owner-only) on first use. */
export async function loadOrCreateIdentity (path: string): Promise<NodeIdentity> {
  if (await exists(path)) return await loadIdentity(path)
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const identity = await generateIdentity()
  try {
    await saveIdentity(path, identity)
  } catch (err) {
    // Another process created it in between: use theirs, never overwrite.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return await loadIdentity(path)
    throw err
  }
  return identity
}
