// bridge.js — the native functions the core installs as `globalThis.__native` before this
// module runs. We capture them here and remove the global so user code cannot reach the tree.

const native = globalThis.__native
delete globalThis.__native

// Rust errors thrown into JS are ordinary Error objects; everything we report goes through here.
function errorText(err) {
  if (err instanceof Error) return err.message
  try {
    return typeof err === 'string' ? err : JSON.stringify(err)
  } catch (_) {
    return String(err)
  }
}
function errorStack(err) {
  return err instanceof Error && typeof err.stack === 'string' ? err.stack : ''
}

// Deterministic time: Date.now(), `new Date()` and performance.now() read the core's clock
// (virtual in headless runs, real in hosts).
;(function installClock() {
  const RealDate = Date
  function MiniappDate(...args) {
    if (!new.target) return new RealDate(native.wallClock()).toString()
    return args.length === 0 ? new RealDate(native.wallClock()) : new RealDate(...args)
  }
  MiniappDate.prototype = RealDate.prototype
  MiniappDate.now = () => native.wallClock()
  MiniappDate.parse = RealDate.parse
  MiniappDate.UTC = RealDate.UTC
  Object.defineProperty(RealDate.prototype, 'constructor', { value: MiniappDate, writable: true, configurable: true })
  globalThis.Date = MiniappDate
  globalThis.performance = { now: () => native.now() }
})()

// WXS builtins: WXS code creates dates and regular expressions only through these.
globalThis.getDate = function getDate(...args) {
  return args.length === 0 ? new Date() : new Date(...args)
}
globalThis.getRegExp = function getRegExp(pattern, flags) {
  return new RegExp(pattern, flags)
}

export { errorStack, errorText, native }
