//! Runtime: one mini-program instance on its logic thread.
//!
//! [`AppInstance::open`] loads and checks a package (config, templates), starts the engine,
//! loads the framework and runs the app's modules. Everything after that is a *task*: a call
//! into JS (launch, an event, a due timer), then the promise jobs, then the frame is closed and
//! after-frame work runs (setData callbacks, `ready`, `onReady`), each round its own frame.
//! Frames queue up until the host takes them. Time is the instance's [`clock::Clock`]:
//! virtual in headless runs, so runs are deterministic. `AppInstance` is not `Send`; hosts
//! reach it through the threaded handle (bindings issue).

#[cfg(feature = "headless")]
pub mod automation;
pub mod clock;
pub mod component_timers;
mod content;
pub mod controls;
mod editor;
pub mod form;
pub mod handle;
mod host_events;
mod hover;
mod motion;
mod native;
mod open_type;
mod page_container;
pub mod prepare;
pub mod problems;
mod progress;
mod scrolling;
pub mod state;
mod subpackages;
pub mod swiper;
pub mod url;
pub mod worker;
pub mod worker_mailbox;

use std::cell::Ref;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use thiserror::Error;

use self::clock::{Clock, ClockMode};
use self::state::{AppError, AppState, LogEntry, LogLevel, LogSink};
use crate::api;
use crate::capability::Policy;
use crate::config::AppManifest;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Level};
use crate::engine::{Engine, EngineError, Limits, ScriptError};
use crate::framework::{self, PageInfo};
use crate::host::{HostInbox, HostServices};
use crate::package::Package;
use crate::view::select::{Selector, SelectorError};
use crate::view::tree::ROOT;
use crate::view::{dump, Frame, NodeId, Tree};

/// After-frame rounds allowed per task (setData callbacks that set data with callbacks…).
const MAX_AFTER_FRAME_ROUNDS: usize = 64;

/// The screen the app renders into.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    /// Width in px.
    pub width: f64,
    /// Height in px.
    pub height: f64,
    /// Device pixel ratio.
    pub pixel_ratio: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport { width: 375.0, height: 667.0, pixel_ratio: 2.0 }
    }
}

/// What the host says about the device and itself (system-info APIs, the update manager).
/// JSON (the bindings' `"host"` configuration): the fields in camelCase, each optional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct HostInfo {
    /// `ios`, `android`, `windows`, `mac`, `devtools` (headless).
    pub platform: String,
    /// Device brand.
    pub brand: String,
    /// Device model.
    pub model: String,
    /// OS name and version.
    pub system: String,
    /// UI language (`zh_CN`, `en`).
    pub language: String,
    /// Status bar height in px.
    pub status_bar_height: f64,
    /// The host app's own id (`getAppBaseInfo().host.appId`).
    pub host_app_id: String,
    /// The host checks its server for newer versions of the app and reports where that stands
    /// with `update` host events (`wx.getUpdateManager`). False: the package opened is the
    /// one to run, and the update manager's check finds no update.
    pub checks_updates: bool,
}

impl Default for HostInfo {
    fn default() -> Self {
        HostInfo {
            platform: "devtools".into(),
            brand: "miniapp".into(),
            model: "headless".into(),
            system: format!("miniapp {}", env!("CARGO_PKG_VERSION")),
            language: "zh_CN".into(),
            status_bar_height: 20.0,
            host_app_id: String::new(),
            checks_updates: false,
        }
    }
}

/// How to run an instance.
#[derive(Clone, Default)]
pub struct InstanceConfig {
    /// Screen size.
    pub viewport: Viewport,
    /// What the notch, corners and home indicator cover: WXSS `env(safe-area-inset-*)` and
    /// `getWindowInfo().safeArea`; `None`: a screen without (all zero). A `resize` host event
    /// with insets replaces them.
    pub safe_area: Option<crate::host::event::SafeAreaInsets>,
    /// Virtual (headless, default) or real time.
    pub clock: ClockMode,
    /// JS limits.
    pub limits: Limits,
    /// Set from any thread to stop the app's JS (running code is interrupted).
    pub cancel: Option<Arc<AtomicBool>>,
    /// What the host grants this app.
    pub policy: Policy,
    /// The app id; default: `appid` from project.config.json, else the directory name.
    pub app_id: Option<String>,
    /// Device and host facts for the system-info APIs.
    pub host: HostInfo,
    /// Where per-app data (storage) lives; `None` keeps it in memory.
    pub data_dir: Option<std::path::PathBuf>,
    /// The host's services; `None`: calls that need the host fail.
    pub host_services: Option<Arc<dyn HostServices>>,
    /// The host's log for console output and uncaught errors.
    pub log_sink: Option<Arc<dyn LogSink>>,
    /// A test driver (the automator server): receives automation answers and pushed events
    /// (console, exceptions, binding calls). `None` in production hosts.
    #[cfg(feature = "headless")]
    pub automation: Option<Arc<dyn automation::AutomationSink>>,
    /// Measures text for layout; `None`: the deterministic headless measurer.
    pub text_measurer: Option<Arc<dyn crate::layout::text::TextMeasurer>>,
    /// Extra `wx` APIs the host provides: name → capability group. Calls go to the host's
    /// services like built-in ones (async, `success`/`fail`/`complete` or a Promise).
    pub custom_apis: std::collections::BTreeMap<String, String>,
}

impl std::fmt::Debug for InstanceConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("InstanceConfig");
        d.field("viewport", &self.viewport)
            .field("clock", &self.clock)
            .field("limits", &self.limits)
            .field("policy", &self.policy)
            .field("app_id", &self.app_id)
            .field("host", &self.host)
            .field("data_dir", &self.data_dir)
            .field("host_services", &self.host_services.is_some())
            .field("log_sink", &self.log_sink.is_some())
            .field("text_measurer", &self.text_measurer.is_some())
            .field("custom_apis", &self.custom_apis);
        #[cfg(feature = "headless")]
        d.field("automation", &self.automation.is_some());
        d.finish()
    }
}

/// What can go wrong running an app.
#[derive(Debug, Error)]
pub enum RuntimeError {
    /// The package has errors; nothing was run.
    #[error("the mini program has errors:\n{0}")]
    Invalid(Diagnostics),
    /// The JS engine failed to start.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// A framework call failed (a bug in user code reached the top, or an engine limit).
    #[error("script error: {0}")]
    Script(#[from] ScriptError),
    /// The entry page is not a page of the app (and `App.onPageNotFound` did not redirect).
    #[error("page `{0}` is not in app.json `pages` (or a subpackage)")]
    PageNotFound(String),
    /// The page cannot open: its own module failed (threw, or never called `Page()`), or app.json
    /// lists it but its files are missing. The causes were reported as the app's errors.
    #[error("{0}")]
    PageFailed(String),
    /// A selector did not parse.
    #[error(transparent)]
    Selector(#[from] SelectorError),
    /// A selector matched nothing.
    #[error("no element matches `{0}`")]
    NoMatch(String),
    /// The node does not exist.
    #[error("node {0} does not exist")]
    NoSuchNode(NodeId),
    /// A user action that does not apply to the node (a `slide` on a `<view>`, a bad value).
    #[error("{0}")]
    Action(String),
    /// An automation request on an app opened without an automation sink.
    #[cfg(feature = "headless")]
    #[error("this app was opened without a test driver (InstanceConfig::automation)")]
    NoAutomation,
}

/// One running mini program.
pub struct AppInstance {
    engine: Engine,
    state: Rc<AppState>,
    frames: VecDeque<Frame>,
    /// Component timers (swiper autoplay, animation and transition ends) on the instance clock.
    timers: component_timers::ComponentTimers,
    /// The elements in CSS `:active` state (the touched one and its ancestors).
    active_chain: Vec<NodeId>,
    /// Each editor's contents as of the user's last edit (`focus`/`blur` detail).
    editor_contents: HashMap<NodeId, Value>,
    /// Component events to fire after the current frame, each its own task.
    queued_events: VecDeque<(NodeId, String, Value)>,
    /// The attribute a user action is setting right now: not an app change to react to.
    user_change: Option<(NodeId, String)>,
    /// The app's worker, once its realm is open.
    worker: Option<worker::RunningWorker>,
}

impl AppInstance {
    /// Loads, checks and starts a package. Fails with every diagnostic when the package has
    /// errors (including JS syntax errors).
    pub fn open(package: Package, config: InstanceConfig) -> Result<AppInstance, RuntimeError> {
        let prepare::Prepared { package, diagnostics: diags, manifest, templates, style_sheets } =
            prepare::prepare(package);
        // Only fatal problems refuse the package; the others reach the pages using the broken
        // files when they open (runtime/problems.rs).
        let Some(manifest) = manifest.filter(|_| !diags.has_fatal()) else {
            return Err(RuntimeError::Invalid(diags));
        };
        let pages: Vec<&String> =
            manifest.components.values().filter(|c| c.is_page).map(|c| &c.path).collect();
        let main_components: Vec<Value> = manifest
            .components
            .values()
            .filter(|c| c.subpackage.is_none())
            .map(|c| framework::component_config(c, package.contains(&format!("{}.wxss", c.path))))
            .collect();
        let subpackages: Vec<Value> = manifest
            .app
            .subpackages
            .iter()
            .map(|s| json!({ "root": s.root, "name": s.name, "independent": s.independent, "pages": s.pages }))
            .collect();
        let mut cfg = json!({
            "pages": pages,
            "tabPages": manifest.app.tab_pages,
            "subpackages": subpackages,
            "preloadRule": manifest.app.raw.get("preloadRule"),
                        "appWindow": manifest.app.window,
                        "networkTimeout": manifest.app.raw.get("networkTimeout"),
            "permission": manifest.app.raw.get("permission"),
            "requiredPrivateInfos": manifest.app.raw.get("requiredPrivateInfos"),
            "tabBar": manifest.app.raw.get("tabBar"),
            "window": {
                "windowWidth": config.viewport.width,
                "windowHeight": config.viewport.height,
                "pixelRatio": config.viewport.pixel_ratio,
                "theme": "light",
                "safeAreaInsets": config.safe_area,
            },
            "components": main_components,
            "appStyle": package.contains("app.wxss"),
            "builtInTags": ([crate::builtin::BUILT_IN_TAGS, crate::builtin::TEMPLATE_TAGS].concat()),
            "wechatOnlyTags": crate::builtin::WECHAT_ONLY_TAGS,
        });
        let app_id = config.app_id.clone().unwrap_or_else(|| default_app_id(&package));
        let mut host = serde_json::to_value(&config.host).unwrap_or_default();
        host["appId"] = json!(app_id);
        host["envVersion"] = json!("release");
        host["SDKVersion"] = json!(api::SDK_VERSION);
        let mut apis = api::registry::to_json();
        for (name, group) in &config.custom_apis {
            let valid_name = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid_name || apis.get(name).is_some() || group == crate::capability::BASE_GROUP {
                let mut d = diags.clone();
                d.push(Diagnostic::new(
                    Level::Fatal,
                    Code::JsonField,
                    "",
                    format!("custom host API `{name}` (group `{group}`) is invalid: use a new identifier and a non-base group"),
                ));
                return Err(RuntimeError::Invalid(d));
            }
            apis[name] = json!({ "group": group, "kind": "async", "custom": true });
        }
        cfg["apis"] = apis;
        cfg["errors"] = serde_json::from_str(api::ERRORS_JSON).unwrap_or_default();
        cfg["host"] = host;
        #[cfg(feature = "headless")]
        {
            cfg["automation"] = json!(config.automation.is_some());
        }
        let clock = Clock::new(config.clock);
        let mut state =
            AppState::new(Arc::new(package), manifest, clock, config.policy.clone(), app_id);
        state.data_dir = config.data_dir.clone();
        state.data_key = data_key(config.app_id.as_deref(), &state.package());
        state.host_services = config.host_services.clone();
        state.log_sink = config.log_sink.clone();
        state.style_sheets = std::cell::RefCell::new(Some(style_sheets));
        state.problems =
            std::cell::RefCell::new(problems::PackageProblems::new(diags, templates.deps.clone()));
        state.layout = std::cell::RefCell::new(crate::layout::LayoutEngine::new(
            config.viewport.width as f32,
            config.viewport.height as f32,
            config
                .text_measurer
                .clone()
                .unwrap_or_else(|| Arc::new(crate::layout::text::HeadlessMeasurer)),
        ));
        if let Some(insets) = config.safe_area {
            state.layout.get_mut().set_safe_area(insets);
        }
        #[cfg(feature = "headless")]
        {
            state.automation = config.automation.clone();
        }
        let state = Rc::new(state);
        // The policy's JS limits apply when it sets them; otherwise the instance's own.
        let limits = if config.policy.limits == crate::capability::JsLimits::default() {
            config.limits
        } else {
            config.policy.engine_limits()
        };
        let mut engine = Engine::new(limits, config.cancel.clone())?;
        engine
            .with(|ctx| native::install(&ctx, &state))
            .map_err(|e| EngineError::Start(format!("installing native functions: {e}")))?;
        engine.load_framework(framework::BYTECODE)?;
        let mut app = AppInstance {
            engine,
            state,
            frames: VecDeque::new(),
            timers: component_timers::ComponentTimers::default(),
            active_chain: Vec::new(),
            editor_contents: HashMap::new(),
            queued_events: VecDeque::new(),
            user_change: None,
            worker: None,
        };
        let init = framework::init(&app.engine, &cfg, &templates);
        app.finish_task();
        init?;
        Ok(app)
    }

    /// Compiles every subpackage's templates now (kept for their first route) and parses
    /// every script of the package without running it, so [`AppInstance::diagnostics`] has
    /// every problem; `miniapp check` uses it so nothing waits for a navigation to fail.
    pub fn check_everything(&self) {
        for sub in &self.state.manifest.app.subpackages {
            self.state.subpackage_templates(&sub.root, true);
        }
        let mut found = Diagnostics::default();
        let package = self.state.package();
        let scripts = package.sources_with_extension("js");
        for (file, src) in scripts.filter(|(f, _)| !f.split('/').any(|s| s == "node_modules")) {
            let parsed =
                self.engine.with(|ctx| crate::engine::compile_module(&ctx, file, src).map(drop));
            if let Err(e) = parsed {
                let error = AppError { during: file.to_string(), error: e, diagnostic: None };
                found.push(error.as_diagnostic());
            }
        }
        self.state.problems.borrow_mut().add(found, Default::default());
    }

    #[cfg(feature = "compiler")]
    /// What the package uses and how this runtime supports it (see [`crate::report`]); after
    /// [`AppInstance::check_everything`] it covers every subpackage's styles too.
    pub fn compatibility_report(&self) -> crate::report::Report {
        let diags = self.state.problems.borrow().all().clone();
        crate::report::compatibility(&self.state.package(), &self.state.manifest, &diags)
    }

    /// The app's resolved configuration.
    pub fn manifest(&self) -> &AppManifest {
        &self.state.manifest
    }

    /// Launches at `url` (`pages/x/x?a=1`, default: the entry page) with a scene number.
    pub fn launch(&mut self, url: Option<&str>, scene: u32) -> Result<(), RuntimeError> {
        let url = url.map_or_else(|| self.state.manifest.app.entry_page.clone(), str::to_string);
        let (route, query) = url::parse_page_url(&url);
        let r = framework::launch(&self.engine, &route, &query, scene);
        self.finish_task();
        match r? {
            framework::Launched::Opened => Ok(()),
            framework::Launched::Failed(why) => Err(RuntimeError::PageFailed(why)),
            framework::Launched::NotFound => {
                // A page app.json lists whose files are missing: say why it is not there.
                let listed = self
                    .state
                    .manifest
                    .app
                    .pages
                    .iter()
                    .chain(self.state.manifest.app.subpackages.iter().flat_map(|s| &s.pages));
                if listed.into_iter().any(|p| *p == route) {
                    self.state.report_page_problems(&route);
                    let problems = self.state.problems.borrow();
                    let why: Vec<String> = problems
                        .errors_of_page(&self.state.manifest, &route)
                        .map(|(_, d)| d.to_string())
                        .collect();
                    return Err(RuntimeError::PageFailed(format!(
                        "page \"{route}\" cannot open: {}",
                        why.join("; ")
                    )));
                }
                Err(RuntimeError::PageNotFound(route))
            }
        }
    }

    /// The user left the app (home button, another app): page `onHide`, then App `onHide`.
    pub fn hide(&mut self) -> Result<bool, RuntimeError> {
        let r = framework::app_hide(&self.engine);
        self.finish_task();
        Ok(r?)
    }

    /// The user came back: App `onShow` (with `scene`), then page `onShow`.
    pub fn show(&mut self, scene: u32) -> Result<bool, RuntimeError> {
        let r = framework::app_show(&self.engine, scene);
        self.finish_task();
        Ok(r?)
    }

    /// The user tapped tab `index` in the host's tab bar: switch to that tab, then its
    /// `onTabItemTap`. False when there is no such tab.
    pub fn tap_tab(&mut self, index: u32) -> Result<bool, RuntimeError> {
        let r = framework::tab_item_tap(&self.engine, index);
        self.finish_task();
        Ok(r?)
    }

    /// The visible page scrolled to `scroll_top` (px). With `scroll_height` (the page's content
    /// height) the core also fires `onReachBottom` when the bottom zone is entered.
    pub fn page_scroll(
        &mut self,
        scroll_top: f64,
        scroll_height: Option<f64>,
    ) -> Result<bool, RuntimeError> {
        let r = framework::page_scroll(&self.engine, scroll_top, scroll_height);
        self.finish_task();
        Ok(r?)
    }

    /// The user pulled the visible page down. False when its window does not enable it.
    pub fn pull_down_refresh(&mut self) -> Result<bool, RuntimeError> {
        let r = framework::pull_down_refresh(&self.engine);
        self.finish_task();
        Ok(r?)
    }

    /// The device's network changed (`wx.onNetworkStatusChange` listeners hear it).
    pub fn network_status_changed(
        &mut self,
        connected: bool,
        network_type: &str,
    ) -> Result<bool, RuntimeError> {
        let r = framework::network_status_changed(&self.engine, connected, network_type);
        self.finish_task();
        Ok(r?)
    }

    /// The window changed size.
    pub fn resize(&mut self, width: f64, height: f64) -> Result<bool, RuntimeError> {
        self.state.layout.borrow_mut().set_viewport(width as f32, height as f32);
        let r = framework::resize(&self.engine, width, height, None);
        self.finish_task();
        Ok(r?)
    }

    /// The user chose to share the visible page (`from`: `menu` or `button`). Returns
    /// `{title, path, imageUrl}` for the host's share sheet, `None` when the page does not
    /// support sharing.
    pub fn share_app_message(&mut self, from: &str) -> Result<Option<Value>, RuntimeError> {
        let r = framework::share_app_message(&self.engine, from);
        self.finish_task();
        Ok(r?)
    }

    /// The host's back button or gesture. False when already at the first page (the host
    /// then leaves the app).
    pub fn back(&mut self) -> Result<bool, RuntimeError> {
        if self.close_page_container()? {
            return Ok(true);
        }
        let r = framework::system_back(&self.engine);
        self.finish_task();
        Ok(r?)
    }

    /// Runs pending jobs and closes the frame; then, each as its own task with its own frame,
    /// after-frame work (setData callbacks, `ready`, routes) and host replies, until neither is
    /// left (bounded).
    fn finish_task(&mut self) {
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

    fn pump(&self) {
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

    fn close_frame(&mut self) {
        let changes = self.state.tree.borrow_mut().take_component_changes();
        let changes: Vec<_> = changes
            .into_iter()
            .filter(|c| {
                !self.user_change.as_ref().is_some_and(|(n, a)| *n == c.node && *a == c.name)
            })
            .collect();
        for c in changes.iter().filter(|c| c.name == "nodes") {
            let mut tree = self.state.tree.borrow_mut();
            if tree.get(c.node).is_some_and(|n| n.tag == "rich-text") {
                content::rebuild_rich_text(&mut tree, c.node);
            }
        }
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
        self.component_changes(changes);
        if let Some(f) = self.state.tree.borrow_mut().take_frame() {
            self.frames.push_back(f);
        }
    }

    /// After layout: what the app's attribute changes on scroll-views, swipers and progress
    /// bars mean.
    fn component_changes(&mut self, changes: Vec<crate::view::tree::ComponentChange>) {
        let mut ops = Vec::new();
        let mut progress: Vec<(NodeId, Option<Option<Value>>)> = Vec::new();
        for c in changes {
            let tag = self.state.tree.borrow().get(c.node).map(|n| n.tag.clone());
            match tag.as_deref() {
                Some("scroll-view" | "cover-view") => ops.extend(self.scroll_attribute_changed(&c)),
                Some("page-container") => self.page_container_changed(&c),
                Some("editor") if c.name.is_empty() => self.editor_mounted(c.node),
                Some("swiper") if c.initial => self.arm_autoplay(c.node),
                Some("swiper") => self.swiper_attribute_changed(c.node, &c.name),
                Some("progress") if matches!(c.name.as_str(), "percent" | "active") => {
                    // one start per bar: the percent before its first change in this batch
                    let start = (c.name == "percent").then(|| c.previous.clone());
                    match progress.iter_mut().find(|(n, _)| *n == c.node) {
                        Some((_, s)) if s.is_none() => *s = start,
                        Some(_) => {}
                        None => progress.push((c.node, start)),
                    }
                }
                _ => {}
            }
        }
        for (node, start) in progress {
            self.progress_changed(node, start);
        }
        if !ops.is_empty() {
            self.state.tree.borrow_mut().push_ops(ops);
        }
    }

    /// Frames produced since the last call, oldest first.
    pub fn take_frames(&mut self) -> Vec<Frame> {
        self.frames.drain(..).collect()
    }

    /// Dispatches a native event on `node` (or the nearest element above it).
    /// Returns the node that received it, `None` if nothing could.
    pub fn dispatch(
        &mut self,
        node: NodeId,
        event: &str,
        detail: Value,
    ) -> Result<Option<NodeId>, RuntimeError> {
        let touches = event.starts_with("touch") || event == "tap" || event == "longpress";
        let touches = touches.then(
            || json!([{ "identifier": 0, "pageX": 0, "pageY": 0, "clientX": 0, "clientY": 0 }]),
        );
        self.dispatch_with_touches(node, event, detail, touches)
    }

    /// Like [`AppInstance::dispatch`], with the event's `touches`/`changedTouches` given.
    pub fn dispatch_with_touches(
        &mut self,
        node: NodeId,
        event: &str,
        detail: Value,
        touches: Option<Value>,
    ) -> Result<Option<NodeId>, RuntimeError> {
        let chain = self.ancestors(node)?;
        let r = framework::dispatch_event(&self.engine, &chain, event, &detail, touches.as_ref());
        self.finish_task();
        self.hover_touch(node, event);
        Ok(r?)
    }

    /// The user changed a form field in its native view: `attr` takes `value` (a `model:`
    /// binding writes it back to data), then `event` fires with `detail` — e.g. typing in an
    /// `input` is `("value", "abc", "input", {value, cursor, keyCode})`.
    pub fn input_value(
        &mut self,
        node: NodeId,
        attr: &str,
        value: Value,
        event: &str,
        detail: Value,
    ) -> Result<Option<NodeId>, RuntimeError> {
        let chain = self.ancestors(node)?;
        self.user_change = Some((node, attr.to_string()));
        let r = framework::field_input(&self.engine, &chain, attr, &value, event, &detail);
        self.finish_task();
        self.user_change = None;
        Ok(r?)
    }

    /// A user tap: `touchstart`, `touchend`, then `tap`, each its own task; a tap on a switch,
    /// checkbox, radio or label then changes it, and on a form's submit or reset button submits
    /// or resets the form ([`form`]).
    pub fn tap(&mut self, node: NodeId) -> Result<Option<NodeId>, RuntimeError> {
        self.dispatch(node, "touchstart", json!({}))?;
        self.dispatch(node, "touchend", json!({}))?;
        let target = self.dispatch(node, "tap", json!({ "x": 0, "y": 0 }))?;
        self.control_tap(node)?;
        self.form_action(node)?;
        self.open_type_action(node)?;
        Ok(target)
    }

    /// `node` and its ancestors up to the root, nearest first.
    pub fn ancestors(&self, node: NodeId) -> Result<Vec<NodeId>, RuntimeError> {
        let tree = self.state.tree.borrow();
        tree.get(node).ok_or(RuntimeError::NoSuchNode(node))?;
        let mut chain = vec![node];
        let mut up = tree.get(node).and_then(|n| n.parent);
        while let Some(p) = up {
            chain.push(p);
            up = tree.get(p).and_then(|n| n.parent);
        }
        Ok(chain)
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

    /// Copies ids from glass-easel elements into the tree; returns each node's dataset.
    fn sync_identities(&mut self) -> Result<HashMap<NodeId, Map<String, Value>>, RuntimeError> {
        let ids = framework::identities(&self.engine)?;
        let mut tree = self.state.tree.borrow_mut();
        let mut data = HashMap::new();
        for ident in ids {
            if tree.set_id(ident.node, &ident.id).is_ok() && !ident.dataset.is_empty() {
                data.insert(ident.node, ident.dataset);
            }
        }
        Ok(data)
    }

    /// Every element of the current (top) page matching a simple selector, in document order
    /// — what a user could tap. Before launch, the whole tree.
    pub fn select_all(&mut self, selector: &str) -> Result<Vec<NodeId>, RuntimeError> {
        let sel = Selector::parse(selector)?;
        let scope = self.pages()?.last().map_or(ROOT, |p| p.node);
        let data = self.sync_identities()?;
        let lookup = |node: NodeId, name: &str| -> Option<String> {
            let key = crate::view::tree::dataset_key(name.strip_prefix("data-")?);
            data.get(&node)?
                .get(&key)
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
        };
        Ok(sel.select_all(&self.state.tree.borrow(), scope, &lookup))
    }

    /// The first element matching a simple selector.
    pub fn select(&mut self, selector: &str) -> Result<NodeId, RuntimeError> {
        self.select_all(selector)?
            .into_iter()
            .next()
            .ok_or_else(|| RuntimeError::NoMatch(selector.to_string()))
    }

    /// The tree (read-only).
    pub fn tree(&self) -> Ref<'_, Tree> {
        self.state.tree.borrow()
    }

    /// Drops every layout cache and lays all pages out from scratch (the host receives the
    /// resulting frame). For consistency checks and after a host font change.
    pub fn relayout_all(&mut self) {
        self.state.layout.borrow_mut().reset();
        self.close_frame();
    }

    /// A node's frame: border box in px relative to its parent, once laid out.
    pub fn frame(&self, id: NodeId) -> Option<crate::layout::BoxRect> {
        self.state.layout.borrow().frame(id)
    }

    /// An element's generated boxes (`::before`/`::after` with a `content`): which, the box's
    /// node id and its text run's, as the host received them.
    pub fn generated_boxes(
        &self,
        id: NodeId,
    ) -> Vec<(crate::style::cascade::Pseudo, NodeId, Option<NodeId>)> {
        self.state.layout.borrow().generated_boxes(id)
    }

    /// A node's border box relative to its page's top-left corner.
    pub fn page_rect(&self, id: NodeId) -> Option<crate::layout::BoxRect> {
        self.state.layout.borrow().page_rect(&self.state.tree.borrow(), id)
    }

    /// The extent of a node's content in px (`scrollWidth`, `scrollHeight`).
    pub fn scroll_size(&self, id: NodeId) -> Option<(f32, f32)> {
        self.state.layout.borrow().scroll_size(&self.state.tree.borrow(), id)
    }

    /// Computed CSS values of a laid-out node, by kebab- or camelCase name; unknown names are
    /// left out.
    pub fn computed_style(&self, id: NodeId, names: &[String]) -> Vec<(String, String)> {
        self.state.layout.borrow().computed_style(id, names).unwrap_or_default()
    }

    /// A node's resolved visual style, once laid out.
    pub fn visual_style(&self, id: NodeId) -> Option<crate::style::visual::VisualStyle> {
        self.state.layout.borrow().visual(id).cloned()
    }

    /// The tree as indented WXML-like text, each node with its frame
    /// (`[x=… y=… w=… h=…]`, relative to its parent).
    pub fn dump_text(&mut self) -> Result<String, RuntimeError> {
        self.sync_identities()?;
        let layout = self.state.layout.borrow();
        let frame_of = |id| layout.frame(id).map(|f| [f.x, f.y, f.width, f.height]);
        Ok(dump::text_with_frames(&self.state.tree.borrow(), ROOT, &frame_of))
    }

    /// The tree for people (what `miniapp run` prints): like [`AppInstance::dump_text`], with
    /// each element's `data-*` attributes, long values cut and JSON attributes summarised.
    pub fn dump_readable(&mut self) -> Result<String, RuntimeError> {
        let datasets = self.sync_identities()?;
        let layout = self.state.layout.borrow();
        let frame_of = |id| layout.frame(id).map(|f| [f.x, f.y, f.width, f.height]);
        let dataset_of = |id| datasets.get(&id).cloned();
        Ok(dump::readable(&self.state.tree.borrow(), ROOT, &frame_of, &dataset_of))
    }

    /// The tree as indented WXML-like text without frames (structure only).
    pub fn dump_structure(&mut self) -> Result<String, RuntimeError> {
        self.sync_identities()?;
        Ok(dump::text(&self.state.tree.borrow(), ROOT))
    }

    /// The tree as JSON, each node with its `frame` and resolved visual `style`.
    pub fn dump_json(&mut self) -> Result<Value, RuntimeError> {
        self.sync_identities()?;
        let layout = self.state.layout.borrow();
        let layout_of = |id| {
            let frame = layout.frame(id)?;
            Some(json!({ "frame": frame, "style": layout.visual(id) }))
        };
        Ok(dump::json_with_layout(&self.state.tree.borrow(), ROOT, &layout_of))
    }

    /// The page stack, bottom first.
    pub fn pages(&self) -> Result<Vec<PageInfo>, RuntimeError> {
        Ok(framework::pages(&self.engine)?)
    }

    /// Console output so far.
    pub fn logs(&self) -> Vec<LogEntry> {
        self.state.logs.borrow().clone()
    }

    /// Uncaught JS errors so far.
    pub fn errors(&self) -> Vec<AppError> {
        self.state.errors.borrow().clone()
    }

    /// Package diagnostics (load time, subpackages compiled so far) plus every uncaught JS
    /// error so far, as diagnostics.
    pub fn diagnostics(&self) -> Diagnostics {
        let mut all = self.state.problems.borrow().all().clone();
        for e in self.state.errors.borrow().iter().filter(|e| e.diagnostic.is_none()) {
            all.push(e.as_diagnostic());
        }
        all
    }

    /// The app id policies and storage are keyed by.
    pub fn app_id(&self) -> &str {
        &self.state.app_id
    }

    /// Instance time in ms.
    pub fn now(&self) -> f64 {
        self.state.clock.now()
    }

    /// JS heap bytes in use.
    pub fn heap_used(&self) -> usize {
        self.engine.heap_used()
    }
}

/// `appid` from project.config.json, else the package directory's name.
/// The key of the app's data directory: the host-given app id; without one, the package's
/// location (`local-` and a hash of its canonical path), so a package cannot reach another
/// app's data by writing that app's id into its `project.config.json`.
fn data_key(host_given: Option<&str>, pkg: &Package) -> String {
    if let Some(id) = host_given {
        return id.to_string();
    }
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for b in pkg.root().to_string_lossy().bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("local-{h:016x}")
}

fn default_app_id(pkg: &Package) -> String {
    pkg.project()
        .and_then(|p| p.app_id())
        .map(str::to_string)
        .or_else(|| pkg.root().file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "app".into())
}
