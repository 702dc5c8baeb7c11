// observers.js — intersection observers from the core's layout (`this.createIntersectionObserver`
// on pages and components, `wx.createIntersectionObserver`), with WeChat's documented
// semantics: after every frame each observed node's rect is compared with the root (the
// viewport, or the `relativeTo` node, grown by the margins; the page's scroll taken off); the
// callback runs the first time when the ratio differs from `initialRatio` across a threshold,
// then whenever the ratio crosses a threshold. Logic thread.

import { native } from './bridge.js'
import { reportError } from './errors.js'
import { wx, wxThrow } from './wx.js'
import { topPage } from './page_stack.js'
import { pageScrollOf } from './selector_query.js'
import { config } from './window_config.js'

const intersectionObservers = new Set()

function viewRect(id, el) {
  const r = native.layoutRect(id)
  if (!r) return null
  const [x, y, w, h] = r
  const top = y - (el ? pageScrollOf(el) : 0)
  return { left: x, top, right: x + w, bottom: top + h, width: w, height: h }
}

// Whether going from ratio `before` to `now` reaches or passes one of the thresholds.
function crossed(before, now, thresholds) {
  return before !== now && thresholds.some((t) => (before - t) * (now - t) <= 0)
}

function checkIntersections(time) {
  for (const o of intersectionObservers) {
    const target = o.target.__wxElement
    const rect = viewRect(o.target._id, target)
    if (!rect) continue
    let root
    if (o.relative) {
      root = viewRect(o.relative._id, o.relative.__wxElement)
      if (!root) continue
    } else {
      root = { left: 0, top: 0, right: config.windowWidth, bottom: config.windowHeight }
    }
    const m = o.margins
    const rel = {
      left: root.left - m.left,
      top: root.top - m.top,
      right: root.right + m.right,
      bottom: root.bottom + m.bottom,
    }
    rel.width = rel.right - rel.left
    rel.height = rel.bottom - rel.top
    const left = Math.max(rect.left, rel.left)
    const top = Math.max(rect.top, rel.top)
    const right = Math.min(rect.right, rel.right)
    const bottom = Math.min(rect.bottom, rel.bottom)
    const w = Math.max(0, right - left)
    const h = Math.max(0, bottom - top)
    const area = rect.width * rect.height
    const ratio = area > 0 ? (w * h) / area : 0
    const before = o.ratio === null ? o.initialRatio : o.ratio
    o.ratio = ratio
    if (!crossed(before, ratio, o.thresholds)) continue
    const intersectionRect =
      w > 0 && h > 0
        ? { left, top, right, bottom, width: w, height: h }
        : { left: 0, top: 0, right: 0, bottom: 0, width: 0, height: 0 }
    try {
      o.cb({
        id: target ? target.id : '',
        dataset: target ? Object.assign({}, target.dataset) : {},
        intersectionRatio: ratio,
        intersectionRect,
        boundingClientRect: rect,
        relativeRect: rel,
        time,
      })
    } catch (err) {
      reportError(err, 'IntersectionObserver callback')
    }
  }
}

// What `this.createIntersectionObserver(options)` returns (WeChat's IntersectionObserver).
class IntersectionObserver {
  constructor(owner, options) {
    const o = options || {}
    this._owner = owner // the glass-easel component whose shadow tree is searched
    this._thresholds = (Array.isArray(o.thresholds) && o.thresholds.length ? o.thresholds : [0]).map(Number)
    this._initialRatio = Number(o.initialRatio) || 0
    this._observeAll = !!o.observeAll
    this._relative = null
    this._margins = null
    this._live = []
  }
  relativeTo(selector, margins) {
    this._relative = selector
    this._margins = Object.assign({ left: 0, top: 0, right: 0, bottom: 0 }, margins)
    return this
  }
  relativeToViewport(margins) {
    this._relative = null
    this._margins = Object.assign({ left: 0, top: 0, right: 0, bottom: 0 }, margins)
    return this
  }
  observe(selector, callback) {
    if (!this._margins) throw new Error('IntersectionObserver: call relativeTo or relativeToViewport before observe')
    const root = this._owner.getShadowRoot()
    const targets = this._observeAll ? root.querySelectorAll(selector) : [root.querySelector(selector)].filter(Boolean)
    const relativeEl = this._relative === null ? null : root.querySelector(this._relative)
    for (const el of targets) {
      const target = el.getBackendElement && el.getBackendElement()
      const relative = relativeEl && relativeEl.getBackendElement ? relativeEl.getBackendElement() : null
      if (!target || (this._relative !== null && !relative)) continue
      const o = {
        target,
        relative,
        margins: this._margins,
        thresholds: this._thresholds,
        initialRatio: this._initialRatio,
        cb: callback,
        ratio: null,
      }
      intersectionObservers.add(o)
      this._live.push(o)
    }
    native.wantAfterFrame()
  }
  disconnect() {
    for (const o of this._live) intersectionObservers.delete(o)
    this._live = []
  }
}

// wx.createIntersectionObserver(component, options): the component's (the current page's
// when none is given).
wx.createIntersectionObserver = function createIntersectionObserver(component, options) {
  if (component && typeof component.createIntersectionObserver === 'function') {
    return component.createIntersectionObserver(options)
  }
  const page = topPage()
  if (!page) wxThrow('createIntersectionObserver', 'no page is shown')
  return page.caller.createIntersectionObserver(
    component && !component.createIntersectionObserver ? component : options,
  )
}

export { IntersectionObserver, checkIntersections, intersectionObservers }
