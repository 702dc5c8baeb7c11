//! State shared between the runtime and the native functions the framework JS calls.
//!
//! Held in an `Rc` by the runtime and by each native function; never borrowed across a call
//! into JS (native functions borrow briefly and return). Logic thread only.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

#[cfg(feature = "headless")]
use super::automation::{AutomationEvent, AutomationSink};
use super::clock::Clock;
use super::problems::PackageProblems;
use crate::capability::Policy;
use crate::compile::{compile_templates_where, CompiledTemplates};
use crate::config::AppManifest;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Level};
use crate::engine::ScriptError;
use crate::files::{FsError, Sandbox};
use crate::host::{HostCall, HostInbox, HostReply, HostServices};
use crate::layout::LayoutEngine;
use crate::package::Package;
use crate::storage::{Storage, StorageError};
use crate::view::Tree;

pub use super::log::{LogEntry, LogLevel, LogSink};

/// An uncaught JS error and where the framework caught it (`onLoad`, `app.js`, a handler…),
/// or a package problem in a file a page uses, reported when the page opened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppError {
    /// The framework step that caught it.
    pub during: String,
    /// The error.
    pub error: ScriptError,
    /// The package diagnostic it reports, for package problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnostic: Option<Diagnostic>,
}

impl AppError {
    /// The error as a diagnostic (a package problem as itself).
    pub fn as_diagnostic(&self) -> Diagnostic {
        let e = self;
        if let Some(d) = &e.diagnostic {
            return d.clone();
        }
        let code =
            if e.error.name == "SyntaxError" { Code::ScriptSyntax } else { Code::ScriptException };
        let (path, line, col) = match &e.error.location {
            Some((f, l, c)) => (f.clone(), Some(*l), Some(*c)),
            None => (
                e.during.trim_end_matches(".js").to_string()
                    + if e.during.ends_with(".js") { ".js" } else { "" },
                None,
                None,
            ),
        };
        let mut d = Diagnostic::new(
            Level::Error,
            code,
            path,
            format!("{} (during {}): {}", e.error.name, e.during, e.error.message),
        );
        if let (Some(l), Some(c)) = (line, col) {
            d = d.at(l, c);
        }
        d
    }
}

/// The shared state. Built once from a [`Setup`]; its fields are the runtime's (`runtime/`
/// and `runtime/native/`), the caches and counters only this module's.
pub struct AppState {
    /// The node tree.
    pub(super) tree: RefCell<Tree>,
    /// Messages between the app and its worker ([`super::worker`]).
    pub(super) workers: RefCell<super::worker_mailbox::Mailbox>,
    /// The package being run (replaced when a subpackage packed apart is loaded; see
    /// [`AppState::package`]).
    package: RefCell<Arc<Package>>,
    /// Its resolved configuration.
    pub(super) manifest: AppManifest,
    /// What the host grants.
    pub(super) policy: Policy,
    /// The app id.
    pub(super) app_id: String,
    /// Where per-app data lives (`None`: in memory).
    data_dir: Option<PathBuf>,
    /// What names the app's data under `data_dir`: the host-given app id, never one the
    /// package claims (see `runtime::open::data_key`).
    data_key: String,
    /// The app's storage, opened on first use.
    storage: RefCell<Option<Storage>>,
    /// The host's services.
    pub(super) host_services: Option<Arc<dyn HostServices>>,
    /// Where host replies wait.
    pub(super) inbox: Arc<HostInbox>,
    /// Last host call id.
    last_call: Cell<u64>,
    /// The host's log, if any.
    pub(super) log_sink: Option<Arc<dyn LogSink>>,
    /// The package's parsed WXSS (grows when a subpackage packed apart is loaded).
    pub(super) style_sheets: RefCell<Option<crate::style::StyleSheets>>,
    /// Styles and layout of the shown tree.
    pub(super) layout: RefCell<LayoutEngine>,
    /// The test driver listening to this app, if any.
    #[cfg(feature = "headless")]
    pub(super) automation: Option<Arc<dyn AutomationSink>>,
    /// The app's file sandbox, opened on first use.
    files: RefCell<Option<Sandbox>>,
    /// Subpackage templates compiled ahead (preloadRule) and not yet evaluated, by root.
    compiled_subpackages: RefCell<HashMap<String, CompiledTemplates>>,
    /// Package diagnostics (load time and subpackages as they compile), traced to pages.
    pub(super) problems: RefCell<PackageProblems>,
    /// The clock.
    pub(super) clock: Clock,
    /// Console output, in order.
    pub(super) logs: RefCell<Vec<LogEntry>>,
    /// Uncaught errors, in order.
    pub(super) errors: RefCell<Vec<AppError>>,
    /// Set by JS when work is waiting for the end of the current frame.
    pub(super) want_after_frame: Cell<bool>,
}

/// What an app is opened with (`open.rs` resolves each from the [`super::InstanceConfig`]);
/// the rest of [`AppState`] starts empty and is owned by the code that fills it.
pub(super) struct Setup {
    pub package: Arc<Package>,
    pub manifest: AppManifest,
    pub policy: Policy,
    pub app_id: String,
    pub data_dir: Option<PathBuf>,
    pub data_key: String,
    pub host_services: Option<Arc<dyn HostServices>>,
    pub log_sink: Option<Arc<dyn LogSink>>,
    pub style_sheets: crate::style::StyleSheets,
    pub layout: LayoutEngine,
    #[cfg(feature = "headless")]
    pub(super) automation: Option<Arc<dyn AutomationSink>>,
    pub problems: PackageProblems,
    pub clock: Clock,
}

impl AppState {
    /// The state of an app opened with `setup`.
    pub(super) fn new(setup: Setup) -> AppState {
        AppState {
            tree: RefCell::new(Tree::new()),
            workers: RefCell::default(),
            package: RefCell::new(setup.package),
            manifest: setup.manifest,
            policy: setup.policy,
            app_id: setup.app_id,
            data_dir: setup.data_dir,
            data_key: setup.data_key,
            storage: RefCell::new(None),
            host_services: setup.host_services,
            inbox: Arc::new(HostInbox::default()),
            last_call: Cell::new(0),
            log_sink: setup.log_sink,
            #[cfg(feature = "headless")]
            automation: setup.automation,
            style_sheets: RefCell::new(Some(setup.style_sheets)),
            layout: RefCell::new(setup.layout),
            files: RefCell::new(None),
            compiled_subpackages: RefCell::new(HashMap::new()),
            problems: RefCell::new(setup.problems),
            clock: setup.clock,
            logs: RefCell::new(Vec::new()),
            errors: RefCell::new(Vec::new()),
            want_after_frame: Cell::new(false),
        }
    }

    /// The package being run.
    pub fn package(&self) -> Arc<Package> {
        self.package.borrow().clone()
    }

    /// Replaces the package being run (a subpackage packed apart was loaded into it).
    pub(super) fn set_package(&self, package: Arc<Package>) {
        if let Some(files) = self.files.borrow_mut().as_mut() {
            files.set_package(package.clone());
        }
        *self.package.borrow_mut() = package;
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
    /// Problems are added to [`AppState::problems`] once, when the subpackage compiles, and
    /// reach the pages that use the broken files.
    pub fn subpackage_templates(&self, root: &str, keep: bool) -> CompiledTemplates {
        let cached = self.compiled_subpackages.borrow_mut().remove(root);
        let compiled = if let Some(done) = cached {
            done
        } else if let Some(group) =
            self.package().precompiled().and_then(|p| p.template_group(root))
        {
            // a packed archive's compiled section holds every subpackage's group
            self.problems.borrow_mut().add(group.diagnostics.clone(), group.deps.clone());
            CompiledTemplates::from(group)
        } else {
            let mut diags = Diagnostics::default();
            let manifest = &self.manifest;
            let in_package = |f: &str| manifest.file_in_package(f, Some(root));
            let compiled = compile_templates_where(&self.package(), in_package, &mut diags);
            self.problems.borrow_mut().add(diags, compiled.deps.clone());
            compiled
        };
        if keep {
            self.compiled_subpackages.borrow_mut().insert(root.to_string(), compiled.clone());
        }
        compiled
    }

    /// Reports, as the app's errors, the package problems in the files page `route` uses that
    /// were not reported yet (see [`super::problems`]).
    pub fn report_page_problems(&self, route: &str) {
        let found = self.problems.borrow_mut().take_for_page(&self.manifest, route);
        for d in found {
            self.record_error(AppError {
                during: format!("opening {route}"),
                error: ScriptError {
                    name: "PackageError".into(),
                    message: d.message.clone(),
                    stack: String::new(),
                    location: Some((d.path.clone(), d.line.unwrap_or(1), d.column.unwrap_or(1))),
                },
                diagnostic: Some(d),
            });
        }
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
                &self.data_key,
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
                &self.data_key,
                self.package(),
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
    /// A location in compiled code (TypeScript, ES modules) is put back where the developer
    /// wrote it, and so is each frame of its stack.
    pub fn error(&self, during: &str, mut error: ScriptError) {
        if let Some((file, line, col)) = &error.location {
            if let Some(written) = self.as_written(file, *line, *col) {
                error.location = Some(written);
            }
        }
        error.stack = crate::engine::map_stack(&error.stack, |f, l, c| self.as_written(f, l, c));
        self.record_error(AppError { during: during.to_string(), error, diagnostic: None });
    }

    /// Where a position in a package module as it ran is in the file as written; `None` for
    /// code that is not the package's.
    fn as_written(&self, file: &str, line: u32, col: u32) -> Option<(String, u32, u32)> {
        let package = self.package();
        let is_module = file.ends_with(".js") && package.source(file).is_some();
        // the module wrapper shares the first line with the module's own code
        let header = crate::engine::MODULE_HEADER_COLUMNS;
        let col = if is_module && line == 1 && col > header { col - header } else { col };
        package
            .original_position(file, line, col)
            .or_else(|| is_module.then(|| (file.to_string(), line, col)))
    }

    fn record_error(&self, e: AppError) {
        let text = match &e.diagnostic {
            Some(d) => format!("{d} (during {})", e.during),
            None if e.error.stack.trim().is_empty() => format!("uncaught {}", e.as_diagnostic()),
            None => format!("uncaught {}\n{}", e.as_diagnostic(), e.error.stack.trim_end()),
        };
        tracing::error!(target: "miniapp::js", "{text}");
        if let Some(sink) = &self.log_sink {
            sink.log(&self.app_id, LogLevel::Error, &text);
        }
        #[cfg(feature = "headless")]
        if let Some(driver) = &self.automation {
            driver.event(AutomationEvent::Exception {
                message: e.error.message.clone(),
                stack: e.error.stack.clone(),
            });
        }
        self.errors.borrow_mut().push(e);
    }
}
