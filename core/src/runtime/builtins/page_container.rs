//! `page-container`: a pop-up layer inside the page that the back gesture closes.
//!
//! When the app sets `show` to true the core fires `beforeenter` and `enter`, and
//! `afterenter` `duration` ms later (the host animates the layer in); setting it to false
//! fires `beforeleave`, `leave`, then `afterleave`. While one is shown on the top page, the
//! host's back action closes it instead of leaving the page: `show` becomes false (a
//! `model:show` binding is written back) and the leave events fire. The host reports a tap on
//! the overlay as the `clickOverlay` action (`clickoverlay`; the app decides whether to
//! close) and a slide-down as `slideDown` (closes when `close-on-slide-down`). Timers run on
//! the instance clock ([`super::component_timers`]). Logic thread.

use serde_json::{json, Value};

use crate::runtime::component_timers::TimerKind;
use crate::runtime::{AppInstance, RuntimeError};
use crate::view::tree::ComponentChange;
use crate::view::NodeId;

impl AppInstance {
    /// The app changed a page-container attribute: entering or leaving starts.
    pub(in crate::runtime) fn page_container_changed(&mut self, change: &ComponentChange) {
        if change.name != "show" {
            return;
        }
        let shown = self.truthy(change.node, "show");
        if change.initial && !shown {
            return;
        }
        self.page_container_transition(change.node, shown);
    }

    fn page_container_transition(&mut self, node: NodeId, entering: bool) {
        let (before, during, after) = if entering {
            ("beforeenter", "enter", "afterenter")
        } else {
            ("beforeleave", "leave", "afterleave")
        };
        for event in [before, during] {
            self.queued_events.push_back((node, event.into(), json!({})));
        }
        let duration = self.prop(node, "duration").as_f64().unwrap_or(300.0).max(0.0);
        let at = self.state.clock.now() + duration;
        self.timers.set(at, node, TimerKind::TransitionEnd(after));
    }

    /// The shown page-container on the top page, if any (the last one in document order).
    fn shown_page_container(&self) -> Result<Option<NodeId>, RuntimeError> {
        let Some(page) = self.top_page_node()? else { return Ok(None) };
        let tree = self.state.tree.borrow();
        Ok(tree.descendants(page).into_iter().rev().find(|id| {
            tree.get(*id).is_some_and(|n| n.tag == "page-container") && self.truthy(*id, "show")
        }))
    }

    /// The host's back action: closes a shown page-container. False when there is none (the
    /// page goes back as usual).
    pub(in crate::runtime) fn close_page_container(&mut self) -> Result<bool, RuntimeError> {
        let Some(node) = self.shown_page_container()? else { return Ok(false) };
        self.leave_page_container(node)?;
        Ok(true)
    }

    fn leave_page_container(&mut self, node: NodeId) -> Result<(), RuntimeError> {
        // The user closed it: `show` (and `model:show`) follow, and the leave events fire.
        self.input_value(node, "show", Value::Bool(false), "", Value::Null)?;
        self.page_container_transition(node, false);
        self.finish_task();
        Ok(())
    }

    /// The user tapped the overlay or slid the layer down.
    pub(in crate::runtime) fn page_container_gesture(
        &mut self,
        node: NodeId,
        slide_down: bool,
    ) -> Result<(), RuntimeError> {
        if !self.truthy(node, "show") {
            return Ok(());
        }
        if !slide_down {
            return self.dispatch(node, "clickoverlay", json!({})).map(drop);
        }
        if self.truthy(node, "close-on-slide-down") {
            self.leave_page_container(node)?;
        }
        Ok(())
    }
}
