// animation.js — wx.createAnimation(): a chainable description of style and transform steps.
// `export()` returns WeChat's action list (bound to a node with `animation="{{data}}"`; the
// host receives it as the `animation` attribute and plays it) and starts a new list.

import { paramError, typeName, wx, wxThrow } from './wx.js'

const ANIMATION_STYLES = ['opacity', 'backgroundColor', 'width', 'height', 'top', 'left', 'bottom', 'right']
const ANIMATION_TRANSFORMS = {
  rotate: 1,
  rotateX: 1,
  rotateY: 1,
  rotateZ: 1,
  rotate3d: 4,
  scale: 2,
  scaleX: 1,
  scaleY: 1,
  scaleZ: 1,
  scale3d: 3,
  translate: 2,
  translateX: 1,
  translateY: 1,
  translateZ: 1,
  translate3d: 3,
  skew: 2,
  skewX: 1,
  skewY: 1,
  matrix: 6,
  matrix3d: 16,
}
const TIMING_FUNCTIONS = ['linear', 'ease', 'ease-in', 'ease-in-out', 'ease-out', 'step-start', 'step-end']

function animationOption(base, o) {
  const opts = Object.assign({}, base, o || {})
  if (!TIMING_FUNCTIONS.includes(opts.timingFunction)) opts.timingFunction = 'linear'
  return {
    transition: { duration: Number(opts.duration), timingFunction: opts.timingFunction, delay: Number(opts.delay) },
    transformOrigin: opts.transformOrigin,
  }
}

function styleValue(name, v) {
  // numbers are px for lengths, as WeChat does
  return typeof v === 'number' && name !== 'opacity' ? `${v}px` : v
}

class Animation {
  constructor(options) {
    // `option` is WeChat's own field: code that changes `option.transition.duration` changes the
    // next steps (iView's notice bar does)
    this.option = animationOption(
      { duration: 400, timingFunction: 'linear', delay: 0, transformOrigin: '50% 50% 0' },
      options,
    )
    this._current = []
    this._actions = []
  }
  step(options) {
    if (this._current.length) {
      const t = this.option.transition
      const defaults = {
        duration: t.duration,
        timingFunction: t.timingFunction,
        delay: t.delay,
        transformOrigin: this.option.transformOrigin,
      }
      this._actions.push({ animates: this._current, option: animationOption(defaults, options) })
      this._current = []
    }
    return this
  }
  export() {
    this.step()
    const actions = this._actions
    this._actions = []
    return { actions }
  }
}
for (const name of ANIMATION_STYLES) {
  Animation.prototype[name] = function (value) {
    this._current.push({ type: 'style', args: [name, styleValue(name, value)] })
    return this
  }
}
for (const name of Object.keys(ANIMATION_TRANSFORMS)) {
  Animation.prototype[name] = function (...args) {
    this._current.push({ type: name, args: args.slice(0, ANIMATION_TRANSFORMS[name]) })
    return this
  }
}

wx.createAnimation = (options) => {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    wxThrow('createAnimation', paramError(`parameter should be Object instead of ${typeName(options)};`))
  }
  return new Animation(options)
}
