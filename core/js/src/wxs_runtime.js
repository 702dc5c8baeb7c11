// wxs_runtime.js — what WXS has that JavaScript does not, for the modules the core rewrote
// (core/src/compile/wxs.rs): `x.constructor` is the name of x's type.

import * as glassEasel from 'glass-easel'

function __wxsConstructor(value) {
  if (value === null || value === undefined) {
    throw new TypeError(`cannot read property 'constructor' of ${value}`)
  }
  if (Array.isArray(value)) return 'Array'
  if (value instanceof Date) return 'Date'
  if (value instanceof RegExp) return 'RegExp'
  switch (typeof value) {
    case 'number':
      return 'Number'
    case 'string':
      return 'String'
    case 'boolean':
      return 'Boolean'
    case 'function':
      return 'Function'
    default:
      return 'Object'
  }
}
globalThis.__wxsConstructor = __wxsConstructor

// WXS responses: a `change:prop="{{m.fn}}"` observer is called as fn(newValue, oldValue,
// ownerInstance, instance) and an event bound to a WXS function as fn(event, ownerInstance);
// the instances are WeChat's ComponentDescriptor: state, style, classes, dataset and calls to
// the owner component, all on the logic thread here. Style and classes go to their own segment
// (index 1), so the template's own `style`/`class` bindings are kept.
const WXS_SEGMENT = 1
// Style segment of `this.animate` (keyframe animations), after the template's and WXS's.
const ANIMATE_SEGMENT = 2
const wxsDescriptors = new WeakMap()
const wxsStates = new WeakMap()

function wxsDescriptor(el) {
  if (!el || typeof el !== 'object') return null
  let d = wxsDescriptors.get(el)
  if (d) return d
  const owner = () =>
    glassEasel.Component.isComponent(el) ? el : el.ownerShadowRoot && el.ownerShadowRoot.getHostNode()
  const caller = () => {
    const o = owner()
    return o && o.getMethodCaller ? o.getMethodCaller() : null
  }
  d = {
    getState() {
      let s = wxsStates.get(el)
      if (!s) wxsStates.set(el, (s = {}))
      return s
    },
    getDataset: () => Object.assign({}, el.dataset),
    setStyle(style) {
      const text =
        typeof style === 'string'
          ? style
          : Object.keys(style || {})
              .map((k) => `${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}:${style[k]}`)
              .join(';')
      if (typeof el.setNodeStyle === 'function') el.setNodeStyle(text, WXS_SEGMENT)
      return d
    },
    addClass(name) {
      if (el.classList && !el.classList.contains(name, WXS_SEGMENT)) el.classList.toggle(name, true, WXS_SEGMENT)
      return d
    },
    removeClass(name) {
      if (el.classList) el.classList.toggle(name, false, WXS_SEGMENT)
      return d
    },
    hasClass: (name) => !!el.classList && (el.classList.contains(name) || el.classList.contains(name, WXS_SEGMENT)),
    callMethod(name, args) {
      const c = caller()
      if (c && typeof c[name] === 'function') return c[name](args)
      console.warn(`ownerInstance.callMethod: the component has no method "${name}"`)
      return undefined
    },
    triggerEvent(name, detail) {
      const o = owner()
      if (o) o.triggerEvent(name, detail)
    },
    selectComponent(selector) {
      const root = el.getShadowRoot ? el.getShadowRoot() : el.ownerShadowRoot
      return root ? wxsDescriptor(root.querySelector(selector)) : null
    },
    selectAllComponents(selector) {
      const root = el.getShadowRoot ? el.getShadowRoot() : el.ownerShadowRoot
      return root ? root.querySelectorAll(selector).map(wxsDescriptor) : []
    },
    requestAnimationFrame: (fn) => setTimeout(fn, 16),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (id) => clearTimeout(id),
    getComputedStyle: () => ({}),
  }
  wxsDescriptors.set(el, d)
  return d
}

// The template runtime's filter for `change:` listeners (`Q.A`, set by core/src/compile.rs).
// The first call comes while the element is being created: WeChat makes it once the node is
// in the tree (so `ownerInstance.selectComponent` finds it), which a later job does here.
function __wxsChangeListener(fn) {
  if (typeof fn !== 'function') return fn
  return function (newValue, oldValue, ownerHost, element) {
    const call = () => fn.call(this, newValue, oldValue, wxsDescriptor(ownerHost), wxsDescriptor(element))
    if (element && !element.parentNode) return Promise.resolve().then(call)
    return call()
  }
}
globalThis.__wxsChangeListener = __wxsChangeListener

// this.animate(selector, keyframes, duration, callback) and this.clearAnimation(selector,
// options, callback) on pages and components: there are no frames between keyframes here, so
// the matched elements take the last keyframe's style at once and `callback` runs when the
// animation would have ended (instance clock). `clearAnimation` drops that style.
const KEYFRAME_KEYS = new Set(['offset', 'ease', 'composite'])
function keyframeStyle(frame) {
  return Object.keys(frame || {})
    .filter((k) => !KEYFRAME_KEYS.has(k))
    .map((k) => {
      const name = k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
      if (name === 'rotate' || name === 'scale' || name === 'translate' || name === 'skew') {
        return `transform:${name}(${frame[k]})`
      }
      return `${name}:${frame[k]}`
    })
    .join(';')
}
function animatedElements(comp, selector) {
  const root = comp && comp.getShadowRoot && comp.getShadowRoot()
  return root ? root.querySelectorAll(selector) : []
}
function animate(selector, keyframes, duration, callback) {
  const frames = Array.isArray(keyframes) ? keyframes : []
  const style = keyframeStyle(frames[frames.length - 1])
  for (const el of animatedElements(this._$, selector)) el.setNodeStyle(style, ANIMATE_SEGMENT)
  if (typeof callback === 'function') setTimeout(() => callback.call(this), Math.max(0, Number(duration) || 0))
}
function clearAnimation(selector, options, callback) {
  if (typeof options === 'function') callback = options
  for (const el of animatedElements(this._$, selector)) el.setNodeStyle('', ANIMATE_SEGMENT)
  if (typeof callback === 'function') setTimeout(() => callback.call(this), 0)
}

export { animate, clearAnimation, wxsDescriptor }
