// entry.js — the object the core calls into (`globalThis.__miniapp`, taken and removed by the
// core right after this module runs). Every function here is one JS task started by the core.
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
  pages() {
    return pageStack.map((p) => ({ route: p.route, query: p.query, node: p.host ? p.host._id : 0, data: p.caller.data, scrollTop: p.scrollTop || 0 }))
  },
}
