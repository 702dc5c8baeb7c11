// modules.js — CommonJS `require` for user code, as WeChat and Node do it.
//
// The core resolves specifiers (relative, `/`-absolute, omitted `.js`, directory `index.js`,
// `miniprogram_npm` packages) and compiles each file in sloppy mode wrapped in
// `function (module, exports, require)`. A module is cached before it runs, so a cycle sees the
// other module's partly filled `exports`, as in Node; a module that throws is not cached.

import { errorText, native } from './bridge.js'

const moduleCache = new Map()

// How `require` reaches code in subpackages (app.js sets it; a worker's `require` reaches only
// its own files, so there the defaults stand).
let packageLoader = {
  ensurePackageFor() {},
  subpackageOf: () => null,
  fetchSubpackage: (sub, done) => done(),
}
function setPackageLoader(loader) {
  packageLoader = loader
}

function makeRequire(fromPath) {
  function require(request) {
    if (typeof request !== 'string') {
      throw new TypeError(`require: the module path must be a string, got ${typeof request} (in ${fromPath})`)
    }
    // throws WeChat's "module '…' is not defined" when nothing matches
    return loadModule(native.resolveModule(fromPath, request)).exports
  }
  // require.async: the module (in a subpackage too, loaded first) on a later task; rejects
  // with `{mod, errMsg}` as WeChat does.
  // A subpackage packed apart is fetched first (router.js).
  require.async = (request) =>
    new Promise((resolve, reject) => {
      const fail = (why) => reject({ mod: request, errMsg: why })
      const load = () => {
        try {
          const path = native.resolveModule(fromPath, request)
          packageLoader.ensurePackageFor(path)
          resolve(loadModule(path).exports)
        } catch (err) {
          fail(errorText(err))
        }
      }
      setTimeout(() => {
        const sub = packageLoader.subpackageOf(joinModulePath(fromPath, String(request)))
        if (!sub) return load()
        try {
          packageLoader.fetchSubpackage(sub, (why) => (why ? fail(why) : load()))
        } catch (err) {
          fail(errorText(err))
        }
      }, 0)
    })
  return require
}

// Where `request` points from module `fromPath`, as text (before the core resolves it).
function joinModulePath(fromPath, request) {
  const parts = request.startsWith('/') ? [] : fromPath.split('/').slice(0, -1)
  for (const part of request.split('/')) {
    if (part === '..') parts.pop()
    else if (part && part !== '.') parts.push(part)
  }
  return parts.join('/')
}

function loadModule(path) {
  const cached = moduleCache.get(path)
  if (cached) return cached
  const module = { id: path, exports: {}, loaded: false }
  moduleCache.set(path, module)
  try {
    const fn = native.compileModule(path)
    fn.call(module.exports, module, module.exports, makeRequire(path))
  } catch (err) {
    moduleCache.delete(path)
    throw err
  }
  module.loaded = true
  return module
}

export { loadModule, setPackageLoader }
