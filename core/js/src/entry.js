// entry.js — the object the core calls into (`globalThis.__miniapp`, taken and removed by the
// core right after this module runs). Every function here is one JS task started by the core.

import './bridge.js'
import './regexp_legacy.js'
import './listeners.js'
import './errors.js'
import './console.js'
import { nextTimerAt, runNextTimer } from './timers.js'
import './backend.js'
import { dispatchNativeEvent, fieldInput } from './events.js'
import './wxs_runtime.js'
import './modules.js'
import './wx.js'
import { afterFrame, appHide, appShow, dataForHost, init, launch, systemBack, unhandledRejection } from './app.js'
import { customFormFields } from './module_env.js'
import { tabItemTap } from './router.js'
import { pageStack } from './page_stack.js'
import { pageScroll, pullDownRefresh, reachBottom, resize, shareAppMessage } from './page_events.js'
import './system.js'
import { keyboardHeightChanged, memoryWarning, themeChanged, updateState } from './shell.js'
import './performance.js'
import './worklet.js'
import './storage.js'
import { hostMessage, networkStatusChanged } from './host.js'
import { workerMessage } from './worker.js'
import './audio.js'
import './ads.js'
import './network.js'
import './auth.js'
import './privacy.js'
import './fs.js'
import './image_info.js'
import './animation.js'
import './selectors.js'
import './selector_query.js'
import './observers.js'
import './contexts.js'
import { buttonOpenType } from './open_type.js'
import { automationRequest } from './automation.js'

globalThis.__miniapp = {
  init,
  launch,
  appHide,
  appShow,
  systemBack,
  tabItemTap,
  pageScroll,
  pullDownRefresh,
  resize,
  shareAppMessage,
  afterFrame,
  unhandledRejection,
  hostMessage,
  networkStatusChanged,
  workerMessage,
  reachBottom,
  themeChanged,
  keyboardHeightChanged,
  memoryWarning,
  updateState,
  nextTimerAt,
  runNextTimer,
  dispatchEvent: dispatchNativeEvent,
  automation: automationRequest,
  fieldInput,
  buttonOpenType,
  customFormFields,
  pages(withData) {
    return pageStack.map((p) => ({
      route: p.route,
      query: p.query,
      node: p.host ? p.host._id : 0,
      data: withData ? dataForHost(p.caller.data) : null,
      scrollTop: p.scrollTop || 0,
    }))
  },
}
