//! What the client asks built-in elements to do: touches (with WeChat's tap/longpress rule) and
//! the `Element.callFunction` helpers (`input.input`, `switch.tap`, `slider.slideTo`, …), each
//! a user action on the field's native view. Logic thread.

use std::cell::RefCell;
use std::collections::HashMap;

use miniapp_core::runtime::controls::UserAction;
use miniapp_core::view::NodeId;
use miniapp_core::{AppInstance, HostEvent, RuntimeError};
use serde_json::{json, Map, Value};

/// A finger held at least this long is a `longpress` (WeChat: more than 350 ms; the client's
/// `longpress()` sleeps exactly 350 ms, so timer jitter is allowed for).
const LONGPRESS_MS: f64 = 300.0;

thread_local! {
    /// When each node's current touch started (instance ms). Logic thread only.
    static TOUCH_STARTED: RefCell<HashMap<NodeId, f64>> = RefCell::new(HashMap::new());
}

/// `Element.touchstart`/`touchmove`/`touchend`: the touch event itself, and on `touchend` the
/// gesture it completes: `longpress` when the finger was down long enough and someone listens
/// for it, `tap` otherwise.
pub fn touch(
    app: &mut AppInstance,
    node: NodeId,
    method: &str,
    params: &Map<String, Value>,
) -> Result<Value, RuntimeError> {
    let kind = method.trim_start_matches("Element.");
    let touches = params.get("touches").filter(|t| t.is_array()).cloned();
    let changed = params.get("changedTouches").filter(|t| t.is_array()).cloned();
    let list = touches.or(changed).unwrap_or_else(
        || json!([{ "identifier": 0, "pageX": 0, "pageY": 0, "clientX": 0, "clientY": 0 }]),
    );
    let now = app.now();
    match kind {
        "touchstart" => {
            TOUCH_STARTED.with(|t| t.borrow_mut().insert(node, now));
        }
        "touchend" => {
            app.dispatch_with_touches(node, kind, json!({}), Some(list.clone()))?;
            let started = TOUCH_STARTED.with(|t| t.borrow_mut().remove(&node));
            if let Some(start) = started {
                let long = now - start >= LONGPRESS_MS && listens(app, node, "longpress");
                let gesture = if long { "longpress" } else { "tap" };
                app.dispatch_with_touches(node, gesture, json!({ "x": 0, "y": 0 }), Some(list))?;
            }
            return Ok(json!({}));
        }
        _ => {}
    }
    app.dispatch_with_touches(node, kind, json!({}), Some(list))?;
    Ok(json!({}))
}

/// True when `node` or an ancestor has a listener for `event`.
fn listens(app: &AppInstance, node: NodeId, event: &str) -> bool {
    let chain = app.ancestors(node).unwrap_or_default();
    let tree = app.tree();
    chain.iter().any(|n| tree.get(*n).is_some_and(|x| x.listeners.contains(event)))
}

fn arg(params: &Map<String, Value>, i: usize) -> Value {
    params.get("args").and_then(|a| a.get(i)).cloned().unwrap_or(Value::Null)
}

fn number(v: &Value) -> f64 {
    v.as_f64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())).unwrap_or(0.0)
}

/// `Element.callFunction {functionName, args}`: each helper is the user action a person
/// would perform on the native view ([`UserAction`]), so values are clamped and events fire
/// as on a device.
pub fn call_function(
    app: &mut AppInstance,
    node: NodeId,
    params: &Map<String, Value>,
) -> Result<Value, String> {
    let name = params.get("functionName").and_then(Value::as_str).unwrap_or_default();
    let tag = app.tree().get(node).map(|n| n.tag.clone()).unwrap_or_default();
    let (owner, function) = name.split_once('.').unwrap_or(("", name));
    if owner != tag {
        return Err(format!("{name} not exists on <{tag}>"));
    }
    let action = match (owner, function) {
        ("input" | "textarea", "input") => {
            let v = arg(params, 0);
            let text = v.as_str().map_or_else(
                || if v.is_null() { String::new() } else { v.to_string() },
                str::to_string,
            );
            UserAction::Type { text }
        }
        // A user tap: the core toggles the switch and fires its `change`.
        ("switch", "tap") => UserAction::Tap,
        ("slider", "slideTo") => UserAction::Slide { value: number(&arg(params, 0)), done: true },
        ("swiper", "swipeTo") => UserAction::Swipe { current: number(&arg(params, 0)) as i64 },
        ("movable-view", "moveTo") => {
            UserAction::Move { x: number(&arg(params, 0)), y: number(&arg(params, 1)) }
        }
        ("picker", "pick") => {
            UserAction::Pick { value: arg(params, 0), code: None, postcode: None }
        }
        ("scroll-view", "scrollTo") => {
            UserAction::Scroll { left: number(&arg(params, 0)), top: number(&arg(params, 1)) }
        }
        ("scroll-view", "scrollTop" | "scrollLeft") => {
            let (left, top) = app.tree().get(node).map_or((0.0, 0.0), |n| n.scroll);
            let result = if function == "scrollTop" { top } else { left };
            return Ok(json!({ "result": result }));
        }
        ("scroll-view", "scrollWidth" | "scrollHeight") => {
            let (w, h) = app.scroll_size(node).unwrap_or((0.0, 0.0));
            let result = if function == "scrollWidth" { w } else { h };
            return Ok(json!({ "result": result }));
        }
        _ => return Err(format!("{name} not exists")),
    };
    app.apply(&HostEvent::Act { node, action }).map(|_| json!({})).map_err(|e| e.to_string())
}
