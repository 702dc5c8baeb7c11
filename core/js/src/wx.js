// wx.js — the `wx` object and WeChat's call conventions, shared by every API.
//
// An async API takes `{...args, success, fail, complete}`; with no callback it returns a
// Promise. Results carry `errMsg` "<api>:ok" or "<api>:fail <reason>". Callbacks run after the
// API's work is done, never inside the caller's stack.
const wx = {}
globalThis.wx = wx

const TYPE_NAMES = { string: 'String', number: 'Number', boolean: 'Boolean', object: 'Object', function: 'Function', undefined: 'Undefined' }
function typeName(v) {
  if (v === null) return 'Null'
  if (Array.isArray(v)) return 'Array'
  return TYPE_NAMES[typeof v] || 'Object'
}

// Checks `options[key]` against a type name; returns WeChat's parameter error text or null.
function checkParam(options, key, type) {
  const got = typeName(options[key])
  return got === type ? null : `parameter error: parameter.${key} should be ${type} instead of ${got};`
}

function runCallback(fn, res, api) {
  if (typeof fn !== 'function') return
  try {
    fn(res)
  } catch (err) {
    reportError(err, `${api} callback`)
  }
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
    const res = Object.assign({}, result || {}, {
      errMsg: reason === null || reason === undefined ? `${api}:ok` : `${api}:fail ${reason}`,
    })
    const ok = reason === null || reason === undefined
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

// An app-level event list (wx.onAppShow and friends).
function listenerList() {
  const list = []
  return {
    get size() {
      return list.length
    },
    on(fn) {
      if (typeof fn === 'function' && !list.includes(fn)) list.push(fn)
    },
    off(fn) {
      if (fn === undefined) list.length = 0
      else {
        const i = list.indexOf(fn)
        if (i >= 0) list.splice(i, 1)
      }
    },
    emit(arg, where) {
      for (const fn of list.slice()) {
        try {
          fn(arg)
        } catch (err) {
          reportError(err, where)
        }
      }
    },
  }
}
