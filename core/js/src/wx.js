// wx.js — the `wx` object and WeChat's call conventions, shared by every API.
//
// An async API takes `{...args, success, fail, complete}`; with no callback it returns a
// Promise. Results carry `errMsg` "<api>:ok" or "<api>:fail <reason>". Callbacks run after the
// API's work is done, never inside the caller's stack.

import { errorText, native } from './bridge.js'
import { reportError } from './errors.js'

const wx = {}
globalThis.wx = wx

const TYPE_NAMES = {
  string: 'String',
  number: 'Number',
  boolean: 'Boolean',
  object: 'Object',
  function: 'Function',
  undefined: 'Undefined',
}
function typeName(v) {
  if (v === null) return 'Null'
  if (Array.isArray(v)) return 'Array'
  return TYPE_NAMES[typeof v] || 'Object'
}

// A parameter error (errno 1001): errMsg "<api>:fail parameter error: <detail>".
function paramError(detail) {
  return { key: 'invalidParameter', detail }
}

// Checks `options[key]` against a type name; returns WeChat's parameter error or null.
function checkParam(options, key, type) {
  const got = typeName(options[key])
  return got === type ? null : paramError(`parameter.${key} should be ${type} instead of ${got};`)
}

function runCallback(fn, res, api) {
  if (typeof fn !== 'function') return
  try {
    fn(res)
  } catch (err) {
    reportError(err, `${api} callback`)
  }
}

// Failure reasons from the core's table (core/src/api/errors.json): key -> {errno, message}.
let WX_ERRORS = {}
function setWxErrors(errors) {
  WX_ERRORS = errors
}

// A failure: `{key, detail}` uses the table (errMsg text + errno); a plain string is the
// reason itself.
function failure(reason) {
  if (reason && typeof reason === 'object') {
    const e = WX_ERRORS[reason.key] || { errno: 4, message: reason.key }
    if (typeof reason.text === 'string') return { text: reason.text, errno: e.errno }
    const detail = reason.detail && reason.detail !== e.message ? `: ${reason.detail}` : ''
    return { text: e.message + detail, errno: e.errno }
  }
  return { text: String(reason), errno: undefined }
}

// What an API call settled with: `result` plus errMsg "<api>:ok", or (with a `reason`) just
// errMsg "<api>:fail <reason>" and its errno.
function resultOf(api, reason, result) {
  if (reason === null || reason === undefined) return Object.assign({}, result, { errMsg: `${api}:ok` })
  const f = failure(reason)
  const res = { errMsg: `${api}:fail ${f.text}` }
  if (f.errno !== undefined) res.errno = f.errno
  return res
}

// Starts an async API. `run(options, finish)` does the work and calls
// `finish(null, result)` or `finish(reason)`, at once or later.
function wxAsync(api, options, run) {
  const opts = options && typeof options === 'object' ? options : {}
  const usesCallbacks = ['success', 'fail', 'complete'].some((k) => typeof opts[k] === 'function')
  let settle = null
  const promise = usesCallbacks
    ? undefined
    : new Promise((resolve, reject) => {
        settle = { resolve, reject }
      })
  let done = false
  const finish = (reason, result) => {
    if (done) return
    done = true
    const ok = reason === null || reason === undefined
    const res = resultOf(api, reason, result)
    Promise.resolve().then(() => {
      runCallback(ok ? opts.success : opts.fail, res, api)
      runCallback(opts.complete, res, api)
      if (settle) (ok ? settle.resolve : settle.reject)(res)
    })
  }
  try {
    run(opts, finish)
  } catch (err) {
    finish(errorText(err))
  }
  return promise
}

// A sync API's failure: thrown as an Error carrying errMsg and errno.
function wxThrow(api, reason) {
  const f = failure(reason)
  const err = new Error(`${api}:fail ${f.text}`)
  err.errMsg = err.message
  if (f.errno !== undefined) err.errno = f.errno
  throw err
}

// Applies the API registry once every API is defined: each API must have a row; APIs outside
// the `base` group get the host's capability check in front (a denied call fails with errno
// 102 and never runs).
function secureWx(registry) {
  for (const name of Object.keys(wx)) {
    if (typeof wx[name] !== 'function') continue // wx.env and other plain values
    const spec = registry[name]
    if (!spec) {
      throw new Error(`framework bug: wx.${name} has no row in core/src/api/registry.rs`)
    }
    if (spec.group === 'base') continue
    const impl = wx[name]
    wx[name] = function (...args) {
      const denied = native.checkCapability(name, spec.group)
      if (denied === null || denied === undefined) return impl.apply(this, args)
      const reason = { key: 'noPermission', detail: denied }
      if (spec.kind === 'sync') return wxThrow(name, reason)
      if (spec.kind === 'event') {
        console.error(`wx.${name}: ${denied}`)
        return undefined
      }
      if (spec.kind === 'callback') {
        const opts = args[0] && typeof args[0] === 'object' ? args[0] : {}
        wxAsync(name, { fail: opts.fail, complete: opts.complete }, (o, finish) => finish(reason))
        // Callback APIs return a task (RequestTask…): hand back one whose methods do nothing.
        return new Proxy({}, { get: () => () => undefined })
      }
      return wxAsync(name, args[0], (o, finish) => finish(reason))
    }
  }
}

// Built-in components this runtime implements (for canIUse): core/src/builtin.rs, set by init.
let SUPPORTED_COMPONENTS = new Set()
function setSupportedComponents(tags) {
  SUPPORTED_COMPONENTS = new Set(tags)
}

// wx.canIUse('api.method.param.option' | 'component.attribute.option'): whether this runtime
// has the API or component (sub-schemas are answered by the top-level name).
wx.canIUse = function canIUse(schema) {
  if (typeof schema !== 'string' || schema === '')
    wxThrow('canIUse', { key: 'invalidParameter', detail: 'schema should be a non-empty String' })
  const head = schema.split('.')[0]
  return typeof wx[head] === 'function' || SUPPORTED_COMPONENTS.has(head)
}

export {
  checkParam,
  failure,
  paramError,
  resultOf,
  runCallback,
  secureWx,
  setSupportedComponents,
  setWxErrors,
  typeName,
  wx,
  wxAsync,
  wxThrow,
}
