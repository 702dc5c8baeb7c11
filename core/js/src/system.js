// system.js — system and app information from the host's configuration, and base utilities.

import { reportError } from './errors.js'
import { setWxErrors, wx, wxAsync, wxThrow } from './wx.js'
import { config } from './window_config.js'

let host = {}

function initSystem(cfg) {
  host = Object.assign(
    {
      platform: 'devtools',
      brand: 'miniapp',
      model: 'headless',
      system: 'miniapp',
      language: 'zh_CN',
      statusBarHeight: 20,
      appId: '',
      envVersion: 'release',
      version: '',
      SDKVersion: '3.3.4',
      fontSizeSetting: 16,
    },
    cfg.host || {},
  )
  setWxErrors(cfg.errors || {})
  installWxConfig(cfg)
}

// WeChat's `__wxConfig` global: the app's configuration as its logic layer sees it, which apps
// read for the environment (`envVersion`: develop, trial or release, as the host says), their
// app id, and their `app.json` settings (pages as `route.html` keys, as WeChat writes them).
function installWxConfig(cfg) {
  const page = {}
  for (const c of cfg.components || []) {
    if (!c.isPage) continue
    // a page's JSON is its window settings, beside the components it uses
    const window = Object.assign({}, c.json)
    for (const key of ['usingComponents', 'componentGenerics', 'component', 'styleIsolation']) delete window[key]
    page[`${c.path}.html`] = { window }
  }
  const copy = (v) => (v === undefined || v === null ? undefined : JSON.parse(JSON.stringify(v)))
  globalThis.__wxConfig = {
    envVersion: host.envVersion,
    platform: host.platform,
    accountInfo: { appId: host.appId, nickname: '', icon: '' },
    pages: (cfg.pages || []).slice(),
    entryPagePath: cfg.entryPage ? `${cfg.entryPage}.html` : undefined,
    global: { window: copy(cfg.appWindow) || {} },
    tabBar: copy(cfg.tabBar),
    subPackages: copy(cfg.subpackages) || [],
    networkTimeout: copy(cfg.networkTimeout),
    page,
  }
}

function windowInfo() {
  const w = config.windowWidth
  const h = config.windowHeight
  const top = host.statusBarHeight
  // Insets the host reported with a resize (notch, home indicator), else the status bar only.
  const inset = config.safeAreaInsets || {}
  const safeTop = Math.max(top, Number(inset.top) || 0)
  const left = Number(inset.left) || 0
  const right = w - (Number(inset.right) || 0)
  const bottom = h - (Number(inset.bottom) || 0)
  return {
    pixelRatio: config.pixelRatio,
    screenWidth: w,
    screenHeight: h,
    windowWidth: w,
    windowHeight: h,
    statusBarHeight: top,
    screenTop: 0,
    safeArea: { left, right, top: safeTop, bottom, width: right - left, height: bottom - safeTop },
  }
}

function deviceInfo() {
  return {
    brand: host.brand,
    model: host.model,
    system: host.system,
    platform: host.platform,
    benchmarkLevel: -1,
    abi: '',
    deviceAbi: '',
    cpuType: '',
    memorySize: 0,
  }
}

function appBaseInfo() {
  return {
    SDKVersion: host.SDKVersion,
    enableDebug: false,
    host: { appId: host.hostAppId || '' },
    language: host.language,
    version: host.version,
    theme: config.theme,
    fontSizeSetting: host.fontSizeSetting,
  }
}

wx.getWindowInfo = () => windowInfo()
wx.getDeviceInfo = () => deviceInfo()
wx.getAppBaseInfo = () => appBaseInfo()
wx.getSystemInfoSync = () =>
  Object.assign({}, deviceInfo(), windowInfo(), appBaseInfo(), { version: host.version || '8.0.0' })
wx.getSystemInfo = (options) => wxAsync('getSystemInfo', options, (o, finish) => finish(null, wx.getSystemInfoSync()))
wx.getAccountInfoSync = () => ({
  miniProgram: { appId: host.appId, envVersion: host.envVersion, version: host.version },
  plugin: {},
})
wx.env = { USER_DATA_PATH: 'wxfile://usr' }

// Runs `fn` after the current synchronous work (and its setData) but before the next task.
wx.nextTick = (fn) => {
  if (typeof fn !== 'function') wxThrow('nextTick', { key: 'invalidParameter', detail: 'callback should be Function' })
  Promise.resolve().then(() => {
    try {
      fn()
    } catch (err) {
      reportError(err, 'nextTick callback')
    }
  })
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

wx.arrayBufferToBase64 = (buffer) => {
  if (!(buffer instanceof ArrayBuffer) && !ArrayBuffer.isView(buffer)) {
    wxThrow('arrayBufferToBase64', { key: 'invalidParameter', detail: 'arrayBuffer should be ArrayBuffer' })
  }
  const bytes =
    buffer instanceof ArrayBuffer
      ? new Uint8Array(buffer)
      : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0)
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63]
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : '='
    out += i + 2 < bytes.length ? B64[n & 63] : '='
  }
  return out
}

wx.base64ToArrayBuffer = (text) => {
  if (typeof text !== 'string')
    wxThrow('base64ToArrayBuffer', { key: 'invalidParameter', detail: 'base64 should be String' })
  const clean = text.replace(/[\s=]/g, '')
  if (/[^A-Za-z0-9+/]/.test(clean))
    wxThrow('base64ToArrayBuffer', { key: 'invalidParameter', detail: 'not a base64 string' })
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4))
  let bits = 0
  let value = 0
  let j = 0
  for (const ch of clean) {
    value = (value << 6) | B64.indexOf(ch)
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[j++] = (value >> bits) & 255
    }
  }
  return out.buffer.slice(0, j)
}

export { host, initSystem }
