//! Timers the core's own components keep on the instance clock, beside JS timers: a swiper's
//! autoplay and the end of its change animation, the end of a progress bar's `active`
//! animation, the end of a page-container's enter/leave transition, press states, and the
//! events of CSS animations and transitions (`runtime/motion.rs`). The runtime asks
//! [`ComponentTimers::next_at`] when advancing time, so headless runs stay deterministic.
//! Logic thread.

use serde_json::Value;

use super::{AppInstance, RuntimeError};
use crate::view::NodeId;

/// What a component timer does when due.
#[derive(Debug, Clone, PartialEq)]
pub enum TimerKind {
    /// The swiper's autoplay moves to its next item.
    Autoplay,
    /// The swiper's change animation ended: fire `animationfinish` with this detail.
    AnimationFinish(Value),
    /// The progress bar's `active` animation reached its percent: fire `activeend`.
    ProgressEnd(Value),
    /// The page-container's transition ended: fire this event (`afterenter`/`afterleave`).
    TransitionEnd(&'static str),
    /// The pressed element's `hover-class` goes on.
    HoverOn,
    /// The released element's `hover-class` comes off.
    HoverOff,
    /// A CSS animation event (`animationstart`, `animationiteration`, `animationend`) for the
    /// `@keyframes` `name`, `elapsed` ms into the animation; repeats `every` ms when set (the
    /// iterations of an infinite animation).
    CssAnimation {
        /// The event type.
        event: &'static str,
        /// The animation name.
        name: String,
        /// Time since the animation started, in ms (delay excluded).
        elapsed: f64,
        /// Period of a repeating event.
        every: Option<f64>,
    },
    /// A CSS transition of `property` ended, `elapsed` ms after it started.
    CssTransitionEnd {
        /// The CSS property.
        property: String,
        /// Its duration in ms.
        elapsed: f64,
    },
}

impl TimerKind {
    /// Kinds of which a node has at most one pending (a new one replaces the old).
    fn is_single(&self) -> bool {
        matches!(
            self,
            TimerKind::Autoplay
                | TimerKind::ProgressEnd(_)
                | TimerKind::TransitionEnd(_)
                | TimerKind::HoverOn
                | TimerKind::HoverOff
        )
    }
}

/// The pending component timers.
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

    /// Sets a timer; one of a single kind replaces the node's pending one of that kind.
    pub(super) fn set(&mut self, at: f64, node: NodeId, kind: TimerKind) {
        if kind.is_single() {
            self.cancel(node, &kind);
        }
        self.timers.push((at, node, kind));
    }

    /// Drops `node`'s pending timers of `kind`'s kind.
    pub(super) fn cancel(&mut self, node: NodeId, kind: &TimerKind) {
        let same = std::mem::discriminant(kind);
        self.timers.retain(|t| !(t.1 == node && std::mem::discriminant(&t.2) == same));
    }
}

impl AppInstance {
    /// Runs a due component timer (nothing when its node is gone).
    pub(super) fn run_component_timer(
        &mut self,
        node: NodeId,
        kind: TimerKind,
    ) -> Result<(), RuntimeError> {
        if self.state.tree.borrow().get(node).is_none() {
            return Ok(());
        }
        match kind {
            TimerKind::Autoplay => self.autoplay_due(node),
            TimerKind::AnimationFinish(detail) => {
                self.dispatch(node, "animationfinish", detail).map(drop)
            }
            TimerKind::ProgressEnd(detail) => self.dispatch(node, "activeend", detail).map(drop),
            TimerKind::TransitionEnd(event) => {
                self.dispatch(node, event, serde_json::json!({})).map(drop)
            }
            TimerKind::HoverOn => self.hover_due(node, true),
            TimerKind::HoverOff => self.hover_due(node, false),
            TimerKind::CssAnimation { event, name, elapsed, every } => {
                if let Some(period) = every {
                    let next = TimerKind::CssAnimation {
                        event,
                        name: name.clone(),
                        elapsed: elapsed + period,
                        every,
                    };
                    self.timers.set(self.state.clock.now() + period, node, next);
                }
                let detail =
                    serde_json::json!({ "animationName": name, "elapsedTime": elapsed / 1000.0 });
                self.dispatch(node, event, detail).map(drop)
            }
            TimerKind::CssTransitionEnd { property, elapsed } => {
                let detail = serde_json::json!({ "propertyName": property, "elapsedTime": elapsed / 1000.0 });
                self.dispatch(node, "transitionend", detail).map(drop)
            }
        }
    }
}
