//! `progress`: the end of the `active` animation. When `active` is set and the app sets
//! `percent` (or turns `active` on), the host animates the bar: from 0 (`active-mode`
//! `backwards`, the default) or from the percent it showed last (`forwards`), at `duration` ms
//! per percent. The core fires `activeend {curPercent}` when that animation would end, on the
//! instance clock ([`super::component_timers`]). Logic thread.

use serde_json::json;

use super::component_timers::TimerKind;
use super::controls::number;
use super::AppInstance;
use crate::view::NodeId;

impl AppInstance {
    /// The app changed a progress bar's `percent` or `active`.
    pub(super) fn progress_changed(&mut self, node: NodeId) {
        self.progress_shown.retain(|n, _| self.state.tree.borrow().get(*n).is_some());
        let to = self.prop(node, "percent").as_f64().unwrap_or(0.0).clamp(0.0, 100.0);
        let before = self.progress_shown.insert(node, to);
        let end = TimerKind::ProgressEnd(json!({ "curPercent": number(to) }));
        if !self.truthy(node, "active") {
            self.timers.cancel(node, &end);
            return;
        }
        let from = match self.prop(node, "active-mode").as_str() {
            Some("forwards") => before.unwrap_or(0.0),
            _ => 0.0,
        };
        let per_percent = self.prop(node, "duration").as_f64().unwrap_or(30.0).max(0.0);
        let at = self.state.clock.now() + (to - from).abs() * per_percent;
        self.timers.set(at, node, end);
    }
}
