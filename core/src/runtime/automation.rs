//! Automation: what a test driver (the automator server behind `miniapp serve`) needs from a
//! running app, beyond what a host uses.
//!
//! JS-side requests (evaluate source text, call or mock `wx` APIs, read and set page or
//! component data, call their methods, query elements) start with
//! [`AppInstance::automation_request`] under a ticket the driver chose; the answer reaches the
//! driver's [`AutomationSink::reply`] when it is ready, which may be during that call or, for
//! promises waiting on timers or the host, in a later task. Console output, uncaught
//! exceptions and binding calls are pushed to [`AutomationSink::event`]. Reads of the rendered
//! tree (text, WXML, attributes) are plain methods. Logic thread only; the sink is called on it.

use serde_json::{json, Value};

use super::log::LogLevel;
use super::{AppInstance, RuntimeError};
use crate::view::{dump, NodeId};

/// Receives an app's answers and events for a test driver. Called on the logic thread:
/// return quickly.
pub trait AutomationSink: Send + Sync {
    /// The answer to request `ticket`: `Ok(None)` when the JS value was `undefined`, `Err` with
    /// the exception's message when it threw or rejected.
    fn reply(&self, ticket: u64, outcome: Result<Option<Value>, String>);
    /// Something the app did on its own.
    fn event(&self, event: AutomationEvent);
}

/// What an app pushes to a test driver.
#[derive(Debug, Clone, PartialEq)]
pub enum AutomationEvent {
    /// A `console.*` call, with its arguments as JSON.
    Console {
        /// Level.
        level: LogLevel,
        /// The arguments.
        args: Vec<Value>,
    },
    /// An uncaught exception (handler, lifecycle, timer, promise).
    Exception {
        /// The error's message.
        message: String,
        /// Its JS stack.
        stack: String,
    },
    /// App code called a function the driver exposed (`App.addBinding`).
    BindingCalled {
        /// The binding's name.
        name: String,
        /// The arguments, as JSON.
        args: Vec<Value>,
    },
}

impl AutomationEvent {
    /// Builds an event from what the framework JS sends (`App.logAdded`,
    /// `App.bindingCalled` with their JSON params); `None` for anything else.
    pub(crate) fn from_js(name: &str, params: &Value) -> Option<AutomationEvent> {
        let args = params.get("args").and_then(Value::as_array).cloned().unwrap_or_default();
        match name {
            "App.logAdded" => Some(AutomationEvent::Console {
                level: LogLevel::parse(params.get("type")?.as_str()?),
                args,
            }),
            "App.bindingCalled" => Some(AutomationEvent::BindingCalled {
                name: params.get("name")?.as_str()?.to_string(),
                args,
            }),
            _ => None,
        }
    }
}

/// The JS-side requests [`AppInstance::automation_request`] takes, with their params.
pub mod requests {
    /// `{functionDeclaration, args}`: evaluate source text as a function and call it; a
    /// returned promise is awaited.
    pub const CALL_FUNCTION: &str = "callFunction";
    /// `{method, args}`: call `wx[method]` as app code would (async APIs resolve with their
    /// success result, reject with `errMsg`).
    pub const CALL_WX_METHOD: &str = "callWxMethod";
    /// `{method, result}` or `{method, functionDeclaration, args}`: mock `wx[method]`;
    /// `{method}` alone restores it.
    pub const MOCK_WX_METHOD: &str = "mockWxMethod";
    /// `{name}`: define a global function whose calls are pushed as binding events.
    pub const ADD_BINDING: &str = "addBinding";
    /// `{page, path?}`: a page's data (page = its host node id).
    pub const PAGE_DATA: &str = "pageData";
    /// `{page, data}`: `setData` on a page.
    pub const PAGE_SET_DATA: &str = "pageSetData";
    /// `{page, method, args}`: call a page method.
    pub const PAGE_CALL_METHOD: &str = "pageCallMethod";
    /// `{node, path?}`: a custom component's data.
    pub const COMPONENT_DATA: &str = "componentData";
    /// `{node, data}`: `setData` on a custom component.
    pub const COMPONENT_SET_DATA: &str = "componentSetData";
    /// `{node, method, args}`: call a custom component's method.
    pub const COMPONENT_CALL_METHOD: &str = "componentCallMethod";
    /// `{node, method, args}`: call a method of a host-native element's context (video, map,
    /// live-player, camera, editor); a returned promise is awaited.
    pub const CONTEXT_CALL: &str = "contextCall";
    /// `{node, names}`: custom component property values (`__propPublic`: the declared ones).
    pub const COMPONENT_PROPERTIES: &str = "componentProperties";
    /// `{page, selector, all, component?, scope?}` → `[{node, tag, component}]`: elements
    /// under the page's shadow root, a component's shadow tree, or an element.
    pub const QUERY: &str = "query";
}

impl AppInstance {
    /// Starts a JS-side request (see [`requests`]) as one task. Its answer goes to the
    /// automation sink under `ticket`, possibly before this returns. Fails only when the app
    /// was opened without a sink.
    pub fn automation_request(
        &mut self,
        ticket: u64,
        method: &str,
        params: Value,
    ) -> Result<(), RuntimeError> {
        if self.state.automation.is_none() {
            return Err(RuntimeError::NoAutomation);
        }
        let r = self.engine.call("automation", &[json!(ticket), json!(method), params]);
        self.finish_task();
        r.map(drop).map_err(RuntimeError::from)
    }

    /// The rendered text of a node's subtree (`innerText`).
    pub fn inner_text(&self, node: NodeId) -> Result<String, RuntimeError> {
        let tree = self.state.tree.borrow();
        tree.get(node).ok_or(RuntimeError::NoSuchNode(node))?;
        Ok(dump::inner_text(&tree, node))
    }

    /// A node as WXML: itself when `outer`, else its children.
    pub fn wxml(&mut self, node: NodeId, outer: bool) -> Result<String, RuntimeError> {
        let tree = self.state.tree.borrow();
        tree.get(node).ok_or(RuntimeError::NoSuchNode(node))?;
        Ok(dump::wxml(&tree, node, outer))
    }

    /// A node's rendered attribute, stringified (`class` as written, `style` inline, `id`,
    /// `data-*`); `None` when it has none by that name.
    pub fn attribute(&mut self, node: NodeId, name: &str) -> Result<Option<String>, RuntimeError> {
        let tree = self.state.tree.borrow();
        let n = tree.get(node).ok_or(RuntimeError::NoSuchNode(node))?;
        if let Some(key) = name.strip_prefix("data-") {
            let v = n.dataset.get(&crate::view::tree::dataset_key(key));
            return Ok(v.map(crate::view::tree::value_text));
        }
        Ok(dump::attributes(n).into_iter().find(|(k, _)| k == name).map(|(_, v)| v))
    }

    /// True when `node` is `ancestor` or lies in its subtree.
    pub fn is_within(&self, node: NodeId, ancestor: NodeId) -> bool {
        self.ancestors(node).is_ok_and(|chain| chain.contains(&ancestor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_events_are_parsed() {
        let e =
            AutomationEvent::from_js("App.logAdded", &json!({"type": "warn", "args": ["w", 1]}));
        assert_eq!(
            e,
            Some(AutomationEvent::Console {
                level: LogLevel::Warn,
                args: vec![json!("w"), json!(1)]
            })
        );
        let e = AutomationEvent::from_js("App.bindingCalled", &json!({"name": "f", "args": []}));
        assert_eq!(e, Some(AutomationEvent::BindingCalled { name: "f".into(), args: vec![] }));
        assert_eq!(AutomationEvent::from_js("error", &json!({})), None);
    }
}
