//! `swiper`: which item is current, autoplay on the instance's clock, and its events.
//!
//! A swipe (the user's, through [`super::controls::UserAction::Swipe`], or autoplay's) moves
//! `current` (clamped to the items, or wrapped when `circular`), fires `change` with
//! `{current, currentItemId, source}` (`touch`, `autoplay`) and, `duration` ms later,
//! `animationfinish` with the same detail. The app setting `current` fires `change` with
//! source `""`. With `autoplay`, the next item comes every `interval` ms after the last
//! change, wrapping to the first at the end; the timer runs on the instance clock, so
//! headless runs are deterministic. Component timers live here, beside JS timers: the runtime
//! asks [`ComponentTimers::next_at`] when advancing time. Logic thread.

use serde_json::{json, Value};

use super::{AppInstance, RuntimeError};
use crate::view::NodeId;

/// What a component timer does when due.
#[derive(Debug, Clone, PartialEq)]
pub enum TimerKind {
    /// The swiper's autoplay moves to its next item.
    Autoplay,
    /// The swiper's change animation ended: fire `animationfinish` with this detail.
    AnimationFinish(Value),
}

/// Timers the core's components keep on the instance clock.
#[derive(Debug, Default)]
pub struct ComponentTimers {
    /// (due at, node, kind), in the order they were set.
    timers: Vec<(f64, NodeId, TimerKind)>,
}

impl ComponentTimers {
    /// When the earliest timer is due.
    pub fn next_at(&self) -> Option<f64> {
        self.timers.iter().map(|t| t.0).min_by(f64::total_cmp)
    }

    /// Removes and returns the earliest timer due at or before `now` (first set wins ties).
    pub fn pop_due(&mut self, now: f64) -> Option<(NodeId, TimerKind)> {
        let (i, _) = self
            .timers
            .iter()
            .enumerate()
            .filter(|(_, t)| t.0 <= now)
            .min_by(|a, b| a.1 .0.total_cmp(&b.1 .0))?;
        let (_, node, kind) = self.timers.remove(i);
        Some((node, kind))
    }

    fn set(&mut self, at: f64, node: NodeId, kind: TimerKind) {
        if kind == TimerKind::Autoplay {
            self.cancel_autoplay(node);
        }
        self.timers.push((at, node, kind));
    }

    fn cancel_autoplay(&mut self, node: NodeId) {
        self.timers.retain(|t| !(t.1 == node && t.2 == TimerKind::Autoplay));
    }
}

impl AppInstance {
    /// The swiper's item nodes, in order.
    fn swiper_items(&self, node: NodeId) -> Vec<NodeId> {
        self.state.tree.borrow().element_children(node)
    }

    /// `change`/`animationfinish` detail for item `current`.
    fn swiper_detail(&self, items: &[NodeId], current: i64, source: &str) -> Value {
        let tree = self.state.tree.borrow();
        let item_id = usize::try_from(current)
            .ok()
            .and_then(|i| items.get(i))
            .and_then(|i| tree.get(*i))
            .and_then(|n| n.attrs.get("item-id").cloned())
            .unwrap_or_else(|| json!(""));
        json!({ "current": current, "currentItemId": item_id, "source": source })
    }

    /// Moves the swiper to item `current` (see the module doc) with the given `source`.
    pub(super) fn swipe(
        &mut self,
        node: NodeId,
        current: i64,
        source: &str,
    ) -> Result<(), RuntimeError> {
        let items = self.swiper_items(node);
        if items.is_empty() {
            return Ok(());
        }
        let last = items.len() as i64 - 1;
        let current = if self.truthy(node, "circular") {
            current.rem_euclid(last + 1)
        } else {
            current.clamp(0, last)
        };
        let detail = self.swiper_detail(&items, current, source);
        self.input_value(node, "current", json!(current), "change", detail.clone())?;
        let now = self.state.clock.now();
        let duration = self.prop(node, "duration").as_f64().unwrap_or(500.0).max(0.0);
        self.timers.set(now + duration, node, TimerKind::AnimationFinish(detail));
        self.arm_autoplay(node);
        Ok(())
    }

    /// (Re)starts or stops the swiper's autoplay after a change of its attributes or item.
    pub(super) fn arm_autoplay(&mut self, node: NodeId) {
        let live = self.state.tree.borrow().get(node).is_some();
        if live && self.truthy(node, "autoplay") {
            let interval = self.prop(node, "interval").as_f64().unwrap_or(5000.0).max(1.0);
            let at = self.state.clock.now() + interval;
            self.timers.set(at, node, TimerKind::Autoplay);
        } else {
            self.timers.cancel_autoplay(node);
        }
    }

    /// The app changed a swiper attribute.
    pub(super) fn swiper_attribute_changed(&mut self, node: NodeId, name: &str) {
        match name {
            "autoplay" | "interval" => self.arm_autoplay(node),
            "current" => {
                let current = self.prop(node, "current").as_i64().unwrap_or(0);
                let detail = self.swiper_detail(&self.swiper_items(node), current, "");
                self.queued_events.push_back((node, "change".into(), detail));
                self.arm_autoplay(node);
            }
            _ => {}
        }
    }

    /// Runs a due component timer.
    pub(super) fn run_component_timer(
        &mut self,
        node: NodeId,
        kind: TimerKind,
    ) -> Result<(), RuntimeError> {
        if self.state.tree.borrow().get(node).is_none() {
            return Ok(());
        }
        match kind {
            TimerKind::Autoplay => {
                let current = self.prop(node, "current").as_i64().unwrap_or(0);
                let count = self.swiper_items(node).len() as i64;
                let next = if current + 1 >= count { 0 } else { current + 1 };
                self.swipe(node, next, "autoplay")
            }
            TimerKind::AnimationFinish(detail) => {
                self.dispatch(node, "animationfinish", detail).map(drop)
            }
        }
    }
}
