// wx.getPerformance(): the app's own performance timeline, as WeChat records it, on the
// instance clock (virtual in headless runs, so entries are deterministic).
//
// Entries: `navigation` — `appLaunch` (launch start to the entry page's first onReady) and
// `route` (each navigateTo/redirectTo/switchTab/reLaunch/navigateBack to that page's onReady);
// `render` — `firstRender` (page created to its onReady). Each has startTime, duration, path,
// pageId and, for navigation, navigationType and navigationStart. The buffer keeps the first
// `setBufferSize(n)` entries (30 by default); observers hear every entry of their types.
// Also wx.getExptInfoSync: experiment parameters, none without WeChat's experiment service.

import { reportError } from './errors.js'
import { wx } from './wx.js'

const PERFORMANCE_TYPES = ['navigation', 'render', 'script', 'loadPackage', 'resource']
const perfState = { entries: [], bufferSize: 30, observers: new Set(), launchStart: null, routeType: 'appLaunch' }

class PerformanceEntryList {
  constructor(entries) {
    this._entries = entries.slice()
  }
  getEntries() {
    return this._entries.slice()
  }
  getEntriesByType(entryType) {
    return this._entries.filter((e) => e.entryType === entryType)
  }
  getEntriesByName(name, entryType) {
    return this._entries.filter((e) => e.name === name && (entryType === undefined || e.entryType === entryType))
  }
}

class PerformanceObserver {
  constructor(callback) {
    this._callback = callback
    this._types = new Set()
  }
  observe(options) {
    const o = options || {}
    const types = Array.isArray(o.entryTypes) ? o.entryTypes : o.type ? [o.type] : []
    this._types = new Set(types.filter((t) => PERFORMANCE_TYPES.includes(t)))
    if (this._types.size) perfState.observers.add(this)
    else perfState.observers.delete(this)
  }
  disconnect() {
    perfState.observers.delete(this)
  }
}
PerformanceObserver.supportedEntryTypes = PERFORMANCE_TYPES.slice()

const performanceObject = {
  now: () => Date.now(),
  getEntries: () => perfState.entries.slice(),
  getEntriesByType: (entryType) => perfState.entries.filter((e) => e.entryType === entryType),
  getEntriesByName: (name, entryType) =>
    perfState.entries.filter((e) => e.name === name && (entryType === undefined || e.entryType === entryType)),
  setBufferSize(size) {
    const n = Number(size)
    if (Number.isFinite(n) && n >= 0) perfState.bufferSize = Math.floor(n)
  },
  createObserver: (callback) => new PerformanceObserver(callback),
}

wx.getPerformance = () => performanceObject
wx.getExptInfoSync = (keys) => {
  if (keys !== undefined && !Array.isArray(keys))
    throw new TypeError('getExptInfoSync: keys must be an array of strings')
  return {}
}

function recordPerformance(entry) {
  if (perfState.entries.length < perfState.bufferSize) perfState.entries.push(entry)
  for (const observer of Array.from(perfState.observers)) {
    if (!observer._types.has(entry.entryType)) continue
    try {
      observer._callback.call(undefined, new PerformanceEntryList([entry]))
    } catch (err) {
      reportError(err, 'PerformanceObserver callback')
    }
  }
}

// Called by launch and runRoutes before a page is created: what kind of navigation follows.
function performanceNavigation(type) {
  if (type === 'appLaunch' && perfState.launchStart === null) perfState.launchStart = Date.now()
  perfState.routeType = type
}

// Called by createPage: when the page's timeline starts and how it was reached.
function performancePageCreated(page) {
  page.perfStart = Date.now()
  page.perfNavigation = perfState.routeType
}

// Called by afterFrame before the page's onReady: its first render and its navigation are done.
function performancePageReady(page) {
  if (page.perfStart === undefined || page.perfDone) return
  page.perfDone = true
  const now = Date.now()
  const launch = page.perfNavigation === 'appLaunch'
  const start = launch && perfState.launchStart !== null ? perfState.launchStart : page.perfStart
  recordPerformance({
    name: launch ? 'appLaunch' : 'route',
    entryType: 'navigation',
    startTime: start,
    duration: now - start,
    navigationStart: start,
    navigationType: page.perfNavigation,
    path: page.route,
    pageId: page.id,
  })
  recordPerformance({
    name: 'firstRender',
    entryType: 'render',
    startTime: page.perfStart,
    duration: now - page.perfStart,
    path: page.route,
    pageId: page.id,
  })
}

export { performanceNavigation, performancePageCreated, performancePageReady }
