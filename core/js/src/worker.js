// worker.js — wx.createWorker: the app's side of a worker (core/src/runtime/worker.rs). The
// worker script runs in a separate global scope; messages cross as JSON, each delivered as its
// own task. One worker at a time, as in WeChat.

import { errorText, native } from './bridge.js'
import { listenerList } from './listeners.js'
import { reportError } from './errors.js'
import { paramError, typeName, wx, wxThrow } from './wx.js'

let currentWorker = null

class Worker {
  constructor(id) {
    this._id = id
    this._listener = null
    this._killedListeners = listenerList()
  }
  // Sends `message` (a serialisable object) to the worker's `worker.onMessage`.
  postMessage(message) {
    if (this._id === null) wxThrow('postMessage', 'the worker was terminated')
    native.workerPost(this._id, message)
  }
  // The listener for the worker's messages (a later call replaces it).
  onMessage(fn) {
    this._listener = typeof fn === 'function' ? fn : null
  }
  // A worker is never killed by the system here; kept so apps that listen work unchanged.
  onProcessKilled(fn) {
    this._killedListeners.on(fn)
  }
  terminate() {
    if (this._id === null) return
    native.workerTerminate(this._id)
    this._id = null
    if (currentWorker === this) currentWorker = null
  }
}

wx.createWorker = function createWorker(scriptPath, options) {
  if (typeof scriptPath !== 'string' || scriptPath === '') {
    wxThrow('createWorker', paramError(`parameter.scriptPath should be String instead of ${typeName(scriptPath)};`))
  }
  if (currentWorker)
    wxThrow('createWorker', 'exceed max number of workers (1): call Worker.terminate() before creating another')
  let id
  try {
    id = native.workerCreate(scriptPath)
  } catch (err) {
    const e = new Error(errorText(err))
    e.errMsg = e.message
    throw e
  }
  currentWorker = new Worker(id)
  return currentWorker
}

// Called by the core with a message the worker posted.
function workerMessage(id, message) {
  const w = currentWorker
  if (!w || w._id !== id || !w._listener) return false
  try {
    w._listener(message)
  } catch (err) {
    reportError(err, 'Worker.onMessage listener')
  }
  return true
}

export { workerMessage }
