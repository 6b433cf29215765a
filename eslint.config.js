import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['node_modules/**', '**/dist/**', 'data/**', '.demo/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-console': 'error',
      eqeqeq: 'error'
    }
  },
  {
    // protocol/ is pure: no I/O, no runtime-specific modules (habit 1 of the design notes).
    files: ['protocol/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['crypto', 'fs', 'path', 'level', 'classic-level', 'libp2p', 'hono'],
        patterns: ['node:*', '@libp2p/*', '@hono/*']
      }],
      'no-restricted-globals': ['error', 'Buffer', 'process', 'setTimeout', 'setInterval']
    }
  },
  {
    // p2p/ and api/ meet only in services/ (Dendrite's rule: two faces, one core).
    files: ['node/src/p2p/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['hono'], patterns: ['**/api/**', '@hono/*'] }] }
  },
  {
    files: ['node/src/api/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['libp2p'], patterns: ['**/p2p/**', '@libp2p/*'] }] }
  },
  {
    // The web UI runs in a browser and talks only to its node's API: types from protocol, nothing else.
    files: ['web-ui/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: '@imi/protocol', allowTypeImports: true }],
        patterns: ['node:*', '@imi/node', '@imi/bootstrap', 'libp2p', '@libp2p/*', 'level', 'hono', '../../*']
      }]
    }
  },
  {
    files: ['**/cli/**/*.ts', '**/cli.ts', '**/demo.ts', '**/bench/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' }
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked]
  }
)
