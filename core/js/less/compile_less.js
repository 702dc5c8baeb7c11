// LESS → WXSS for the compile step (core/src/compile/less.rs), run in a QuickJS context of its
// own, never the app's. build.rs bundles: this file's browser shim (the part before the
// marker), less's browser build (npm `less`, pinned by core/js/package-lock.json), then the
// rest of this file. The host defines `__readPackageFile(path)` (the text of a package file,
// or null), calls `__compileLess(filename, source)`, runs pending jobs, then reads
// `__lessResult`: `{css, imports}` or `{error: {message, filename, line, column}}`.

// less's browser build reads its options from `window.less` and only touches the DOM when
// `onReady` is set; these are all the browser objects it looks at while loading.
var window = {
  location: { href: 'file:///', protocol: 'file:', hostname: '', port: '', hash: '', search: '' },
  less: { onReady: false, env: 'production', async: false, fileAsync: false, logLevel: 0 },
  document: {
    currentScript: null,
    getElementsByTagName: function () {
      return []
    },
    location: { href: 'file:///', protocol: 'file:' },
  },
}
var document = window.document
var self = window
// LESS assigns non-string values to `error.stack`; QuickJS's accessor refuses them.
;(function () {
  var stack = Object.getOwnPropertyDescriptor(Error.prototype, 'stack')
  if (!stack || !stack.set) return
  Object.defineProperty(Error.prototype, 'stack', {
    configurable: true,
    get: function () {
      return stack.get ? stack.get.call(this) : undefined
    },
    set: function (v) {
      Object.defineProperty(this, 'stack', { value: v, writable: true, configurable: true })
    },
  })
})()
// @@LESS@@

/** `a/b/../c/./d` → `a/c/d`; null when it leaves the package root. */
function normalizePackagePath(path) {
  var out = []
  var parts = path.split('/')
  for (var i = 0; i < parts.length; i++) {
    var p = parts[i]
    if (p === '..') {
      if (out.length === 0) return null
      out.pop()
    } else if (p !== '.' && p !== '') {
      out.push(p)
    }
  }
  return out.join('/')
}

var imported = []

/** Resolves `@import`s inside the package: relative to the importing file, `/`-absolute from
 *  the package root; `.less` is tried when the name has no extension. */
function PackageFileManager() {}
PackageFileManager.prototype = new less.FileManager()
PackageFileManager.prototype.supports = function () {
  return true
}
PackageFileManager.prototype.supportsSync = function () {
  return true
}
PackageFileManager.prototype.loadFileSync = function (filename, currentDirectory) {
  var base = filename.charAt(0) === '/' ? filename.slice(1) : currentDirectory + filename
  var candidates = /\.[a-z]+$/i.test(filename) ? [base] : [base + '.less', base]
  for (var i = 0; i < candidates.length; i++) {
    var path = normalizePackagePath(candidates[i])
    var text = path === null ? null : __readPackageFile(path)
    if (text !== null && text !== undefined) {
      imported.push(path)
      return { contents: text, filename: path }
    }
  }
  // LESS takes a result without `filename` as the error.
  return { type: 'File', message: "'" + filename + "' was not found in the package" }
}
PackageFileManager.prototype.loadFile = function (filename, currentDirectory, options, env) {
  var r = this.loadFileSync(filename, currentDirectory, options, env)
  return r.filename ? Promise.resolve(r) : Promise.reject(r)
}

var packageFiles = {
  install: function (l, manager) {
    manager.addFileManager(new PackageFileManager())
  },
}

globalThis.__compileLess = function (filename, source) {
  imported = []
  globalThis.__lessResult = null
  less.render(
    source,
    {
      filename: filename,
      syncImport: true,
      javascriptEnabled: false,
      plugins: [packageFiles],
    },
    function (e, output) {
      globalThis.__lessResult = e
        ? { error: located(e, filename, source) }
        : { css: output.css, imports: imported.slice() }
    },
  )
}

/** The error's file, 1-based line and 0-based column (from its character index when LESS
 *  left the line out). */
function located(e, filename, source) {
  var file = e.filename || filename
  var line = e.line || 0
  var column = e.column || 0
  if (!line && typeof e.index === 'number') {
    var text = file === filename ? source : __readPackageFile(file)
    if (typeof text === 'string') {
      var before = text.slice(0, e.index).split('\n')
      line = before.length
      column = before[before.length - 1].length
    }
  }
  return { message: String(e.message), filename: file, line: line, column: column }
}
