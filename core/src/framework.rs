//! Framework: the JS layer (glass-easel + miniprogram adapter + `core/js/src`) as a typed API.
//!
//! The layer is built into the library as QuickJS bytecode ([`BYTECODE`], made by
//! `core/build.rs`). Each function here is one call into the object the layer publishes; the
//! caller ([`crate::runtime`]) wraps calls into tasks (jobs pumped, frame closed). Logic thread.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::config::ComponentEntry;
use crate::engine::{Engine, ScriptError};
use crate::host::HostMessage;
use crate::view::NodeId;

/// The framework module's bytecode.
pub const BYTECODE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/framework.qjsbc"));

/// A page on the stack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PageInfo {
    /// Route without leading `/`.
    pub route: String,
    /// Query it was opened with.
    pub query: Map<String, Value>,
    /// Node id of the page's host element.
    pub node: NodeId,
    /// The page's `data`.
    pub data: Value,
    /// How far the page is scrolled (px), as the host last reported it.
    pub scroll_top: f64,
}

impl Default for PageInfo {
    fn default() -> Self {
        PageInfo {
            route: String::new(),
            query: Map::new(),
            node: 0,
            data: Value::Null,
            scroll_top: 0.0,
        }
    }
}

/// What the framework needs to register a page or component.
/// `has_style`: the package has `<path>.wxss` (registered as the component's style sheet).
pub fn component_config(c: &ComponentEntry, has_style: bool) -> Value {
    json!({
        "path": c.path,
        "json": c.json,
        "isPage": c.is_page,
        "hasTemplate": c.has_template,
        "hasStyle": has_style,
    })
}

/// Registers components and templates; app.js runs when the app starts, page and component
/// modules when first used.
pub fn init(
    engine: &Engine,
    config: &Value,
    templates: &crate::compile::CompiledTemplates,
) -> Result<(), ScriptError> {
    let group = templates.script("miniapp:templates");
    engine.call_with("init", std::slice::from_ref(config), Some(group)).map(drop)
}

/// How a launch went.
#[derive(Debug, Clone, PartialEq)]
pub enum Launched {
    /// The entry page (or the one `onPageNotFound` redirected to) is open.
    Opened,
    /// The page does not exist and nothing redirected.
    NotFound,
    /// The page exists but cannot open: why.
    Failed(String),
}

/// Calls App `onLaunch`/`onShow` and opens the entry page (or `onPageNotFound`).
pub fn launch(
    engine: &Engine,
    path: &str,
    query: &Map<String, Value>,
    scene: u32,
) -> Result<Launched, ScriptError> {
    let opts = json!({ "path": path, "query": query, "scene": scene, "referrerInfo": {} });
    engine.call("launch", &[opts]).map(|v| match v {
        Value::Bool(true) => Launched::Opened,
        Value::String(why) => Launched::Failed(why),
        _ => Launched::NotFound,
    })
}

fn call_bool(engine: &Engine, name: &str, args: &[Value]) -> Result<bool, ScriptError> {
    engine.call(name, args).map(|v| v.as_bool().unwrap_or(false))
}

/// App to the background (page `onHide`, App `onHide`). False if already hidden.
pub fn app_hide(engine: &Engine) -> Result<bool, ScriptError> {
    call_bool(engine, "appHide", &[])
}

/// App to the foreground (App `onShow`, page `onShow`). False if already shown.
pub fn app_show(engine: &Engine, scene: u32) -> Result<bool, ScriptError> {
    call_bool(engine, "appShow", &[json!({ "scene": scene })])
}

/// The host's tab bar was tapped at `index`.
pub fn tab_item_tap(engine: &Engine, index: u32) -> Result<bool, ScriptError> {
    call_bool(engine, "tabItemTap", &[json!(index)])
}

/// The host's back action. False when already at the first page.
pub fn system_back(engine: &Engine) -> Result<bool, ScriptError> {
    call_bool(engine, "systemBack", &[])
}

/// The visible page scrolled (`onPageScroll`, `onReachBottom`).
pub fn page_scroll(
    engine: &Engine,
    scroll_top: f64,
    scroll_height: Option<f64>,
) -> Result<bool, ScriptError> {
    let mut info = json!({ "scrollTop": scroll_top });
    if let Some(h) = scroll_height {
        info["scrollHeight"] = json!(h);
    }
    call_bool(engine, "pageScroll", &[info])
}

/// The user pulled the visible page down. False when the page does not enable it.
pub fn pull_down_refresh(engine: &Engine) -> Result<bool, ScriptError> {
    call_bool(engine, "pullDownRefresh", &[])
}

/// The window was resized (`wx.onWindowResize`, `onResize`, `pageLifetimes.resize`), with the
/// safe-area insets when the host gives them.
pub fn resize(
    engine: &Engine,
    width: f64,
    height: f64,
    safe_area: Option<&Value>,
) -> Result<bool, ScriptError> {
    let mut size = json!({ "windowWidth": width, "windowHeight": height });
    if let Some(insets) = safe_area {
        size["safeArea"] = insets.clone();
    }
    call_bool(engine, "resize", &[size])
}

/// The host's scroll view says the visible page reached its bottom (`onReachBottom`).
pub fn reach_bottom(engine: &Engine) -> Result<bool, ScriptError> {
    call_bool(engine, "reachBottom", &[])
}

/// Light or dark (`App.onThemeChange`, `wx.onThemeChange`, page `onThemeChange`). False when
/// the theme was already that.
pub fn theme_changed(engine: &Engine, theme: &str) -> Result<bool, ScriptError> {
    call_bool(engine, "themeChanged", &[json!({ "theme": theme })])
}

/// The soft keyboard's height (`wx.onKeyboardHeightChange`).
pub fn keyboard_height_changed(engine: &Engine, height: f64) -> Result<bool, ScriptError> {
    call_bool(engine, "keyboardHeightChanged", &[json!({ "height": height })])
}

/// The system is short of memory (`wx.onMemoryWarning`).
pub fn memory_warning(engine: &Engine, level: Option<u32>) -> Result<bool, ScriptError> {
    let info = level.map_or_else(|| json!({}), |l| json!({ "level": l }));
    call_bool(engine, "memoryWarning", &[info])
}

/// Where the host's update of the app stands (`wx.getUpdateManager`): `noUpdate`,
/// `available`, `ready` or `failed`.
pub fn update_state(engine: &Engine, state: &str) -> Result<bool, ScriptError> {
    call_bool(engine, "updateState", &[json!(state)])
}

/// The host's network changed.
pub fn network_status_changed(
    engine: &Engine,
    connected: bool,
    network_type: &str,
) -> Result<bool, ScriptError> {
    call_bool(
        engine,
        "networkStatusChanged",
        &[json!({ "isConnected": connected, "networkType": network_type })],
    )
}

/// The user chose to share the visible page: `{title, path, imageUrl}`, or `None` when the
/// page does not define `onShareAppMessage`.
pub fn share_app_message(engine: &Engine, from: &str) -> Result<Option<Value>, ScriptError> {
    engine.call("shareAppMessage", &[json!(from)]).map(|v| Some(v).filter(|v| !v.is_null()))
}

/// Runs render callbacks, component `ready` and page `onReady` after a frame.
pub fn after_frame(engine: &Engine) -> Result<bool, ScriptError> {
    engine.call("afterFrame", &[]).map(|v| v.as_bool().unwrap_or(false))
}

/// Delivers a message from worker `id` to the app's `Worker.onMessage` listener.
pub fn worker_message(engine: &Engine, id: u64, message: &Value) -> Result<bool, ScriptError> {
    call_bool(engine, "workerMessage", &[json!(id), message.clone()])
}

/// When the next timer is due (instance ms), if any.
pub fn next_timer_at(engine: &Engine) -> Result<Option<f64>, ScriptError> {
    engine.call("nextTimerAt", &[]).map(|v| v.as_f64().filter(|t| *t >= 0.0))
}

/// Runs the earliest timer due at or before `now`. False when none was due.
pub fn run_next_timer(engine: &Engine, now: f64) -> Result<bool, ScriptError> {
    engine.call("runNextTimer", &[json!(now)]).map(|v| v.as_bool().unwrap_or(false))
}

/// Dispatches a native event on the first element of `chain` (a node and its ancestors).
/// Returns the node it was dispatched on, or `None` when no element could take it.
pub fn dispatch_event(
    engine: &Engine,
    chain: &[NodeId],
    event: &str,
    detail: &Value,
    touches: Option<&Value>,
) -> Result<Option<NodeId>, ScriptError> {
    let args =
        [json!(chain), json!(event), detail.clone(), touches.cloned().unwrap_or(Value::Null)];
    engine
        .call("dispatchEvent", &args)
        .map(|v| v.as_u64().and_then(|n| NodeId::try_from(n).ok()).filter(|n| *n != 0))
}

/// The user changed a form field (`attr` takes `value`, a `model:` binding writes it back,
/// then `event` fires with `detail`). Returns the node the event went to.
pub fn field_input(
    engine: &Engine,
    chain: &[NodeId],
    attr: &str,
    value: &Value,
    event: &str,
    detail: &Value,
) -> Result<Option<NodeId>, ScriptError> {
    let args = [json!(chain), json!(attr), value.clone(), json!(event), detail.clone()];
    engine
        .call("fieldInput", &args)
        .map(|v| v.as_u64().and_then(|n| NodeId::try_from(n).ok()).filter(|n| *n != 0))
}

/// A tapped button's `open-type` hand-off to the host (`Button.<type>` calls, then the
/// button's event with the answer); `props` are the button's properties (defaults included).
/// False when the node is not a live element.
pub fn button_open_type(
    engine: &Engine,
    button: NodeId,
    open_type: &str,
    props: &Value,
) -> Result<bool, ScriptError> {
    engine
        .call("buttonOpenType", &[json!(button), json!(open_type), props.clone()])
        .map(|v| v.as_bool().unwrap_or(false))
}

/// The `name` and `value` of each custom component with the `wx://form-field` behavior under
/// `form` (composed tree, document order; virtual hosts included), for a submit.
pub fn custom_form_fields(
    engine: &Engine,
    form: NodeId,
) -> Result<Vec<(String, Value)>, ScriptError> {
    let v = engine.call("customFormFields", &[json!(form)])?;
    Ok(v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|row| Some((row.get(0)?.as_str()?.to_string(), row.get(1)?.clone())))
        .collect())
}

/// Hands a host reply or task event to the JS call waiting for it.
pub fn host_message(engine: &Engine, message: &HostMessage) -> Result<(), ScriptError> {
    let (id, kind, payload) = match message {
        HostMessage::Ok(id, v) => (*id, "ok", v.clone()),
        HostMessage::Fail(id, reason) => (*id, "fail", json!(reason)),
        HostMessage::Event(id, name, data) => (*id, "event", json!({ "name": name, "data": data })),
    };
    engine.call("hostMessage", &[json!(id), json!(kind), payload]).map(drop)
}

/// The page stack, bottom first, each page with its data (a value that refers to itself
/// comes back `"[Circular]"`).
pub fn pages(engine: &Engine) -> Result<Vec<PageInfo>, ScriptError> {
    let v = engine.call("pages", &[json!(true)])?;
    Ok(serde_json::from_value(v).unwrap_or_default())
}

/// The node of the page on top of the stack (its data is not read).
pub fn top_page_node(engine: &Engine) -> Result<Option<NodeId>, ScriptError> {
    let v = engine.call("pages", &[json!(false)])?;
    let pages: Vec<PageInfo> = serde_json::from_value(v).unwrap_or_default();
    Ok(pages.last().map(|p| p.node))
}
