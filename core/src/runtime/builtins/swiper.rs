//! `swiper`: which item is current, autoplay on the instance's clock, and its events.
//!
//! A swipe (the user's, through [`super::controls::UserAction::Swipe`], or autoplay's) moves
//! `current` (clamped to the items, or wrapped when `circular`), fires `change` with
//! `{current, currentItemId, source}` (`touch`, `autoplay`) and, `duration` ms later,
//! `animationfinish` with the same detail. The app setting `current` fires `change` with
//! source `""`. With `autoplay`, the next item comes every `interval` ms after the last
//! change, wrapping to the first at the end; a user's swipe pauses it until its animation
//! ends, so the next autoplay comes `duration + interval` ms after a touch. The timer runs on
//! the instance clock, so headless runs are deterministic ([`super::component_timers`]). Logic thread.

use serde_json::{json, Value};

use crate::runtime::component_timers::TimerKind;
use crate::runtime::{AppInstance, RuntimeError};
use crate::view::NodeId;

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
    pub(in crate::runtime) fn swipe(
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
        // The user's finger pauses autoplay; its interval restarts when the movement ends.
        self.arm_autoplay_after(node, if source == "touch" { duration } else { 0.0 });
        Ok(())
    }

    /// (Re)starts or stops the swiper's autoplay after a change of its attributes or item.
    pub(in crate::runtime) fn arm_autoplay(&mut self, node: NodeId) {
        self.arm_autoplay_after(node, 0.0);
    }

    /// [`AppInstance::arm_autoplay`] with the interval starting `delay` ms from now.
    fn arm_autoplay_after(&mut self, node: NodeId, delay: f64) {
        let live = self.state.tree.borrow().get(node).is_some();
        if live && self.truthy(node, "autoplay") {
            let interval = self.prop(node, "interval").as_f64().unwrap_or(5000.0).max(1.0);
            let at = self.state.clock.now() + delay + interval;
            self.timers.set(at, node, TimerKind::Autoplay);
        } else {
            self.timers.cancel(node, &TimerKind::Autoplay);
        }
    }

    /// The app changed a swiper attribute.
    pub(in crate::runtime) fn swiper_attribute_changed(&mut self, node: NodeId, name: &str) {
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

    /// The swiper's autoplay timer is due: move to the next item, wrapping at the end.
    pub(in crate::runtime) fn autoplay_due(&mut self, node: NodeId) -> Result<(), RuntimeError> {
        let current = self.prop(node, "current").as_i64().unwrap_or(0);
        let count = self.swiper_items(node).len() as i64;
        let next = if current + 1 >= count { 0 } else { current + 1 };
        self.swipe(node, next, "autoplay")
    }
}
