// shell.js — what WeChat's shell around a mini program answers without a device: the capsule
// (menu button) geometry, the share menu and home button state, the update manager, the
// third-party platform's ext config, analytics reports, theme changes, `wx.cloud` (refused),
// and the refusal of every WeChat API this runtime does not have.

import { native } from './bridge.js'
import { listenerList } from './listeners.js'
import { callHook, reportError } from './errors.js'
import { formatValue } from './console.js'
import { checkParam, resultOf, runCallback, wx, wxAsync, wxThrow } from './wx.js'
import { appInstance } from './app_instance.js'
import { topPage } from './page_stack.js'
import { host } from './system.js'
import { callHost } from './host.js'
import { config } from './window_config.js'

// The capsule WeChat draws at the top right: 87x32 px, 7 px from the right edge, 4 px below
// the status bar (what WeChat reports on a 375 px wide phone; the navigation bar is 44 px).
const CAPSULE = { width: 87, height: 32, marginRight: 7, marginTop: 4 }
wx.getMenuButtonBoundingClientRect = function getMenuButtonBoundingClientRect() {
  const right = config.windowWidth - CAPSULE.marginRight
  const top = host.statusBarHeight + CAPSULE.marginTop
  return {
    width: CAPSULE.width,
    height: CAPSULE.height,
    top,
    right,
    bottom: top + CAPSULE.height,
    left: right - CAPSULE.width,
  }
}

// The share menu's state (wx.showShareMenu and friends). The home button is the host's to
// draw: wx.hideHomeButton only succeeds.
const shareMenu = { shown: true, withShareTicket: false, menus: ['shareAppMessage'] }
wx.showShareMenu = (options) =>
  wxAsync('showShareMenu', options, (o, finish) => {
    shareMenu.shown = true
    if (o.withShareTicket !== undefined) shareMenu.withShareTicket = !!o.withShareTicket
    if (Array.isArray(o.menus)) shareMenu.menus = o.menus.map(String)
    finish(null)
  })
wx.hideShareMenu = (options) =>
  wxAsync('hideShareMenu', options, (o, finish) => {
    shareMenu.shown = false
    finish(null)
  })
wx.updateShareMenu = (options) =>
  wxAsync('updateShareMenu', options, (o, finish) => {
    if (o.withShareTicket !== undefined) shareMenu.withShareTicket = !!o.withShareTicket
    finish(null)
  })
wx.hideHomeButton = (options) =>
  wxAsync('hideHomeButton', options, (o, finish) => {
    finish(null)
  })

// The update manager. A host whose configuration says `checksUpdates` reports where its update
// stands with `update` host events (noUpdate, available, ready, failed); otherwise the package
// the host opened is the one to run, so the check finds nothing. What happened before a
// listener was added is replayed to it (apps add them in onLaunch, the check may be done).
const updateStatus = { hasUpdate: null, outcome: null }
const updateListeners = { check: listenerList(), ready: listenerList(), failed: listenerList() }

function updateReplay(fn, arg, where) {
  setTimeout(() => {
    try {
      fn(arg)
    } catch (err) {
      reportError(err, where)
    }
  }, 0)
}

// Called by the core for each `update` host event.
function updateState(state) {
  if (state === 'noUpdate' || state === 'available') {
    updateStatus.hasUpdate = state === 'available'
    updateListeners.check.emit({ hasUpdate: updateStatus.hasUpdate }, 'UpdateManager.onCheckForUpdate')
    return true
  }
  if (state !== 'ready' && state !== 'failed') return false
  if (updateStatus.hasUpdate !== true) updateState('available')
  updateStatus.outcome = state
  if (state === 'ready') updateListeners.ready.emit(undefined, 'UpdateManager.onUpdateReady')
  else updateListeners.failed.emit(undefined, 'UpdateManager.onUpdateFailed')
  return true
}

let updateManager = null
wx.getUpdateManager = function getUpdateManager() {
  if (updateManager) return updateManager
  if (!host.checksUpdates && updateStatus.hasUpdate === null) updateStatus.hasUpdate = false
  updateManager = {
    onCheckForUpdate(fn) {
      updateListeners.check.on(fn)
      if (typeof fn === 'function' && updateStatus.hasUpdate !== null) {
        updateReplay(fn, { hasUpdate: updateStatus.hasUpdate }, 'UpdateManager.onCheckForUpdate')
      }
    },
    onUpdateReady(fn) {
      updateListeners.ready.on(fn)
      if (typeof fn === 'function' && updateStatus.outcome === 'ready')
        updateReplay(fn, undefined, 'UpdateManager.onUpdateReady')
    },
    onUpdateFailed(fn) {
      updateListeners.failed.on(fn)
      if (typeof fn === 'function' && updateStatus.outcome === 'failed')
        updateReplay(fn, undefined, 'UpdateManager.onUpdateFailed')
    },
    // Restarts on the new version: the host does it (it closes this instance and launches the
    // version it installed), asked by the host call `applyUpdate`.
    applyUpdate() {
      if (updateStatus.outcome !== 'ready') {
        console.warn('UpdateManager.applyUpdate: no update is ready (wait for onUpdateReady)')
        return
      }
      callHost('applyUpdate', {}, (reason) => {
        if (reason) console.warn(`UpdateManager.applyUpdate: ${reason}`)
      })
    },
  }
  return updateManager
}

// Third-party platform ext config (`ext.json`); a package without one has `{}`.
function extConfig() {
  return Object.assign({}, (host.extConfig && typeof host.extConfig === 'object' && host.extConfig) || {})
}
wx.getExtConfigSync = () => extConfig()
wx.getExtConfig = (options) => wxAsync('getExtConfig', options, (o, finish) => finish(null, { extConfig: extConfig() }))

// Analytics: WeChat sends these to its own backend; here they are debug log lines.
for (const api of ['reportAnalytics', 'reportEvent', 'reportMonitor', 'reportPerformance']) {
  wx[api] = function (name, data) {
    native.log('debug', `wx.${api} ${String(name)} ${formatValue(data === undefined ? null : data)}`)
  }
}

// Log managers: WeChat keeps these logs for the developer's feedback page and admin console;
// here they are the app's console output, at their level.
function logWriter(prefix, levels) {
  const out = {}
  for (const [method, level] of levels) {
    out[method] = (...args) => native.log(level, `${prefix} ${args.map(formatValue).join(' ')}`)
  }
  return out
}
wx.getLogManager = () =>
  logWriter('[LogManager]', [
    ['debug', 'debug'],
    ['info', 'info'],
    ['log', 'log'],
    ['warn', 'warn'],
  ])
wx.getRealtimeLogManager = function getRealtimeLogManager() {
  const manager = logWriter('[RealtimeLog]', [
    ['info', 'info'],
    ['warn', 'warn'],
    ['error', 'error'],
  ])
  manager.setFilterMsg = () => {}
  manager.addFilterMsg = () => {}
  manager.in = () => manager
  manager.tag = (tag) =>
    logWriter(`[RealtimeLog ${String(tag)}]`, [
      ['info', 'info'],
      ['warn', 'warn'],
      ['error', 'error'],
    ])
  return manager
}

// Device settings and what the user allowed the host app: a headless host has them on.
wx.getSystemSetting = () => ({
  bluetoothEnabled: false,
  locationEnabled: true,
  wifiEnabled: true,
  deviceOrientation: config.windowWidth > config.windowHeight ? 'landscape' : 'portrait',
})
wx.getAppAuthorizeSetting = () => ({
  albumAuthorized: 'authorized',
  bluetoothAuthorized: 'not determined',
  cameraAuthorized: 'authorized',
  locationAuthorized: 'authorized',
  locationReducedAccuracy: false,
  microphoneAuthorized: 'authorized',
  notificationAuthorized: 'authorized',
  phoneCalendarAuthorized: 'not determined',
})

// Background fetch: WeChat's servers prefetch the app's data with this token while the app is
// closed. The token is kept; no prefetched data ever arrives here.
let backgroundFetchToken = ''
wx.setBackgroundFetchToken = (options) =>
  wxAsync('setBackgroundFetchToken', options, (o, finish) => {
    const bad = checkParam(o, 'token', 'String')
    if (bad) return finish(bad)
    backgroundFetchToken = o.token
    finish(null)
  })
wx.getBackgroundFetchToken = (options) =>
  wxAsync('getBackgroundFetchToken', options, (o, finish) => finish(null, { token: backgroundFetchToken }))
wx.getBackgroundFetchData = (options) =>
  wxAsync('getBackgroundFetchData', options, (o, finish) => finish('no background fetch data'))
const backgroundFetchListeners = listenerList()
wx.onBackgroundFetchData = (fn) => backgroundFetchListeners.on(fn)

// Theme changes (`darkmode`): listeners hear `{theme}` when the host reports one.
const themeListeners = listenerList()
wx.onThemeChange = (fn) => themeListeners.on(fn)
wx.offThemeChange = (fn) => themeListeners.off(fn)

// The host switched between light and dark: App.onThemeChange, wx.onThemeChange listeners,
// then the visible page's onThemeChange; getSystemInfo's `theme` follows.
function themeChanged(info) {
  const theme = info.theme === 'dark' ? 'dark' : 'light'
  if (config.theme === theme) return false
  config.theme = theme
  if (appInstance) callHook(appInstance, 'onThemeChange', [{ theme }])
  themeListeners.emit({ theme }, 'wx.onThemeChange listener')
  const page = topPage()
  if (page && typeof page.caller.onThemeChange === 'function') callHook(page.caller, 'onThemeChange', [{ theme }])
  return true
}

// The soft keyboard changed height (px, 0 when hidden): wx.onKeyboardHeightChange listeners.
const keyboardListeners = listenerList()
wx.onKeyboardHeightChange = (fn) => keyboardListeners.on(fn)
wx.offKeyboardHeightChange = (fn) => keyboardListeners.off(fn)
function keyboardHeightChanged(info) {
  keyboardListeners.emit({ height: Number(info.height) || 0 }, 'wx.onKeyboardHeightChange listener')
  return true
}

// The system is short of memory: wx.onMemoryWarning listeners hear `{level}` (Android's
// TRIM_MEMORY level; iOS sends none).
const memoryListeners = listenerList()
wx.onMemoryWarning = (fn) => memoryListeners.on(fn)
wx.offMemoryWarning = (fn) => memoryListeners.off(fn)
function memoryWarning(info) {
  memoryListeners.emit(info.level === undefined ? {} : { level: Number(info.level) }, 'wx.onMemoryWarning listener')
  return true
}

// The window changed size (also reported to the page as onResize).
const windowResizeListeners = listenerList()
wx.onWindowResize = (fn) => windowResizeListeners.on(fn)
wx.offWindowResize = (fn) => windowResizeListeners.off(fn)

// wx.cloud: WeChat's own cloud backend, not reachable off WeChat. `init` warns; every call
// fails with `cloud.<method>:fail jsapi not supported`.
wx.cloud = new Proxy(
  {},
  {
    get(target, method) {
      if (typeof method !== 'string') return undefined
      if (method === 'init') {
        return () =>
          console.warn(
            'wx.cloud is WeChat Cloud Development, which only WeChat runs: cloud calls fail with "jsapi not supported"',
          )
      }
      if (method === 'database') return () => refusedChain('cloud.database')
      return (options) => wxAsync(`cloud.${method}`, options, (o, finish) => finish({ key: 'notSupported' }))
    },
  },
)

// A cloud database handle: every call chains (`db.collection('x').where({}).orderBy(…)`) and
// the chain, once awaited or given callbacks, fails with `cloud.database:fail jsapi not
// supported`.
function refusedChain(api) {
  const fail = () => resultOf(api, { key: 'notSupported' })
  const chain = new Proxy(function () {}, {
    get(target, key) {
      if (key === 'then') return (onOk, onFail) => Promise.reject(fail()).then(onOk, onFail)
      if (key === 'catch') return (onFail) => Promise.reject(fail()).catch(onFail)
      return chain
    },
    apply(target, self, args) {
      const o = args.find((a) => a && typeof a === 'object' && (a.fail || a.complete || a.success))
      if (o) {
        setTimeout(() => {
          runCallback(o.fail, fail(), api)
          runCallback(o.complete, fail(), api)
        }, 0)
      }
      return chain
    },
  })
  return chain
}

// Every WeChat API this runtime refuses (core/src/api/registry.rs REFUSED): present on `wx`,
// failing the way WeChat fails an API the client lacks.
function installRefused(registry) {
  for (const name of Object.keys(registry)) {
    const spec = registry[name]
    if (!spec.refused || wx[name] !== undefined) continue
    if (spec.kind === 'sync') {
      wx[name] = () => wxThrow(name, { key: 'notSupported' })
    } else if (spec.kind === 'event') {
      const on = name.startsWith('on')
      wx[name] = () => {
        if (on) console.warn(`wx.${name} is not supported here: its listener will never be called`)
      }
    } else {
      wx[name] = (options) => wxAsync(name, options, (o, finish) => finish({ key: 'notSupported' }))
    }
  }
}

export { installRefused, keyboardHeightChanged, memoryWarning, themeChanged, updateState, windowResizeListeners }
