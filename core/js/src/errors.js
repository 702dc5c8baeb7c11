// errors.js — uncaught errors of app code (handlers, lifetimes, callbacks, timers): the core
// hears of each with where it happened, then wx.onError listeners and App.onError (a failure
// there is reported once, never looped). A worker realm reports the same way, its places
// prefixed "worker ".

import { errorStack, errorText, native } from './bridge.js'
import { listenerList, reportListenerFailures } from './listeners.js'

let insideOnError = false
let placePrefix = ''
let uncaughtHandler = null
const errorListeners = listenerList()

function reportError(err, where) {
  const name = err instanceof Error ? err.name : 'Error'
  const message = errorText(err)
  const stack = errorStack(err)
  native.reportError(placePrefix + String(where || ''), name, message, stack)
  if (insideOnError) return
  insideOnError = true
  try {
    const text = stack ? `${message}\n${stack}` : message
    errorListeners.emit({ message: text }, 'wx.onError listener')
    if (uncaughtHandler) uncaughtHandler(text)
  } catch (err2) {
    native.reportError('App.onError', err2 instanceof Error ? err2.name : 'Error', errorText(err2), errorStack(err2))
  } finally {
    insideOnError = false
  }
}

reportListenerFailures(reportError)

// Calls app code's hook `name` on `target` (a lifecycle, a page event); a failure is reported
// as uncaught, named by the hook, and gives undefined.
function callHook(target, name, args) {
  const f = target && target[name]
  if (typeof f !== 'function') return undefined
  try {
    return f.apply(target, args || [])
  } catch (err) {
    reportError(err, name)
    return undefined
  }
}

// What runs after the listeners for each uncaught error (app.js: App.onError).
function onUncaughtError(fn) {
  uncaughtHandler = fn
}

// A call in a WXML binding that threw, to a function with no `prototype` (a built-in method:
// `{{content.trim()}}`, `{{['all'].concat(tags)}}`): the compiled template calls it without
// its value (core/src/compile.rs), as glass-easel does. WeChat's WXML does not call methods of
// data values either (such a call gives nothing and the page renders on): so does miniapp,
// with one warning per method.
const warnedBindingCalls = new Set()
globalThis.__miniappBindingCallFailed = (fn, err) => {
  const name = (fn && fn.name) || 'a function'
  if (!warnedBindingCalls.has(name)) {
    warnedBindingCalls.add(name)
    console.warn(
      `WXML: a binding calls ${name}(), a method of a data value, which WXML does not call (${err instanceof Error ? err.name : 'Error'}: ${errorText(err)}): the call gives undefined, as in WeChat, and the page renders on; compute the value in the page's data, or call a WXS function`,
    )
  }
  return undefined
}

// Prefixes every place reported from this realm (worker_env.js: "worker ").
function prefixErrorPlaces(prefix) {
  placePrefix = prefix
}

export { callHook, errorListeners, onUncaughtError, prefixErrorPlaces, reportError }
