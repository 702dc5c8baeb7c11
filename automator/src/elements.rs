//! What the client asks built-in elements to do: touches (with WeChat's tap/longpress rule) and
//! the `Element.callFunction` helpers (`input.input`, `switch.tap`, `slider.slideTo`, …), each
//! a user action on the field's native view. Logic thread.

use std::cell::RefCell;
use std::collections::HashMap;

use miniapp_core::view::NodeId;
use miniapp_core::{AppInstance, RuntimeError};
use serde_json::{json, Value};

use crate::methods::Call;

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
pub fn touch(app: &mut AppInstance, node: NodeId, call: &Call<'_>) -> Result<Value, RuntimeError> {
    let kind = call.method.trim_start_matches("Element.");
    let touches = call.params.get("touches").filter(|t| t.is_array()).cloned();
    let changed = call.params.get("changedTouches").filter(|t| t.is_array()).cloned();
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

fn arg(call: &Call<'_>, i: usize) -> Value {
    call.params.get("args").and_then(|a| a.get(i)).cloned().unwrap_or(Value::Null)
}

fn number(v: &Value) -> f64 {
    v.as_f64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())).unwrap_or(0.0)
}

/// `Element.callFunction {functionName, args}`.
pub fn call_function(
    app: &mut AppInstance,
    node: NodeId,
    call: &Call<'_>,
) -> Result<Value, String> {
    let name = call.params.get("functionName").and_then(Value::as_str).unwrap_or_default();
    let tag = app.tree().get(node).map(|n| n.tag.clone()).unwrap_or_default();
    let attr =
        |app: &AppInstance, a: &str| app.tree().get(node).and_then(|n| n.attrs.get(a).cloned());
    let (owner, function) = name.split_once('.').unwrap_or(("", name));
    if owner != tag {
        return Err(format!("{name} not exists on <{tag}>"));
    }
    let fail = |e: RuntimeError| e.to_string();
    let done = |r: Result<Option<NodeId>, RuntimeError>| r.map(|_| json!({})).map_err(fail);
    match (owner, function) {
        ("input" | "textarea", "input") => {
            let v = arg(call, 0);
            let text = v.as_str().map_or_else(
                || if v.is_null() { String::new() } else { v.to_string() },
                str::to_string,
            );
            done(app.type_text(node, &text))
        }
        // A user tap: the core toggles the switch and fires its `change`.
        ("switch", "tap") => done(app.tap(node)),
        ("slider", "slideTo") => {
            let v = number(&arg(call, 0));
            done(app.input_value(node, "value", json!(v), "change", json!({ "value": v })))
        }
        ("swiper", "swipeTo") => {
            let i = number(&arg(call, 0)).max(0.0).floor();
            let detail = json!({ "current": i, "currentItemId": "", "source": "touch" });
            done(app.input_value(node, "current", json!(i), "change", detail))
        }
        ("movable-view", "moveTo") => {
            let (x, y) = (number(&arg(call, 0)), number(&arg(call, 1)));
            app.input_value(node, "x", json!(x), "", Value::Null).map_err(fail)?;
            done(app.input_value(
                node,
                "y",
                json!(y),
                "change",
                json!({ "x": x, "y": y, "source": "" }),
            ))
        }
        ("scroll-view", "scrollTo") => {
            let (x, y) = (number(&arg(call, 0)), number(&arg(call, 1)));
            let old_x = number(&attr(app, "scroll-left").unwrap_or(Value::Null));
            let old_y = number(&attr(app, "scroll-top").unwrap_or(Value::Null));
            app.input_value(node, "scroll-left", json!(x), "", Value::Null).map_err(fail)?;
            let detail = json!({ "scrollLeft": x, "scrollTop": y, "deltaX": x - old_x, "deltaY": y - old_y });
            done(app.input_value(node, "scroll-top", json!(y), "scroll", detail))
        }
        ("scroll-view", "scrollTop") => {
            Ok(json!({ "result": number(&attr(app, "scroll-top").unwrap_or(Value::Null)) }))
        }
        ("scroll-view", "scrollLeft") => {
            Ok(json!({ "result": number(&attr(app, "scroll-left").unwrap_or(Value::Null)) }))
        }
        _ => Err(format!("{name} not exists")),
    }
}
