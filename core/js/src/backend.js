// backend.js — glass-easel's composed backend (mode 2), drawn into the native node tree.
// Every backend element is a small JS object holding its native id; all state lives in the
// core's tree. `elements` maps ids back to objects so native events can find their element:
// a dense array indexed by id (ids are allocated sequentially), much cheaper than a Map here.

import { native } from './bridge.js'
import { reportError } from './errors.js'
import { config } from './window_config.js'

const elements = []
const modelListeners = new Map() // id -> { attr: fn }
let renderCallbacks = []
// Components whose `src` is a file of the package when relative.
const MEDIA_TAGS = new Set(['image', 'cover-image', 'video', 'audio'])
// WeChat-only components (core/src/builtin.rs): they render empty, with one warning per tag.
let wechatOnlyTags = new Set()
function setWechatOnlyTags(tags) {
  wechatOnlyTags = new Set(tags)
}
const warnedTags = new Set()

function backendOf(x) {
  return x ? x._id : undefined
}

class BackendElement {
  constructor(id, tag) {
    this._id = id
    this._tag = tag
    // attributes the framework itself acts on (navigator), kept on the JS side
    this._attrs = tag === 'navigator' ? {} : null
    elements[id] = this
  }
  release() {
    native.release(this._id)
    elements[this._id] = undefined
    modelListeners.delete(this._id)
  }
  associateValue(element) {
    this._el = element
  }
  appendChild(child) {
    native.insertBefore(this._id, child._id, undefined)
  }
  removeChild(child) {
    native.removeChild(this._id, child._id)
  }
  insertBefore(child, before) {
    native.insertBefore(this._id, child._id, backendOf(before))
  }
  replaceChild(child, oldChild) {
    native.replaceChild(this._id, child._id, oldChild._id)
  }
  spliceBefore(before, deleteCount, list) {
    native.spliceBefore(this._id, before._id, deleteCount, list._id)
  }
  spliceAppend(list) {
    native.spliceAppend(this._id, list._id)
  }
  spliceRemove(before, deleteCount) {
    native.spliceRemove(this._id, before._id, deleteCount)
  }
  setId(prefixed) {
    // glass-easel sends `<component prefix>--<id>`; selectors and CSS use the id as written
    native.setId(this._id, String(this._el ? this._el.id : prefixed))
  }
  setStyleScope(styleScope, extraStyleScope, hostStyleScope) {
    const id = (s) => (s === undefined || s === null ? -1 : s)
    native.setStyleScope(this._id, id(styleScope), id(extraStyleScope), id(hostStyleScope))
  }
  setStyle(styleText) {
    native.setStyle(this._id, String(styleText))
  }
  addClass(name, scope) {
    native.addClass(this._id, String(name), scope === undefined ? -1 : scope)
  }
  removeClass(name, scope) {
    native.removeClass(this._id, String(name), scope === undefined ? -1 : scope)
  }
  clearClasses() {
    native.clearClasses(this._id)
  }
  setAttribute(name, value) {
    if (typeof value === 'function' || typeof value === 'symbol') return
    if (this._attrs) this._attrs[name] = value
    if (name === 'src' && typeof value === 'string' && MEDIA_TAGS.has(this._tag)) value = this._packagePath(value)
    native.setAttribute(this._id, String(name), value === undefined ? null : value)
  }
  // A relative `src` names a file next to the template that wrote it: the host gets the
  // package path (`/pages/home/banner.png`). Absolute paths and URLs pass unchanged.
  _packagePath(src) {
    if (src === '' || src.startsWith('/') || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(src)) return src
    const owner = this._el && this._el.ownerShadowRoot ? this._el.ownerShadowRoot.getHostNode() : null
    const path = owner && typeof owner.is === 'string' ? owner.is : ''
    const parts = path.split('/').slice(0, -1)
    for (const seg of src.split('/')) {
      if (seg === '..') parts.pop()
      else if (seg !== '.' && seg !== '') parts.push(seg)
    }
    return '/' + parts.join('/')
  }
  // `data-*` values mirrored into the core's tree (selectors, `content: attr(data-x)`, dumps;
  // no ops); `undefined` removes one.
  setDataset(name, value) {
    native.setDataset(this._id, String(name), typeof value === 'function' ? null : value)
  }
  removeAttribute(name) {
    if (this._attrs) delete this._attrs[name]
    native.removeAttribute(this._id, String(name))
  }
  setText(content) {
    native.setText(this._id, String(content))
  }
  setModelBindingStat(attr, listener) {
    let m = modelListeners.get(this._id)
    if (!m) modelListeners.set(this._id, (m = {}))
    if (listener) m[attr] = listener
    else delete m[attr]
  }
  // Geometry from the core's layout, answered after the current frame is laid out.
  getBoundingClientRect(cb) {
    backendContext.render(() => {
      const [left, top, width, height] = native.layoutRect(this._id) || [0, 0, 0, 0]
      cb({ left, top, width, height })
    })
  }
  getScrollOffset(cb) {
    backendContext.render(() => {
      const [scrollWidth, scrollHeight, scrollLeft, scrollTop] = native.scrollSize(this._id) || [0, 0, 0, 0]
      cb({ scrollLeft, scrollTop, scrollWidth, scrollHeight })
    })
  }
  setListenerStats(type) {
    native.listen(this._id, String(type))
  }
}

const backendContext = {
  mode: 2,
  destroy() {},
  getWindowWidth: () => config.windowWidth,
  getWindowHeight: () => config.windowHeight,
  getDevicePixelRatio: () => config.pixelRatio,
  getTheme: () => config.theme,
  registerStyleSheetContent() {},
  // the core keeps one sheet per (path, scope) and returns its index
  appendStyleSheetPath(path, scope) {
    return native.appendStyleSheet(String(path), scope === undefined ? -1 : scope)
  },
  disableStyleSheet() {},
  render(cb) {
    renderCallbacks.push(cb)
    native.wantAfterFrame()
  },
  getRootNode: () => elements[1] || new BackendElement(1, 'root'),
  createElement(logicalName, stylingName) {
    // component hosts come as ('wx-x', tag): the tag is what the template wrote
    const tag = String(logicalName === 'wx-x' ? stylingName : logicalName)
    if (wechatOnlyTags.has(tag) && !warnedTags.has(tag)) {
      warnedTags.add(tag)
      console.warn(`<${tag}> is a WeChat-only component: it renders empty here`)
    }
    return new BackendElement(native.createElement(tag), tag)
  },
  createTextNode(content) {
    return new BackendElement(native.createText(String(content)), '#text')
  },
  createFragment() {
    return new BackendElement(native.createFragment(), '#fragment')
  },
  // glass-easel 0.12.1 never calls this; native events enter through dispatchNativeEvent.
  onEvent() {},
}

// Runs the render callbacks queued since the last frame (setData callbacks and the like).
function runRenderCallbacks() {
  const list = renderCallbacks
  renderCallbacks = []
  for (const cb of list) {
    try {
      cb(null)
    } catch (err) {
      reportError(err, 'render callback')
    }
  }
  return list.length
}

// The native node id of glass-easel element `el` (undefined before it has a backend element).
function backendId(el) {
  const be = el.getBackendElement ? el.getBackendElement() : null
  return be ? be._id : undefined
}

// The element of a page or component instance (or the element itself), for queries in it.
function queryScope(component) {
  const el = component && component._$ ? component._$ : component
  if (!el || typeof el.getShadowRoot !== 'function')
    throw new Error('SelectorQuery.in(): expected a page or component instance')
  return el
}

export { backendContext, backendId, elements, modelListeners, queryScope, runRenderCallbacks, setWechatOnlyTags }
