// selector_query.js — wx.createSelectorQuery() and this.createSelectorQuery(): node facts
// (id, dataset, mark, rect, size, scrollOffset, properties, computedStyle, context, node)
// answered from the core's layout. Queries run after the current frame closes, so they see
// the layout of everything set before `exec`. Rects are relative to the viewport (the page's
// scroll offset subtracted), like WeChat's.

import * as glassEasel from 'glass-easel'
import { native } from './bridge.js'
import { reportError } from './errors.js'
import { backendContext, backendId, queryScope } from './backend.js'
import { wx } from './wx.js'
import { pageStack, topPage } from './page_stack.js'
import { nodeContext } from './contexts.js'
import { config } from './window_config.js'

// The page root element `el` lives under (through component hosts).
function rootHostOf(el) {
  let root = el
  while (root.ownerShadowRoot) root = root.ownerShadowRoot.getHostNode()
  return root
}

function pageScrollOf(el) {
  const root = rootHostOf(el)
  const page = pageStack.find((p) => p.caller && p.caller._$ === root)
  return page ? Number(page.scrollTop) || 0 : 0
}

function nodeFacts(el, fields) {
  const res = {}
  const id = backendId(el)
  if (fields.id) res.id = el.id
  if (fields.dataset) res.dataset = Object.assign({}, el.dataset)
  if (fields.mark) res.mark = typeof el.collectMarks === 'function' ? el.collectMarks() : {}
  if (fields.rect || fields.size) {
    const r = id === undefined ? null : native.layoutRect(id)
    const [x, y, w, h] = r || [0, 0, 0, 0]
    const top = y - pageScrollOf(el)
    if (fields.rect) Object.assign(res, { left: x, top, right: x + w, bottom: top + h })
    if (fields.size) Object.assign(res, { width: w, height: h })
  }
  if (fields.scrollOffset) {
    const size = id === undefined ? null : native.scrollSize(id)
    const [w, h, left, top] = size || [0, 0, 0, 0]
    res.scrollLeft = left
    res.scrollTop = top
    res.scrollWidth = w
    res.scrollHeight = h
  }
  if (Array.isArray(fields.computedStyle) && id !== undefined) {
    Object.assign(res, native.computedStyle(id, fields.computedStyle.map(String)))
  }
  if (Array.isArray(fields.properties) && glassEasel.Component.isComponent(el)) {
    for (const name of fields.properties) {
      if (glassEasel.Component.hasProperty(el, name)) res[name] = glassEasel.dataUtils.simpleDeepCopy(el.data[name])
    }
  }
  if (fields.context || fields.node) {
    const ctx = typeof nodeContext === 'function' ? nodeContext(el) : null
    if (fields.context) res.context = ctx
    if (fields.node) res.node = ctx
  }
  return res
}

function viewportFacts(el, fields) {
  const res = {}
  if (fields.id) res.id = ''
  if (fields.dataset) res.dataset = {}
  if (fields.rect) Object.assign(res, { left: 0, top: 0, right: config.windowWidth, bottom: config.windowHeight })
  if (fields.size) Object.assign(res, { width: config.windowWidth, height: config.windowHeight })
  if (fields.scrollOffset) {
    const id = backendId(rootHostOf(el))
    const size = id === undefined ? null : native.scrollSize(id)
    const [w, h] = size || [config.windowWidth, config.windowHeight]
    Object.assign(res, { scrollLeft: 0, scrollTop: pageScrollOf(el), scrollWidth: w, scrollHeight: h })
  }
  return res
}

class NodesRef {
  constructor(query, scope, selector, single) {
    this._query = query
    this._scope = scope
    this._selector = selector
    this._single = single
  }
  fields(fields, cb) {
    this._query._queue.push({
      scope: this._scope,
      selector: this._selector,
      single: this._single,
      fields: fields || {},
      cb,
    })
    return this._query
  }
  boundingClientRect(cb) {
    return this.fields({ id: true, dataset: true, rect: true, size: true }, cb)
  }
  scrollOffset(cb) {
    return this.fields({ id: true, dataset: true, scrollOffset: true }, cb)
  }
  context(cb) {
    return this.fields({ context: true }, cb)
  }
  node(cb) {
    return this.fields({ node: true }, cb)
  }
}

class SelectorQuery {
  constructor(component) {
    this._scope = component ? queryScope(component) : null
    this._queue = []
  }
  in(component) {
    this._scope = queryScope(component)
    return this
  }
  _currentScope() {
    if (this._scope) return this._scope
    const page = topPage()
    if (!page) throw new Error('createSelectorQuery: no page is shown')
    return queryScope(page.caller)
  }
  select(selector) {
    return new NodesRef(this, this._currentScope(), String(selector), true)
  }
  selectAll(selector) {
    return new NodesRef(this, this._currentScope(), String(selector), false)
  }
  selectViewport() {
    return new NodesRef(this, this._currentScope(), null, true)
  }
  exec(cb) {
    const queue = this._queue
    this._queue = []
    backendContext.render(() => {
      const results = queue.map((q) => {
        let res
        try {
          if (q.selector === null) res = viewportFacts(q.scope, q.fields)
          else if (q.single) {
            const el = q.scope.getShadowRoot().querySelector(q.selector)
            res = el ? nodeFacts(el, q.fields) : null
          } else {
            res = q.scope
              .getShadowRoot()
              .querySelectorAll(q.selector)
              .map((el) => nodeFacts(el, q.fields))
          }
        } catch (err) {
          reportError(err, 'SelectorQuery')
          res = q.single ? null : []
        }
        if (typeof q.cb === 'function') {
          try {
            q.cb(res)
          } catch (err) {
            reportError(err, 'SelectorQuery callback')
          }
        }
        return res
      })
      if (typeof cb === 'function') cb(results)
    })
  }
}

wx.createSelectorQuery = () => new SelectorQuery(null)

// Every page and component gets this.createSelectorQuery() scoped to its own shadow tree.
function selectorQueryFor(caller) {
  return new SelectorQuery(caller)
}

export { pageScrollOf, selectorQueryFor }
