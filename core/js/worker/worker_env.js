// worker_env.js — the global scope a worker script runs in (wx.createWorker): `worker`
// (postMessage, onMessage), console, timers and CommonJS `require` limited to the app's
// `workers` directory. No wx, pages or getApp, as in WeChat.

import { native } from '../src/bridge.js'
import '../src/regexp_legacy.js'
import '../src/listeners.js'
import { prefixErrorPlaces, reportError } from '../src/errors.js'
import '../src/console.js'
import { nextTimerAt, runNextTimer } from '../src/timers.js'
import { loadModule } from '../src/modules.js'

prefixErrorPlaces('worker ')

let onWorkerMessage = null
globalThis.worker = {
  // Sends `message` (a serialisable object) to the app's `Worker.onMessage`.
  postMessage(message) {
    native.postMessage(message)
  },
  // The listener for the app's messages (a later call replaces it).
  onMessage(fn) {
    onWorkerMessage = typeof fn === 'function' ? fn : null
  },
}

globalThis.__miniapp = {
  start(path) {
    loadModule(path)
    return true
  },
  deliver(message) {
    if (!onWorkerMessage) return false
    try {
      onWorkerMessage(message)
    } catch (err) {
      reportError(err, 'onMessage listener')
    }
    return true
  },
  nextTimerAt,
  runNextTimer,
}
