// worklet.js — `wx.worklet` and `wx.router` as WeChat's WebView mode has them: there is no UI
// thread to run worklets on, so everything runs on the logic thread. Shared values hold
// values; animations (`timing`, `spring`, `decay`, `sequence`, `repeat`, `delay`) settle at
// once on their end value (a finished callback runs on a later task with `true`);
// `runOnJS`/`runOnUI` return the function to call here. Custom route builders (`wx.router`)
// are kept but only Skyline's renderer uses them: routes animate the default way.

import { wx } from './wx.js'

// An animation settles at `toValue`; `callback(finished)` follows on a later task.
function settled(toValue, callback) {
  if (typeof callback === 'function') setTimeout(() => callback(true), 0)
  return toValue
}

const Easing = (() => {
  const linear = (t) => t
  const cubicBezier = (x1, y1, x2, y2) => {
    // cubic-bezier(x1, y1, x2, y2) as CSS defines it: solve x(s) = t, return y(s)
    const at = (a, b, s) => 3 * a * s * (1 - s) * (1 - s) + 3 * b * s * s * (1 - s) + s * s * s
    return (t) => {
      let lo = 0
      let hi = 1
      for (let i = 0; i < 30; i++) {
        const mid = (lo + hi) / 2
        if (at(x1, x2, mid) < t) lo = mid
        else hi = mid
      }
      return at(y1, y2, (lo + hi) / 2)
    }
  }
  // WeChat's `Easing.bezier(…)` is a factory object; `.factory()` gives the function
  const bezier = (x1, y1, x2, y2) => {
    const fn = cubicBezier(x1, y1, x2, y2)
    return { factory: () => fn }
  }
  const ease = cubicBezier(0.25, 0.1, 0.25, 1)
  return {
    linear,
    ease,
    quad: (t) => t * t,
    cubic: (t) => t * t * t,
    poly: (n) => (t) => Math.pow(t, n),
    sin: (t) => 1 - Math.cos((t * Math.PI) / 2),
    circle: (t) => 1 - Math.sqrt(1 - t * t),
    exp: (t) => Math.pow(2, 10 * (t - 1)),
    elastic:
      (bounciness = 1) =>
      (t) =>
        1 - Math.pow(Math.cos((t * Math.PI) / 2), 3) * Math.cos(t * bounciness * Math.PI),
    back:
      (s = 1.70158) =>
      (t) =>
        t * t * ((s + 1) * t - s),
    bounce: (t) => {
      if (t < 1 / 2.75) return 7.5625 * t * t
      if (t < 2 / 2.75) return 7.5625 * (t -= 1.5 / 2.75) * t + 0.75
      if (t < 2.5 / 2.75) return 7.5625 * (t -= 2.25 / 2.75) * t + 0.9375
      return 7.5625 * (t -= 2.625 / 2.75) * t + 0.984375
    },
    bezier,
    cubicBezier,
    bezierFn: cubicBezier,
    in: (easing) => easing,
    out: (easing) => (t) => 1 - easing(1 - t),
    inOut: (easing) => (t) => (t < 0.5 ? easing(t * 2) / 2 : 1 - easing((1 - t) * 2) / 2),
    steps:
      (n = 10, roundToNextStep = true) =>
      (t) =>
        (roundToNextStep ? Math.ceil(t * n) : Math.floor(t * n)) / n,
  }
})()

wx.worklet = {
  shared(initial) {
    return { value: initial }
  },
  derived(updater) {
    return {
      get value() {
        return updater()
      },
    }
  },
  timing: (toValue, options, callback) => settled(toValue, typeof options === 'function' ? options : callback),
  spring: (toValue, options, callback) => settled(toValue, typeof options === 'function' ? options : callback),
  decay: (options, callback) => settled(options && options.clamp ? options.clamp[1] : 0, callback),
  sequence: (...animations) => (animations.length ? animations[animations.length - 1] : undefined),
  repeat: (animation) => animation,
  delay: (ms, animation) => animation,
  cancelAnimation() {},
  runOnJS: (fn) => fn,
  runOnUI: (fn) => fn,
  Easing,
}

const routeBuilders = new Map()
wx.router = {
  addRouteBuilder(routeType, builder) {
    if (typeof routeType === 'string' && typeof builder === 'function') routeBuilders.set(routeType, builder)
  },
  removeRouteBuilder(routeType) {
    routeBuilders.delete(routeType)
  },
  getRouteContext() {
    return null
  },
}
