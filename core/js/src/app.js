// app.js — the framework layer the adapter leaves to us: App(), getApp(), getCurrentPages(),
// the page stack and page lifecycles, component `ready`, and error reporting to App.onError.
let env = null
let codeSpace = null
let associated = null
let appInstance = null
let launchOptions = null
const pageStack = []
let pageSeq = 0
let pendingReady = []
let pendingReadyPages = []

const config = { windowWidth: 375, windowHeight: 667, pixelRatio: 2, theme: 'light' }

// -- errors -----------------------------------------------------------------------------------
let insideOnError = false
function reportError(err, where) {
  const name = err instanceof Error ? err.name : 'Error'
  const message = errorText(err)
  const stack = errorStack(err)
  native.reportError(String(where || ''), name, message, stack)
  if (insideOnError || !appInstance || typeof appInstance.onError !== 'function') return
  insideOnError = true
  try {
    appInstance.onError.call(appInstance, stack ? `${message}\n${stack}` : message)
  } catch (err2) {
    native.reportError('App.onError', err2 instanceof Error ? err2.name : 'Error', errorText(err2), errorStack(err2))
  } finally {
    insideOnError = false
  }
}

function callHook(target, name, args) {
  const f = target && target[name]
  if (typeof f !== 'function') return undefined
  try {
    return f.apply(target, args || [])
  } catch (err) {
    reportError(err, name)
    return undefined
  }
}

// -- App / getApp / getCurrentPages -----------------------------------------------------------
function App(def) {
  if (appInstance) {
    console.error('App() can only be called once, in app.js; this call is ignored')
    return appInstance
  }
  if (def === null || typeof def !== 'object') throw new TypeError('App(): options must be an object')
  appInstance = Object.assign({}, def)
  return appInstance
}
function getApp(opts) {
  if (!appInstance && opts && opts.allowDefault) {
    appInstance = {}
  }
  return appInstance || undefined
}
function getCurrentPages() {
  return pageStack.map((p) => p.caller)
}
globalThis.App = App
globalThis.getApp = getApp
globalThis.getCurrentPages = getCurrentPages

// -- registration -----------------------------------------------------------------------------
// `components`: [{path, json, isPage, hasTemplate}] from the core; `templates`: the compiled
// template group. Registers every static config and template, then runs app.js and each module.
function init(cfg, templates) {
  Object.assign(config, cfg.window || {})
  glassEasel.addGlobalErrorListener((err, method) => {
    // glass-easel names handler failures 'listener <minified name>'
    reportError(err, !method ? 'component' : /^listener\b/.test(method) ? 'event handler' : method)
    return false
  })
  glassEasel.addGlobalWarningListener((msg) => {
    native.log('warn', String(msg))
    return false
  })
  env = new adapter.MiniProgramEnv()
  codeSpace = env.createCodeSpace('', true)
  // glass-easel never fires `ready`: queue every component when it is attached and fire
  // `ready` child-first after the frame that shows it.
  codeSpace.setOverallBehavior(
    codeSpace
      .behavior()
      .lifetime('attached', function () {
        pendingReady.push(this._$)
        native.wantAfterFrame()
      })
      .register()._$,
  )
  for (const c of cfg.components) {
    codeSpace.addComponentStaticConfig(c.path, c.json)
    if (c.hasTemplate && templates[c.path]) {
      codeSpace.addCompiledTemplate(c.path, {
        groupList: templates,
        content: templates[c.path],
        fallbackListenerOnNativeNode: true,
      })
    }
  }
  associated = env.associateBackend(backendContext)
  try {
    loadModule('app.js')
  } catch (err) {
    reportError(err, 'app.js')
  }
  for (const c of cfg.components) {
    try {
      codeSpace.globalComponentEnv(globalThis, c.path, () => loadModule(`${c.path}.js`))
    } catch (err) {
      reportError(err, `${c.path}.js`)
      continue
    }
    if (!codeSpace.getComponentSpace().getComponentByUrlWithoutDefault(`/${c.path}`, '')) {
      const fn = c.isPage ? 'Page' : 'Component'
      reportError(new Error(`${c.path}.js did not call ${fn}(); a ${c.isPage ? 'page' : 'component'} module must call ${fn}({...})`), `${c.path}.js`)
    }
  }
}

// -- pages ------------------------------------------------------------------------------------
function encodeQuery(query) {
  return Object.keys(query)
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(query[k])}`)
    .join('&')
}

function openPage(route, query) {
  const qs = encodeQuery(query)
  const root = associated.createRoot('page', codeSpace, qs ? `${route}?${qs}` : route)
  const comp = root.getComponent()
  const caller = root.get()
  caller.route = route
  caller.__route__ = route
  caller.options = Object.assign({}, query)
  const host = comp.getBackendElement()
  if (host) native.setAttribute(host._id, 'route', route)
  const rootElement = backendContext.getRootNode()
  const placeholder = backendContext.createElement('wx-placeholder', 'wx-placeholder')
  rootElement.appendChild(placeholder)
  root.attach(rootElement, placeholder)
  placeholder.release()
  const page = { id: ++pageSeq, route, query, root, comp, caller, host }
  pageStack.push(page)
  callHook(caller, 'onLoad', [Object.assign({}, query)])
  comp.triggerPageLifetime('show', [])
  callHook(caller, 'onShow')
  pendingReadyPages.push(page)
  native.wantAfterFrame()
  return page
}

function launch(opts) {
  launchOptions = {
    path: opts.path,
    query: Object.assign({}, opts.query),
    scene: opts.scene,
    referrerInfo: Object.assign({}, opts.referrerInfo),
  }
  if (appInstance) {
    callHook(appInstance, 'onLaunch', [Object.assign({}, launchOptions, { query: Object.assign({}, launchOptions.query) })])
    callHook(appInstance, 'onShow', [Object.assign({}, launchOptions, { query: Object.assign({}, launchOptions.query) })])
  }
  openPage(opts.path, opts.query)
}

function isComposedAncestor(a, b) {
  for (let cur = b.getComposedParent(); cur; cur = cur.getComposedParent()) {
    if (cur === a) return true
  }
  return false
}

// `attached` arrives parent-first in document order; `ready` runs children first with siblings
// in document order (post-order), as WeChat does.
function readyOrder(attachOrder) {
  const out = []
  const stack = []
  for (const c of attachOrder) {
    while (stack.length && !isComposedAncestor(stack[stack.length - 1], c)) out.push(stack.pop())
    stack.push(c)
  }
  while (stack.length) out.push(stack.pop())
  return out
}

// After the host applied a frame: setData callbacks, then component `ready` (child-first),
// then `onReady` of pages shown for the first time. Returns true when anything ran.
function afterFrame() {
  let ran = runRenderCallbacks() > 0
  const comps = pendingReady
  pendingReady = []
  for (const c of readyOrder(comps)) {
    if (glassEasel.Element.isAttached(c)) {
      c.triggerLifetime('ready', [])
      ran = true
    }
  }
  const pages = pendingReadyPages
  pendingReadyPages = []
  for (const p of pages) {
    if (pageStack.includes(p)) {
      callHook(p.caller, 'onReady')
      ran = true
    }
  }
  return ran
}

// A promise was rejected and nothing handled it by the end of the task. Returns true when
// App.onUnhandledRejection took it; otherwise it is reported as an uncaught error.
function unhandledRejection(reason, promise) {
  if (appInstance && typeof appInstance.onUnhandledRejection === 'function') {
    callHook(appInstance, 'onUnhandledRejection', [{ reason, promise }])
    return true
  }
  const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : formatValue(reason)
  native.log('error', `Uncaught (in promise) ${text}`)
  return false
}
