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
//! Logic thread only. The [`Mailbox`] lives in `AppState` (the natives of both sides post into
//! it); the realm is opened, fed and closed by [`AppInstance`] between tasks.

use std::collections::VecDeque;

use serde_json::{json, Value};

use super::state::LogLevel;
use super::{AppInstance, RuntimeError};
use crate::engine::{bridge, RealmId};
use crate::framework;
use crate::package::path;

/// The worker framework bundle (core/js/worker, built by core/build.rs).
const BYTECODE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/worker.qjsbc"));

/// Messages and requests between the app and its worker.
#[derive(Debug, Default)]
pub struct Mailbox {
    last_id: u64,
    /// The worker the app created and has not terminated: id and entry script.
    current: Option<(u64, String)>,
    to_worker: VecDeque<Value>,
    to_app: VecDeque<(u64, Value)>,
}

impl Mailbox {
    /// `wx.createWorker(scriptPath)`: checks the path against app.json `workers` and the
    /// package; returns the new worker's id or WeChat-style reason.
    pub fn create(
        &mut self,
        workers_dir: Option<&str>,
        script: &str,
        exists: impl Fn(&str) -> bool,
    ) -> Result<u64, String> {
        let Some(dir) = workers_dir else {
            return Err("createWorker:fail app.json has no `workers` field: set it to the \
                        directory that holds the worker scripts, e.g. \"workers\": \"workers\""
                .into());
        };
        if self.current.is_some() {
            return Err("createWorker:fail exceed max number of workers (1): call \
                        Worker.terminate() before creating another"
                .into());
        }
        let normal = path::normalize(script.trim_start_matches('/'))
            .map_err(|e| format!("createWorker:fail scriptPath `{script}`: {e}"))?;
        let file = if normal.ends_with(".js") { normal } else { format!("{normal}.js") };
        if !file.starts_with(&format!("{dir}/")) {
            return Err(format!(
                "createWorker:fail `{script}` is not under the `workers` directory `{dir}` of \
                 app.json"
            ));
        }
        if !exists(&file) {
            return Err(format!("createWorker:fail worker script `{file}` is not in the package"));
        }
        self.last_id += 1;
        self.current = Some((self.last_id, file));
        self.to_worker.clear();
        Ok(self.last_id)
    }

    /// `Worker.postMessage` on the app side.
    pub fn post_to_worker(&mut self, id: u64, message: Value) -> Result<(), String> {
        self.check_live(id)?;
        self.to_worker.push_back(message);
        Ok(())
    }

    /// `worker.postMessage` inside the worker `id`.
    pub fn post_to_app(&mut self, id: u64, message: Value) -> Result<(), String> {
        self.check_live(id)?;
        self.to_app.push_back((id, message));
        Ok(())
    }

    /// `Worker.terminate()`: the worker stops; messages not yet delivered either way are
    /// dropped.
    pub fn terminate(&mut self, id: u64) {
        if self.current.as_ref().is_some_and(|(c, _)| *c == id) {
            self.current = None;
            self.to_worker.clear();
            self.to_app.retain(|(w, _)| *w != id);
        }
    }

    fn check_live(&self, id: u64) -> Result<(), String> {
        match &self.current {
            Some((c, _)) if *c == id => Ok(()),
            _ => Err("postMessage:fail the worker was terminated".into()),
        }
    }
}

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
            self.engine.open_realm(BYTECODE, |ctx| bridge::install_worker(ctx, &state, id));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_worker_under_the_workers_directory() {
        let mut mail = Mailbox::default();
        let exists = |p: &str| p == "workers/fib/index.js";
        let none = mail.create(None, "workers/fib/index.js", exists);
        assert!(none.is_err_and(|e| e.contains("no `workers` field")));
        let outside = mail.create(Some("workers"), "utils/x.js", exists);
        assert!(outside.is_err_and(|e| e.contains("not under the `workers` directory")));
        let missing = mail.create(Some("workers"), "workers/nope.js", exists);
        assert!(missing.is_err_and(|e| e.contains("not in the package")));
        assert_eq!(mail.create(Some("workers"), "/workers/fib/index", exists), Ok(1));
        let second = mail.create(Some("workers"), "workers/fib/index.js", exists);
        assert!(second.is_err_and(|e| e.contains("exceed max number of workers")));
        assert_eq!(mail.post_to_worker(1, json!({"n": 1})), Ok(()));
        assert_eq!(mail.post_to_app(1, json!({"r": 1})), Ok(()));
        mail.terminate(1);
        assert!(mail.to_worker.is_empty() && mail.to_app.is_empty());
        assert!(mail.post_to_worker(1, json!({})).is_err());
        assert_eq!(mail.create(Some("workers"), "workers/fib/index.js", exists), Ok(2));
    }
}
