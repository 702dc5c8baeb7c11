// ESLint for the framework JS (tools/js-check pins it; .ci/run runs it).
//
// Every file is an ES module (core/build.rs bundles them with esbuild from src/entry.js and
// worker/worker_env.js): a name from another file must be imported, so `no-undef` catches a
// name no file exports. The globals are the language's, what console.js and timers.js install
// on globalThis, and nothing else.
import globals from '../../tools/js-check/node_modules/globals/index.js'

const installed = {
  console: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  setInterval: 'readonly',
  clearInterval: 'readonly',
}

export default [
  {
    files: ['src/**/*.js', 'worker/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      ecmaVersion: 2022,
      globals: { ...globals.es2021, ...installed },
    },
    rules: {
      'no-undef': 'error',
      'no-unused-vars': ['error', { vars: 'all', args: 'none', caughtErrors: 'none' }],
      'no-unreachable': 'error',
      'no-dupe-keys': 'error',
      'no-dupe-args': 'error',
      'no-self-assign': 'error',
      'no-const-assign': 'error',
      'no-func-assign': 'error',
      'no-cond-assign': 'error',
      'no-unsafe-finally': 'error',
      'use-isnan': 'error',
      'valid-typeof': 'error',
    },
  },
]
