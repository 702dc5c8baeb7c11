// events.js — native events into glass-easel, and WeChat-shaped event objects for handlers.
//
// The host reports an event on a node id; the core passes the node and its ancestors
// (`chain`), and we dispatch on the first one that is a glass-easel element (text nodes and
// fragments are not). Handlers receive the object WeChat documents, built by the compiled
// templates' listener wrapper (`Q.C`, set by the compiler's extra runtime script).
// True while a tap's handlers run: APIs such as wx.openSetting may only run inside one.

import * as glassEasel from 'glass-easel'
import { native } from './bridge.js'
import { reportError } from './errors.js'
import { elements, modelListeners } from './backend.js'
import { wxsDescriptor } from './wxs_runtime.js'
import { wx } from './wx.js'
import { topPage } from './page_stack.js'

let inUserTap = false

const BUBBLING_EVENTS = new Set([
  'tap',
  'longpress',
  'longtap',
  'touchstart',
  'touchmove',
  'touchend',
  'touchcancel',
  'touchforcechange',
  'transitionend',
  'animationstart',
  'animationiteration',
  'animationend',
])

function targetInfo(t) {
  if (!t) return { id: '', dataset: {} }
  return { id: t.id || '', dataset: Object.assign({}, t.dataset) }
}

// What the last `input` handler returned: a string (or `{value}`) replaces the field's value.
let inputHandlerResult

// True when `fn` is one of the methods of the page or component `caller`. Each component
// type's methods are collected once (events are a hot path).
const methodSets = new WeakMap()
function isMethodOf(caller, fn) {
  const proto = Object.getPrototypeOf(caller)
  if (!proto) return false
  let methods = methodSets.get(proto)
  if (!methods) methodSets.set(proto, (methods = new Set(Object.keys(proto).map((k) => proto[k]))))
  return methods.has(fn) || caller[fn.name] === fn
}

globalThis.__miniappEventWrapper = function (caller, ev, handler) {
  const wxEvent = {
    type: ev.type,
    timeStamp: ev.timeStamp,
    target: targetInfo(ev.target),
    currentTarget: targetInfo(ev.currentTarget),
    mark: Object.assign({}, ev.mark),
    detail: ev.detail,
  }
  if (ev.touches !== undefined) wxEvent.touches = ev.touches
  if (ev.changedTouches !== undefined) wxEvent.changedTouches = ev.changedTouches
  try {
    // A handler bound to a WXS function (`bindtouchmove="{{m.drag}}"`) is called as WeChat's
    // WXS responses are: fn(event with `instance`, ownerInstance) (core/js/src/wxs_runtime.js).
    const wxs = caller && !isMethodOf(caller, handler)
    if (wxs) wxEvent.instance = wxsDescriptor(ev.currentTarget)
    const result = wxs ? handler.call(caller, wxEvent, wxsDescriptor(caller._$)) : handler.call(caller, wxEvent)
    if (ev.type === 'input') inputHandlerResult = result
    return result
  } catch (err) {
    // glass-easel reports listener errors without their component: run its `error` lifetime
    // here (WeChat: "a component method threw"), then let the error take its usual way.
    const comp = caller && caller._$
    if (comp && typeof comp.triggerLifetime === 'function' && comp !== (topPage() && topPage().comp)) {
      comp.triggerLifetime('error', [err])
    }
    throw err
  }
}

// Returns the dispatched node id, or 0 when no element in the chain can receive events.
function dispatchNativeEvent(chain, type, detail, touches) {
  let target = null
  let targetId = 0
  for (const id of chain) {
    const be = elements[id]
    if (be && be.__wxElement) {
      target = be.__wxElement
      targetId = id
      break
    }
  }
  if (!target) return 0
  const extraFields = {}
  if (touches) {
    extraFields.touches = touches
    extraFields.changedTouches = touches
  }
  const bubbles = BUBBLING_EVENTS.has(type)
  const ev = new glassEasel.Event(type, detail === undefined ? {} : detail, {
    bubbles,
    composed: bubbles,
    capturePhase: bubbles,
    extraFields,
  })
  // APIs such as wx.openSetting may only run inside a user's tap.
  inUserTap = type === 'tap'
  try {
    glassEasel.Event.dispatchEvent(target, ev)
  } finally {
    inUserTap = false
  }
  if (type === 'tap') navigatorTap(chain)
  return targetId
}

// A tap inside a <navigator> performs its route (open-type navigate by default).
function navigatorTap(chain) {
  for (const id of chain) {
    const be = elements[id]
    if (!be || be._tag !== 'navigator') continue
    const a = be._attrs || {}
    if (a.target === 'miniProgram') {
      console.warn('navigator target="miniProgram" is not supported by this runtime')
      return
    }
    const type = a['open-type'] || 'navigate'
    const url = a.url === undefined || a.url === null ? '' : String(a.url)
    const api = {
      navigate: 'navigateTo',
      redirect: 'redirectTo',
      switchTab: 'switchTab',
      reLaunch: 'reLaunch',
      navigateBack: 'navigateBack',
    }[type]
    if (!api) {
      console.warn(`navigator open-type="${type}" is not supported by this runtime`)
      return
    }
    const options = api === 'navigateBack' ? { delta: Number(a.delta) || 1 } : { url }
    options.fail = (res) => console.error(`navigator: ${res.errMsg}`)
    wx[api](options)
    return
  }
}

// The user changed a form field in its native view (typed, toggled, slid, swiped): the field
// takes the value, a `model:` binding on that attribute writes it back to data, then the
// field's event fires with `detail` (no event when `type` is empty). Returns the node it was dispatched on, 0 if none.
function fieldInput(chain, attr, value, type, detail) {
  const id = chain[0]
  const be = elements[id]
  if (!be || !be.__wxElement) return 0
  setFieldValue(id, attr, value)
  if (!type) return id
  inputHandlerResult = undefined
  const target = dispatchNativeEvent(chain, type, detail, null)
  const r = inputHandlerResult
  inputHandlerResult = undefined
  const replaced = r !== null && typeof r === 'object' ? r.value : r
  if (type === 'input' && replaced !== undefined && replaced !== null && typeof replaced !== 'boolean') {
    setFieldValue(id, attr, String(replaced))
  }
  return target
}

// The field's attribute takes `value`, and a `model:` binding on it writes it back to data.
function setFieldValue(id, attr, value) {
  native.setAttribute(id, String(attr), value === undefined ? null : value)
  const model = modelListeners.get(id)
  if (model && typeof model[attr] === 'function') {
    try {
      model[attr](value)
    } catch (err) {
      reportError(err, `model:${attr}`)
    }
  }
}

export { dispatchNativeEvent, fieldInput, inUserTap, targetInfo }
