// module_env.js — WeChat's module environment for user code.
//
// The globals every user module sees exist before app.js runs and for the app's whole life:
// `global` (one object all modules share), `Page`, `Component`, `Behavior` (here), `App`,
// `getApp` (app.js), `getCurrentPages` (router.js) and `wx` (wx.js). User code may wrap or
// replace them, as mixin libraries do from app.js: `Page = function (o) { … return page(o) }`.
// A page or component module registers the component whose module is loading now, as WeChat's
// `__wxRoute` does. Modules load when their component is first used, children first (WeChat's
// `lazyCodeLoading: "requiredComponents"`); a module that throws is reported with its own
// file:line and blocks only the components it defines.

import * as glassEasel from 'glass-easel'
import { errorText } from './bridge.js'
import { reportError } from './errors.js'
import { elements } from './backend.js'
import { loadModule } from './modules.js'
import { codeSpace, componentConfigs } from './packages.js'

globalThis.global = {}

let loadingComponent = null // the component config whose module is running
const componentModules = new Map() // path -> null (loaded) | why it cannot be used

// -- built-in behaviors -----------------------------------------------------------------------
// `wx://form-field`: the component is a form field with `name` and `value`; a form submit
// collects them (customFormFields, called by core/src/runtime/form.rs). The other three need
// no code here: the core's form walks the composed tree (fields and form-type buttons inside
// components already take part), and the adapter implements `export()`.
const BUILTIN_BEHAVIORS = {
  'wx://form-field': () =>
    Behavior({ properties: { name: { type: String, value: '' }, value: { type: null, value: '' } } }),
  'wx://form-field-group': () => Behavior({}),
  'wx://form-field-button': () => Behavior({}),
  'wx://component-export': () => Behavior({}),
}
const builtinBehaviors = new Map()

// `[name, value]` of each custom form field under the form element `formId`, in document
// order; virtual-host components (no node of their own) included.
function customFormFields(formId) {
  const be = elements[formId]
  const form = be && be.__wxElement
  const field = builtinBehaviors.get('wx://form-field')
  if (!form || !field) return []
  const out = []
  const walk = (node) => {
    if (typeof node.getComposedChildren !== 'function') return // a text node
    for (const child of node.getComposedChildren()) {
      if (glassEasel.Component.isComponent(child) && child.hasBehavior(field._$)) {
        const data = child.data
        if (data.name) out.push([String(data.name), data.value === undefined ? null : data.value])
      }
      walk(child)
    }
  }
  walk(form)
  return out
}

function builtinBehavior(name) {
  let b = builtinBehaviors.get(name)
  if (b) return b
  const make = BUILTIN_BEHAVIORS[name]
  if (make) {
    b = make()
  } else {
    // Skyline-only ones (`wx://proxy-scroll-view`) and newer ones: the component still works
    console.warn(
      `built-in behavior "${name}" is not supported here and adds nothing (supported: ${Object.keys(BUILTIN_BEHAVIORS).join(', ')})`,
    )
    b = Behavior({})
  }
  builtinBehaviors.set(name, b)
  return b
}

// What a definition needs before the adapter takes it: built-in behaviors named by string
// become Behavior objects, and each property as WeChat reads it (see `normalizeProperty`).
function normalizeDefinition(def) {
  if (!def || typeof def !== 'object') return def
  let out = def
  if (Array.isArray(def.behaviors) && def.behaviors.some((b) => typeof b === 'string')) {
    const behaviors = def.behaviors.map((b) => (typeof b === 'string' ? builtinBehavior(b) : b))
    out = Object.assign({}, out, { behaviors })
  }
  const props = def.properties
  if (props && typeof props === 'object' && Object.keys(props).some((k) => normalizeProperty(props[k]) !== props[k])) {
    const properties = {}
    for (const k of Object.keys(props)) properties[k] = normalizeProperty(props[k])
    out = Object.assign({}, out, { properties })
  }
  return out
}

// A property observer named by string is looked up when it fires (as WeChat does: a name no
// method has does nothing; glass-easel would refuse the whole definition, e.g. vant's
// `observer: 'observeDuration'`, a method its source never defines). A `type` that lists
// constructors (`type: [Boolean, String]`, as ColorUI's `cu-custom` writes it) is the first
// with the others as `optionalTypes`: glass-easel would report the type illegal and open no
// page using the component. The same object comes back when nothing changes.
function normalizeProperty(p) {
  if (!p || typeof p !== 'object') return p
  let out = p
  if (typeof p.observer === 'string') out = Object.assign({}, out, { observer: observerByName(p.observer) })
  if (Array.isArray(p.type)) {
    const optionalTypes = Array.isArray(p.optionalTypes) ? p.optionalTypes : p.type.slice(1)
    out = Object.assign({}, out, { type: p.type.length > 0 ? p.type[0] : null, optionalTypes })
  }
  return out
}

const missingObservers = new Set()
function observerByName(name) {
  return function (...args) {
    const f = this[name]
    if (typeof f === 'function') return f.apply(this, args)
    if (!missingObservers.has(name)) {
      missingObservers.add(name)
      console.warn(`property observer "${name}" is not a method of ${this.is || 'the component'}; it does nothing`)
    }
    return undefined
  }
}

// `options: { styleIsolation, addGlobalClass }` in Page()/Component() count like the same
// fields in the JSON (the JSON wins); the adapter only reads the JSON, so they are copied there
// before the definition registers.
function applyStyleOptions(c, def) {
  const opts = def && typeof def === 'object' && def.options
  if (!opts || (opts.styleIsolation === undefined && opts.addGlobalClass === undefined)) return
  const json = Object.assign({}, c.json)
  if (json.styleIsolation === undefined && opts.styleIsolation !== undefined) {
    json.styleIsolation = String(opts.styleIsolation)
  }
  if (json.addGlobalClass === undefined && opts.addGlobalClass !== undefined) {
    json.addGlobalClass = !!opts.addGlobalClass
  }
  codeSpace.addComponentStaticConfig(c.path, json)
}

// A component with `dynamicSlots` has its slot content rendered once per slot: the template
// group's item-by-item list updates (core/src/compile/list_items.rs) walk lists by position and
// are turned off in an app that defines one.
function noteOptions(opts) {
  if (opts && typeof opts === 'object' && opts.dynamicSlots) globalThis.__miniappDynamicSlots = true
}

function definingComponent(fn) {
  if (loadingComponent) return loadingComponent
  throw new Error(
    `${fn}() was called while no page or component module was loading; call ${fn}({...}) at the top level of the page's or component's .js file`,
  )
}

// -- the globals --------------------------------------------------------------------------------
function Page(def) {
  const c = definingComponent('Page')
  if (def === null || typeof def !== 'object') throw new TypeError(`Page() in ${c.path}.js: options must be an object`)
  def = normalizeDefinition(def)
  applyStyleOptions(c, def)
  return codeSpace.component(c.path).pageDefinition(def).register()
}

function Component(def) {
  const c = definingComponent('Component')
  if (def === undefined) {
    // the chaining API
    const builder = codeSpace.component(c.path)
    const options = builder.options
    builder.options = function (opts) {
      noteOptions(opts)
      return options.call(this, opts)
    }
    return builder
  }
  def = normalizeDefinition(def)
  applyStyleOptions(c, def)
  noteOptions(def.options)
  return codeSpace.component(c.path).definition(def).register()
}

function Behavior(def) {
  if (def === undefined) return codeSpace.behavior() // the chaining API
  return codeSpace.behavior().definition(normalizeDefinition(def)).register()
}
Behavior.trait = (filter) => codeSpace.traitBehavior(filter)

globalThis.Page = Page
globalThis.Component = Component
globalThis.Behavior = Behavior
// Plugins (app.json `plugins`) come from WeChat's plugin store, which miniapp does not have:
// `requirePlugin` exists and says so, naming the plugin.
globalThis.requirePlugin = (name) => {
  throw new Error(
    `requirePlugin('${name}'): mini-program plugins (app.json "plugins") come from WeChat's plugin store, which miniapp does not carry`,
  )
}

// -- loading on first use ----------------------------------------------------------------------
function isRegistered(path) {
  return !!codeSpace.getComponentSpace().getComponentByUrlWithoutDefault(`/${path}`, '')
}

// The components `c` uses (app.json's global ones are merged in by the core) and the defaults
// of its abstract nodes (`componentGenerics`), which glass-easel looks up when `c` is prepared;
// the core has made both `/`-absolute.
function componentDependencies(c) {
  const json = c.json || {}
  const using = json.usingComponents || {}
  const generics = json.componentGenerics || {}
  return Object.keys(using)
    .map((tag) => using[tag])
    .concat(Object.keys(generics).map((name) => generics[name] && generics[name].default))
    .filter((target) => typeof target === 'string' && target.startsWith('/'))
    .map((target) => target.slice(1))
}

// Runs the module of component (or page) `path` and, first, those of the components it uses.
// Returns null when it is registered, otherwise why it cannot be used.
function ensureComponent(path) {
  if (componentModules.has(path)) return componentModules.get(path)
  const c = componentConfigs.get(path)
  if (!c) return `"${path}" is not a page or component of this package`
  componentModules.set(path, null) // a cycle of usingComponents stops here
  for (const dep of componentDependencies(c)) ensureComponent(dep)
  const file = `${c.path}.js`
  let problem = null
  const outer = loadingComponent
  loadingComponent = c
  try {
    loadModule(file)
  } catch (err) {
    reportError(err, file)
    problem = `${file} threw ${err instanceof Error ? err.name : 'Error'}: ${errorText(err)}`
  } finally {
    loadingComponent = outer
  }
  if (!problem && !isRegistered(c.path)) {
    const fn = c.isPage ? 'Page' : 'Component'
    problem = `${file} did not call ${fn}(); a ${c.isPage ? 'page' : 'component'} module must call ${fn}({...})`
    reportError(new Error(problem), file)
  }
  componentModules.set(path, problem)
  return problem
}

export { customFormFields, ensureComponent }
