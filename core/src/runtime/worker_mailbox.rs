//! The worker's mailbox (`wx.createWorker`, see [`super::worker`]): which worker the app created,
//! and the JSON messages waiting in each direction. Plain data in `AppState`; the natives of both
//! sides post into it and the runtime delivers from it between tasks. Logic thread only.

use std::collections::VecDeque;

use serde_json::Value;

use crate::package::path;

/// Messages and requests between the app and its worker.
#[derive(Debug, Default)]
pub struct Mailbox {
    last_id: u64,
    /// The worker the app created and has not terminated: id and entry script.
    pub(super) current: Option<(u64, String)>,
    pub(super) to_worker: VecDeque<Value>,
    pub(super) to_app: VecDeque<(u64, Value)>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
