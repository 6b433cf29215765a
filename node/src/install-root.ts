/**
 * The folder the node was installed in (the repository checkout): where web-ui/dist and
 * package.json are. Found by walking up from this module, because the module runs from two
 * places: node/src/ under tsx in development, and dist/ once `npm run build` has bundled
 * the command line for a production install.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

const PACKAGE_NAME = 'imi-federation'

function isInstallRoot (dir: string): boolean {
  const file = join(dir, 'package.json')
  if (!existsSync(file)) return false
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME
  } catch {
    return false
  }
}

function findInstallRoot (from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (isInstallRoot(dir)) return dir
    // At the file system's root: not installed from a checkout; the caller's paths will
    // say what is missing (the UI answers 503 "not built").
    if (dirname(dir) === dir) return from
  }
}

export const INSTALL_ROOT = findInstallRoot(import.meta.dirname)
