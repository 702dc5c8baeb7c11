//! `progress`: the end of the `active` animation. When `active` is set and the app sets
//! `percent` (or turns `active` on), the host animates the bar: from 0 (`active-mode`
//! `backwards`, the default) or from the percent it showed last (`forwards`), at `duration` ms
//! per percent. The core fires `activeend {curPercent}` when that animation would end, on the
//! instance clock ([`super::component_timers`]). Logic thread.

use serde_json::{json, Value};

use crate::builtin;
use crate::runtime::component_timers::TimerKind;
use crate::runtime::controls::number;
use crate::runtime::AppInstance;
use crate::view::NodeId;

impl AppInstance {
    /// The app changed a progress bar's `percent` (`start`: its attribute before, `None` when
    /// only `active` changed) or `active`.
    pub(in crate::runtime) fn progress_changed(
        &mut self,
        node: NodeId,
        start: Option<Option<Value>>,
    ) {
        let percent = |v: Option<&Value>| {
            builtin::property_value("progress", "percent", v)
                .and_then(|p| p.as_f64())
                .unwrap_or(0.0)
                .clamp(0.0, 100.0)
        };
        let to = percent(self.state.tree.borrow().get(node).and_then(|n| n.attrs.get("percent")));
        let end = TimerKind::ProgressEnd(json!({ "curPercent": number(to) }));
        if !self.truthy(node, "active") {
            self.timers.cancel(node, &end);
            return;
        }
        let from = match (self.prop(node, "active-mode").as_str(), start) {
            (Some("forwards"), Some(before)) => percent(before.as_ref()),
            (Some("forwards"), None) => to,
            _ => 0.0,
        };
        let per_percent = self.prop(node, "duration").as_f64().unwrap_or(30.0).max(0.0);
        let at = self.state.clock.now() + (to - from).abs() * per_percent;
        self.timers.set(at, node, end);
    }
}
