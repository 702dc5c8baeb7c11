// open_type.js — what a tapped <button open-type="..."> hands to the host app.
//
// The core calls `buttonOpenType(node, openType, props)` after the tap on an enabled button
// that has an `open-type` (core/src/runtime/open_type.rs; `props` are the button's properties,
// converted, defaults included). Each type is one host call `Button.<type>`
// with the button's `node`, its `id` and the attributes that type reads; the host shows its
// native UI (phone-number sheet, avatar picker, customer-service chat, share sheet, …) and
// answers. The answer becomes the button's event with WeChat's detail: `{errMsg: "<type>:ok",
// ...answer}`, or on failure `{errMsg: "<type>:fail <reason>"}` (on the type's own event when
// WeChat reports failures there, else on `error`). Types joined by `|` all run, in order.
// `share` asks the page's onShareAppMessage({from: "button", target}) first and sends the
// result; `openSetting` is the same settings page as wx.openSetting. Types that reveal who
// the user is need the `login` capability.

import { native } from './bridge.js'
import { elements } from './backend.js'
import { dispatchNativeEvent, targetInfo } from './events.js'
import { resultOf } from './wx.js'
import { topPage } from './page_stack.js'
import { shareContent } from './page_events.js'
import { callHost } from './host.js'
import { openSettingPage } from './auth.js'
import { agreeByButton } from './privacy.js'

const OPEN_TYPES = {
  contact: {
    event: 'contact',
    failsOnEvent: true,
    attrs: ['session-from', 'send-message-title', 'send-message-path', 'send-message-img', 'show-message-card'],
  },
  share: {},
  getPhoneNumber: {
    event: 'getphonenumber',
    failsOnEvent: true,
    group: 'login',
    attrs: ['phone-number-no-quota-toast'],
  },
  getRealtimePhoneNumber: { event: 'getrealtimephonenumber', failsOnEvent: true, group: 'login' },
  getUserInfo: { event: 'getuserinfo', failsOnEvent: true, group: 'login', attrs: ['lang'] },
  chooseAvatar: { event: 'chooseavatar', group: 'login' },
  launchApp: { event: 'launchapp', attrs: ['app-parameter'] },
  openSetting: { event: 'opensetting', failsOnEvent: true },
  feedback: {},
  agreePrivacyAuthorization: { event: 'agreeprivacyauthorization' },
}

function buttonOpenType(node, openType, props) {
  const be = elements[node]
  const el = be && be.__wxElement
  if (!el) return false
  for (const type of String(openType)
    .split('|')
    .map((t) => t.trim())
    .filter(Boolean)) {
    const spec = OPEN_TYPES[type]
    if (!spec) {
      console.warn(
        `button open-type="${type}" is not supported by this runtime (supported: ${Object.keys(OPEN_TYPES).join(', ')})`,
      )
      continue
    }
    runOpenType(node, el, props || {}, type, spec)
  }
  return true
}

function runOpenType(node, el, props, type, spec) {
  const finish = (reason, result) => {
    const ok = reason === null || reason === undefined
    const detail = resultOf(type, reason, result)
    if (ok && type === 'getUserInfo' && detail.userInfo && detail.rawData === undefined)
      detail.rawData = JSON.stringify(detail.userInfo)
    const event = ok || spec.failsOnEvent ? spec.event : 'error'
    if (event) dispatchNativeEvent([node], event, detail, null)
  }
  const denied = spec.group ? native.checkCapability(`button open-type ${type}`, spec.group) : null
  if (denied !== null && denied !== undefined) return finish({ key: 'noPermission', detail: denied })
  const args = { node, id: el.id || '' }
  for (const name of spec.attrs || []) {
    if (props[name] !== undefined && props[name] !== null) args[name] = props[name]
  }
  if (type === 'openSetting') return openSettingPage(finish)
  // the user agreed to the privacy guide: the core keeps it (privacy.js), no host call
  if (type === 'agreePrivacyAuthorization') {
    agreeByButton()
    return finish(null, {})
  }
  if (type === 'share') {
    const page = topPage()
    if (!page) return undefined
    Object.assign(args, shareContent(page, { from: 'button', target: targetInfo(el) }))
  }
  callHost(`Button.${type}`, args, finish)
  return undefined
}

export { buttonOpenType }
