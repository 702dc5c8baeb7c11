// native.d.ts — the contract between the framework JS and the Rust core, both directions.
//
// `Native` is what the core installs as `globalThis.__native` before the framework bundle runs
// (core/src/runtime/native/*.rs, one module per domain; bridge.js takes it and removes the
// global). `Entry` is what the bundle publishes as `globalThis.__miniapp` for the core to call
// (core/src/framework.rs; each call is one JS task). `WorkerNative` and `WorkerEntry` are the
// same for a worker's realm (core/js/worker/, core/src/runtime/worker.rs).
//
// The tests `runtime::native::tests::the_contract_file_lists_every_name` and
// `runtime::worker::tests::the_worker_bundle_publishes_what_the_contract_file_declares` read
// this file and fail when a name is installed, published or called that is not declared here, or declared
// and missing. Values cross as JSON-like data; node ids are the tree's numbers.

type NodeId = number
/// glass-easel style scope id; -1: none, 0: the global scope
type StyleScope = number
type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/// Natives every realm has (core/src/runtime/native/realm.rs).
interface RealmNative {
  log(level: 'log' | 'info' | 'warn' | 'error' | 'debug', text: string): void
  /// virtual or real milliseconds since start (performance.now)
  now(): number
  /// wall clock in ms since the epoch (Date.now; virtual in headless runs)
  wallClock(): number
  wantAfterFrame(): void
  reportError(during: string, name: string, message: string, stack: string): void
  /// the package path `require(request)` from `from` resolves to; throws WeChat's wording
  resolveModule(from: string, request: string): string
  /// the module's CommonJS wrapper function (from bytecode when the package has it)
  compileModule(path: string): Function
}

/// The app realm's natives.
interface Native extends RealmNative {
  // tree (native/tree.rs): misuse throws `miniapp view: …`
  createElement(tag: string): NodeId
  createText(text: string): NodeId
  createFragment(): NodeId
  insertBefore(parent: NodeId, child: NodeId, before: NodeId | null): void
  removeChild(parent: NodeId, child: NodeId): void
  replaceChild(parent: NodeId, replacement: NodeId, old: NodeId): void
  spliceBefore(parent: NodeId, before: NodeId, count: number, fragment: NodeId): void
  spliceAppend(parent: NodeId, fragment: NodeId): void
  spliceRemove(parent: NodeId, before: NodeId, count: number): void
  release(id: NodeId): void
  setStyleScope(id: NodeId, scope: StyleScope, extra: StyleScope, host: StyleScope): void
  setStyle(id: NodeId, text: string): void
  setId(id: NodeId, value: string): void
  addClass(id: NodeId, name: string, scope: StyleScope): void
  removeClass(id: NodeId, name: string, scope: StyleScope): void
  clearClasses(id: NodeId): void
  setAttribute(id: NodeId, name: string, value: Json): void
  removeAttribute(id: NodeId, name: string): void
  setText(id: NodeId, text: string): void
  /// a `data-*` value as glass-easel holds it; undefined removes it
  setDataset(id: NodeId, name: string, value: Json | undefined): void
  listen(id: NodeId, event: string): void

  // style and geometry (native/style.rs)
  appendStyleSheet(key: string, scope: StyleScope): StyleScope
  setSharedStyleScope(scope: StyleScope): void
  /// [x, y, width, height] from the last layout
  layoutRect(id: NodeId): [number, number, number, number] | null
  /// [scrollWidth, scrollHeight, scrollLeft, scrollTop]
  scrollSize(id: NodeId): [number, number, number, number] | null
  computedStyle(id: NodeId, names: string[]): { [name: string]: string }

  // storage and consent scopes (native/storage.rs): failures throw `<reason key>|<detail>`
  storageSet(key: string, kind: string, value: string): void
  /// [kind, value] or null
  storageGet(key: string): [string, string] | null
  storageRemove(key: string): boolean
  storageClear(): void
  storageInfo(): { keys: string[]; currentSize: number; limitSize: number }
  scopeGet(scope: string): boolean | null
  scopeSet(scope: string, granted: boolean): void
  scopeAll(): { [scope: string]: boolean }

  // file sandbox (native/files.rs): failures throw `<reason key>|<message>`
  fsRead(path: string, encoding: string, position: number | null, length: number | null): string
  fsWrite(path: string, data: string, encoding: string, append: boolean): void
  fsMkdir(path: string, recursive: boolean): void
  fsRmdir(path: string, recursive: boolean): void
  fsReaddir(path: string): string[]
  fsUnlink(path: string): void
  fsRename(from: string, to: string): void
  fsCopy(from: string, to: string): void
  fsAccess(path: string): void
  fsAdmitTemp(path: string): void
  /// [path shown to the app, real path]
  fsNewTemp(extension: string): [string, string]
  fsRealFile(path: string): string
  /// JSON of the file's stats
  fsStat(path: string): string
  /// [width, height, type] as text
  imageInfo(path: string): [string, string, string]

  // policy, host services, workers (native/host.rs)
  /// null when allowed, else the reason
  checkCapability(api: string, group: string): string | null
  /// ['ok', normalised url] or ['denied', reason]
  checkUrl(kind: 'request' | 'upload' | 'download' | 'socket', url: string): [string, string]
  /// the call's id; the answer arrives as Entry.hostMessage
  hostCall(api: string, args: Json): number
  hostCancel(id: number): void
  workerCreate(script: string): number
  workerPost(id: number, message: Json): void
  workerTerminate(id: number): void

  // packages (native/packages.rs)
  /// [templates, component configs] of a subpackage, compiled on first use
  loadSubpackage(root: string): [object, Json[]]
  preloadSubpackage(root: string): void
  /// the archive the host must fetch, or null
  subpackageToFetch(root: string): { file: string; manifestSha256: string } | null
  subpackageFetched(root: string, path: string): void
  reportPageProblems(route: string): void

  // test driver (native/automation.rs; feature `headless` only)
  automationReply?(ticket: number, ok: boolean, json: string): void
  automationEvent?(name: string, json: string): void
  /// JSON {classes, attributes}: what the selector tests; throws 'invalid selector …'
  selectorNeeds?(selector: string): string
  /// JSON indexes of the candidates (JSON [{parent, tag, id, classes, attributes}]) matching
  selectorMatch?(selector: string, candidates: string, all: boolean): string
  compileFunction?(source: string): Function
}

/// A worker realm's natives.
interface WorkerNative extends RealmNative {
  postMessage(message: Json): void
}

/// What the framework bundle publishes for the core (core/src/framework.rs). A `boolean`
/// result says whether the app handled it.
interface Entry {
  init(config: Json, templates: object): void
  launch(options: Json): Json
  appHide(): boolean
  appShow(options: { scene: number }): boolean
  systemBack(): boolean
  tabItemTap(index: number): boolean
  pageScroll(info: Json): boolean
  pullDownRefresh(): boolean
  resize(size: Json): boolean
  reachBottom(): boolean
  themeChanged(info: { theme: string }): boolean
  keyboardHeightChanged(info: { height: number }): boolean
  memoryWarning(info: Json): boolean
  updateState(state: string): boolean
  networkStatusChanged(status: Json): boolean
  shareAppMessage(from: string): Json
  afterFrame(): boolean
  unhandledRejection(reason: unknown, promise: Promise<unknown>): boolean
  hostMessage(id: number, kind: string, payload: Json): void
  workerMessage(id: number, message: Json): boolean
  /// the next timer's due time, or a negative number when none is pending
  nextTimerAt(): number
  runNextTimer(now: number): boolean
  dispatchEvent(chain: NodeId[], type: string, detail: Json, touches: Json): Json
  fieldInput(chain: NodeId[], attr: string, value: Json, type: string, detail: Json): Json
  buttonOpenType(node: NodeId, openType: string, props: Json): Json
  customFormFields(form: NodeId): Json
  /// the page stack, bottom first; `data` is null unless `withData`
  pages(withData: boolean): { route: string; query: Json; node: NodeId; data: Json; scrollTop: number }[]
  automation(ticket: number, method: string, params: Json): void
}

/// What a worker's bundle publishes (core/src/runtime/worker.rs).
interface WorkerEntry {
  start(path: string): boolean
  deliver(message: Json): boolean
  nextTimerAt(): number
  runNextTimer(now: number): boolean
}
