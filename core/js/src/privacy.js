// privacy.js — WeChat's privacy agreement (base library 2.32.3): whether the user accepted the
// mini program's privacy guide, asked at most once and remembered per app beside the consent
// scopes (under the key `privacy`, which `getSetting` does not list).
//
// - `wx.getPrivacySetting` → `{needAuthorization, privacyContractName}`.
// - `wx.requirePrivacyAuthorize`: succeeds once the user agreed. Before that, the app's
//   `wx.onNeedPrivacyAuthorization(listener)` gets `(resolve, {referrer})` and shows its own
//   popup, then calls `resolve({event: 'agree' | 'disagree', buttonId})` (`exposureAuthorization`
//   only says the popup is shown); with no listener the host asks, with the same consent
//   prompt as a scope (host call `authorize {scope: "privacy", desc}`).
// - Tapping `<button open-type="agreePrivacyAuthorization">` agrees (the button's
//   `agreeprivacyauthorization` event follows), which also settles a pending request.
// - `wx.openPrivacyContract` → host call `openPrivacyContract {name}` (the host shows the guide).
// A refusal fails the request with errno 104 and is not remembered: the next request asks again.

import { errorText, native } from './bridge.js'
import { wx, wxAsync } from './wx.js'
import { callHost } from './host.js'
import { reportError } from './errors.js'

const KEY = 'privacy'
const CONTRACT_NAME = '《小程序隐私保护指引》'
let needListener = null // the app's onNeedPrivacyAuthorization listener (a later one replaces it)
let waiting = [] // finish callbacks of requests waiting for the user

function agreed() {
  try {
    return native.scopeGet(KEY) === true
  } catch (err) {
    console.error(`reading the privacy agreement failed: ${errorText(err)}`)
    return false
  }
}

// The user's answer: settles every waiting request; only agreement is remembered.
function answer(agree) {
  if (agree) {
    try {
      native.scopeSet(KEY, true)
    } catch (err) {
      console.error(`remembering the privacy agreement failed: ${errorText(err)}`)
    }
  }
  const list = waiting
  waiting = []
  for (const finish of list)
    finish(agree ? null : { key: 'authCanceled', detail: 'privacy permission is not authorized' })
}

function askUser(referrer) {
  if (needListener) {
    let settled = false
    const resolve = (res) => {
      const event = res && res.event
      if (settled || (event !== 'agree' && event !== 'disagree')) return
      settled = true
      answer(event === 'agree')
    }
    try {
      needListener(resolve, { referrer })
    } catch (err) {
      reportError(err, 'onNeedPrivacyAuthorization listener')
    }
    return
  }
  callHost('authorize', { scope: KEY, desc: CONTRACT_NAME }, (reason, res) =>
    answer(!reason && res && res.granted === true),
  )
}

wx.getPrivacySetting = (options) =>
  wxAsync('getPrivacySetting', options, (o, finish) =>
    finish(null, { needAuthorization: !agreed(), privacyContractName: CONTRACT_NAME }),
  )

wx.requirePrivacyAuthorize = (options) =>
  wxAsync('requirePrivacyAuthorize', options, (o, finish) => {
    if (agreed()) return finish(null)
    waiting.push(finish)
    if (waiting.length === 1) askUser('requirePrivacyAuthorize')
  })

wx.onNeedPrivacyAuthorization = (listener) => {
  if (typeof listener === 'function') needListener = listener
}

wx.openPrivacyContract = (options) =>
  wxAsync('openPrivacyContract', options, (o, finish) =>
    callHost('openPrivacyContract', { name: CONTRACT_NAME }, finish),
  )

// `<button open-type="agreePrivacyAuthorization">` was tapped.
function agreeByButton() {
  answer(true)
}

export { agreeByButton }
