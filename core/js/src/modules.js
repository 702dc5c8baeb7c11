// modules.js — CommonJS `require` for user code, as WeChat and Node do it.
//
// The core resolves specifiers (relative, `/`-absolute, omitted `.js`, directory `index.js`,
// `miniprogram_npm` packages) and compiles each file in sloppy mode wrapped in
// `function (module, exports, require)`. A module is cached before it runs, so a cycle sees the
// other module's partly filled `exports`, as in Node; a module that throws is not cached.
const moduleCache = new Map()

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
  require.async = (request) =>
    new Promise((resolve, reject) => {
      setTimeout(() => {
        try {
          const path = native.resolveModule(fromPath, request)
          ensurePackageFor(path)
          resolve(loadModule(path).exports)
        } catch (err) {
          reject({ mod: request, errMsg: errorText(err) })
        }
      }, 0)
    })
  return require
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
