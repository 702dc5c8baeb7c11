// network.js — wx.request: WeChat's rules in the core, the transfer itself by the host.
//
// Every URL is checked against the host policy's allowlist (HTTPS only, no IPs, exact ports…)
// before the host sees it. At most 10 requests, uploads and downloads run at once; more wait
// in order. Timeouts come from the call, then app.json `networkTimeout`, then 60 s.

import { native } from './bridge.js'
import { reportError } from './errors.js'
import { checkParam, paramError, wx, wxAsync } from './wx.js'
import { callHost, hostPending, hostTasks } from './host.js'
import { fsFailure, needString } from './fs.js'

const MAX_CONCURRENT_TRANSFERS = 10
const DEFAULT_TIMEOUT_MS = 60000
const REQUEST_METHODS = ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT']
let networkTimeouts = {}
let activeTransfers = 0
const waitingTransfers = []

function initNetwork(cfg) {
  networkTimeouts = Object.assign({}, cfg.networkTimeout || {})
}

function startTransfer(start) {
  if (activeTransfers < MAX_CONCURRENT_TRANSFERS) {
    activeTransfers++
    start()
  } else {
    waitingTransfers.push(start)
  }
}

function endTransfer() {
  activeTransfers--
  const next = waitingTransfers.shift()
  if (next) {
    activeTransfers++
    next()
  }
}

function queryString(data) {
  return Object.keys(data)
    .map(
      (k) =>
        `${encodeURIComponent(k)}=${encodeURIComponent(typeof data[k] === 'object' ? JSON.stringify(data[k]) : data[k])}`,
    )
    .join('&')
}

// Request headers an app may not set: WeChat drops `Referer`; the rest belong to the
// connection (a host that sent an app's `Host` could be steered to another server).
const FORBIDDEN_HEADERS = new Set([
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'referer',
  'proxy-authorization',
  'proxy-connection',
])
function allowedHeaders(header) {
  const out = {}
  for (const k of Object.keys(header || {})) if (!FORBIDDEN_HEADERS.has(k.toLowerCase())) out[k] = header[k]
  return out
}

function headerValue(header, name) {
  const key = Object.keys(header).find((k) => k.toLowerCase() === name)
  return key === undefined ? undefined : String(header[key])
}

// WeChat's serialization: GET data becomes the query string; other methods send JSON unless
// the content-type says form encoding.
function serializeRequest(o) {
  const method = (o.method || 'GET').toUpperCase()
  const header = allowedHeaders(o.header)
  let url = o.url
  let body
  if (o.data !== undefined && o.data !== null) {
    if (method === 'GET') {
      const qs = typeof o.data === 'object' ? queryString(o.data) : String(o.data)
      if (qs) url += (url.includes('?') ? '&' : '?') + qs
    } else if (typeof o.data === 'string' || o.data instanceof ArrayBuffer) {
      body = o.data instanceof ArrayBuffer ? wx.arrayBufferToBase64(o.data) : o.data
    } else if ((headerValue(header, 'content-type') || '').includes('application/x-www-form-urlencoded')) {
      body = queryString(o.data)
    } else {
      body = JSON.stringify(o.data)
    }
  }
  if (headerValue(header, 'content-type') === undefined) header['content-type'] = 'application/json'
  return { url, method, header, body }
}

wx.request = function request(options) {
  const o = options && typeof options === 'object' ? options : {}
  const task = new TransferTask(['headersReceived', 'chunkReceived'])
  wxAsync('request', { success: o.success, fail: o.fail, complete: o.complete }, (unused, finish) =>
    transfer(
      'request',
      'request',
      o,
      task,
      finish,
      (url) => {
        const method = (o.method || 'GET').toUpperCase()
        if (!REQUEST_METHODS.includes(method))
          throw paramError(`parameter.method should be one of ${REQUEST_METHODS.join(', ')};`)
        // The host gets the URL exactly as the allowlist approved it (normalised host).
        const req = serializeRequest(Object.assign({}, o, { method, url }))
        return {
          args: {
            url: req.url,
            method: req.method,
            header: req.header,
            data: req.body,
            responseType: o.responseType || 'text',
            dataType: o.dataType || 'json',
          },
        }
      },
      (res) => {
        let data = res.data
        if ((o.dataType || 'json') === 'json' && typeof data === 'string') {
          try {
            data = JSON.parse(data)
          } catch (_) {
            // WeChat hands non-JSON bodies over as text
          }
        }
        return { value: { data, statusCode: res.statusCode, header: res.header || {}, cookies: res.cookies || [] } }
      },
    ),
  )
  return task
}

// A task with named event lists (`onProgressUpdate` → 'progressUpdate'): RequestTask,
// DownloadTask and UploadTask.
class TransferTask {
  constructor(events) {
    this._listeners = {}
    this._abort = null
    for (const name of events) {
      const Cap = name[0].toUpperCase() + name.slice(1)
      this._listeners[name] = []
      this[`on${Cap}`] = (fn) => {
        if (typeof fn === 'function') this._listeners[name].push(fn)
      }
      this[`off${Cap}`] = (fn) => {
        this._listeners[name] = fn ? this._listeners[name].filter((x) => x !== fn) : []
      }
    }
  }
  abort() {
    if (this._abort) this._abort()
  }
  _event(name, data) {
    for (const fn of (this._listeners[name] || []).slice()) {
      try {
        fn(data)
      } catch (err) {
        reportError(err, `task on${name}`)
      }
    }
  }
}

// Shared by request/downloadFile/uploadFile: URL check, transfer slot, timeout, abort.
function transfer(api, kind, o, task, finish, prepare, onResult) {
  const bad = checkParam(o, 'url', 'String')
  if (bad) return finish(bad)
  const [verdict, checked] = native.checkUrl(kind, o.url)
  if (verdict !== 'ok') return finish({ key: 'urlNotAllowed', detail: checked })
  let prepared
  try {
    prepared = prepare(checked)
  } catch (err) {
    return finish(err && err.key ? err : fsFailure(err))
  }
  let done = false
  let callId = null
  let timer = null
  const settle = (reason, result) => {
    if (done) return
    done = true
    if (timer !== null) clearTimeout(timer)
    if (callId !== null) {
      hostPending.delete(callId)
      endTransfer()
    }
    finish(reason, result)
  }
  task._abort = () => {
    if (done) return
    if (callId !== null) native.hostCancel(callId)
    settle({ key: 'requestAborted' })
  }
  startTransfer(() => {
    if (done) return endTransfer()
    const timeout = Number(o.timeout) || Number(networkTimeouts[api]) || DEFAULT_TIMEOUT_MS
    timer = setTimeout(() => {
      if (callId !== null) native.hostCancel(callId)
      settle({ key: 'requestTimeout' })
    }, timeout)
    callId = callHost(
      api,
      Object.assign({ timeout }, prepared.args),
      (reason, res) => {
        if (reason !== null && reason !== undefined) return settle({ key: 'networkError', detail: reason })
        const r = onResult(res, prepared)
        if (r.reason) settle(r.reason)
        else settle(null, r.value)
      },
      task,
    )
  })
}

wx.downloadFile = function downloadFile(options) {
  const o = options && typeof options === 'object' ? options : {}
  const task = new TransferTask(['progressUpdate', 'headersReceived'])
  wxAsync('downloadFile', { success: o.success, fail: o.fail, complete: o.complete }, (unused, finish) =>
    transfer(
      'downloadFile',
      'download',
      o,
      task,
      finish,
      (url) => {
        if (o.filePath !== undefined) needString('filePath', o.filePath)
        const ext = (url.split('?')[0].split('/').pop().split('.')[1] || '').slice(0, 8)
        const [tempFilePath, savePath] = native.fsNewTemp(ext)
        return { tempFilePath, args: { url, header: allowedHeaders(o.header), savePath } }
      },
      (res, p) => {
        // the downloaded file counts against the app's file quota: past it, it is removed
        try {
          native.fsAdmitTemp(p.tempFilePath)
        } catch (err) {
          return { reason: fsFailure(err) }
        }
        const result = { statusCode: res.statusCode, tempFilePath: p.tempFilePath }
        if (o.filePath !== undefined) {
          try {
            native.fsCopy(p.tempFilePath, o.filePath)
          } catch (err) {
            return { reason: fsFailure(err) }
          }
          result.filePath = o.filePath
        }
        return { value: result }
      },
    ),
  )
  return task
}

wx.uploadFile = function uploadFile(options) {
  const o = options && typeof options === 'object' ? options : {}
  const task = new TransferTask(['progressUpdate', 'headersReceived'])
  wxAsync('uploadFile', { success: o.success, fail: o.fail, complete: o.complete }, (unused, finish) =>
    transfer(
      'uploadFile',
      'upload',
      o,
      task,
      finish,
      (url) => {
        needString('filePath', o.filePath)
        needString('name', o.name)
        const realPath = native.fsRealFile(o.filePath)
        return {
          args: {
            url,
            filePath: o.filePath,
            realPath,
            name: o.name,
            header: allowedHeaders(o.header),
            formData: Object.assign({}, o.formData),
          },
        }
      },
      (res) => ({
        value: { statusCode: res.statusCode, data: typeof res.data === 'string' ? res.data : JSON.stringify(res.data) },
      }),
    ),
  )
  return task
}

// WebSockets: at most 5 open at once. The host opens the connection and keeps sending its
// events (open, message, error, close) on the connectSocket call.
const MAX_SOCKETS = 5
const openSockets = new Set()

class SocketTask {
  constructor() {
    this._listeners = { open: [], message: [], error: [], close: [] }
    this._id = null
    this.readyState = 0 // CONNECTING
  }
  _event(name, data) {
    if (name === 'open') this.readyState = 1
    if (name === 'close' || name === 'error') {
      this.readyState = 3
      openSockets.delete(this)
      if (name === 'close' && this._id !== null) hostTasks.delete(this._id)
    }
    for (const fn of (this._listeners[name] || []).slice()) {
      try {
        fn(data || {})
      } catch (err) {
        reportError(err, `SocketTask.on${name}`)
      }
    }
  }
  onOpen(fn) {
    if (typeof fn === 'function') this._listeners.open.push(fn)
  }
  onMessage(fn) {
    if (typeof fn === 'function') this._listeners.message.push(fn)
  }
  onError(fn) {
    if (typeof fn === 'function') this._listeners.error.push(fn)
  }
  onClose(fn) {
    if (typeof fn === 'function') this._listeners.close.push(fn)
  }
  send(options) {
    return wxAsync('SocketTask.send', options, (o, finish) => {
      if (this.readyState !== 1) return finish({ key: 'socketNotOpen' })
      const data = o.data instanceof ArrayBuffer ? { base64: wx.arrayBufferToBase64(o.data) } : o.data
      if (data === undefined)
        return finish(paramError('parameter.data should be String or ArrayBuffer instead of Undefined;'))
      callHost('socketSend', { socketId: this._id, data }, finish)
    })
  }
  close(options) {
    return wxAsync('SocketTask.close', options, (o, finish) => {
      if (this._id === null || this.readyState === 3) return finish(null)
      this.readyState = 2 // CLOSING
      callHost(
        'socketClose',
        { socketId: this._id, code: o.code === undefined ? 1000 : o.code, reason: o.reason || '' },
        finish,
      )
    })
  }
}

wx.connectSocket = function connectSocket(options) {
  const o = options && typeof options === 'object' ? options : {}
  const task = new SocketTask()
  wxAsync('connectSocket', { success: o.success, fail: o.fail, complete: o.complete }, (unused, finish) => {
    const bad = checkParam(o, 'url', 'String')
    if (bad) return finish(bad)
    const [verdict, checked] = native.checkUrl('socket', o.url)
    if (verdict !== 'ok') return finish({ key: 'urlNotAllowed', detail: checked })
    if (openSockets.size >= MAX_SOCKETS)
      return finish({ key: 'socketLimit', detail: `at most ${MAX_SOCKETS} sockets may be open` })
    openSockets.add(task)
    task._id = callHost(
      'connectSocket',
      { url: checked, header: allowedHeaders(o.header), protocols: o.protocols || [] },
      (reason, res) => {
        if (reason) {
          openSockets.delete(task)
          task.readyState = 3
          return finish({ key: 'networkError', detail: reason })
        }
        finish(null, res)
      },
      null,
    )
    hostTasks.set(task._id, task)
  })
  return task
}

export { initNetwork }
