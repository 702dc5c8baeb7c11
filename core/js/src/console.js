// console.js — `console.*` forwards to the core's log (tracing + log sink), formatted like a
// devtools console: strings as-is, other values as JSON (cycles and functions made safe).

import { native } from './bridge.js'

function formatValue(v) {
  if (typeof v === 'string') return v
  if (v instanceof Error) return v.stack ? `${v.name}: ${v.message}\n${v.stack}` : `${v.name}: ${v.message}`
  if (typeof v === 'function') return `[Function ${v.name || 'anonymous'}]`
  if (v === undefined) return 'undefined'
  if (typeof v === 'symbol' || typeof v === 'bigint') return String(v)
  return safeJson(v)
}

// JSON text of any value, never throws: functions as "[Function name]", bigints as strings,
// and, only when the value has a cycle, repeated objects as "[Circular]". What crosses to the
// host (console output, automation answers) goes through here.
function safeJson(v) {
  const plain = (k, x) => {
    if (typeof x === 'function') return `[Function ${x.name || 'anonymous'}]`
    if (typeof x === 'bigint') return String(x)
    return x
  }
  try {
    const text = JSON.stringify(v, plain)
    return text === undefined ? 'null' : text
  } catch (_) {
    // a cycle: mark every object seen before
  }
  const seen = new WeakSet()
  try {
    const text = JSON.stringify(v, (k, x) => {
      if (typeof x === 'object' && x !== null) {
        if (seen.has(x)) return '[Circular]'
        seen.add(x)
      }
      return plain(k, x)
    })
    return text === undefined ? 'null' : text
  } catch (_) {
    return JSON.stringify(String(v))
  }
}

// True when a test driver listens (automation.js); console output is then mirrored to it.
let automationOn = false
function setAutomationOn(on) {
  automationOn = on
}

let groupDepth = 0
function makeLogger(level) {
  return function (...args) {
    const text = args.map(formatValue).join(' ')
    native.log(level, groupDepth ? '  '.repeat(groupDepth) + text : text)
    if (automationOn) native.automationEvent('App.logAdded', safeJson({ type: level, args }))
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

export { formatValue, safeJson, setAutomationOn }
