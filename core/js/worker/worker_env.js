// worker_env.js — the global scope a worker script runs in (wx.createWorker): `worker`
// (postMessage, onMessage), console, timers and CommonJS `require` limited to the app's
// `workers` directory. No wx, pages or getApp, as in WeChat.
function reportError(err, where) {
  native.reportError(`worker ${where}`, err instanceof Error ? err.name : 'Error', errorText(err), errorStack(err))
}

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

// The worker runs on the app's logic thread here: nothing needs a lock or shared memory.
function ensurePackageFor() {}

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
