/**
 * How the operator ran imi, as they would type it again: the usage text and the hints
 * the commands print name the same program (`npm run imi --` in a checkout,
 * `node /opt/imi/dist/imi.mjs` on a production install).
 */
import { isAbsolute, relative } from 'node:path'

/** `argv` is process.argv; `cwd` the folder the command runs in. */
export function programName (env: Readonly<Record<string, string | undefined>>, argv: readonly string[], cwd: string): string {
  // Under `npm run imi`, npm names the script it runs.
  if (env.npm_lifecycle_event === 'imi') return 'npm run imi --'
  const script = argv[1]
  if (script === undefined) return 'imi'
  const rel = relative(cwd, script)
  // A script below the working folder as one would type it, else its absolute path.
  const shown = rel === '' || rel.startsWith('..') || isAbsolute(rel) ? script : rel
  // The sources run through tsx; the build (dist/imi.mjs) runs on node alone.
  return script.endsWith('.ts') ? `node --import tsx ${shown}` : `node ${shown}`
}
