// auth.js — consent scopes and the package's own declarations.
//
// A scoped API (getLocation…) runs only when, in order: the app declares it where WeChat
// requires (`requiredPrivateInfos`, a `permission` description for location scopes), and the
// user consented. The first call asks the host (`authorize` host call, a consent prompt); the
// answer is remembered per app; a refused scope fails later calls without asking again.
// `wx.getSetting` shows the decisions; `wx.openSetting` lets the user change them (tap only).

import { errorText, native } from './bridge.js'
import { inUserTap } from './events.js'
import { checkParam, paramError, wx, wxAsync } from './wx.js'
import { storageFailure } from './storage.js'
import { callHost } from './host.js'

const SCOPE_OF = {
  getLocation: 'scope.userLocation',
  chooseLocation: 'scope.userLocation',
  startLocationUpdate: 'scope.userLocation',
  getFuzzyLocation: 'scope.userFuzzyLocation',
  startLocationUpdateBackground: 'scope.userLocationBackground',
  saveImageToPhotosAlbum: 'scope.writePhotosAlbum',
  saveVideoToPhotosAlbum: 'scope.writePhotosAlbum',
  startRecord: 'scope.record',
  addPhoneContact: 'scope.addPhoneContact',
  addPhoneCalendar: 'scope.addPhoneCalendar',
  getWeRunData: 'scope.werun',
  openBluetoothAdapter: 'scope.bluetooth',
}
const KNOWN_SCOPES = new Set(Object.values(SCOPE_OF).concat(['scope.camera']))
// APIs apps published after 2022-07-14 must list in app.json `requiredPrivateInfos`.
const PRIVATE_INFOS = new Set([
  'getFuzzyLocation',
  'getLocation',
  'onLocationChange',
  'startLocationUpdate',
  'startLocationUpdateBackground',
  'chooseLocation',
  'choosePoi',
  'chooseAddress',
])
const LOCATION_SCOPES = new Set(['scope.userLocation', 'scope.userFuzzyLocation', 'scope.userLocationBackground'])
let declaredPrivateInfos = new Set()
let permissionDescs = {}
const consentWaiters = new Map() // scope -> [callbacks] while the host's prompt is open

function initAuth(cfg) {
  declaredPrivateInfos = new Set(Array.isArray(cfg.requiredPrivateInfos) ? cfg.requiredPrivateInfos : [])
  const perm = cfg.permission && typeof cfg.permission === 'object' ? cfg.permission : {}
  permissionDescs = {}
  for (const scope of Object.keys(perm)) {
    const desc = perm[scope] && perm[scope].desc
    if (typeof desc === 'string' && desc.trim() !== '') permissionDescs[scope] = desc
  }
}

function declarationProblem(api, scope) {
  if (PRIVATE_INFOS.has(api) && !declaredPrivateInfos.has(api)) {
    return { key: 'privateInfoNotDeclared', detail: `add "${api}" to requiredPrivateInfos in app.json` }
  }
  if (scope && LOCATION_SCOPES.has(scope) && !permissionDescs[scope]) {
    return { key: 'permissionNotDeclared', detail: `add permission["${scope}"].desc to app.json` }
  }
  return null
}

// Calls done(null) when `scope` is granted, done(reason) otherwise; prompts once if unknown.
function withConsent(scope, done) {
  let known = null
  try {
    known = native.scopeGet(scope)
  } catch (err) {
    return done(storageFailure(err))
  }
  if (known === true) return done(null)
  if (known === false) return done({ key: 'authDeny' })
  const waiting = consentWaiters.get(scope)
  if (waiting) return waiting.push(done)
  consentWaiters.set(scope, [done])
  callHost('authorize', { scope, desc: permissionDescs[scope] || '' }, (reason, res) => {
    const granted = !reason && res && res.granted === true
    try {
      native.scopeSet(scope, granted)
    } catch (err) {
      console.error(`remembering ${scope} failed: ${errorText(err)}`)
    }
    const list = consentWaiters.get(scope) || []
    consentWaiters.delete(scope)
    for (const cb of list) cb(granted ? null : { key: 'authDeny' })
  })
}

// A host API that needs declarations and consent first.
function scopedHostApi(api, validate) {
  const scope = SCOPE_OF[api]
  return (options) =>
    wxAsync(api, options, (o, finish) => {
      const bad = (validate && validate(o)) || declarationProblem(api, scope)
      if (bad) return finish(bad)
      withConsent(scope, (reason) => (reason ? finish(reason) : callHost(api, o, finish)))
    })
}

wx.authorize = (options) =>
  wxAsync('authorize', options, (o, finish) => {
    const bad = checkParam(o, 'scope', 'String')
    if (bad) return finish(bad)
    if (!KNOWN_SCOPES.has(o.scope)) return finish(paramError(`unknown scope ${o.scope}`))
    const declared = LOCATION_SCOPES.has(o.scope) && !permissionDescs[o.scope] ? declarationProblem('', o.scope) : null
    if (declared) return finish(declared)
    withConsent(o.scope, (reason) => finish(reason))
  })

// The consent decisions (`{scope: bool}`), without the privacy agreement kept beside them
// (privacy.js).
function scopeDecisions() {
  const all = native.scopeAll()
  delete all.privacy
  return all
}

wx.getSetting = (options) =>
  wxAsync('getSetting', options, (o, finish) => {
    try {
      finish(null, { authSetting: scopeDecisions() })
    } catch (err) {
      finish(storageFailure(err))
    }
  })

// The host shows its settings page with the current decisions and answers the new ones;
// `finish(reason, {authSetting})` gets what holds afterwards. Used by wx.openSetting and
// <button open-type="openSetting">.
function openSettingPage(finish) {
  let current
  try {
    current = scopeDecisions()
  } catch (err) {
    return finish(storageFailure(err))
  }
  callHost('openSetting', { authSetting: current }, (reason, res) => {
    if (reason) return finish(reason)
    const next = (res && res.authSetting) || current
    for (const scope of Object.keys(next)) {
      if (typeof next[scope] === 'boolean' && KNOWN_SCOPES.has(scope)) native.scopeSet(scope, next[scope])
    }
    finish(null, { authSetting: scopeDecisions() })
  })
}

wx.openSetting = (options) =>
  wxAsync('openSetting', options, (o, finish) => {
    if (!inUserTap) return finish({ key: 'userGestureRequired' })
    openSettingPage(finish)
  })

wx.getLocation = scopedHostApi('getLocation', (o) => {
  if (o.type !== undefined && o.type !== 'wgs84' && o.type !== 'gcj02')
    return paramError('parameter.type should be "wgs84" or "gcj02";')
  return null
})
wx.chooseLocation = scopedHostApi('chooseLocation')
wx.saveImageToPhotosAlbum = scopedHostApi('saveImageToPhotosAlbum', (o) => checkParam(o, 'filePath', 'String'))

export { initAuth, openSettingPage, withConsent }
