// router.js — the page stack and routes, with WeChat's lifecycle order for each route
// (spec digest §2.8). Routes are queued and run one at a time, each as its own task after the
// task that asked for it; `success`/`fail` report the outcome.

import { errorText, native } from './bridge.js'
import { callHook, reportError } from './errors.js'
import { backendContext } from './backend.js'
import { checkParam, wx, wxAsync } from './wx.js'
import {
  associated,
  codeSpace,
  ensurePackageFor,
  loadedSubpackages,
  preloadFor,
  startMainPackage,
  subpackageOf,
} from './packages.js'
import { ensureComponent } from './module_env.js'
import { publishTabBar, publishWindow, resolvedWindow, tabBar } from './window.js'
import { performanceNavigation, performancePageCreated } from './performance.js'
import { callHost } from './host.js'
import { pageStack, topPage } from './page_stack.js'

const MAX_PAGES = 10
const danglingTabs = new Map() // tab route -> page kept alive while another tab is shown
const routeQueue = []
let knownPages = new Set()
let tabPages = new Set()
let pageSeq = 0
let pendingReadyPages = []

// The app's pages and tab pages (app.json), as app.js's init hands them over.
function initRouter(cfg) {
  knownPages = new Set(cfg.pages || [])
  tabPages = new Set(cfg.tabPages || [])
}

// The pages waiting for their onReady, emptied.
function takePendingReadyPages() {
  const pages = pendingReadyPages
  pendingReadyPages = []
  return pages
}
let routing = false

function getCurrentPages() {
  return pageStack.map((p) => p.caller)
}
globalThis.getCurrentPages = getCurrentPages

function encodeQuery(query) {
  return Object.keys(query)
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(query[k])}`)
    .join('&')
}

function decodePart(s) {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '))
  } catch (_) {
    return s
  }
}

// "pages/a/a?x=1", "../b/b?y=2" or "/pages/c/c" against the current page -> {route, query}.
function parseUrl(url, base) {
  const [pathPart, queryPart = ''] = String(url).split('?', 2)
  let parts
  if (pathPart.startsWith('/')) parts = []
  else parts = base ? base.split('/').slice(0, -1) : []
  for (const seg of pathPart.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') parts.pop()
    else parts.push(seg)
  }
  const query = {}
  for (const pair of queryPart.split('&')) {
    if (!pair) continue
    const i = pair.indexOf('=')
    const k = i < 0 ? pair : pair.slice(0, i)
    query[decodePart(k)] = i < 0 ? '' : decodePart(pair.slice(i + 1))
  }
  return { route: parts.join('/'), query }
}

// -- page lifecycle steps ---------------------------------------------------------------------
// A page whose own module failed (threw, or never called Page()) cannot open; the failure
// was reported when it happened.
class PageOpenError extends Error {
  constructor(route, why) {
    super(`page "${route}" cannot open: ${why}`)
    this.name = 'PageOpenError'
  }
}

// Loads what page `route` needs (its package, its and its components' modules, children first)
// and reports, once, the package problems in the files it uses. Null when it can open,
// otherwise why it cannot.
function preparePage(route) {
  ensurePackageFor(route)
  native.reportPageProblems(route)
  // WeChat registers the page's modules before App.onLaunch when the page is the first one
  const why = ensureComponent(route)
  const sub = subpackageOf(route)
  if (!sub || !sub.independent) startMainPackage()
  return why
}

function createPage(route, query, opener) {
  const failure = preparePage(route)
  if (failure) throw new PageOpenError(route, failure)
  const qs = encodeQuery(query)
  let root
  try {
    root = associated.createRoot('page', codeSpace, qs ? `${route}?${qs}` : route)
  } catch (err) {
    reportError(err, `${route}.wxml`)
    throw new PageOpenError(route, `its template threw ${err instanceof Error ? err.name : 'Error'}: ${errorText(err)}`)
  }
  const comp = root.getComponent()
  const caller = root.get()
  const page = { id: ++pageSeq, route, query, root, comp, caller, host: comp.getBackendElement(), channel: null }
  performancePageCreated(page)
  caller.route = route
  caller.__route__ = route
  caller.options = Object.assign({}, query)
  if (opener) {
    page.channel = opener
    caller.getOpenerEventChannel = () => opener
  } else {
    caller.getOpenerEventChannel = () => new EventChannel()
  }
  if (page.host) native.setAttribute(page.host._id, 'route', route)
  page.window = resolvedWindow(route)
  publishWindow(page)
  const rootElement = backendContext.getRootNode()
  const placeholder = backendContext.createElement('wx-placeholder', 'wx-placeholder')
  rootElement.appendChild(placeholder)
  root.attach(rootElement, placeholder) // created (above) and attached lifetimes
  placeholder.release()
  mountCustomTabBar(page)
  return page
}

// `tabBar.custom`: each tab page has its own `custom-tab-bar/index`, the page's last child
// (its styles place it, usually `position: fixed; bottom: 0`); `this.getTabBar()` returns it.
const CUSTOM_TAB_BAR = 'custom-tab-bar/index'
function mountCustomTabBar(page) {
  page.caller.getTabBar = () => (page.tabBar ? page.tabBar.get() : null)
  if (!tabBar || !tabBar.custom || !tabPages.has(page.route) || !page.host) return
  if (ensureComponent(CUSTOM_TAB_BAR)) return // its module failed: reported already
  try {
    page.tabBar = associated.createRoot('custom-tab-bar', codeSpace, CUSTOM_TAB_BAR)
  } catch (err) {
    reportError(err, `${CUSTOM_TAB_BAR}.wxml`)
    return
  }
  const placeholder = backendContext.createElement('wx-placeholder', 'wx-placeholder')
  page.host.appendChild(placeholder)
  page.tabBar.attach(page.host, placeholder)
  placeholder.release()
}

function showPage(page) {
  page.comp.triggerPageLifetime('show', [])
  callHook(page.caller, 'onShow')
}

function hidePage(page) {
  callHook(page.caller, 'onHide')
  page.comp.triggerPageLifetime('hide', [])
}

function loadPage(page) {
  pageStack.push(page)
  callHook(page.caller, 'onLoad', [Object.assign({}, page.query)])
  showPage(page)
  pendingReadyPages.push(page)
  native.wantAfterFrame()
  preloadFor(page.route)
}

function unloadPage(page) {
  callHook(page.caller, 'onUnload')
  if (page.tabBar) page.tabBar.release()
  if (page.host && page.host._attached !== false) backendContext.getRootNode().removeChild(page.host)
  page.root.release() // detached lifetimes, then every node of the page is released
}

function parkTab(page) {
  backendContext.getRootNode().removeChild(page.host)
  page.host._attached = false
  danglingTabs.set(page.route, page)
}

function unparkTab(page) {
  danglingTabs.delete(page.route)
  backendContext.getRootNode().appendChild(page.host)
  page.host._attached = true
}

// -- routes -----------------------------------------------------------------------------------
// Each returns null on success or a failure reason (errMsg text after "<api>:fail ").
function checkTarget(api, route, { tab }) {
  if (!knownPages.has(route)) return `page "${route}" is not found`
  if (tab === false && tabPages.has(route)) return `can not ${api} a tabbar page`
  if (tab === true && !tabPages.has(route)) return 'can not switch to no-tabBar page'
  const why = danglingTabs.has(route) ? null : preparePage(route)
  return why && new PageOpenError(route, why).message
}

const routes = {
  navigateTo(opts, result) {
    const { route, query } = parseUrl(opts.url, topPage() && topPage().route)
    const bad = checkTarget('navigateTo', route, { tab: false })
    if (bad) return bad
    if (pageStack.length >= MAX_PAGES) return 'webview count limit exceed'
    const channel = new EventChannel()
    const opener = channel.pair()
    if (opts.events && typeof opts.events === 'object') {
      for (const name of Object.keys(opts.events)) channel.on(name, opts.events[name])
    }
    const prev = topPage()
    if (prev) hidePage(prev)
    loadPage(createPage(route, query, opener))
    result.eventChannel = channel
    return null
  },
  redirectTo(opts) {
    const { route, query } = parseUrl(opts.url, topPage() && topPage().route)
    const bad = checkTarget('redirectTo', route, { tab: false })
    if (bad) return bad
    const prev = pageStack.pop()
    if (prev) unloadPage(prev)
    loadPage(createPage(route, query))
    return null
  },
  navigateBack(opts) {
    if (pageStack.length <= 1) return 'cannot navigate back at first page.'
    const delta = Math.max(1, Math.floor(Number(opts.delta) || 1))
    const count = Math.min(delta, pageStack.length - 1)
    for (let i = 0; i < count; i++) unloadPage(pageStack.pop())
    showPage(topPage())
    return null
  },
  switchTab(opts) {
    const { route } = parseUrl(String(opts.url).split('?')[0], topPage() && topPage().route)
    const bad = checkTarget('switchTab', route, { tab: true })
    if (bad) return bad
    const startTop = topPage()
    const startLength = pageStack.length
    while (pageStack.length > 1) unloadPage(pageStack.pop())
    const bottom = pageStack[0]
    if (bottom && bottom.route === route) {
      if (startLength > 1) showPage(bottom)
      return null
    }
    if (bottom) {
      pageStack.pop()
      if (tabPages.has(bottom.route)) {
        if (bottom === startTop) hidePage(bottom)
        parkTab(bottom)
      } else {
        unloadPage(bottom)
      }
    }
    const parked = danglingTabs.get(route)
    if (parked) {
      unparkTab(parked)
      pageStack.push(parked)
      showPage(parked)
    } else {
      loadPage(createPage(route, {}))
    }
    return null
  },
  reLaunch(opts) {
    const { route, query } = parseUrl(opts.url, topPage() && topPage().route)
    const bad = checkTarget('reLaunch', route, {})
    if (bad) return bad
    while (pageStack.length) unloadPage(pageStack.pop())
    for (const page of danglingTabs.values()) unloadPage(page)
    danglingTabs.clear()
    loadPage(createPage(route, query))
    return null
  },
}

function requestRoute(api, options) {
  return wxAsync(api, options, (opts, finish) => {
    if (api !== 'navigateBack') {
      const bad = checkParam(opts, 'url', 'String')
      if (bad) return finish(bad)
    }
    routeQueue.push({ api, opts, finish })
    native.wantAfterFrame()
  })
}

// -- subpackages packed apart (miniapp pack --split-subpackages) ------------------------------
// A route (or require.async) into one not loaded yet waits while the host fetches its archive
// (the host call `loadSubpackage` {root, name, file, manifestSha256}, answered with {path}:
// where it saved it); the core verifies it, then the route runs. A fetch or archive that fails
// fails what waited (the next route there asks again).
const subpackageWaiters = new Map() // root -> callbacks waiting for its archive
const failedSubpackages = new Map() // root -> why (for the route that waited)

// Calls `done(failure)` once subpackage `sub` is here: at once when it is loaded, not packed
// apart or beside the main archive (then the core loads it now), else when the host fetched
// it. Throws when an archive beside the main one is refused.
function fetchSubpackage(sub, done) {
  const waiting = subpackageWaiters.get(sub.root)
  if (waiting) return waiting.push(done)
  const archive = loadedSubpackages.has(sub.root) ? null : native.subpackageToFetch(sub.root)
  if (!archive) return done(null)
  subpackageWaiters.set(sub.root, [done])
  const args = {
    root: sub.root,
    name: sub.name || sub.root,
    file: archive.file,
    manifestSha256: archive.manifestSha256,
  }
  callHost('loadSubpackage', args, (reason, res) => {
    let failure = reason
    if (!failure && !(res && typeof res.path === 'string')) failure = 'the host answered without a path'
    if (!failure) {
      try {
        native.subpackageFetched(sub.root, res.path)
      } catch (err) {
        failure = errorText(err)
      }
    }
    const why = failure && `subpackage "${sub.root}" could not be loaded: ${failure}`
    const callbacks = subpackageWaiters.get(sub.root) || []
    subpackageWaiters.delete(sub.root)
    for (const fn of callbacks) fn(why)
  })
}

function routeSubpackage(api, opts) {
  if (api === 'navigateBack') return null
  const url = api === 'switchTab' ? String(opts.url).split('?')[0] : opts.url
  const sub = subpackageOf(parseUrl(url, topPage() && topPage().route).route)
  return sub && !loadedSubpackages.has(sub.root) ? sub : null
}

function subpackageFetchFailure(api, opts) {
  const sub = routeSubpackage(api, opts)
  if (!sub || !failedSubpackages.has(sub.root)) return null
  const why = failedSubpackages.get(sub.root)
  failedSubpackages.delete(sub.root)
  return why
}

// True when the route must wait for its subpackage's archive.
function awaitSubpackage(api, opts) {
  const sub = routeSubpackage(api, opts)
  if (!sub) return false
  let here = false
  fetchSubpackage(sub, (why) => {
    here = true
    if (why) failedSubpackages.set(sub.root, why)
    native.wantAfterFrame() // the waiting routes run after this task
  })
  return !here
}

// Runs queued routes in order; a route asked for while one runs waits its turn.
function runRoutes() {
  if (routing) return false
  let ran = false
  routing = true
  try {
    while (routeQueue.length) {
      const entry = routeQueue.shift()
      const { api, opts, finish } = entry
      const result = {}
      let reason = null
      try {
        reason = subpackageFetchFailure(api, opts)
        if (!reason && awaitSubpackage(api, opts)) {
          routeQueue.unshift(entry) // runs when the archive is here
          break
        }
        if (!reason) {
          performanceNavigation(api)
          reason = routes[api](opts, result)
        }
      } catch (err) {
        reason = errorText(err)
        if (!(err instanceof PageOpenError)) reportError(err, api)
      }
      publishTabBar()
      finish(reason, result)
      ran = true
    }
  } finally {
    routing = false
  }
  return ran
}

for (const api of Object.keys(routes)) wx[api] = (options) => requestRoute(api, options)

// -- EventChannel (navigateTo `events` <-> getOpenerEventChannel) -------------------------------
class EventChannel {
  constructor() {
    this._listeners = {}
    this._peer = null
  }
  pair() {
    const other = new EventChannel()
    other._peer = this
    this._peer = other
    return other
  }
  on(name, fn) {
    if (typeof fn !== 'function') return
    ;(this._listeners[name] = this._listeners[name] || []).push({ fn, once: false })
  }
  once(name, fn) {
    if (typeof fn !== 'function') return
    ;(this._listeners[name] = this._listeners[name] || []).push({ fn, once: true })
  }
  off(name, fn) {
    if (!this._listeners[name]) return
    this._listeners[name] = fn ? this._listeners[name].filter((l) => l.fn !== fn) : []
  }
  emit(name, ...args) {
    if (this._peer) this._peer._fire(name, args)
  }
  _fire(name, args) {
    const list = this._listeners[name] || []
    this._listeners[name] = list.filter((l) => !l.once)
    for (const l of list) {
      try {
        l.fn(...args)
      } catch (err) {
        reportError(err, `EventChannel ${name}`)
      }
    }
  }
}

// The user tapped tab `index` in the host's tab bar: switch to it (a no-op when it is already
// shown), then the tab page's onTabItemTap({index, pagePath, text}). False for a bad index.
function tabItemTap(index) {
  const item = tabBar && tabBar.list[index]
  if (!item) return false
  routeQueue.push({ api: 'switchTab', opts: { url: '/' + item.pagePath }, finish: () => {} })
  runRoutes()
  const top = topPage()
  if (top && top.route === item.pagePath) {
    callHook(top.caller, 'onTabItemTap', [{ index, pagePath: item.pagePath, text: item.text }])
  }
  return true
}

export {
  PageOpenError,
  createPage,
  encodeQuery,
  fetchSubpackage,
  hidePage,
  initRouter,
  knownPages,
  loadPage,
  parseUrl,
  preparePage,
  routeQueue,
  runRoutes,
  showPage,
  tabItemTap,
  takePendingReadyPages,
}
