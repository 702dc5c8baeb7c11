//! WeChat's press state: `hover-class` on `view`, `button` and `navigator`. A `touchstart`
//! adds the class of the touched element (and of its ancestors that have one, up to one with
//! `hover-stop-propagation`) `hover-start-time` ms later (default 50); `touchend`/`touchcancel`
//! removes it `hover-stay-time` ms later (default 400). Both run on the instance clock as
//! component timers, and the class goes through the normal restyle path, so the host receives
//! the pressed style as `set_style` ops. Disabled buttons get no press state. CSS `:active`
//! follows the touch itself (no delays) on the touched element and its ancestors. Logic thread.

use super::component_timers::TimerKind;
use super::{AppInstance, RuntimeError};
use crate::view::NodeId;

/// Tags whose `hover-class` WeChat honours.
const HOVER_TAGS: &[&str] = &["view", "button", "navigator"];

impl AppInstance {
    /// A touch event reached `node`: schedule the press state of the elements it presses.
    pub(super) fn hover_touch(&mut self, node: NodeId, event: &str) {
        let pressed = match event {
            "touchstart" => true,
            "touchend" | "touchcancel" => false,
            _ => return,
        };
        self.active_touch(node, pressed);
        let now = self.state.clock.now();
        for target in self.hover_targets(node) {
            if pressed {
                let delay = self.prop(target, "hover-start-time").as_f64().unwrap_or(50.0).max(0.0);
                self.timers.set(now + delay, target, TimerKind::HoverOn);
            } else {
                let delay = self.prop(target, "hover-stay-time").as_f64().unwrap_or(400.0).max(0.0);
                self.timers.set(now + delay, target, TimerKind::HoverOff);
            }
        }
    }

    /// CSS `:active`, when the sheets use it: on from `touchstart` to `touchend`/`touchcancel`
    /// on the touched element and its ancestors, as WebKit applies it; only elements an
    /// `:active` rule names are restyled.
    fn active_touch(&mut self, node: NodeId, pressed: bool) {
        if self.state.layout.borrow().active_keys().is_none() {
            return;
        }
        let chain = if pressed {
            let chain = self.ancestors(node).unwrap_or_default();
            self.active_chain.clone_from(&chain);
            chain
        } else {
            std::mem::take(&mut self.active_chain)
        };
        let mut restyled = false;
        {
            let layout = self.state.layout.borrow();
            let Some(keys) = layout.active_keys() else { return };
            let mut tree = self.state.tree.borrow_mut();
            for id in chain {
                let restyle = tree.get(id).is_some_and(|n| keys.may_match(n));
                restyled |= restyle && tree.set_active(id, pressed, restyle).is_ok();
            }
        }
        if restyled {
            self.finish_task();
        }
    }

    /// The element at or above `node` with a `hover-class`, and its ancestors with one, until
    /// `hover-stop-propagation`.
    fn hover_targets(&self, node: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let Ok(chain) = self.ancestors(node) else { return out };
        for id in chain {
            let tag = self.state.tree.borrow().get(id).map(|n| n.tag.clone()).unwrap_or_default();
            if !HOVER_TAGS.contains(&tag.as_str()) {
                continue;
            }
            let class = self.prop(id, "hover-class");
            let class = class.as_str().unwrap_or("none");
            if class.is_empty() || class == "none" || self.truthy(id, "disabled") {
                continue;
            }
            out.push(id);
            if self.truthy(id, "hover-stop-propagation") {
                break;
            }
        }
        out
    }

    /// A press-state timer is due: add or remove the node's hover classes.
    pub(super) fn hover_due(&mut self, node: NodeId, on: bool) -> Result<(), RuntimeError> {
        if !on {
            self.timers.cancel(node, &TimerKind::HoverOn);
        }
        let class = self.prop(node, "hover-class");
        let names: Vec<String> =
            class.as_str().unwrap_or_default().split_whitespace().map(str::to_string).collect();
        {
            let mut tree = self.state.tree.borrow_mut();
            let Some(scope) = tree.get(node).map(|n| n.style_scope) else { return Ok(()) };
            for name in &names {
                let _ = if on {
                    tree.add_class(node, name, scope)
                } else {
                    tree.remove_class(node, name, scope)
                };
            }
        }
        self.finish_task();
        Ok(())
    }
}
