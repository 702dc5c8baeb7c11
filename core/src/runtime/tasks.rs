//! The task and frame loop: after each call into JS the promise jobs run, the frame closes
//! (style, layout, motion, component changes) and after-frame work and host replies run as
//! their own tasks; frames queue until the host takes them; virtual time advances timers one
//! task each, bounded by the task limit. Logic thread.

use std::sync::Arc;

use super::state::LogLevel;
use super::{AppInstance, RuntimeError, MAX_AFTER_FRAME_ROUNDS};
use crate::framework;
use crate::host::HostInbox;
use crate::view::Frame;

impl AppInstance {
    /// Runs pending jobs and closes the frame; then, each as its own task with its own frame,
    /// after-frame work (setData callbacks, `ready`, routes) and host replies, until neither is
    /// left (bounded).
    pub(super) fn finish_task(&mut self) {
        self.pump();
        self.close_frame();
        for _ in 0..MAX_AFTER_FRAME_ROUNDS {
            if self.state.want_after_frame.replace(false) {
                if let Err(e) = framework::after_frame(&self.engine) {
                    self.state.error("after frame", e);
                }
            } else if let Some(message) = self.state.inbox.pop() {
                if let Err(e) = framework::host_message(&self.engine, &message) {
                    self.state.error("host reply", e);
                }
            } else if let Some((node, event, detail)) = self.queued_events.pop_front() {
                let Ok(chain) = self.ancestors(node) else { continue };
                if let Err(e) =
                    framework::dispatch_event(&self.engine, &chain, &event, &detail, None)
                {
                    self.state.error("component event", e);
                }
            } else if self.worker_step() {
            } else {
                break;
            }
            self.pump();
            self.close_frame();
        }
    }

    /// Delivers host replies that arrived from other threads (the threaded handle calls this
    /// when the inbox wakes it).
    pub fn process_host_messages(&mut self) {
        self.finish_task();
    }

    /// The queue host replies arrive in (the threaded handle installs its waker on it).
    pub fn host_inbox(&self) -> Arc<HostInbox> {
        self.state.inbox.clone()
    }

    pub(super) fn pump(&self) {
        let state = self.state.clone();
        self.engine.pump_jobs(&mut |e| state.error("promise job", e));
        for _ in 0..MAX_AFTER_FRAME_ROUNDS {
            let unhandled = self.engine.report_unhandled_rejections();
            if unhandled.is_empty() {
                break;
            }
            for e in unhandled {
                self.state.error("unhandled promise rejection", e);
            }
            self.engine.pump_jobs(&mut |e| state.error("promise job", e));
        }
    }

    pub(super) fn close_frame(&mut self) {
        let changes = self.state.tree.borrow_mut().take_component_changes();
        let changes: Vec<_> = changes
            .into_iter()
            .filter(|c| {
                !self.user_change.as_ref().is_some_and(|(n, a)| *n == c.node && *a == c.name)
            })
            .collect();
        self.builtins_before_layout(&changes);
        let warnings = {
            let mut tree = self.state.tree.borrow_mut();
            let mut layout = self.state.layout.borrow_mut();
            if tree.has_pending() || tree.has_layout_changes() || layout.needs_update() {
                // A layout bug must not take the app down: the frame goes out without layout
                // ops and the next one lays everything out afresh.
                let run = std::panic::AssertUnwindSafe(|| layout.update(&mut tree));
                std::panic::catch_unwind(run).unwrap_or_else(|_| {
                    layout.reset();
                    vec!["internal layout error; the page is laid out again on the next frame"
                        .to_string()]
                })
            } else {
                Vec::new()
            }
        };
        let started = self.state.layout.borrow_mut().take_motion();
        if !started.is_empty() {
            self.schedule_motion(started);
        }
        for w in warnings {
            self.state.log(LogLevel::Warn, format!("[style] {w}"));
        }
        self.builtins_after_layout(changes);
        if let Some(f) = self.state.tree.borrow_mut().take_frame() {
            self.frames.push_back(f);
        }
    }

    /// Frames produced since the last call, oldest first.
    pub fn take_frames(&mut self) -> Vec<Frame> {
        self.frames.drain(..).collect()
    }

    /// Advances virtual time by `ms`, running every timer that falls due, each as a task.
    pub fn advance(&mut self, ms: f64) -> Result<(), RuntimeError> {
        let target = self.state.clock.now() + ms.max(0.0);
        // One call never holds the host's thread longer than the task limit: timers still
        // due then run on the next advance.
        let started = std::time::Instant::now();
        let budget = self.engine.limits().task_time;
        let mut ran = 0u64;
        loop {
            if started.elapsed() > budget {
                self.state.log(
                    LogLevel::Warn,
                    format!(
                        "advance: stopped after {ran} timer callbacks in {:.1} s (the task time \
                         limit); the timers still due run on the next advance",
                        budget.as_secs_f64()
                    ),
                );
                break;
            }
            ran += 1;
            let js = framework::next_timer_at(&self.engine)?;
            let component = self.timers.next_at();
            let worker = self.worker_next_timer_at()?;
            let Some(at) = [js, component, worker].into_iter().flatten().min_by(f64::total_cmp)
            else {
                break;
            };
            if at > target {
                break;
            }
            self.state.clock.advance_to(at);
            if component == Some(at) {
                if let Some((node, kind)) = self.timers.pop_due(at) {
                    self.run_component_timer(node, kind)?;
                    continue;
                }
            }
            if worker == Some(at) && js != Some(at) {
                self.run_worker_timer(at)?;
                continue;
            }
            let r = framework::run_next_timer(&self.engine, at);
            self.finish_task();
            r?;
        }
        self.state.clock.advance_to(target);
        Ok(())
    }

    /// When the next timer is due, in instance milliseconds.
    pub fn next_timer_at(&self) -> Result<Option<f64>, RuntimeError> {
        let js = framework::next_timer_at(&self.engine)?;
        let worker = self.worker_next_timer_at()?;
        Ok([js, self.timers.next_at(), worker].into_iter().flatten().min_by(f64::total_cmp))
    }

    /// Runs timers until none is pending or `limit_ms` of virtual time has passed.
    pub fn settle(&mut self, limit_ms: f64) -> Result<(), RuntimeError> {
        let end = self.state.clock.now() + limit_ms;
        while let Some(at) = self.next_timer_at()? {
            if at > end {
                break;
            }
            self.advance(at - self.state.clock.now())?;
        }
        Ok(())
    }
}
