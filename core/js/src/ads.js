// ads.js — wx.createInterstitialAd and wx.createRewardedVideoAd. miniapp has no ad network
// behind it, so it serves no ads; but an app that shows one when it can must keep working, as
// it does in WeChat when no ad fits. Each call gives an ad object with WeChat's methods and
// events; it loads at once (WeChat's ads do) and every load fails the way WeChat's does when no
// ad fits: `onError` listeners get `{errMsg, errCode: 1004}`, and `load()` and `show()` return
// promises rejected with that. One rewarded-video ad per ad unit unless `multiton`, as in
// WeChat. Loads settle on a later task.

import { listenerList } from './listeners.js'
import { wx } from './wx.js'

const NO_AD_CODE = 1004
const AD_EVENTS = ['Load', 'Error', 'Close']

class Ad {
  constructor(kind, options) {
    this._kind = kind
    this._destroyed = false
    this._listeners = {}
    for (const name of AD_EVENTS) {
      const list = listenerList()
      this._listeners[name] = list
      this[`on${name}`] = (fn) => list.on(fn)
      this[`off${name}`] = (fn) => list.off(fn)
    }
    const unit = options && options.adUnitId
    this._problem =
      typeof unit === 'string' && unit !== ''
        ? { errMsg: `${kind}:fail no suitable ad (miniapp serves no ads)`, errCode: NO_AD_CODE }
        : { errMsg: `${kind}:fail parameter error: adUnitId should be a non-empty String`, errCode: 1001 }
    this._loading = null
    this._fetch()
  }

  // The load under way (one at a time), started when none is: it fails on a later task,
  // telling the `onError` listeners.
  _fetch() {
    if (this._destroyed) return Promise.reject({ errMsg: `${this._kind}:fail the ad is destroyed`, errCode: 1003 })
    if (!this._loading) {
      this._loading = new Promise((resolve, reject) => {
        setTimeout(() => {
          this._loading = null
          const res = Object.assign({}, this._problem)
          this._listeners.Error.emit(res, `${this._kind}.onError listener`)
          reject(res)
        }, 0)
      })
      this._loading.catch(() => {}) // the app's own load()/show() promises carry the failure
    }
    return this._loading
  }

  load() {
    return this._fetch().then(() => undefined)
  }

  // There is never a loaded ad to show: the load's failure.
  show() {
    return this._fetch().then(() => undefined)
  }

  destroy() {
    this._destroyed = true
    for (const name of AD_EVENTS) this._listeners[name].off()
  }
}

wx.createInterstitialAd = (options) => new Ad('InterstitialAd', options)

const rewardedByUnit = new Map()
wx.createRewardedVideoAd = (options) => {
  const unit = options && options.adUnitId
  if (options && options.multiton) return new Ad('RewardedVideoAd', options)
  let ad = rewardedByUnit.get(unit)
  if (!ad || ad._destroyed) {
    ad = new Ad('RewardedVideoAd', options)
    rewardedByUnit.set(unit, ad)
  }
  return ad
}
