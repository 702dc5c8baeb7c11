//! State shared between the runtime and the native functions the framework JS calls.
//!
//! Held in an `Rc` by the runtime and by each native function; never borrowed across a call
//! into JS (native functions borrow briefly and return). Logic thread only.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use super::automation::{AutomationEvent, AutomationSink};
use super::clock::Clock;
use crate::capability::Policy;
use crate::compile::{compile_templates_where, CompiledTemplates};
use crate::config::AppManifest;
use crate::diagnostic::Diagnostics;
use crate::engine::ScriptError;
use crate::files::{FsError, Sandbox};
use crate::host::{HostCall, HostInbox, HostReply, HostServices};
use crate::layout::LayoutEngine;
use crate::package::Package;
use crate::storage::{Storage, StorageError};
use crate::view::Tree;

/// Severity of a JS console message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    /// `console.debug`/`trace`.
    Debug,
    /// `console.log`.
    Log,
    /// `console.info`.
    Info,
    /// `console.warn` and framework warnings.
    Warn,
    /// `console.error`.
    Error,
}

impl LogLevel {
    /// Parses the level names the framework JS uses.
    pub fn parse(s: &str) -> LogLevel {
        match s {
            "debug" => LogLevel::Debug,
            "info" => LogLevel::Info,
            "warn" => LogLevel::Warn,
            "error" => LogLevel::Error,
            _ => LogLevel::Log,
        }
    }
}

/// Receives an app's console output and uncaught errors (the host's log). Called on the app's
/// logic thread; return quickly.
pub trait LogSink: Send + Sync {
    /// One line: `console.*` output, or an uncaught error with its stack.
    fn log(&self, app_id: &str, level: LogLevel, message: &str);
}

/// One console message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogEntry {
    /// Level.
    pub level: LogLevel,
    /// Formatted text.
    pub text: String,
    /// Instance time in ms.
    pub time: f64,
}

/// An uncaught JS error and where the framework caught it (`onLoad`, `app.js`, a handler…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppError {
    /// The framework step that caught it.
    pub during: String,
    /// The error.
    pub error: ScriptError,
}

/// The shared state.
pub struct AppState {
    /// The node tree.
    pub tree: RefCell<Tree>,
    /// The package being run.
    pub package: Arc<Package>,
    /// Its resolved configuration.
    pub manifest: AppManifest,
    /// What the host grants.
    pub policy: Policy,
    /// The app id.
    pub app_id: String,
    /// Where per-app data lives (`None`: in memory).
    pub data_dir: Option<PathBuf>,
    /// The app's storage, opened on first use.
    storage: RefCell<Option<Storage>>,
    /// The host's services.
    pub host_services: Option<Arc<dyn HostServices>>,
    /// Where host replies wait.
    pub inbox: Arc<HostInbox>,
    /// Last host call id.
    pub last_call: Cell<u64>,
    /// The host's log, if any.
    pub log_sink: Option<Arc<dyn LogSink>>,
    /// The package's parsed WXSS.
    pub style_sheets: Option<crate::style::StyleSheets>,
    /// Styles and layout of the shown tree.
    pub layout: RefCell<LayoutEngine>,
    /// The test driver listening to this app, if any.
    pub automation: Option<Arc<dyn AutomationSink>>,
    /// The app's file sandbox, opened on first use.
    files: RefCell<Option<Sandbox>>,
    /// Subpackage templates compiled ahead (preloadRule) and not yet evaluated, by root.
    pub compiled_subpackages: RefCell<HashMap<String, CompiledTemplates>>,
    /// The clock.
    pub clock: Clock,
    /// Console output, in order.
    pub logs: RefCell<Vec<LogEntry>>,
    /// Uncaught errors, in order.
    pub errors: RefCell<Vec<AppError>>,
    /// Set by JS when work is waiting for the end of the current frame.
    pub want_after_frame: Cell<bool>,
}

impl AppState {
    /// Fresh state for a package.
    pub fn new(
        package: Arc<Package>,
        manifest: AppManifest,
        clock: Clock,
        policy: Policy,
        app_id: String,
    ) -> AppState {
        AppState {
            tree: RefCell::new(Tree::new()),
            package,
            manifest,
            policy,
            app_id,
            data_dir: None,
            storage: RefCell::new(None),
            host_services: None,
            inbox: Arc::new(HostInbox::default()),
            last_call: Cell::new(0),
            log_sink: None,
            automation: None,
            style_sheets: None,
            layout: RefCell::new(LayoutEngine::new(
                375.0,
                667.0,
                Arc::new(crate::layout::text::HeadlessMeasurer),
            )),
            files: RefCell::new(None),
            compiled_subpackages: RefCell::new(HashMap::new()),
            clock,
            logs: RefCell::new(Vec::new()),
            errors: RefCell::new(Vec::new()),
            want_after_frame: Cell::new(false),
        }
    }

    /// Records a console message and forwards it to `tracing`.
    pub fn log(&self, level: LogLevel, text: String) {
        match level {
            LogLevel::Error => tracing::error!(target: "miniapp::js", "{text}"),
            LogLevel::Warn => tracing::warn!(target: "miniapp::js", "{text}"),
            LogLevel::Debug => tracing::debug!(target: "miniapp::js", "{text}"),
            LogLevel::Log | LogLevel::Info => tracing::info!(target: "miniapp::js", "{text}"),
        }
        if let Some(sink) = &self.log_sink {
            sink.log(&self.app_id, level, &text);
        }
        self.logs.borrow_mut().push(LogEntry { level, text, time: self.clock.now() });
    }

    /// Templates of subpackage `root` (with the main-package templates it may import): from
    /// the preload cache if there, otherwise compiled now. `keep` leaves them in the cache
    /// (preloading); loading takes them out.
    pub fn subpackage_templates(
        &self,
        root: &str,
        keep: bool,
    ) -> Result<CompiledTemplates, Diagnostics> {
        let cached = self.compiled_subpackages.borrow_mut().remove(root);
        let compiled = match cached {
            Some(done) => done,
            None => {
                let mut diags = Diagnostics::default();
                let in_package = |f: &str| self.manifest.file_in_package(f, Some(root));
                let compiled = compile_templates_where(&self.package, in_package, &mut diags);
                if diags.has_errors() {
                    return Err(diags);
                }
                compiled
            }
        };
        if keep {
            self.compiled_subpackages.borrow_mut().insert(root.to_string(), compiled.clone());
        }
        Ok(compiled)
    }

    /// Runs `f` on the app's storage, opening it on first use.
    pub fn with_storage<T>(
        &self,
        f: impl FnOnce(&mut Storage) -> Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        let mut slot = self.storage.borrow_mut();
        let storage = match slot.as_mut() {
            Some(s) => s,
            None => slot.insert(Storage::open(
                self.data_dir.as_deref(),
                &self.app_id,
                self.policy.storage,
            )?),
        };
        f(storage)
    }

    /// Runs `f` on the app's file sandbox, opening it on first use.
    pub fn with_files<T>(
        &self,
        f: impl FnOnce(&Sandbox) -> Result<T, FsError>,
    ) -> Result<T, FsError> {
        let mut slot = self.files.borrow_mut();
        let sandbox = match slot.as_mut() {
            Some(s) => s,
            None => slot.insert(Sandbox::open(
                self.data_dir.as_deref(),
                &self.app_id,
                self.package.clone(),
                self.policy.files.quota_bytes,
            )?),
        };
        f(sandbox)
    }

    /// Sends one call to the host (or fails it at once when there is no host). Returns its id.
    pub fn call_host(&self, api: &str, args: serde_json::Value) -> u64 {
        let id = self.last_call.get() + 1;
        self.last_call.set(id);
        let reply = HostReply::new(id, self.inbox.clone());
        tracing::debug!(target: "miniapp::host", app = %self.app_id, api, id, "host call");
        match &self.host_services {
            Some(host) => host.call(
                HostCall { app_id: self.app_id.clone(), id, api: api.to_string(), args },
                reply,
            ),
            None => reply.fail(format!("the host app provides no services for {api}")),
        }
        id
    }

    /// Records an uncaught error.
    pub fn error(&self, during: &str, error: ScriptError) {
        tracing::error!(target: "miniapp::js", during, "{error}\n{}", error.stack);
        if let Some(sink) = &self.log_sink {
            sink.log(
                &self.app_id,
                LogLevel::Error,
                &format!("uncaught {error} (during {during})\n{}", error.stack),
            );
        }
        if let Some(driver) = &self.automation {
            driver.event(AutomationEvent::Exception {
                message: error.message.clone(),
                stack: error.stack.clone(),
            });
        }
        self.errors.borrow_mut().push(AppError { during: during.to_string(), error });
    }
}
