//! `scroll-view`: where its content is scrolled to, who moved it, and its events.
//!
//! The core keeps each scroll-view's content offset on its node (selector queries and
//! `page_rect` see content where the user scrolled it). Two ways it moves:
//! - **the app** sets `scroll-top`, `scroll-left` or `scroll-into-view` (the id of an element
//!   inside): after the frame is laid out the core clamps the offset to the content, records it
//!   and sends the host a `scroll_to` op (`animated` = `scroll-with-animation`);
//! - **the user** scrolls the native view: the host reports
//!   [`super::controls::UserAction::Scroll`], the core clamps it, records it, and fires
//!   `scroll` with `{scrollLeft, scrollTop, scrollHeight, scrollWidth, deltaX, deltaY}`
//!   (delta = previous − new offset), then `scrolltoupper`/`scrolltolower`
//!   (`{direction: top|bottom|left|right}`) when the offset enters the
//!   `upper-threshold`/`lower-threshold` band (50 px) of that end.
//!
//! A `cover-view`'s `scroll-top` moves its content the same way (vertically only).
//!
//! Only the axes enabled by `scroll-x`/`scroll-y` move. The refresher (`refresher-enabled`):
//! the host reports `pulling {dy}` (fires `refresherpulling {dy}`), `refresh` (released past
//! `refresher-threshold`: `refresher-triggered` becomes true and `refresherrefresh` fires),
//! `abort` (`refresherabort`); when the app sets `refresher-triggered` back to false,
//! `refresherrestore` fires. Logic thread.

use serde_json::{json, Value};

use crate::runtime::{AppInstance, RuntimeError};
use crate::view::tree::ComponentChange;
use crate::view::{NodeId, RenderOp};

impl AppInstance {
    /// The largest offsets the scroll-view's content allows, if it has been laid out.
    fn scroll_limits(&self, node: NodeId) -> Option<(f32, f32)> {
        let frame = self.frame(node)?;
        let (w, h) = self.scroll_size(node)?;
        Some(((w - frame.width).max(0.0), (h - frame.height).max(0.0)))
    }

    /// `(left, top)` clamped to the content and to the enabled axes.
    fn clamp_scroll(&self, node: NodeId, left: f64, top: f64) -> (f32, f32) {
        let (max_x, max_y) = self.scroll_limits(node).unwrap_or((f32::MAX, f32::MAX));
        // a cover-view scrolls vertically only (its `scroll-top`)
        let cover = self.state.tree.borrow().get(node).is_some_and(|n| n.tag == "cover-view");
        let x = if self.truthy(node, "scroll-x") { (left as f32).clamp(0.0, max_x) } else { 0.0 };
        let y = if cover || self.truthy(node, "scroll-y") {
            (top as f32).clamp(0.0, max_y)
        } else {
            0.0
        };
        (x, y)
    }

    fn current_scroll(&self, node: NodeId) -> (f32, f32) {
        self.state.tree.borrow().get(node).map_or((0.0, 0.0), |n| n.scroll)
    }

    /// The user scrolled the scroll-view's content to (`left`, `top`).
    pub(in crate::runtime) fn user_scroll(
        &mut self,
        node: NodeId,
        left: f64,
        top: f64,
    ) -> Result<(), RuntimeError> {
        let (old_x, old_y) = self.current_scroll(node);
        let (x, y) = self.clamp_scroll(node, left, top);
        if (x, y) == (old_x, old_y) {
            return Ok(());
        }
        self.state
            .tree
            .borrow_mut()
            .set_scroll(node, x, y)
            .map_err(|_| RuntimeError::NoSuchNode(node))?;
        let (w, h) = self.scroll_size(node).unwrap_or((0.0, 0.0));
        let detail = json!({
            "scrollLeft": x, "scrollTop": y, "scrollWidth": w, "scrollHeight": h,
            "deltaX": old_x - x, "deltaY": old_y - y,
        });
        self.dispatch(node, "scroll", detail)?;
        let (max_x, max_y) = self.scroll_limits(node).unwrap_or((0.0, 0.0));
        let upper = self.prop(node, "upper-threshold").as_f64().unwrap_or(50.0) as f32;
        let lower = self.prop(node, "lower-threshold").as_f64().unwrap_or(50.0) as f32;
        let edges = [
            (old_y > upper && y <= upper, "scrolltoupper", "top"),
            (old_y < max_y - lower && y >= max_y - lower, "scrolltolower", "bottom"),
            (old_x > upper && x <= upper, "scrolltoupper", "left"),
            (old_x < max_x - lower && x >= max_x - lower, "scrolltolower", "right"),
        ];
        for (entered, event, direction) in edges {
            if entered {
                self.dispatch(node, event, json!({ "direction": direction }))?;
            }
        }
        Ok(())
    }

    /// The refresher moved through `phase` (see the module doc).
    pub(in crate::runtime) fn refresher(
        &mut self,
        node: NodeId,
        phase: &str,
        dy: f64,
    ) -> Result<(), RuntimeError> {
        if !self.truthy(node, "refresher-enabled") {
            return Err(RuntimeError::Action(format!(
                "node {node}: the refresher is off (set refresher-enabled on the scroll-view)"
            )));
        }
        match phase {
            "pulling" => self.dispatch(node, "refresherpulling", json!({ "dy": dy })).map(drop),
            "refresh" => self
                .input_value(
                    node,
                    "refresher-triggered",
                    json!(true),
                    "refresherrefresh",
                    json!({ "dy": dy }),
                )
                .map(drop),
            "abort" => self.dispatch(node, "refresherabort", json!({ "dy": dy })).map(drop),
            "restore" => self.dispatch(node, "refresherrestore", json!({ "dy": dy })).map(drop),
            other => Err(RuntimeError::Action(format!(
                "unknown refresher phase `{other}` (pulling, refresh, restore or abort)"
            ))),
        }
    }

    /// After layout: the app changed a scroll-view (or cover-view) attribute; returns the op
    /// for the host.
    pub(in crate::runtime) fn scroll_attribute_changed(
        &mut self,
        change: &ComponentChange,
    ) -> Option<RenderOp> {
        let node = change.node;
        let (cur_x, cur_y) = self.current_scroll(node);
        let (left, top) = match change.name.as_str() {
            "scroll-top" => (f64::from(cur_x), self.prop(node, "scroll-top").as_f64()?),
            "scroll-left" => (self.prop(node, "scroll-left").as_f64()?, f64::from(cur_y)),
            "scroll-into-view" => {
                let target = self.prop(node, "scroll-into-view");
                let target = target.as_str().filter(|s| !s.is_empty())?;
                let found = {
                    let tree = self.state.tree.borrow();
                    tree.descendants(node)
                        .into_iter()
                        .skip(1)
                        .find(|id| tree.get(*id).is_some_and(|n| n.id_attr == target))
                };
                let Some(found) = found else {
                    self.state.log(
                        crate::runtime::state::LogLevel::Warn,
                        format!(
                            "scroll-view scroll-into-view: no element with id `{target}` inside"
                        ),
                    );
                    return None;
                };
                let (a, b) = (self.page_rect(found)?, self.page_rect(node)?);
                (f64::from(a.x - b.x + cur_x), f64::from(a.y - b.y + cur_y))
            }
            "refresher-triggered" => {
                // the initial `false` is no restore
                if !change.initial && self.prop(node, "refresher-triggered") == Value::Bool(false) {
                    self.queued_events.push_back((node, "refresherrestore".into(), json!({})));
                }
                return None;
            }
            _ => return None,
        };
        let (x, y) = self.clamp_scroll(node, left, top);
        if (x, y) == (cur_x, cur_y) {
            return None;
        }
        self.state.tree.borrow_mut().set_scroll(node, x, y).ok()?;
        let animated = self.truthy(node, "scroll-with-animation");
        Some(RenderOp::ScrollTo { id: node, left: x, top: y, animated })
    }
}
