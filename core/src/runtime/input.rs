//! User input on nodes: native events dispatched along the element chain, field input, taps
//! (hover and active states included). Logic thread.

use serde_json::{json, Value};

use super::{AppInstance, RuntimeError};
use crate::framework;
use crate::view::NodeId;

impl AppInstance {
    /// Dispatches a native event on `node` (or the nearest element above it).
    /// Returns the node that received it, `None` if nothing could.
    pub fn dispatch(
        &mut self,
        node: NodeId,
        event: &str,
        detail: Value,
    ) -> Result<Option<NodeId>, RuntimeError> {
        let touches = event.starts_with("touch") || event == "tap" || event == "longpress";
        let touches = touches.then(
            || json!([{ "identifier": 0, "pageX": 0, "pageY": 0, "clientX": 0, "clientY": 0 }]),
        );
        self.dispatch_with_touches(node, event, detail, touches)
    }

    /// Like [`AppInstance::dispatch`], with the event's `touches`/`changedTouches` given.
    pub fn dispatch_with_touches(
        &mut self,
        node: NodeId,
        event: &str,
        detail: Value,
        touches: Option<Value>,
    ) -> Result<Option<NodeId>, RuntimeError> {
        let chain = self.ancestors(node)?;
        let r = framework::dispatch_event(&self.engine, &chain, event, &detail, touches.as_ref());
        self.finish_task();
        self.hover_touch(node, event);
        Ok(r?)
    }

    /// The user changed a form field in its native view: `attr` takes `value` (a `model:`
    /// binding writes it back to data), then `event` fires with `detail` — e.g. typing in an
    /// `input` is `("value", "abc", "input", {value, cursor, keyCode})`.
    pub fn input_value(
        &mut self,
        node: NodeId,
        attr: &str,
        value: Value,
        event: &str,
        detail: Value,
    ) -> Result<Option<NodeId>, RuntimeError> {
        let chain = self.ancestors(node)?;
        self.user_change = Some((node, attr.to_string()));
        let r = framework::field_input(&self.engine, &chain, attr, &value, event, &detail);
        self.finish_task();
        self.user_change = None;
        Ok(r?)
    }

    /// A user tap: `touchstart`, `touchend`, then `tap`, each its own task; a tap on a switch,
    /// checkbox, radio or label then changes it, and on a form's submit or reset button submits
    /// or resets the form ([`form`]).
    pub fn tap(&mut self, node: NodeId) -> Result<Option<NodeId>, RuntimeError> {
        self.dispatch(node, "touchstart", json!({}))?;
        self.dispatch(node, "touchend", json!({}))?;
        let target = self.dispatch(node, "tap", json!({ "x": 0, "y": 0 }))?;
        self.control_tap(node)?;
        self.form_action(node)?;
        self.open_type_action(node)?;
        Ok(target)
    }

    /// `node` and its ancestors up to the root, nearest first.
    pub fn ancestors(&self, node: NodeId) -> Result<Vec<NodeId>, RuntimeError> {
        let tree = self.state.tree.borrow();
        tree.get(node).ok_or(RuntimeError::NoSuchNode(node))?;
        let mut chain = vec![node];
        let mut up = tree.get(node).and_then(|n| n.parent);
        while let Some(p) = up {
            chain.push(p);
            up = tree.get(p).and_then(|n| n.parent);
        }
        Ok(chain)
    }
}
