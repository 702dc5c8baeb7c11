// automation.js — requests from a test driver (the automator server behind `miniapp serve`).
//
// Active only when the host opened the app with an automation sink (`cfg.automation`). Each
// request is one task, `automationRequest(ticket, method, params)`; its answer goes back through
// `native.automationReply(ticket, ok, json)` (json '' = undefined), at once or when the promise
// it returned settles. Functions arrive as source text and run in this realm's global scope,
// where app code runs. A wx mock replaces `wx[name]` for every caller (app code, components,
// later callWxMethod calls); restore puts the original back.

import * as glassEasel from 'glass-easel'
import { errorText, native } from './bridge.js'
import { safeJson, setAutomationOn } from './console.js'
import { elements } from './backend.js'
import { wx, wxAsync } from './wx.js'
import { pageStack } from './page_stack.js'
import { attributeOf, shadowDescendants, shadowParent } from './selectors.js'
import { builtinTag, nodeContext } from './contexts.js'

const wxOriginals = new Map() // api name -> the unmocked wx function
let wxKinds = {} // api name -> 'async' | 'callback' | 'sync' | 'event'

function initAutomation(cfg) {
  setAutomationOn(cfg.automation === true)
  wxKinds = {}
  for (const name of Object.keys(cfg.apis || {})) wxKinds[name] = cfg.apis[name].kind
}

function automationRequest(ticket, method, params) {
  let outcome
  try {
    const handler = AUTOMATION_METHODS[method]
    if (!handler) throw new Error(`${method} unimplemented`)
    outcome = Promise.resolve(handler(params || {}))
  } catch (err) {
    outcome = Promise.reject(err)
  }
  outcome.then(
    (value) => native.automationReply(ticket, true, value === undefined ? '' : safeJson(value)),
    (err) => native.automationReply(ticket, false, errorText(err)),
  )
}

function compileSourceFunction(src) {
  if (typeof src !== 'string' || src.trim() === '')
    throw new TypeError('functionDeclaration must be function source text')
  const fn = native.compileFunction(src)
  if (typeof fn !== 'function') throw new TypeError(`functionDeclaration is not a function: ${src.slice(0, 60)}`)
  return fn
}

// `a.b[0].c` inside a data object, as setData paths are written.
function valueAtPath(data, path) {
  if (path === undefined || path === null || path === '') return data
  let v = data
  for (const key of String(path)
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')) {
    if (key === '') continue
    if (v === null || typeof v !== 'object') return undefined
    v = v[key]
  }
  return v
}

function automationPage(params) {
  const id = Number(params.page)
  const page = pageStack.find((p) => p.host && p.host._id === id)
  if (!page) throw new Error('page destroyed')
  return page
}

// The glass-easel component behind a node id (a custom component's host).
function automationComponent(params) {
  const be = elements[Number(params.node)]
  const el = be && be.__wxElement
  if (!el || !glassEasel.Component.isComponent(el)) throw new Error(`node ${params.node} is not a custom component`)
  return el
}

function callOn(target, kind, name, args) {
  const f = target && target[name]
  if (typeof f !== 'function') throw new Error(`${kind}.${name} not exists`)
  return f.apply(target, Array.isArray(args) ? args : [])
}

// Runs `wx[method]` as app code would. Async APIs get success/fail attached: success resolves
// with the result, fail rejects with its errMsg.
function callWxForDriver(method, args) {
  const api = wx[method]
  if (typeof api !== 'function') throw new Error(`wx.${method} not exists`)
  const list = Array.isArray(args) ? args.slice() : []
  const kind = wxKinds[method]
  if (kind !== 'async' && kind !== 'callback') return api.apply(wx, list)
  return new Promise((resolve, reject) => {
    const opts = Object.assign({}, list[0] && typeof list[0] === 'object' ? list[0] : {})
    opts.success = resolve
    opts.fail = (res) => reject(new Error((res && res.errMsg) || `${method}:fail`))
    list[0] = opts
    api.apply(wx, list)
  })
}

// The text after "<api>:fail " in a mocked result's errMsg, or null when it is a success.
function mockedFailure(api, result) {
  const msg = result && typeof result.errMsg === 'string' ? result.errMsg : ''
  const at = msg.indexOf(':fail')
  return at < 0 ? null : msg.slice(at + 5).trim() || 'fail'
}

function mockWx(params) {
  const name = String(params.method)
  const hasValue = Object.prototype.hasOwnProperty.call(params, 'result')
  const hasFunction = typeof params.functionDeclaration === 'string'
  if (!hasValue && !hasFunction) {
    if (wxOriginals.has(name)) wx[name] = wxOriginals.get(name)
    wxOriginals.delete(name)
    return undefined
  }
  const origin = wxOriginals.has(name) ? wxOriginals.get(name) : wx[name]
  if (typeof origin !== 'function') throw new Error(`wx.${name} not exists`)
  if (wxKinds[name] === 'event') throw new Error(`wx.${name} is a listener API and cannot be mocked`)
  let answer
  if (hasFunction) {
    const fn = compileSourceFunction(params.functionDeclaration)
    const extra = Array.isArray(params.args) ? params.args : []
    answer = (callArgs) => fn.apply({ origin }, [...callArgs, ...extra])
  } else {
    const text = JSON.stringify(params.result === undefined ? null : params.result)
    answer = () => JSON.parse(text)
  }
  wxOriginals.set(name, origin)
  const kind = wxKinds[name]
  wx[name] =
    kind === 'async' || kind === 'callback'
      ? function (options) {
          return wxAsync(name, options, (o, finish) => {
            Promise.resolve()
              .then(() => answer([options]))
              .then(
                (result) => {
                  const failed = mockedFailure(name, result)
                  if (failed !== null) finish(failed)
                  else finish(null, result && typeof result === 'object' ? result : {})
                },
                (err) => finish(errorText(err)),
              )
          })
        }
      : function (...args) {
          return answer(args)
        }
  return undefined
}

const AUTOMATION_METHODS = {
  callFunction(p) {
    return compileSourceFunction(p.functionDeclaration).apply(undefined, Array.isArray(p.args) ? p.args : [])
  },
  callWxMethod(p) {
    return callWxForDriver(String(p.method), p.args)
  },
  mockWxMethod: mockWx,
  addBinding(p) {
    const name = String(p.name)
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`binding name \`${name}\` is not a JavaScript identifier`)
    globalThis[name] = (...args) => {
      native.automationEvent('App.bindingCalled', safeJson({ name, args }))
    }
  },
  pageData(p) {
    return valueAtPath(automationPage(p).caller.data, p.path)
  },
  pageSetData(p) {
    automationPage(p).caller.setData(p.data && typeof p.data === 'object' ? p.data : {})
  },
  pageCallMethod(p) {
    return callOn(automationPage(p).caller, 'page', String(p.method), p.args)
  },
  componentData(p) {
    return valueAtPath(automationComponent(p).data, p.path)
  },
  componentSetData(p) {
    automationComponent(p)
      .getMethodCaller()
      .setData(p.data && typeof p.data === 'object' ? p.data : {})
  },
  // A method of a host-native element's context (video, map, live-player, camera, editor),
  // as `SelectorQuery.context()` gives it; async methods resolve with their success result.
  contextCall(p) {
    const be = elements[Number(p.node)]
    const el = be && be.__wxElement
    const ctx = el && builtinTag(el) !== 'canvas' ? nodeContext(el) : null
    if (!ctx)
      throw new Error(
        `element ${p.node} <${(be && be._tag) || '?'}> has no context (video, map, live-player, camera or editor)`,
      )
    const method = String(p.method)
    if (typeof ctx[method] !== 'function') throw new Error(`context.${method} not exists`)
    const args = Array.isArray(p.args) ? p.args.slice() : []
    const result = ctx[method](...args)
    return result && typeof result.then === 'function'
      ? result.catch((res) => Promise.reject(new Error((res && res.errMsg) || `${method}:fail`)))
      : result
  },
  componentCallMethod(p) {
    return callOn(automationComponent(p).getMethodCaller(), 'component', String(p.method), p.args)
  },
  // Custom component properties: `__propPublic` lists the declared ones.
  componentProperties(p) {
    const comp = automationComponent(p)
    return (p.names || []).map((name) => {
      if (name !== '__propPublic') return comp.data[name]
      const out = {}
      for (const prop of glassEasel.Component.listProperties(comp)) out[prop] = true
      return out
    })
  },
  // Elements matching a selector, in document order: in a page's shadow tree, inside a custom
  // component's shadow tree (`component`), or among an element's descendants (`scope`). Nested
  // components' shadow trees are not entered (their hosts and the content slotted into them
  // are); that takes `element.$` on the component.
  query(p) {
    let root
    if (p.component) root = automationComponent({ node: p.component }).getShadowRoot()
    else if (p.scope) {
      const be = elements[Number(p.scope)]
      root = be && be.__wxElement
      if (!root) throw new Error(`element ${p.scope} no longer exists`)
    } else root = automationPage(p).comp.getShadowRoot()
    const selector = String(p.selector)
    const needs = JSON.parse(native.selectorNeeds(selector))
    const elements = [...shadowDescendants(root)]
    const index = new Map(elements.map((el, i) => [el, i]))
    const candidates = elements.map((el) => {
      const attributes = {}
      for (const name of needs.attributes) {
        const value = attributeOf(el, name)
        if (value !== undefined) attributes[name] = value
      }
      const parent = shadowParent(el, root)
      return {
        parent: parent ? index.get(parent) : null,
        tag: el.getBackendElement()._tag,
        id: el.id || '',
        classes: el.classList ? needs.classes.filter((c) => el.classList.contains(c)) : [],
        attributes,
      }
    })
    return JSON.parse(native.selectorMatch(selector, JSON.stringify(candidates), !!p.all)).map((i) => {
      const el = elements[i]
      const be = el.getBackendElement()
      return { node: be._id, tag: be._tag, component: glassEasel.Component.isComponent(el) }
    })
  },
}

export { automationRequest, initAutomation }
