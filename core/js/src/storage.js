// storage.js — wx.setStorage and friends over the core's per-app SQLite store. Values are
// encoded as (kind, JSON text) so `Date` and `undefined` round-trip; the core enforces the
// per-key and per-app limits and reports failures as "<reason key>|<detail>".

import { errorText, native } from './bridge.js'
import { typeName, wx, wxAsync, wxThrow } from './wx.js'

function storageFailure(err) {
  const text = errorText(err)
  const bar = text.indexOf('|')
  return bar > 0 ? { key: text.slice(0, bar), detail: text.slice(bar + 1) } : { key: 'internal', detail: text }
}

function encodeValue(data) {
  if (data instanceof Date) return ['date', JSON.stringify(data.toISOString())]
  if (data === undefined || typeof data === 'function' || typeof data === 'symbol') return ['undefined', '']
  let text
  try {
    text = JSON.stringify(data)
  } catch (err) {
    throw { key: 'invalidParameter', detail: `data is not serializable: ${errorText(err)}` }
  }
  return ['json', text === undefined ? 'null' : text]
}

function decodeValue(kind, text) {
  if (kind === 'date') return new Date(JSON.parse(text))
  if (kind === 'undefined') return undefined
  return JSON.parse(text)
}

function checkKey(key) {
  if (typeof key !== 'string')
    throw { key: 'invalidParameter', detail: `parameter.key should be String instead of ${typeName(key)};` }
  if (key === '') throw { key: 'storageKeyInvalid' }
}

// Runs a core operation: returns {value}, or {reason} for an argument error thrown as a reason
// object or a core failure ("<key>|<message>", parsed by `parse`).
function coreOp(fn, parse) {
  try {
    return { value: fn() }
  } catch (err) {
    if (err && typeof err === 'object' && 'key' in err && !(err instanceof Error)) return { reason: err }
    return { reason: parse(err) }
  }
}

function storageOp(fn) {
  return coreOp(fn, storageFailure)
}

const storage = {
  set(key, data) {
    checkKey(key)
    const [kind, text] = encodeValue(data)
    native.storageSet(key, kind, text)
  },
  get(key) {
    checkKey(key)
    const found = native.storageGet(key)
    return found ? { found: true, data: decodeValue(found[0], found[1]) } : { found: false, data: '' }
  },
  remove(key) {
    checkKey(key)
    native.storageRemove(key)
  },
}

function syncApi(api, fn) {
  return (...args) => {
    const r = storageOp(() => fn(...args))
    if (r.reason) wxThrow(api, r.reason)
    return r.value
  }
}

function asyncApi(api, fn) {
  return (options) =>
    wxAsync(api, options, (o, finish) => {
      const r = storageOp(() => fn(o))
      if (r.reason) finish(r.reason)
      else finish(null, r.value)
    })
}

wx.setStorageSync = syncApi('setStorageSync', (key, data) => storage.set(key, data))
wx.getStorageSync = syncApi('getStorageSync', (key) => storage.get(key).data)
wx.removeStorageSync = syncApi('removeStorageSync', (key) => storage.remove(key))
wx.clearStorageSync = syncApi('clearStorageSync', () => native.storageClear())
wx.getStorageInfoSync = syncApi('getStorageInfoSync', () => native.storageInfo())

wx.setStorage = asyncApi('setStorage', (o) => {
  storage.set(o.key, o.data)
})
wx.getStorage = asyncApi('getStorage', (o) => {
  const r = storage.get(o.key)
  if (!r.found) throw { key: 'storageKeyNotFound' }
  return { data: r.data }
})
wx.removeStorage = asyncApi('removeStorage', (o) => {
  storage.remove(o.key)
})
wx.clearStorage = asyncApi('clearStorage', () => {
  native.storageClear()
})
wx.getStorageInfo = asyncApi('getStorageInfo', () => native.storageInfo())

function kvList(list) {
  if (!Array.isArray(list))
    throw { key: 'invalidParameter', detail: `parameter.kvList should be Array instead of ${typeName(list)};` }
  return list
}
wx.batchSetStorageSync = syncApi('batchSetStorageSync', (list) => {
  for (const kv of kvList(list)) storage.set(kv && kv.key, kv && kv.value)
})
wx.batchGetStorageSync = syncApi('batchGetStorageSync', (keys) => kvList(keys).map((k) => storage.get(k).data))
wx.batchSetStorage = asyncApi('batchSetStorage', (o) => {
  for (const kv of kvList(o.kvList)) storage.set(kv && kv.key, kv && kv.value)
})
wx.batchGetStorage = asyncApi('batchGetStorage', (o) => ({
  dataList: kvList(o.keyList).map((k) => storage.get(k).data),
}))

export { coreOp, storageFailure }
