// window.js — navigation bar, page background and tab bar: the app `window` config merged
// with each page's JSON, and the tabBar config with its runtime state. Hosts render both
// natively: each page element carries its resolved `window` attribute, the root element carries
// `tabBar`, and every API below updates those attributes (one `set_attr` op each).

import { native } from './bridge.js'
import { checkParam, wx, wxAsync } from './wx.js'
import { topPage } from './page_stack.js'

const WINDOW_DEFAULTS = {
  navigationBarBackgroundColor: '#000000',
  navigationBarTextStyle: 'white',
  navigationBarTitleText: '',
  navigationStyle: 'default',
  backgroundColor: '#ffffff',
  backgroundTextStyle: 'dark',
  enablePullDownRefresh: false,
  onReachBottomDistance: 50,
  pageOrientation: 'portrait',
}
// Keys a page's JSON may override (spec digest §1.4).
const PAGE_WINDOW_KEYS = [
  'navigationBarBackgroundColor',
  'navigationBarTextStyle',
  'navigationBarTitleText',
  'navigationStyle',
  'homeButton',
  'backgroundColor',
  'backgroundColorContent',
  'backgroundTextStyle',
  'backgroundColorTop',
  'backgroundColorBottom',
  'enablePullDownRefresh',
  'onReachBottomDistance',
  'pageOrientation',
  'disableScroll',
  'initialRenderingCache',
  'restartStrategy',
  'visualEffectInBackground',
]
let appWindow = {}
const pageJsons = new Map()
let tabBar = null
// Window changes made before the first page exists (a theme set in `App.onLaunch`): they are
// for the window the app is opening, so they are kept and applied to the first page created.
// `null` once that page has its window.
let launchWindow = {}

function initWindow(cfg) {
  appWindow = Object.assign({}, cfg.appWindow || {})
  for (const c of cfg.components) if (c.isPage) pageJsons.set(c.path, c.json || {})
  const tb = cfg.tabBar
  if (tb && Array.isArray(tb.list)) {
    tabBar = {
      color: tb.color || '',
      selectedColor: tb.selectedColor || '',
      backgroundColor: tb.backgroundColor || '',
      borderStyle: tb.borderStyle || 'black',
      position: tb.position || 'bottom',
      custom: !!tb.custom,
      visible: true,
      selectedIndex: -1,
      list: tb.list.map((item) => ({
        pagePath: String(item.pagePath || '').replace(/^\//, ''),
        text: item.text || '',
        iconPath: item.iconPath || '',
        selectedIconPath: item.selectedIconPath || '',
        badge: null,
        redDot: false,
      })),
    }
  }
}

// The window a page opens with: defaults, app.json `window`, the page's JSON, and for the first
// page the changes made before it existed.
function resolvedWindow(route) {
  const own = pageJsons.get(route) || {}
  const w = Object.assign({}, WINDOW_DEFAULTS, appWindow)
  for (const k of PAGE_WINDOW_KEYS) if (own[k] !== undefined) w[k] = own[k]
  w.navigationBarLoading = false
  if (launchWindow) {
    Object.assign(w, launchWindow)
    launchWindow = null
  }
  return w
}

function publishWindow(page) {
  if (page.host) native.setAttribute(page.host._id, 'window', Object.assign({}, page.window))
}

function publishTabBar() {
  if (!tabBar) return
  const top = topPage()
  tabBar.selectedIndex = top ? tabBar.list.findIndex((i) => i.pagePath === top.route) : -1
  native.setAttribute(1, 'tabBar', JSON.parse(JSON.stringify(tabBar)))
}

// -- navigation bar and background -------------------------------------------------------------
function onTopPage(api, options, change) {
  return wxAsync(api, options, (opts, finish) => {
    const page = topPage()
    if (!page && launchWindow) return finish(change(opts, launchWindow))
    if (!page) return finish('no page is shown')
    const bad = change(opts, page.window)
    if (bad) return finish(bad)
    publishWindow(page)
    finish(null)
  })
}

wx.setNavigationBarTitle = (options) =>
  onTopPage('setNavigationBarTitle', options, (o, w) => {
    const bad = checkParam(o, 'title', 'String')
    if (bad) return bad
    w.navigationBarTitleText = o.title
    return null
  })
wx.setNavigationBarColor = (options) =>
  onTopPage('setNavigationBarColor', options, (o, w) => {
    const bad = checkParam(o, 'frontColor', 'String') || checkParam(o, 'backgroundColor', 'String')
    if (bad) return bad
    const front = o.frontColor.toLowerCase()
    if (front !== '#ffffff' && front !== '#000000') return 'invalid frontColor: only #ffffff and #000000 are supported'
    w.navigationBarTextStyle = front === '#ffffff' ? 'white' : 'black'
    w.navigationBarBackgroundColor = o.backgroundColor
    return null
  })
wx.showNavigationBarLoading = (options) =>
  onTopPage('showNavigationBarLoading', options, (o, w) => {
    w.navigationBarLoading = true
    return null
  })
wx.hideNavigationBarLoading = (options) =>
  onTopPage('hideNavigationBarLoading', options, (o, w) => {
    w.navigationBarLoading = false
    return null
  })
wx.setBackgroundColor = (options) =>
  onTopPage('setBackgroundColor', options, (o, w) => {
    for (const k of ['backgroundColor', 'backgroundColorTop', 'backgroundColorBottom']) {
      if (o[k] !== undefined) w[k] = String(o[k])
    }
    return null
  })
wx.setBackgroundTextStyle = (options) =>
  onTopPage('setBackgroundTextStyle', options, (o, w) => {
    if (o.textStyle !== 'dark' && o.textStyle !== 'light') return 'invalid textStyle: use "dark" or "light"'
    w.backgroundTextStyle = o.textStyle
    return null
  })

// -- tab bar ----------------------------------------------------------------------------------
function onTabBar(api, options, change) {
  return wxAsync(api, options, (opts, finish) => {
    if (!tabBar) return finish('not TabBar page')
    const bad = change(opts)
    if (bad) return finish(bad)
    publishTabBar()
    finish(null)
  })
}

function tabItem(o) {
  const bad = checkParam(o, 'index', 'Number')
  if (bad) return { bad }
  const item = tabBar.list[o.index]
  return item ? { item } : { bad: 'tabbar item not found' }
}

wx.setTabBarItem = (options) =>
  onTabBar('setTabBarItem', options, (o) => {
    const { item, bad } = tabItem(o)
    if (bad) return bad
    for (const k of ['text', 'iconPath', 'selectedIconPath']) if (o[k] !== undefined) item[k] = String(o[k])
    return null
  })
wx.setTabBarStyle = (options) =>
  onTabBar('setTabBarStyle', options, (o) => {
    for (const k of ['color', 'selectedColor', 'backgroundColor', 'borderStyle'])
      if (o[k] !== undefined) tabBar[k] = String(o[k])
    return null
  })
wx.showTabBar = (options) =>
  onTabBar('showTabBar', options, () => {
    tabBar.visible = true
    return null
  })
wx.hideTabBar = (options) =>
  onTabBar('hideTabBar', options, () => {
    tabBar.visible = false
    return null
  })
wx.setTabBarBadge = (options) =>
  onTabBar('setTabBarBadge', options, (o) => {
    const { item, bad } = tabItem(o)
    if (bad) return bad
    const missing = checkParam(o, 'text', 'String')
    if (missing) return missing
    item.badge = o.text
    item.redDot = false
    return null
  })
wx.removeTabBarBadge = (options) =>
  onTabBar('removeTabBarBadge', options, (o) => {
    const { item, bad } = tabItem(o)
    if (bad) return bad
    item.badge = null
    return null
  })
wx.showTabBarRedDot = (options) =>
  onTabBar('showTabBarRedDot', options, (o) => {
    const { item, bad } = tabItem(o)
    if (bad) return bad
    item.redDot = true
    item.badge = null
    return null
  })
wx.hideTabBarRedDot = (options) =>
  onTabBar('hideTabBarRedDot', options, (o) => {
    const { item, bad } = tabItem(o)
    if (bad) return bad
    item.redDot = false
    return null
  })

export { initWindow, publishTabBar, publishWindow, resolvedWindow, tabBar }
