//! Runtime: one mini-program instance on its logic thread.
//!
//! [`AppInstance::open`] loads and checks a package (config, templates), starts the engine,
//! loads the framework and runs the app's modules. Everything after that is a *task*: a call
//! into JS (launch, an event, a due timer), then the promise jobs, then the frame is closed and
//! after-frame work runs (setData callbacks, `ready`, `onReady`), each round its own frame.
//! Frames queue up until the host takes them. Time is the instance's [`clock::Clock`]:
//! virtual in headless runs, so runs are deterministic. `AppInstance` is not `Send`; hosts
//! reach it through the threaded handle ([`handle`]).
//!
//! This file holds the types; `AppInstance`'s methods live by concern: `open`
//! (opening, whole-package checks), `lifecycle` (app and page host events), `tasks` (the task
//! and frame loop, virtual time), `input` (events on nodes), `queries` (selectors, geometry,
//! dumps, logs), `host_events` (`HostEvent` → the above), and one module per built-in behaviour.

#[cfg(feature = "headless")]
pub mod automation;
mod builtins;
pub mod clock;
pub mod component_timers;
pub mod controls;
pub mod handle;
mod host_events;
mod hover;
mod input;
mod lifecycle;
pub mod log;
mod motion;
mod native;
mod open;
pub mod prepare;
pub mod problems;
mod queries;
pub mod state;
mod subpackages;
mod tasks;
pub mod url;
pub mod worker;
pub mod worker_mailbox;

use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

use self::clock::ClockMode;
use self::state::{AppState, LogSink};
use crate::capability::Policy;
use crate::diagnostic::Diagnostics;
use crate::engine::{Engine, EngineError, Limits, ScriptError};
use crate::host::HostServices;
use crate::view::select::SelectorError;
use crate::view::{Frame, NodeId};

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
