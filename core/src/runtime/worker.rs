//! Workers (`wx.createWorker`): a worker script runs in its own realm — a separate global
//! scope in the app's QuickJS runtime (`engine::Engine::open_realm`) with `worker`
//! (`postMessage`/`onMessage`), `console`, timers and a `require` limited to the `workers`
//! directory of app.json; no `wx`, pages or `getApp`. Messages cross as JSON, each delivered as
//! its own task after the task that posted it; the worker's timers run on the instance clock
//! with the app's. One worker at a time, as in WeChat.
//!
//! WeChat runs a worker on another thread; here it shares the app's logic thread, so a long
//! computation in the worker delays the app's tasks (each task, the worker's included, stays
//! under the task time limit). Same results, same order of messages; deterministic in
//! headless runs.
//!
//! Logic thread only. The [`Mailbox`](super::worker_mailbox::Mailbox) lives in `AppState` (the
//! natives of both sides post into it); the realm is opened, fed and closed by [`AppInstance`]
//! between tasks.

use serde_json::json;

use super::state::LogLevel;
use super::{AppInstance, RuntimeError};
use crate::engine::RealmId;
use crate::framework;

/// The worker framework bundle (core/js/worker, built by core/build.rs).
const BYTECODE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/worker.qjsbc"));

/// A worker with its realm open.
#[derive(Debug, Clone, Copy)]
pub(super) struct RunningWorker {
    id: u64,
    realm: RealmId,
}

impl AppInstance {
    /// One step of worker traffic, as its own task: close a terminated worker's realm, start a
    /// created one, or deliver one message (to the worker first). False when nothing waited.
    pub(super) fn worker_step(&mut self) -> bool {
        let (current, to_worker, to_app) = {
            let mut mail = self.state.workers.borrow_mut();
            let current = mail.current.clone();
            let running = self.worker.map(|w| w.id);
            let to_worker = match (&current, running) {
                (Some((id, _)), Some(r)) if *id == r => mail.to_worker.pop_front(),
                _ => None,
            };
            let to_app = if to_worker.is_none() { mail.to_app.pop_front() } else { None };
            (current, to_worker, to_app)
        };
        if let Some(w) = self.worker.filter(|w| current.as_ref().map(|c| c.0) != Some(w.id)) {
            self.engine.close_realm(w.realm);
            self.worker = None;
            return true;
        }
        if let (Some((id, script)), None) = (&current, self.worker) {
            self.start_worker(*id, script);
            return true;
        }
        if let (Some(message), Some(w)) = (to_worker, self.worker) {
            if let Err(e) = self.engine.call_in(w.realm, "deliver", &[message]) {
                self.state.error("worker onMessage", e);
            }
            return true;
        }
        if let Some((id, message)) = to_app {
            if let Err(e) = framework::worker_message(&self.engine, id, &message) {
                self.state.error("Worker.onMessage", e);
            }
            return true;
        }
        false
    }

    fn start_worker(&mut self, id: u64, script: &str) {
        let state = self.state.clone();
        let opened =
            self.engine.open_realm(BYTECODE, |ctx| super::native::install_worker(ctx, &state, id));
        let realm = match opened {
            Ok(realm) => realm,
            Err(e) => {
                self.state.error("createWorker", e);
                self.state.workers.borrow_mut().terminate(id);
                return;
            }
        };
        self.worker = Some(RunningWorker { id, realm });
        self.state.log(LogLevel::Debug, format!("worker {id} started: {script}"));
        if let Err(e) = self.engine.call_in(realm, "start", &[json!(script)]) {
            self.state.error(script, e);
        }
    }

    /// When the worker's next timer is due.
    pub(super) fn worker_next_timer_at(&self) -> Result<Option<f64>, RuntimeError> {
        let Some(w) = self.worker else { return Ok(None) };
        let at = self.engine.call_in(w.realm, "nextTimerAt", &[])?;
        Ok(at.as_f64().filter(|t| *t >= 0.0))
    }

    /// Runs the worker's earliest timer due at `now`, as a task.
    pub(super) fn run_worker_timer(&mut self, now: f64) -> Result<(), RuntimeError> {
        let Some(w) = self.worker else { return Ok(()) };
        let r = self.engine.call_in(w.realm, "runNextTimer", &[json!(now)]);
        self.finish_task();
        r?;
        Ok(())
    }
}

#[cfg(all(test, feature = "compiler"))]
#[allow(clippy::expect_used)]
mod tests {
    use super::super::native::tests::{app_with_workers, matches};
    use super::*;

    #[test]
    fn the_worker_bundle_publishes_what_the_contract_file_declares() {
        let app = app_with_workers();
        let state = app.state.clone();
        let install =
            |ctx: &rquickjs::Ctx<'_>| super::super::native::install_worker(ctx, &state, 0);
        let realm = app.engine.open_realm(BYTECODE, install).expect("a worker realm");
        let entries = app.engine.entry_points(Some(realm)).into_iter().collect();
        matches(&entries, "WorkerEntry");
    }
}
