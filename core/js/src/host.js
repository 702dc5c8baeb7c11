// host.js — wx APIs the host app performs (UI, clipboard, phone, scan, device). Each call goes
// to the host with the app id through the core (after the capability check), and its reply
// comes back later as its own task.

import { native } from './bridge.js'
import { listenerList } from './listeners.js'
import { inUserTap } from './events.js'
import { checkParam, paramError, wx, wxAsync } from './wx.js'
import { fsFailure } from './fs.js'

const hostPending = new Map() // call id -> { finish, task }
const hostTasks = new Map() // call id -> task that keeps receiving events after its reply (sockets)

function plainArgs(options) {
  const out = {}
  for (const k of Object.keys(options || {})) {
    const v = options[k]
    if (typeof v !== 'function') out[k] = v
  }
  return out
}

// Sends `api` to the host; `finish(reason, result)` runs when it answers. `task` (optional)
// receives events the host reports before completion.
function callHost(api, options, finish, task) {
  const id = native.hostCall(api, plainArgs(options))
  hostPending.set(id, { finish, task })
  return id
}

// Called by the core for every host message.
function hostMessage(id, kind, payload) {
  const pending = hostPending.get(id)
  if (kind === 'event') {
    const task = (pending && pending.task) || hostTasks.get(id)
    if (task) task._event(payload.name, payload.data)
    return Boolean(task)
  }
  if (!pending) return false // already aborted or answered
  hostPending.delete(id)
  if (kind === 'ok') pending.finish(null, payload && typeof payload === 'object' ? payload : {})
  else pending.finish(String(payload))
  return true
}

// An async API done by the host, after `validate(options)` (returns a reason or null).
function hostApi(api, validate) {
  return (options) =>
    wxAsync(api, options, (o, finish) => {
      const bad = validate ? validate(o) : null
      if (bad) return finish(bad)
      callHost(api, o, finish)
    })
}

// The custom APIs the host registered (the API registry's `custom` rows): async calls to its
// services. Installed before secureWx puts the capability checks in front.
function installCustomApis(registry) {
  for (const name of Object.keys(registry)) {
    if (registry[name].custom) wx[name] = hostApi(name)
  }
}

const MAX_ACTION_SHEET_ITEMS = 6
const TOAST_ICONS = ['success', 'error', 'loading', 'none']

wx.showToast = hostApi('showToast', (o) => {
  const bad = checkParam(o, 'title', 'String')
  if (bad) return bad
  if (o.icon !== undefined && !TOAST_ICONS.includes(o.icon))
    return paramError(`parameter.icon should be one of ${TOAST_ICONS.join(', ')};`)
  return null
})
wx.hideToast = hostApi('hideToast')
wx.showLoading = hostApi('showLoading', (o) => checkParam(o, 'title', 'String'))
wx.hideLoading = hostApi('hideLoading')
wx.showModal = hostApi('showModal', (o) => {
  for (const k of ['title', 'content', 'cancelText', 'confirmText']) {
    if (o[k] !== undefined && typeof o[k] !== 'string') return checkParam(o, k, 'String')
  }
  return null
})
wx.showActionSheet = hostApi('showActionSheet', (o) => {
  const bad = checkParam(o, 'itemList', 'Array')
  if (bad) return bad
  if (o.itemList.length === 0 || o.itemList.length > MAX_ACTION_SHEET_ITEMS) {
    return paramError(`parameter.itemList should have 1 to ${MAX_ACTION_SHEET_ITEMS} items;`)
  }
  return null
})
wx.setClipboardData = hostApi('setClipboardData', (o) => checkParam(o, 'data', 'String'))
wx.getClipboardData = hostApi('getClipboardData')
wx.makePhoneCall = hostApi('makePhoneCall', (o) => checkParam(o, 'phoneNumber', 'String'))
wx.scanCode = hostApi('scanCode')
wx.vibrateShort = hostApi('vibrateShort')
wx.vibrateLong = hostApi('vibrateLong')
wx.getNetworkType = hostApi('getNetworkType')
wx.setKeepScreenOn = hostApi('setKeepScreenOn', (o) => checkParam(o, 'keepScreenOn', 'Boolean'))
wx.hideKeyboard = hostApi('hideKeyboard')

// Login and payment hand-offs: the host talks to its own account and payment systems.
wx.login = hostApi('login')
wx.getUserInfo = hostApi('getUserInfo')
wx.checkSession = hostApi('checkSession')
wx.getUserProfile = (options) =>
  wxAsync('getUserProfile', options, (o, finish) => {
    if (!inUserTap) return finish({ key: 'userGestureRequired' })
    const bad = checkParam(o, 'desc', 'String')
    if (bad) return finish(bad)
    callHost('getUserProfile', o, finish)
  })
const PAYMENT_FIELDS = ['timeStamp', 'nonceStr', 'package', 'paySign']
wx.requestPayment = hostApi('requestPayment', (o) => {
  for (const k of PAYMENT_FIELDS) {
    const bad = checkParam(o, k, 'String')
    if (bad) return bad
  }
  if (o.signType !== undefined && !['MD5', 'HMAC-SHA256', 'RSA'].includes(o.signType)) {
    return paramError('parameter.signType should be MD5, HMAC-SHA256 or RSA;')
  }
  return null
})

// Choosing images and media: the core hands the host fresh temp paths, the host writes the
// user's choice there and says how many (with sizes and media facts); the app gets
// `wxfile://tmp/…` paths it can read with the file system manager.
const CHOSEN_EXTENSION = { chooseImage: 'jpg', chooseVideo: 'mp4' }
function chooser(api, maxCount, describe) {
  return (options) =>
    wxAsync(api, options, (o, finish) => {
      const count = o.count === undefined ? maxCount : Number(o.count)
      if (!Number.isInteger(count) || count < 1 || count > maxCount) {
        return finish(paramError(`parameter.count should be an integer from 1 to ${maxCount};`))
      }
      let slots
      try {
        slots = Array.from({ length: count }, () => native.fsNewTemp(CHOSEN_EXTENSION[api] || 'bin'))
      } catch (err) {
        return finish(fsFailure(err))
      }
      const args = Object.assign({}, o, { count, savePaths: slots.map((s) => s[1]) })
      callHost(api, args, (reason, res) => {
        if (reason) return finish(reason)
        const files = (Array.isArray(res.files) ? res.files : []).slice(0, count)
        if (files.length === 0) return finish({ key: 'cancel' })
        finish(null, describe(files.map((f, i) => Object.assign({}, f, { path: slots[i][0] }))))
      })
    })
}

wx.chooseImage = chooser('chooseImage', 9, (files) => ({
  tempFilePaths: files.map((f) => f.path),
  tempFiles: files.map((f) => ({ path: f.path, size: Number(f.size) || 0 })),
}))
wx.chooseMedia = chooser('chooseMedia', 20, (files) => ({
  type: files.every((f) => f.fileType === 'video')
    ? 'video'
    : files.every((f) => f.fileType !== 'video')
      ? 'image'
      : 'mix',
  tempFiles: files.map((f) => ({
    tempFilePath: f.path,
    size: Number(f.size) || 0,
    fileType: f.fileType === 'video' ? 'video' : 'image',
    width: f.width,
    height: f.height,
    duration: f.duration,
  })),
}))
wx.chooseVideo = chooser('chooseVideo', 1, ([f]) => ({
  tempFilePath: f.path,
  duration: Number(f.duration) || 0,
  size: Number(f.size) || 0,
  width: Number(f.width) || 0,
  height: Number(f.height) || 0,
}))
// In WeChat the files come from chats; the host offers its own picker.
wx.chooseMessageFile = chooser('chooseMessageFile', 100, (files) => ({
  tempFiles: files.map((f) => ({
    path: f.path,
    size: Number(f.size) || 0,
    name: String(f.name || ''),
    type: ['image', 'video'].includes(f.type) ? f.type : 'file',
    time: Number(f.time) || 0,
  })),
}))
wx.previewMedia = hostApi('previewMedia', (o) => {
  const bad = checkParam(o, 'sources', 'Array')
  if (bad) return bad
  if (o.sources.length === 0) return paramError('parameter.sources should not be empty;')
  return null
})
// A document the app downloaded or saved (`wxfile://…`): the host shows it with its viewer,
// reading it at `realPath`.
wx.openDocument = (options) =>
  wxAsync('openDocument', options, (o, finish) => {
    const bad = checkParam(o, 'filePath', 'String')
    if (bad) return finish(bad)
    let realPath
    try {
      realPath = native.fsRealFile(o.filePath)
    } catch (err) {
      return finish(fsFailure(err))
    }
    callHost('openDocument', Object.assign({}, o, { realPath }), finish)
  })
wx.previewImage = hostApi('previewImage', (o) => {
  const bad = checkParam(o, 'urls', 'Array')
  if (bad) return bad
  if (o.urls.length === 0) return paramError('parameter.urls should not be empty;')
  return null
})

wx.openLocation = hostApi(
  'openLocation',
  (o) => checkParam(o, 'latitude', 'Number') || checkParam(o, 'longitude', 'Number'),
)

// Other mini programs: the host app decides (it may host the target itself, and give it
// `extraData` as its launch's `referrerInfo`). WeChat opens another only from a user's tap.
wx.navigateToMiniProgram = (options) =>
  wxAsync('navigateToMiniProgram', options, (o, finish) => {
    if (!inUserTap) return finish({ key: 'userGestureRequired' })
    if (typeof o.shortLink !== 'string') {
      const bad = checkParam(o, 'appId', 'String')
      if (bad) return finish(bad)
    }
    callHost('navigateToMiniProgram', o, finish)
  })
wx.navigateBackMiniProgram = hostApi('navigateBackMiniProgram')
wx.exitMiniProgram = hostApi('exitMiniProgram')

// Network status changes the host reports (AppInstance::network_status_changed).
const networkStatusListeners = listenerList()
wx.onNetworkStatusChange = (fn) => networkStatusListeners.on(fn)
wx.offNetworkStatusChange = (fn) => networkStatusListeners.off(fn)
function networkStatusChanged(status) {
  networkStatusListeners.emit(
    { isConnected: !!status.isConnected, networkType: String(status.networkType || 'none') },
    'wx.onNetworkStatusChange listener',
  )
  return true
}

export { callHost, hostApi, hostMessage, hostPending, hostTasks, installCustomApis, networkStatusChanged }
