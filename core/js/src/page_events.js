// page_events.js — page events the host reports (scroll, pull-down, resize, share) and the
// APIs that drive the host's page chrome (pull-down refresh, scroll position). State the host
// draws goes into the page's `window` attribute (`pullDownRefreshing`, `scrollTo`).

import { native } from './bridge.js'
import { backendContext } from './backend.js'
import { checkParam, wx, wxAsync } from './wx.js'
import { encodeQuery } from './router.js'
import { topPage } from './page_stack.js'
import { publishWindow } from './window.js'
import { windowResizeListeners } from './shell.js'
import { intersectionObservers } from './observers.js'
import { callHook } from './errors.js'
import { config } from './window_config.js'

// Scroll of the visible page: onPageScroll({scrollTop}) when defined, and onReachBottom once
// per entry into the `onReachBottomDistance` zone when the host gives `scrollHeight`.
function pageScroll(info) {
  const page = topPage()
  if (!page) return false
  const scrollTop = Number(info.scrollTop) || 0
  page.scrollTop = scrollTop
  if (intersectionObservers.size) native.wantAfterFrame() // the page moved under the viewport
  if (typeof page.caller.onPageScroll === 'function') callHook(page.caller, 'onPageScroll', [{ scrollTop }])
  if (info.scrollHeight !== undefined) {
    const viewport = Number(info.windowHeight) || config.windowHeight
    const distance = Number(info.scrollHeight) - (scrollTop + viewport)
    const inZone = distance <= Number(page.window.onReachBottomDistance)
    if (inZone && !page.atBottom) callHook(page.caller, 'onReachBottom')
    page.atBottom = inZone
  }
  return true
}

// The host's own scroll view decided the visible page reached its bottom: onReachBottom.
function reachBottom() {
  const page = topPage()
  if (!page) return false
  callHook(page.caller, 'onReachBottom')
  return true
}

function setRefreshing(page, on) {
  page.window.pullDownRefreshing = on
  publishWindow(page)
}

// The user pulled the visible page down: only when its window enables pull-down refresh.
function pullDownRefresh() {
  const page = topPage()
  if (!page || !page.window.enablePullDownRefresh) return false
  setRefreshing(page, true)
  callHook(page.caller, 'onPullDownRefresh')
  return true
}

wx.startPullDownRefresh = (options) =>
  wxAsync('startPullDownRefresh', options, (o, finish) => {
    const page = topPage()
    if (!page) return finish('no page is shown')
    setRefreshing(page, true)
    callHook(page.caller, 'onPullDownRefresh')
    finish(null)
  })

wx.stopPullDownRefresh = (options) =>
  wxAsync('stopPullDownRefresh', options, (o, finish) => {
    const page = topPage()
    if (!page) return finish('no page is shown')
    setRefreshing(page, false)
    finish(null)
  })

let scrollRequest = 0
wx.pageScrollTo = (options) =>
  wxAsync('pageScrollTo', options, (o, finish) => {
    const page = topPage()
    if (!page) return finish('no page is shown')
    const duration = o.duration === undefined ? 300 : Math.max(0, Number(o.duration) || 0)
    const scrollTo = (scrollTop) => {
      page.window.scrollTo = { scrollTop, duration, request: ++scrollRequest }
      publishWindow(page)
      finish(null)
    }
    if (o.selector === undefined) {
      const bad = checkParam(o, 'scrollTop', 'Number')
      if (bad) return finish(bad)
      return scrollTo(o.scrollTop)
    }
    // scroll so the selected node's top (plus offsetTop) is at the top, from the layout
    backendContext.render(() => {
      let el = null
      try {
        el = page.caller._$.getShadowRoot().querySelector(String(o.selector))
      } catch (err) {
        return finish(`invalid selector "${o.selector}"`)
      }
      const be = el && el.getBackendElement ? el.getBackendElement() : null
      const rect = be ? native.layoutRect(be._id) : null
      if (!rect) return finish(`no node matches selector "${o.selector}"`)
      scrollTo(Math.max(0, rect[1] + (Number(o.offsetTop) || 0)))
    })
  })

// The window changed size (rotation, split screen): onResize and pageLifetimes.resize.
function resize(size) {
  config.windowWidth = Number(size.windowWidth) || config.windowWidth
  config.windowHeight = Number(size.windowHeight) || config.windowHeight
  if (size.safeArea && typeof size.safeArea === 'object') config.safeAreaInsets = size.safeArea
  windowResizeListeners.emit(
    { size: { windowWidth: config.windowWidth, windowHeight: config.windowHeight } },
    'wx.onWindowResize listener',
  )
  const page = topPage()
  if (!page) return false
  const arg = { size: { windowWidth: config.windowWidth, windowHeight: config.windowHeight } }
  callHook(page.caller, 'onResize', [arg])
  page.comp.triggerPageLifetime('resize', [arg])
  return true
}

// The user chose "forward" in the host's menu: returns what to share, or null when the page
// does not define onShareAppMessage (the host hides the menu item then).
function shareAppMessage(from) {
  const page = topPage()
  if (!page || typeof page.caller.onShareAppMessage !== 'function') return null
  return shareContent(page, { from: from || 'menu' })
}

// What the page shares: onShareAppMessage(`arg`) (when defined) over the defaults (the page's
// title and its own path with its query).
function shareContent(page, arg) {
  const hook = typeof page.caller.onShareAppMessage === 'function'
  const content = (hook && callHook(page.caller, 'onShareAppMessage', [arg])) || {}
  const qs = encodeQuery(page.query)
  return {
    title: typeof content.title === 'string' ? content.title : page.window.navigationBarTitleText,
    path: typeof content.path === 'string' ? content.path : `/${page.route}${qs ? '?' + qs : ''}`,
    imageUrl: typeof content.imageUrl === 'string' ? content.imageUrl : '',
  }
}

export { pageScroll, pullDownRefresh, reachBottom, resize, shareAppMessage, shareContent }
