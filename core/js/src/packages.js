// packages.js — the code space every page and component registers in, and the packages their
// files come from: the main package (app.js runs once, on first use) and subpackages (their
// templates and configs registered on the first route into them, or compiled ahead by
// preloadRule). app.js configures the code space; the router asks for the package of a route.
import * as adapter from 'glass-easel-miniprogram-adapter'
import { native } from './bridge.js'
import { reportError } from './errors.js'
import { loadModule } from './modules.js'

let env = null
let codeSpace = null
let associated = null
const componentConfigs = new Map() // path -> {path, json, isPage, hasTemplate, hasStyle}

// Reads the app's subpackages and preload rules from its configuration `cfg`.
function initPackages(cfg) {
  subpackages = cfg.subpackages || []
  preloadRule = cfg.preloadRule || {}
}

// Creates the code space, after glass-easel's global options are set (it takes them as the
// defaults of every component).
function createCodeSpace() {
  env = new adapter.MiniProgramEnv()
  codeSpace = env.createCodeSpace('', true)
  // The space's default component, an empty one, as WeChat's space has: glass-easel gives it
  // to an abstract node (`componentGenerics`) its user fills with nothing and that names no
  // default (miniprogram-table-component declares one it never uses), where it would throw.
  codeSpace.getComponentSpace().defineComponent({ is: '' })
}

// Ties the code space to the backend pages are drawn with.
function associateBackend(backendContext) {
  associated = env.associateBackend(backendContext)
}

// What entering the main package starts after app.js ran (App.onLaunch and onShow: app.js).
let mainStarter = () => {}
function setMainStarter(fn) {
  mainStarter = fn
}

let mainLoaded = false

// Runs app.js, once. Page and component modules run when first used (ensureComponent), as
// WeChat does with `lazyCodeLoading: "requiredComponents"`.
function ensureMainPackage() {
  if (mainLoaded) return
  mainLoaded = true
  try {
    loadModule('app.js')
  } catch (err) {
    reportError(err, 'app.js')
  }
}

// Static configs and templates first: Page()/Component() read them when called.
function addComponents(list, templates) {
  for (const c of list) {
    componentConfigs.set(c.path, c)
    codeSpace.addComponentStaticConfig(c.path, c.json)
    if (c.hasStyle) codeSpace.addStyleSheet(c.path, c.path)
    if (c.hasTemplate && templates[c.path]) {
      codeSpace.addCompiledTemplate(c.path, {
        groupList: templates,
        content: templates[c.path],
        fallbackListenerOnNativeNode: true,
      })
    }
  }
}

// -- subpackages ------------------------------------------------------------------------------
// A subpackage's templates and code are compiled and evaluated on the first route into it.
let subpackages = []
let preloadRule = {}
const loadedSubpackages = new Set()

function subpackageOf(route) {
  return subpackages.find((s) => route.startsWith(s.root + '/')) || null
}

// Loads the subpackage holding `route` (templates and configs; its modules run on first use).
// Entering the main package or a normal subpackage runs app.js first.
function ensurePackageFor(route) {
  const sub = subpackageOf(route)
  if (!sub || !sub.independent) ensureMainPackage()
  if (!sub || loadedSubpackages.has(sub.root)) return
  const [templates, components] = native.loadSubpackage(sub.root)
  loadedSubpackages.add(sub.root)
  addComponents(components, templates)
}

// preloadRule: entering `route` compiles the listed subpackages ahead (their code still runs
// only on the first route into them).
function preloadFor(route) {
  const rule = preloadRule[route]
  if (!rule || !Array.isArray(rule.packages)) return
  for (const key of rule.packages) {
    if (key === '__APP__') continue
    const sub = subpackages.find((s) => s.root === key || s.name === key)
    if (!sub) console.warn(`preloadRule for ${route}: no subpackage named "${key}"`)
    else if (!loadedSubpackages.has(sub.root)) native.preloadSubpackage(sub.root)
  }
}

// Runs app.js (once) and starts the app (once): what a page of the main package, or of a
// normal subpackage, needs before it opens.
function startMainPackage() {
  ensureMainPackage()
  mainStarter()
}

export {
  addComponents,
  associateBackend,
  associated,
  codeSpace,
  componentConfigs,
  createCodeSpace,
  ensurePackageFor,
  initPackages,
  loadedSubpackages,
  preloadFor,
  setMainStarter,
  startMainPackage,
  subpackageOf,
}
