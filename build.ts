/**
 * `npm run build` (after `npm run build:ui`): what a production install runs. The two
 * command lines, `imi` and `imi-bootstrap`, each bundled from the TypeScript sources
 * into one ES module under dist/. npm packages stay imports (resolved from node_modules at
 * run time), so after the build `npm prune --omit=dev` removes every development
 * dependency (tsx, esbuild, the test tools) and the node still runs: `node dist/imi.mjs`.
 *
 * The build refuses a bundle that imports a package not listed in `dependencies`: such an
 * import works in a development checkout and fails on the pruned install.
 */
import { readFile } from 'node:fs/promises'
import { builtinModules } from 'node:module'
import { join } from 'node:path'
import { build, type Metafile } from 'esbuild'

const ROOT = import.meta.dirname
const DIST = join(ROOT, 'dist')

const ENTRIES = [
  { in: join(ROOT, 'node/src/cli/main.ts'), out: 'imi' },
  { in: join(ROOT, 'bootstrap/src/cli.ts'), out: 'imi-bootstrap' }
]

/** `@scope/name/sub` and `name/sub` to the package name. */
function packageOf (specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!
}

function undeclaredImports (meta: Metafile, declared: ReadonlySet<string>): string[] {
  const builtins = new Set(builtinModules)
  const missing = new Set<string>()
  for (const output of Object.values(meta.outputs)) {
    for (const imp of output.imports) {
      if (!imp.external) continue
      const name = imp.path.startsWith('node:') ? undefined : packageOf(imp.path)
      if (name !== undefined && !builtins.has(name) && !declared.has(name)) missing.add(name)
    }
  }
  return [...missing].sort()
}

const started = performance.now()
const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }
const result = await build({
  entryPoints: ENTRIES,
  outdir: DIST,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  // Only our own sources (and the @imi/* workspaces, through tsconfig paths) are bundled.
  packages: 'external',
  tsconfig: join(ROOT, 'tsconfig.json'),
  sourcemap: 'linked',
  banner: { js: '#!/usr/bin/env node' },
  metafile: true,
  logLevel: 'warning'
})
const missing = undeclaredImports(result.metafile, new Set(Object.keys(pkg.dependencies ?? {})))
if (missing.length > 0) {
  process.stderr.write(`build: the bundle imports packages that are not in "dependencies" (a pruned install would not start): ${missing.join(', ')}\n`)
  process.exit(1)
}
process.stdout.write(`built dist/imi.mjs and dist/imi-bootstrap.mjs in ${Math.round(performance.now() - started)} ms\n`)
