// contexts.js — the app's handles on host-native components: wx.createVideoContext,
// createMapContext, createLivePlayerContext, createCameraContext, createAudioContext (the
// `<audio>` component's, before InnerAudioContext), createCanvasContext, and the
// `context`/`node` of an editor, a canvas (type="2d") or a video from SelectorQuery.
//
// The core draws nothing of these components itself: a context method is a host call named
// `<Context>.<method>` (`VideoContext.seek`) whose args carry the component's node id (`node`,
// for the host to find its native view) and `id`, plus the method's own options
// (`{success, fail, complete}` callbacks and Promises as for any async wx API) or, for
// positional methods, `args: [...]`. Elements are looked up when a method runs, so a context
// made before the element exists works once it does. Canvas drawing is recorded and sent as one
// `CanvasContext.draw` ({actions: [{method, args}], reserve}) per `draw()`; a 2D canvas node
// sends `Canvas.draw` once per frame with what was drawn in it.

import { native } from './bridge.js'
import { backendContext, backendId, queryScope } from './backend.js'
import { paramError, runCallback, typeName, wx, wxAsync, wxThrow } from './wx.js'
import { topPage } from './page_stack.js'
import { callHost, hostTasks } from './host.js'
import { listenerList } from './listeners.js'
import { attributeOf, shadowDescendants } from './selectors.js'

const CONTEXT_METHODS = {
  VideoContext: [
    'play',
    'pause',
    'stop',
    'seek',
    'sendDanmu',
    'playbackRate',
    'requestFullScreen',
    'exitFullScreen',
    'showStatusBar',
    'hideStatusBar',
    'requestPictureInPicture',
    'exitPictureInPicture',
    'requestBackgroundPlayback',
    'exitBackgroundPlayback',
  ],
  MapContext: [
    'getCenterLocation',
    'setCenterOffset',
    'getRegion',
    'getRotate',
    'getSkew',
    'getScale',
    'includePoints',
    'moveToLocation',
    'translateMarker',
    'moveAlong',
    'addMarkers',
    'removeMarkers',
    'addCustomLayer',
    'removeCustomLayer',
    'addGroundOverlay',
    'removeGroundOverlay',
    'updateGroundOverlay',
    'addArc',
    'removeArc',
    'setBoundary',
    'initMarkerCluster',
    'openMapApp',
    'fromScreenLocation',
    'toScreenLocation',
    'setLocMarkerIcon',
  ],
  LivePlayerContext: [
    'play',
    'stop',
    'mute',
    'pause',
    'resume',
    'requestFullScreen',
    'exitFullScreen',
    'snapshot',
    'requestPictureInPicture',
    'exitPictureInPicture',
  ],
  CameraContext: ['takePhoto', 'startRecord', 'stopRecord', 'setZoom'],
  AudioContext: ['setSrc', 'play', 'pause', 'seek'],
  EditorContext: [
    'format',
    'insertDivider',
    'insertImage',
    'insertText',
    'setContents',
    'getContents',
    'clear',
    'removeFormat',
    'undo',
    'redo',
    'blur',
    'scrollIntoView',
    'getSelectionText',
  ],
}
// Methods answering through callbacks/Promises (the rest take positional arguments).
const ASYNC_CONTEXT_METHODS = new Set(['MapContext', 'CameraContext', 'EditorContext', 'LivePlayerContext.snapshot'])
const CONTEXT_TAGS = {
  VideoContext: 'video',
  MapContext: 'map',
  LivePlayerContext: 'live-player',
  CameraContext: 'camera',
  EditorContext: 'editor',
  AudioContext: 'audio',
}

// The component (or, without one, the current page) whose shadow tree a context looks in.
function contextScope(component) {
  if (component) return queryScope(component)
  const page = topPage()
  return page ? queryScope(page.caller) : null
}

// The built-in tag of a glass-easel element ('' for components and text).
function builtinTag(el) {
  const be = el.getBackendElement ? el.getBackendElement() : null
  return be ? be._tag : ''
}

// The element `<tag id=...>` in the component's (or the current page's) shadow tree.
function contextElement(tag, id, component) {
  const scope = contextScope(component)
  if (!scope) return null
  const root = scope.getShadowRoot()
  return id ? root.querySelector(`#${id}`) : root.querySelector(tag)
}

// The canvas a legacy context draws on: `canvas-id` (or, failing that, `id`) in the scope.
function legacyCanvas(canvasId, component) {
  const scope = contextScope(component)
  if (!scope || !canvasId) return null
  for (const el of shadowDescendants(scope.getShadowRoot())) {
    if (builtinTag(el) === 'canvas' && attributeOf(el, 'canvas-id') === canvasId) return el
  }
  return scope.getShadowRoot().querySelector(`#${canvasId}`)
}

function makeContext(kind, id, component, fixedElement) {
  const tag = CONTEXT_TAGS[kind]
  const ctx = {}
  for (const method of CONTEXT_METHODS[kind]) {
    const api = `${kind}.${method}`
    ctx[method] = function (...args) {
      const el = fixedElement || contextElement(tag, id, component)
      const node = el ? backendId(el) : undefined
      const target = { node: node === undefined ? 0 : node, id: id || '' }
      const first = args[0]
      const isAsync = ASYNC_CONTEXT_METHODS.has(kind) || ASYNC_CONTEXT_METHODS.has(api)
      if (
        isAsync &&
        args.length <= 1 &&
        (first === undefined || (first && typeof first === 'object' && !Array.isArray(first)))
      ) {
        return wxAsync(api, first, (o, finish) => {
          if (node === undefined) return finish(`no <${tag}${id ? ` id="${id}"` : ''}> on the page`)
          callHost(api, Object.assign({}, o, target), finish)
        })
      }
      if (node === undefined) {
        console.warn(`${api}: no <${tag}${id ? ` id="${id}"` : ''}> on the page`)
        return undefined
      }
      callHost(api, Object.assign({ args: args.filter((a) => typeof a !== 'function') }, target), () => {})
      return undefined
    }
  }
  return ctx
}

function contextId(id, api) {
  if (typeof id !== 'string' || id === '')
    wxThrow(api, paramError(`parameter.id should be a non-empty String instead of ${typeName(id)};`))
  return id
}

// MapContext.on(event, callback) / off(event[, callback]): the map's marker-cluster events
// (`markerClusterCreate {clusters}`, `markerClusterClick {cluster}`), which the host reports
// on one long-lived call `MapContext.on {node, id, event}` per event name; `off` with no more
// listeners for it ends that call (`MapContext.off {node, id, event}`).
const MAP_EVENTS = ['markerClusterCreate', 'markerClusterClick']
function addMapEvents(ctx, id, component) {
  const subscriptions = new Map() // event -> { listeners, callId }
  const target = () => {
    const el = contextElement('map', id, component)
    const node = el ? backendId(el) : undefined
    return { node: node === undefined ? 0 : node, id }
  }
  ctx.on = (event, callback) => {
    if (!MAP_EVENTS.includes(event) || typeof callback !== 'function') {
      console.warn(`MapContext.on: events are ${MAP_EVENTS.join(', ')}, each with a function`)
      return
    }
    let sub = subscriptions.get(event)
    if (!sub) {
      sub = { listeners: listenerList(), callId: null }
      subscriptions.set(event, sub)
      const task = { _event: (name, data) => sub.listeners.emit(data || {}, `MapContext.on('${event}') listener`) }
      sub.callId = callHost('MapContext.on', Object.assign({ event }, target()), () => {}, task)
      hostTasks.set(sub.callId, task)
    }
    sub.listeners.on(callback)
  }
  ctx.off = (event, callback) => {
    const sub = subscriptions.get(event)
    if (!sub) return
    sub.listeners.off(callback)
    if (sub.listeners.size > 0) return
    hostTasks.delete(sub.callId)
    subscriptions.delete(event)
    callHost('MapContext.off', Object.assign({ event }, target()), () => {})
  }
  return ctx
}

wx.createVideoContext = (id, component) => makeContext('VideoContext', contextId(id, 'createVideoContext'), component)
wx.createMapContext = (id, component) => {
  const mapId = contextId(id, 'createMapContext')
  return addMapEvents(makeContext('MapContext', mapId, component), mapId, component)
}
wx.createLivePlayerContext = (id, component) =>
  makeContext('LivePlayerContext', contextId(id, 'createLivePlayerContext'), component)
wx.createCameraContext = (component) => makeContext('CameraContext', '', component)
wx.createAudioContext = (id, component) => makeContext('AudioContext', contextId(id, 'createAudioContext'), component)

// -- canvas -------------------------------------------------------------------------------------
const CANVAS_METHODS = [
  'setFillStyle',
  'setStrokeStyle',
  'setLineWidth',
  'setLineCap',
  'setLineJoin',
  'setLineDash',
  'setMiterLimit',
  'setFontSize',
  'setGlobalAlpha',
  'setShadow',
  'setTextAlign',
  'setTextBaseline',
  'fillRect',
  'strokeRect',
  'clearRect',
  'fillText',
  'strokeText',
  'beginPath',
  'closePath',
  'moveTo',
  'lineTo',
  'arc',
  'arcTo',
  'rect',
  'quadraticCurveTo',
  'bezierCurveTo',
  'ellipse',
  'fill',
  'stroke',
  'clip',
  'save',
  'restore',
  'translate',
  'rotate',
  'scale',
  'setTransform',
  'transform',
  'drawImage',
]
const CANVAS_PROPERTIES = [
  'fillStyle',
  'strokeStyle',
  'lineWidth',
  'lineCap',
  'lineJoin',
  'miterLimit',
  'font',
  'globalAlpha',
  'globalCompositeOperation',
  'shadowBlur',
  'shadowColor',
  'shadowOffsetX',
  'shadowOffsetY',
  'textAlign',
  'textBaseline',
  'lineDashOffset',
]

// Gradients and patterns travel as plain descriptions the host turns into its own.
function canvasGradient(kind, args) {
  const g = { type: kind, args, stops: [] }
  Object.defineProperty(g, 'addColorStop', {
    value: (offset, color) => g.stops.push([offset, color]),
    enumerable: false,
  })
  return g
}

// The path methods a `Path2D` records.
const PATH_METHODS = [
  'moveTo',
  'lineTo',
  'arc',
  'arcTo',
  'rect',
  'roundRect',
  'ellipse',
  'quadraticCurveTo',
  'bezierCurveTo',
  'closePath',
]

// `canvas.createPath2D([path])`: a path kept apart from the context's current one, for
// `fill(path)`, `stroke(path)`, `clip(path)`. It travels in the actions as
// `{type: 'path2d', commands: [{method, args}]}`, which the host replays into a path of its own.
function path2D(from) {
  const commands = from && Array.isArray(from.commands) ? from.commands.slice() : []
  const path = { type: 'path2d', commands }
  for (const m of PATH_METHODS) {
    Object.defineProperty(path, m, {
      value: (...args) => {
        commands.push({ method: m, args })
      },
      enumerable: false,
    })
  }
  Object.defineProperty(path, 'addPath', {
    value: (other) => {
      if (other && Array.isArray(other.commands)) commands.push(...other.commands)
    },
    enumerable: false,
  })
  return path
}

// A recorder with the CanvasRenderingContext2D surface; `flush()` hands over the actions.
function canvasRecorder() {
  let actions = []
  const state = {}
  const rec = {
    _take() {
      const out = actions
      actions = []
      return out
    },
    get _pending() {
      return actions.length
    },
    createLinearGradient: (...args) => canvasGradient('linear', args),
    createCircularGradient: (...args) => canvasGradient('circular', args),
    createRadialGradient: (...args) => canvasGradient('radial', args),
    createPattern: (image, repetition) => ({
      type: 'pattern',
      image: typeof image === 'string' ? image : image && image.src,
      repetition,
    }),
    // Headless metrics, the layout's text rule: ASCII 0.5em, others 1em.
    measureText(text) {
      const size = Number(/(\d+(?:\.\d+)?)px/.exec(state.font || '')?.[1]) || state.fontSize || 10
      let w = 0
      for (const ch of String(text)) w += ch.charCodeAt(0) < 128 ? size / 2 : size
      return { width: w }
    },
  }
  for (const m of CANVAS_METHODS) {
    rec[m] = (...args) => {
      if (m === 'setFontSize') state.fontSize = Number(args[0]) || state.fontSize
      // an image by its src; a Path2D as what it holds then
      const clean = args.map((a) => {
        if (a && typeof a === 'object' && a.src !== undefined) return a.src
        if (a && a.type === 'path2d') return { type: 'path2d', commands: a.commands.slice() }
        return a
      })
      actions.push({ method: m, args: clean })
    }
  }
  for (const p of CANVAS_PROPERTIES) {
    Object.defineProperty(rec, p, {
      get: () => state[p],
      set: (v) => {
        state[p] = v
        actions.push({ method: 'set', args: [p, v] })
      },
      enumerable: true,
    })
  }
  return rec
}

wx.createCanvasContext = (canvasId, component) => {
  contextId(canvasId, 'createCanvasContext')
  const rec = canvasRecorder()
  rec.draw = (reserve, callback) => {
    const actions = rec._take()
    const canvas = legacyCanvas(canvasId, component)
    const node = canvas ? backendId(canvas) : undefined
    if (node === undefined) {
      console.warn(`CanvasContext.draw: no <canvas canvas-id="${canvasId}"> on the page`)
      return
    }
    callHost('CanvasContext.draw', { node, canvasId, reserve: Boolean(reserve), actions }, () => {
      if (typeof callback === 'function') runCallback(callback, {}, 'CanvasContext.draw')
    })
  }
  return rec
}

wx.canvasToTempFilePath = (options, component) =>
  wxAsync('canvasToTempFilePath', options, (o, finish) => {
    const id = o.canvasId
    const canvas = o.canvas ? o.canvas._el : legacyCanvas(id, component)
    const node = canvas ? backendId(canvas) : undefined
    if (node === undefined) return finish(`no canvas ${id ? `"${id}" ` : ''}on the page`)
    callHost('canvasToTempFilePath', Object.assign({}, o, { node, canvas: undefined }), finish)
  })

// A `<canvas type="2d">` node: width/height, getContext('2d'), createImage; what is drawn in a
// frame goes to the host after it.
function canvasNode(el) {
  const node = backendId(el)
  const rec = canvasRecorder()
  let scheduled = false
  const schedule = () => {
    if (scheduled) return
    scheduled = true
    backendContext.render(() => {
      scheduled = false
      if (rec._pending) callHost('Canvas.draw', { node, actions: rec._take() }, () => {})
    })
  }
  const ctx2d = new Proxy(rec, {
    get(target, key) {
      const v = target[key]
      if (typeof v === 'function' && CANVAS_METHODS.includes(key)) {
        return (...args) => {
          v(...args)
          schedule()
        }
      }
      return v
    },
    set(target, key, value) {
      target[key] = value
      if (CANVAS_PROPERTIES.includes(key)) schedule()
      return true
    },
  })
  const [, , w, h] = native.layoutRect(node) || [0, 0, 300, 150]
  return {
    _el: el,
    width: w || 300,
    height: h || 150,
    getContext(type) {
      if (type !== '2d') {
        console.warn(`canvas.getContext('${type}'): only '2d' is supported by this runtime`)
        return null
      }
      return ctx2d
    },
    createImage() {
      const img = { src: '', width: 0, height: 0, onload: null, onerror: null }
      return img
    },
    createPath2D(path) {
      return path2D(path)
    },
    requestAnimationFrame(cb) {
      return setTimeout(() => cb(Date.now()), 16)
    },
    cancelAnimationFrame(id) {
      clearTimeout(id)
    },
  }
}

// SelectorQuery `.context()` / `.node()`: the handle for a host-native element.
function nodeContext(el) {
  const id = el.id || ''
  switch (builtinTag(el)) {
    case 'video':
      return makeContext('VideoContext', id, null, el)
    case 'map':
      return makeContext('MapContext', id, null, el)
    case 'live-player':
      return makeContext('LivePlayerContext', id, null, el)
    case 'camera':
      return makeContext('CameraContext', id, null, el)
    case 'editor':
      return makeContext('EditorContext', id, null, el)
    case 'canvas':
      return canvasNode(el)
    default:
      return null
  }
}

// The oldest canvas API, still in WeChat: wx.createContext() records drawing not tied to a
// canvas; wx.drawCanvas({canvasId, actions: ctx.getActions(), reserve}) draws it there.
wx.createContext = () => {
  const rec = canvasRecorder()
  rec.getActions = () => rec._take()
  rec.clearActions = () => {
    rec._take()
  }
  return rec
}
wx.drawCanvas = (options) => {
  const o = options && typeof options === 'object' ? options : {}
  const canvas = legacyCanvas(o.canvasId)
  const node = canvas ? backendId(canvas) : undefined
  if (node === undefined) {
    console.warn(`wx.drawCanvas: no <canvas canvas-id="${o.canvasId}"> on the page`)
    return
  }
  const actions = Array.isArray(o.actions) ? o.actions : []
  callHost('CanvasContext.draw', { node, canvasId: o.canvasId, reserve: Boolean(o.reserve), actions }, () => {})
}

export { builtinTag, nodeContext }
