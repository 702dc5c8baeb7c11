// console.js — `console.*` forwards to the core's log (tracing + log sink), formatted like a
// devtools console: strings as-is, other values as JSON (cycles and functions made safe).
function formatValue(v) {
  if (typeof v === 'string') return v
  if (v instanceof Error) return v.stack ? `${v.name}: ${v.message}\n${v.stack}` : `${v.name}: ${v.message}`
  if (typeof v === 'function') return `[Function ${v.name || 'anonymous'}]`
  if (v === undefined) return 'undefined'
  if (typeof v === 'symbol' || typeof v === 'bigint') return String(v)
  const seen = new WeakSet()
  try {
    return JSON.stringify(v, (k, x) => {
      if (typeof x === 'function') return `[Function ${x.name || 'anonymous'}]`
      if (x === undefined) return undefined
      if (typeof x === 'object' && x !== null) {
        if (seen.has(x)) return '[Circular]'
        seen.add(x)
      }
      return x
    })
  } catch (_) {
    return String(v)
  }
}
let groupDepth = 0
function makeLogger(level) {
  return function (...args) {
    const text = args.map(formatValue).join(' ')
    native.log(level, groupDepth ? '  '.repeat(groupDepth) + text : text)
  }
}
globalThis.console = {
  log: makeLogger('log'),
  info: makeLogger('info'),
  debug: makeLogger('debug'),
  warn: makeLogger('warn'),
  error: makeLogger('error'),
  trace: makeLogger('debug'),
  group(...args) {
    if (args.length) makeLogger('log')(...args)
    groupDepth++
  },
  groupEnd() {
    if (groupDepth > 0) groupDepth--
  },
  assert(cond, ...args) {
    if (!cond) makeLogger('error')('Assertion failed:', ...args)
  },
  time() {},
  timeEnd() {},
}
