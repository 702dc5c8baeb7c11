// app.js — the framework layer the adapter leaves to us: App(), getApp(), getCurrentPages(),
// the page stack and page lifecycles, component `ready`, and App.onError.

import * as glassEasel from 'glass-easel'
import { native } from './bridge.js'
import { listenerList } from './listeners.js'
import { callHook, errorListeners, onUncaughtError, reportError } from './errors.js'
import { config } from './window_config.js'
import { backendContext, runRenderCallbacks, setWechatOnlyTags } from './backend.js'
import { animate, clearAnimation } from './wxs_runtime.js'
import { setPackageLoader } from './modules.js'
import { appInstance, setAppInstance } from './app_instance.js'
import { secureWx, setSupportedComponents, wx } from './wx.js'
import {
  addComponents,
  associateBackend,
  codeSpace,
  createCodeSpace,
  ensurePackageFor,
  initPackages,
  setMainStarter,
  startMainPackage,
  subpackageOf,
} from './packages.js'
import {
  PageOpenError,
  createPage,
  fetchSubpackage,
  hidePage,
  initRouter,
  knownPages,
  loadPage,
  preparePage,
  routeQueue,
  runRoutes,
  showPage,
  takePendingReadyPages,
} from './router.js'
import { pageStack, topPage } from './page_stack.js'
import { initWindow, publishTabBar } from './window.js'
import { initSystem } from './system.js'
import { installRefused } from './shell.js'
import { performanceNavigation, performancePageReady } from './performance.js'
import { installCustomApis } from './host.js'
import { initNetwork } from './network.js'
import { initAuth } from './auth.js'
import { selectorQueryFor } from './selector_query.js'
import { IntersectionObserver, checkIntersections, intersectionObservers } from './observers.js'
import { initAutomation } from './automation.js'

let launchOptions = null
let enterOptions = null
let appVisible = true
let pendingReady = []
const appShowListeners = listenerList()
const appHideListeners = listenerList()
const pageNotFoundListeners = listenerList()
const rejectionListeners = listenerList()

setPackageLoader({ ensurePackageFor, subpackageOf, fetchSubpackage })
setMainStarter(startApp)
onUncaughtError((text) => {
  if (appInstance && typeof appInstance.onError === 'function') appInstance.onError.call(appInstance, text)
})

// -- App / getApp / getCurrentPages -----------------------------------------------------------
function App(def) {
  if (appInstance) {
    console.error('App() can only be called once, in app.js; this call is ignored')
    return appInstance
  }
  if (def === null || typeof def !== 'object') throw new TypeError('App(): options must be an object')
  setAppInstance(Object.assign({}, def))
  return appInstance
}
function getApp(opts) {
  if (!appInstance && opts && opts.allowDefault) {
    setAppInstance({})
  }
  return appInstance || undefined
}
globalThis.App = App
globalThis.getApp = getApp

// -- registration -----------------------------------------------------------------------------
// `components`: [{path, json, isPage, hasTemplate, hasStyle}] from the core; `templates`: the compiled
// template group. Registers every static config and template, then runs app.js and each module.
function init(cfg, templates) {
  Object.assign(config, cfg.window || {})
  initRouter(cfg)
  initPackages(cfg)
  initWindow(cfg)
  initSystem(cfg)
  initNetwork(cfg)
  initAuth(cfg)
  initAutomation(cfg)
  setSupportedComponents(cfg.builtInTags || [])
  setWechatOnlyTags(cfg.wechatOnlyTags || [])
  installRefused(cfg.apis || {})
  installCustomApis(cfg.apis || {})
  secureWx(cfg.apis || {})
  glassEasel.addGlobalErrorListener((err, method) => {
    // glass-easel names handler failures 'listener <minified name>'
    reportError(err, !method ? 'component' : /^listener\b/.test(method) ? 'event handler' : method)
    return false
  })
  glassEasel.addGlobalWarningListener((msg) => {
    native.log('warn', String(msg))
    return false
  })
  // ids reach the backend (for `#id` rules and the host); the backend drops the prefix
  glassEasel.globalOptions.writeIdToDOM = true
  // Mini-program code reaches fields through `this.data`, never on the node; writing them to
  // the node breaks components with a property named like a node field (vant's `dataset`).
  glassEasel.globalOptions.writeFieldsToNode = false
  // A value that refers to itself (component libraries such as lin-ui keep related component
  // instances in their data) cannot be deep-copied into the template's data as glass-easel
  // copies it: that call keeps its values by reference instead (glass-easel's own `none`
  // copy kind, 0), as WeChat runs these libraries. Everything else is still copied.
  const setData = glassEasel.Component.prototype.setData
  glassEasel.Component.prototype.setData = function (data) {
    const group = this._$dataGroup
    if (!group || !findCycle(data)) return setData.call(this, data)
    const kind = group._$dataDeepCopy
    group._$dataDeepCopy = 0
    try {
      return setData.call(this, data)
    } finally {
      group._$dataDeepCopy = kind
    }
  }
  // glass-easel forwards `data-*` to the backend only in shadow mode; the core mirrors them
  // (BackendElement.setDataset)
  const setDataset = glassEasel.Element.prototype.setDataset
  glassEasel.Element.prototype.setDataset = function (name, value) {
    setDataset.call(this, name, value)
    const be = this.getBackendElement()
    if (be && be.setDataset) be.setDataset(name, value)
  }
  createCodeSpace()
  // glass-easel never fires `ready`: queue every component when it is attached and fire
  // `ready` child-first after the frame that shows it.
  codeSpace.setOverallBehavior(
    codeSpace
      .behavior()
      .lifetime('created', function () {
        // queries answered from the core's layout (selector_query.js), with computedStyle
        this.createSelectorQuery = () => selectorQueryFor(this)
        // WeChat's renderer name: this runtime lays pages out as its WebView mode does
        this.renderer = 'webview'
        this.createIntersectionObserver = (options) => new IntersectionObserver(this._$, options)
        this.animate = animate
        this.clearAnimation = clearAnimation
      })
      .lifetime('attached', function () {
        pendingReady.push(this._$)
        native.wantAfterFrame()
      })
      .register()._$,
  )
  // Style sheets are keyed by package path without `.wxss`; the adapter appends each page's
  // (app first, then its components', then its own) with the scope it gave the component.
  if (cfg.appStyle) codeSpace.addStyleSheet('app', 'app')
  native.setSharedStyleScope(codeSpace._$sharedStyleScope)
  addComponents(cfg.components, templates)
  associateBackend(backendContext)
}

// -- app launch, show and hide -----------------------------------------------------------------
function appOptions(opts) {
  return {
    path: opts.path,
    query: Object.assign({}, opts.query),
    scene: opts.scene,
    referrerInfo: Object.assign({}, opts.referrerInfo),
  }
}

// Launch: App.onLaunch -> App.onShow -> the entry page. An unknown entry page goes to
// App.onPageNotFound, which may redirect synchronously (wx.redirectTo/reLaunch inside it).
// Returns false when the entry page does not exist and nothing redirected, or why the entry
// page cannot open.
function launch(opts) {
  performanceNavigation('appLaunch')
  launchOptions = appOptions(opts)
  enterOptions = appOptions(opts)
  const sub = subpackageOf(opts.path)
  if (sub && sub.independent) appShowListeners.emit(appOptions(opts), 'wx.onAppShow listener')
  if (knownPages.has(opts.path)) {
    const why = preparePage(opts.path) // app.js, the page's modules, then App.onLaunch
    if (why) return new PageOpenError(opts.path, why).message // the launch fails with it
    try {
      loadPage(createPage(opts.path, Object.assign({}, opts.query)))
    } catch (err) {
      if (err instanceof PageOpenError) return err.message
      throw err
    }
    publishTabBar()
    return true
  }
  if (!sub || !sub.independent) startMainPackage()
  const info = { path: opts.path, query: Object.assign({}, opts.query), isEntryPage: true }
  const queued = routeQueue.length
  if (appInstance) callHook(appInstance, 'onPageNotFound', [info])
  pageNotFoundListeners.emit(info, 'wx.onPageNotFound listener')
  if (routeQueue.length > queued) {
    runRoutes()
    return pageStack.length > 0
  }
  return false
}

// App.onLaunch and App.onShow with the launch options, once, after app.js ran
// (packages.js runs it when the first page of the main package opens).
let mainStarted = false
function startApp() {
  if (mainStarted) return
  mainStarted = true
  if (appInstance) {
    callHook(appInstance, 'onLaunch', [appOptions(launchOptions)])
    callHook(appInstance, 'onShow', [appOptions(launchOptions)])
  }
  appShowListeners.emit(appOptions(launchOptions), 'wx.onAppShow listener')
}

// The host moved the app to the background: current page onHide, then App.onHide.
function appHide() {
  if (!appVisible) return false
  appVisible = false
  const top = topPage()
  if (top) hidePage(top)
  if (appInstance) callHook(appInstance, 'onHide')
  appHideListeners.emit(undefined, 'wx.onAppHide listener')
  return true
}

// Back to the foreground: App.onShow, then the current page onShow.
function appShow(opts) {
  if (appVisible) return false
  appVisible = true
  enterOptions = appOptions(
    Object.assign({}, launchOptions, opts || {}, { path: topPage() ? topPage().route : launchOptions.path }),
  )
  if (appInstance) callHook(appInstance, 'onShow', [appOptions(enterOptions)])
  appShowListeners.emit(appOptions(enterOptions), 'wx.onAppShow listener')
  const top = topPage()
  if (top) showPage(top)
  return true
}

// The host's back button: navigateBack({delta: 1}); false when already at the first page.
function systemBack() {
  if (pageStack.length <= 1) return false
  routeQueue.push({ api: 'navigateBack', opts: { delta: 1 }, finish: () => {} })
  runRoutes()
  return true
}

wx.getLaunchOptionsSync = () => appOptions(launchOptions || {})
wx.getEnterOptionsSync = () => appOptions(enterOptions || launchOptions || {})
wx.onAppShow = (fn) => appShowListeners.on(fn)
wx.offAppShow = (fn) => appShowListeners.off(fn)
wx.onAppHide = (fn) => appHideListeners.on(fn)
wx.offAppHide = (fn) => appHideListeners.off(fn)
wx.onError = (fn) => errorListeners.on(fn)
wx.offError = (fn) => errorListeners.off(fn)
wx.onPageNotFound = (fn) => pageNotFoundListeners.on(fn)
wx.offPageNotFound = (fn) => pageNotFoundListeners.off(fn)
wx.onUnhandledRejection = (fn) => rejectionListeners.on(fn)
wx.offUnhandledRejection = (fn) => rejectionListeners.off(fn)

function isComposedAncestor(a, b) {
  for (let cur = b.getComposedParent(); cur; cur = cur.getComposedParent()) {
    if (cur === a) return true
  }
  return false
}

// `attached` arrives parent-first in document order; `ready` runs children first with siblings
// in document order (post-order), as WeChat does.
function readyOrder(attachOrder) {
  const out = []
  const stack = []
  for (const c of attachOrder) {
    while (stack.length && !isComposedAncestor(stack[stack.length - 1], c)) out.push(stack.pop())
    stack.push(c)
  }
  while (stack.length) out.push(stack.pop())
  return out
}

// A page's data as the host reads it (`pages()`): JSON-like, so a value that refers to itself
// (kept by reference, see setData above) is written "[Circular]" where it comes back.
export function dataForHost(data) {
  if (!findCycle(data)) return data
  const open = []
  function copy(v, depth) {
    if (v === null || typeof v !== 'object') return v
    if (open.indexOf(v) >= 0) return '[Circular]'
    if (depth > 1000) return null
    open.push(v)
    try {
      if (Array.isArray(v)) return v.map((x) => copy(x, depth + 1))
      const out = {}
      for (const k of Object.keys(v)) out[k] = copy(v[k], depth + 1)
      return out
    } finally {
      open.pop()
    }
  }
  return copy(data, 0)
}

// The path of the first property whose value is an object enclosing it, if any (depth-bounded).
function findCycle(data) {
  const open = []
  function walk(v, path, depth) {
    if (v === null || typeof v !== 'object' || depth > 1000) return null
    if (open.indexOf(v) >= 0) return path
    open.push(v)
    try {
      for (const k of Object.keys(v)) {
        const found = walk(v[k], path ? path + (Array.isArray(v) ? '[' + k + ']' : '.' + k) : k, depth + 1)
        if (found) return found
      }
    } finally {
      open.pop()
    }
    return null
  }
  return walk(data, '', 0)
}

// After the host applied a frame: setData callbacks, then component `ready` (child-first),
// then `onReady` of pages shown for the first time. Returns true when anything ran.
function afterFrame() {
  let ran = runRenderCallbacks() > 0
  if (intersectionObservers.size) checkIntersections(Date.now())
  if (runRoutes()) {
    // the route drew a new frame: ready/onReady run after that one
    native.wantAfterFrame()
    return true
  }
  const comps = pendingReady
  pendingReady = []
  for (const c of readyOrder(comps)) {
    if (glassEasel.Element.isAttached(c)) {
      c.triggerLifetime('ready', [])
      ran = true
    }
  }
  const pages = takePendingReadyPages()
  for (const p of pages) {
    if (pageStack.includes(p)) {
      performancePageReady(p)
      callHook(p.caller, 'onReady')
      ran = true
    }
  }
  return ran
}

// A promise was rejected and nothing handled it by the end of the task. Returns true when
// App.onUnhandledRejection or a wx.onUnhandledRejection listener took it; otherwise the core
// records it as an uncaught error (once, with its location and stack).
function unhandledRejection(reason, promise) {
  const hasHook = appInstance && typeof appInstance.onUnhandledRejection === 'function'
  rejectionListeners.emit({ reason, promise }, 'wx.onUnhandledRejection listener')
  if (hasHook) callHook(appInstance, 'onUnhandledRejection', [{ reason, promise }])
  return !!(hasHook || rejectionListeners.size)
}

export { afterFrame, appHide, appShow, init, launch, systemBack, unhandledRejection }
