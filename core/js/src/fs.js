// fs.js — wx.getFileSystemManager(): files in the app's sandbox (core/src/files.rs).
// Async methods take {…, success, fail, complete}; `…Sync` twins return or throw. Binary data
// crosses to the core as base64; text in the caller's encoding.

import { errorText, native } from './bridge.js'
import { paramError, typeName, wx, wxAsync, wxThrow } from './wx.js'
import { coreOp } from './storage.js'

const FS_ENCODINGS = [
  'utf8',
  'utf-8',
  'base64',
  'hex',
  'binary',
  'latin1',
  'ascii',
  'ucs2',
  'ucs-2',
  'utf16le',
  'utf-16le',
]

function fsFailure(err) {
  const text = errorText(err)
  const bar = text.indexOf('|')
  return bar > 0 ? { key: text.slice(0, bar), text: text.slice(bar + 1) } : { key: 'fsIo', text }
}

function fsCall(fn) {
  return coreOp(fn, fsFailure)
}

function needString(name, v) {
  if (typeof v !== 'string') throw paramError(`parameter.${name} should be String instead of ${typeName(v)};`)
  return v
}

function needEncoding(encoding) {
  if (encoding === undefined || encoding === null) return null
  if (!FS_ENCODINGS.includes(String(encoding).toLowerCase())) throw paramError(`unsupported encoding "${encoding}"`)
  return String(encoding)
}

function toWire(data, encoding) {
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return [wx.arrayBufferToBase64(data), 'base64']
  if (typeof data !== 'string')
    throw paramError(`parameter.data should be String or ArrayBuffer instead of ${typeName(data)};`)
  return [data, needEncoding(encoding) || 'utf8']
}

function makeStats(json) {
  const st = JSON.parse(json)
  return {
    size: st.size,
    mode: st.mode,
    lastModifiedTime: st.lastModifiedTime,
    lastAccessedTime: st.lastAccessedTime,
    isDirectory: () => st.isDirectory,
    isFile: () => !st.isDirectory,
  }
}

// Each operation: how to run it from the options object, and how its Sync twin maps
// positional arguments to those options.
const FS_OPS = {
  readFile: [
    ['filePath', 'encoding', 'position', 'length'],
    (o) => {
      const enc = needEncoding(o.encoding)
      const text = native.fsRead(
        needString('filePath', o.filePath),
        enc || 'base64',
        o.position === undefined ? null : Number(o.position),
        o.length === undefined ? null : Number(o.length),
      )
      return { data: enc ? text : wx.base64ToArrayBuffer(text) }
    },
  ],
  writeFile: [
    ['filePath', 'data', 'encoding'],
    (o) => {
      const [data, enc] = toWire(o.data, o.encoding)
      native.fsWrite(needString('filePath', o.filePath), data, enc, false)
    },
  ],
  appendFile: [
    ['filePath', 'data', 'encoding'],
    (o) => {
      const [data, enc] = toWire(o.data, o.encoding)
      native.fsWrite(needString('filePath', o.filePath), data, enc, true)
    },
  ],
  mkdir: [['dirPath', 'recursive'], (o) => native.fsMkdir(needString('dirPath', o.dirPath), !!o.recursive)],
  rmdir: [['dirPath', 'recursive'], (o) => native.fsRmdir(needString('dirPath', o.dirPath), !!o.recursive)],
  readdir: [['dirPath'], (o) => ({ files: native.fsReaddir(needString('dirPath', o.dirPath)) })],
  unlink: [['filePath'], (o) => native.fsUnlink(needString('filePath', o.filePath))],
  rename: [
    ['oldPath', 'newPath'],
    (o) => native.fsRename(needString('oldPath', o.oldPath), needString('newPath', o.newPath)),
  ],
  copyFile: [
    ['srcPath', 'destPath'],
    (o) => native.fsCopy(needString('srcPath', o.srcPath), needString('destPath', o.destPath)),
  ],
  access: [['path'], (o) => native.fsAccess(needString('path', o.path))],
  stat: [['path'], (o) => ({ stats: makeStats(native.fsStat(needString('path', o.path))) })],
  getFileInfo: [['filePath'], (o) => ({ size: makeStats(native.fsStat(needString('filePath', o.filePath))).size })],
}

// What the Sync twin returns from the async result.
const FS_SYNC_RESULT = { readFile: (r) => r.data, readdir: (r) => r.files, stat: (r) => r.stats }

let fileSystemManager = null

wx.getFileSystemManager = function getFileSystemManager() {
  if (fileSystemManager) return fileSystemManager
  const m = {}
  for (const name of Object.keys(FS_OPS)) {
    const [argNames, run] = FS_OPS[name]
    m[name] = (options) =>
      wxAsync(name, options, (o, finish) => {
        const r = fsCall(() => run(o))
        if (r.reason) finish(r.reason)
        else finish(null, r.value || {})
      })
    if (name === 'getFileInfo') continue
    m[`${name}Sync`] = (...args) => {
      const o = {}
      argNames.forEach((k, i) => {
        if (args[i] !== undefined) o[k] = args[i]
      })
      const r = fsCall(() => run(o))
      if (r.reason) wxThrow(`${name}Sync`, r.reason)
      const pick = FS_SYNC_RESULT[name]
      return pick ? pick(r.value) : undefined
    }
  }
  fileSystemManager = m
  return m
}

export { fsFailure, needString }
