//! Events of CSS animations and transitions on the instance clock.
//!
//! After each layout pass the runtime takes what it started (`style::motion::Motion`) and sets
//! component timers: `animationstart` after the delay, `animationiteration` at each iteration
//! boundary (re-armed forever for `infinite`), `animationend` after the last iteration, and
//! `transitionend` per transitioned property. Only events the element listens to are timed,
//! so an endless spinner nobody listens to costs nothing. A restyle that changes an element's
//! animations cancels the pending ones. Details carry `animationName`/`propertyName` and
//! `elapsedTime` in seconds, as WeChat's do. Logic thread.

use super::component_timers::TimerKind;
use super::AppInstance;
use crate::style::motion::Motion;

/// Most iteration events timed ahead for one finite animation.
const MAX_ITERATION_EVENTS: u32 = 1000;

impl AppInstance {
    /// Sets the event timers for what a layout pass started.
    pub(super) fn schedule_motion(&mut self, started: Vec<Motion>) {
        let now = self.state.clock.now();
        for m in started {
            match m {
                Motion::Animations { node, timings } => {
                    self.timers.cancel(
                        node,
                        &TimerKind::CssAnimation {
                            event: "",
                            name: String::new(),
                            elapsed: 0.0,
                            every: None,
                        },
                    );
                    for t in timings {
                        let start = now + f64::from(t.delay.max(0.0));
                        let duration = f64::from(t.duration.max(0.0));
                        let at = |event: &'static str, elapsed: f64, every: Option<f64>| {
                            let kind = TimerKind::CssAnimation {
                                event,
                                name: t.name.clone(),
                                elapsed,
                                every,
                            };
                            (start + elapsed, kind)
                        };
                        let mut set = Vec::new();
                        if self.listens(node, "animationstart") {
                            set.push(at("animationstart", 0.0, None));
                        }
                        match t.iteration_count {
                            Some(count) => {
                                let count = f64::from(count.max(0.0));
                                if self.listens(node, "animationiteration") {
                                    let whole = count.ceil() as u32;
                                    for k in 1..whole.min(MAX_ITERATION_EVENTS) {
                                        set.push(at(
                                            "animationiteration",
                                            f64::from(k) * duration,
                                            None,
                                        ));
                                    }
                                }
                                if self.listens(node, "animationend") {
                                    set.push(at("animationend", count * duration, None));
                                }
                            }
                            None if duration > 0.0 && self.listens(node, "animationiteration") => {
                                set.push(at("animationiteration", duration, Some(duration)));
                            }
                            None => {}
                        }
                        for (due, kind) in set {
                            self.timers.set(due, node, kind);
                        }
                    }
                }
                Motion::Transitions { node, ends } => {
                    if !self.listens(node, "transitionend") {
                        continue;
                    }
                    for (property, ms) in ends {
                        let elapsed = f64::from(ms);
                        self.timers.set(
                            now + elapsed,
                            node,
                            TimerKind::CssTransitionEnd { property, elapsed },
                        );
                    }
                }
            }
        }
    }

    fn listens(&self, node: crate::view::NodeId, event: &str) -> bool {
        self.state.tree.borrow().get(node).is_some_and(|n| n.listeners.contains(event))
    }
}
