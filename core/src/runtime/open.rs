//! Opening an instance: the package prepared (or taken from its compiled section), the engine
//! started with the natives and the framework, the app's data directory keyed, the app's
//! modules run; and the whole-package checks `miniapp check` asks for. Logic thread.

use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use std::sync::Arc;

use serde_json::{json, Value};

use super::clock::Clock;
use super::state::{AppError, AppState, Setup};
use super::{component_timers, native, prepare, problems};
use super::{AppInstance, InstanceConfig, RuntimeError};
use crate::api;
use crate::config::AppManifest;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Level};
use crate::engine::{Engine, EngineError};
use crate::framework;
use crate::package::Package;

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
            "entryPage": manifest.app.entry_page,
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
            "builtInTags": crate::builtin::BUILTINS.iter().map(|b| b.tag).chain(crate::builtin::TEMPLATE_TAGS.iter().copied()).collect::<Vec<_>>(),
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
        let mut layout = crate::layout::LayoutEngine::new(
            config.viewport.width as f32,
            config.viewport.height as f32,
            config
                .text_measurer
                .clone()
                .unwrap_or_else(|| Arc::new(crate::layout::text::HeadlessMeasurer)),
        );
        if let Some(insets) = config.safe_area {
            layout.set_safe_area(insets);
        }
        let data_key = data_key(config.app_id.as_deref(), &package);
        let state = Rc::new(AppState::new(Setup {
            package: Arc::new(package),
            manifest,
            policy: config.policy.clone(),
            app_id,
            data_dir: config.data_dir.clone(),
            data_key,
            host_services: config.host_services.clone(),
            log_sink: config.log_sink.clone(),
            style_sheets,
            layout,
            #[cfg(feature = "headless")]
            automation: config.automation.clone(),
            problems: problems::PackageProblems::new(diags, templates.deps.clone()),
            clock: Clock::new(config.clock),
        }));
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
}

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

/// `appid` from project.config.json, else the package directory's name.
fn default_app_id(pkg: &Package) -> String {
    pkg.project()
        .and_then(|p| p.app_id())
        .map(str::to_string)
        .or_else(|| pkg.root().file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "app".into())
}
