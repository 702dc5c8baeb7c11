// ESLint for the framework JS (tools/js-check pins it; .ci/run runs it).
//
// core/build.rs concatenates the files of src/ORDER into one module scope (and those of
// worker/ORDER into the worker's), so a file's top-level declarations are visible to the other
// files of its bundle: they are declared here as that bundle's globals, with what the bundle
// defines on globalThis itself (console.js, timers.js) and the two npm modules build.rs puts
// in front (`glassEasel`, `adapter`). Files shared by both bundles are checked as app files.
import fs from 'node:fs'
import path from 'node:path'
import url from 'node:url'
import globals from '../../tools/js-check/node_modules/globals/index.js'

const here = path.dirname(url.fileURLToPath(import.meta.url))

/** The files of a bundle, as paths relative to this folder. */
function bundle(dir) {
  return fs
    .readFileSync(path.join(here, dir, 'ORDER'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((f) => path.normalize(path.join(dir, f)))
}

/** The top-level names the files of a bundle declare, as globals. */
function shared(files) {
  const names = { glassEasel: 'readonly', adapter: 'readonly' }
  for (const file of files) {
    const src = fs.readFileSync(path.join(here, file), 'utf8')
    for (const m of src.matchAll(/^(?:async\s+)?(?:function\*?|const|let|var|class)\s+([A-Za-z_$][\w$]*)/gm)) {
      names[m[1]] = 'writable'
    }
  }
  return names
}

const installed = {
  console: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  setInterval: 'readonly',
  clearInterval: 'readonly',
}
const rules = {
  'no-undef': 'error',
  'no-unused-vars': ['error', { vars: 'local', args: 'none', caughtErrors: 'none' }],
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
}
const app = bundle('src')
const worker = bundle('worker').filter((f) => !app.includes(f))

export default [
  {
    files: app,
    languageOptions: {
      sourceType: 'script',
      ecmaVersion: 2022,
      globals: { ...globals.es2021, ...installed, ...shared(app) },
    },
    rules,
  },
  {
    files: worker,
    languageOptions: {
      sourceType: 'script',
      ecmaVersion: 2022,
      globals: { ...globals.es2021, ...installed, ...shared(bundle('worker')) },
    },
    rules,
  },
]
