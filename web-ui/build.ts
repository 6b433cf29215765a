/**
 * `npm run build:ui`: bundles the officials' UI into web-ui/dist, which the node serves
 * (node/src/api/ui-routes.ts). One script and one stylesheet with content hashes in their
 * names (so they can be cached for good), an icon, and index.html naming them. Bundled
 * for the browser: an import of node:* or anything else that needs Node fails the build.
 */
import { createHash } from 'node:crypto'
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const ROOT = dirname(fileURLToPath(import.meta.url))
const SRC = join(ROOT, 'src')
const DIST = join(ROOT, 'dist')
const ASSETS = join(DIST, 'assets')

const started = performance.now()
await rm(DIST, { recursive: true, force: true })
await mkdir(ASSETS, { recursive: true })

const result = await build({
  entryPoints: [{ in: join(SRC, 'main.ts'), out: 'app' }, { in: join(SRC, 'static/app.css'), out: 'app' }],
  outdir: ASSETS,
  entryNames: '[name]-[hash]',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome111', 'firefox115', 'safari16'],
  tsconfig: join(SRC, 'tsconfig.json'),
  minify: true,
  legalComments: 'none',
  // Translations stay readable UTF-8; the node serves assets with charset=utf-8.
  charset: 'utf8',
  metafile: true,
  logLevel: 'warning'
})

/** The output file of an entry point, by its extension. */
function output (ext: string): string {
  const file = Object.entries(result.metafile.outputs).find(([path, o]) => o.entryPoint !== undefined && path.endsWith(ext))?.[0]
  if (file === undefined) throw new Error(`no ${ext} output`)
  return basename(file)
}

const icon = await readFile(join(SRC, 'static/icon.svg'))
const iconName = `icon-${createHash('sha256').update(icon).digest('hex').slice(0, 10)}.svg`
await copyFile(join(SRC, 'static/icon.svg'), join(ASSETS, iconName))

const names: Record<string, string> = { 'app.js': output('.js'), 'app.css': output('.css'), 'icon.svg': iconName }
const template = await readFile(join(SRC, 'static/index.html'), 'utf8')
const html = template.replace(/\{\{([a-z.]+)\}\}/g, (whole, key: string) => {
  const name = names[key]
  if (name === undefined) throw new Error(`index.html names unknown asset ${whole}`)
  return name
})
await writeFile(join(DIST, 'index.html'), html)

const sizes = Object.entries(result.metafile.outputs).map(([path, o]) => `${relative(ROOT, path)} ${(o.bytes / 1024).toFixed(1)} KiB`)
process.stdout.write(`web-ui built in ${Math.round(performance.now() - started)} ms: ${sizes.join(', ')}\n`)
