//! Fixture runner shared by the integration tests.
//!
//! A fixture is a folder under `tests/fixtures/<case>/` holding a mini program in `app/` and
//! `steps.json`:
//!
//! ```json
//! { "page": "pages/index/index?x=1",
//!   "viewport": [375, 667],
//!   "ops": true,
//!   "policy": { "grant": ["storage"] },
//!   "httpFixtures": "http.json",
//!   "hostInfo": { "platform": "android", "checksUpdates": true }, (the `host` configuration)
//!   (a step may also be {"consent": false}: the simulated user refuses prompts from then on)
//!   "steps": [ {"tap": "#btn"}, {"event": {"selector": "#in", "type": "input", "detail": {"value": "a"}}},
//!              {"type": {"selector": "#in", "text": "Ann"}} (typing into a field),
//!              {"change": {"selector": "#sw", "attr": "checked", "value": true, "event": "change"}}
//!              (the user changes a field: attribute, model write-back, event with `{value}`),
//!              {"act": {"selector": "#s", "action": "slide", "value": 40}} (a user action on a
//!              built-in's native view: the object without `selector` is the `UserAction`),
//!              {"advance": 1000}, {"back": true}, {"hide": true}, {"show": 1038}, {"tabTap": 1},
//!              {"scroll": {"scrollTop": 900, "scrollHeight": 2000}}, {"pullDown": true},
//!              {"resize": [667, 375]}, {"share": "menu"} ] }
//! ```
//!
//! `"app": "../other_case/app"` runs another fixture's app (relative to this folder) instead of
//! `app/`, for the same app under another policy or host script.
//! `"tree": false` leaves the tree out of the transcript (the page stack is always shown);
//! a `{"tree": true}` step then shows it at that point.
//! `"layout": true` shows layout: frames in the tree and `set_style`/`set_frame` among the
//! ops (otherwise both are left out, so fixtures about behaviour do not depend on styles).
//!
//! [`run_fixture`] launches the app, runs every step, and renders a transcript: after launch
//! and after each step, the console output, uncaught errors, the ops (when `"ops": true`) and
//! the tree. Tests compare transcripts with reviewed snapshots.

use std::fmt::Write;
use std::path::Path;

use std::sync::Arc;

use miniapp_core::host::RecordingHost;
use miniapp_core::package::Package;
use miniapp_core::view::RenderOp;
use miniapp_core::HostEvent;
use miniapp_core::{AppInstance, InstanceConfig, Viewport};
use serde_json::Value;

/// Virtual ms the runner lets timers run after launch and after each step.
pub const SETTLE_MS: f64 = 10_000.0;

/// Runs the fixture in `dir` and returns its transcript.
pub fn run_fixture(dir: &Path) -> String {
    let steps: Value = std::fs::read_to_string(dir.join("steps.json"))
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_else(|| panic!("{}: steps.json missing or invalid", dir.display()));
    let mut config = InstanceConfig::default();
    if let Some([w, h]) = steps.get("viewport").and_then(Value::as_array).map(|a| a.as_slice()) {
        config.viewport = Viewport {
            width: w.as_f64().unwrap_or(375.0),
            height: h.as_f64().unwrap_or(667.0),
            pixel_ratio: 2.0,
        };
    }
    if let Some(policy) = steps.get("policy") {
        match miniapp_core::capability::Policy::from_json(&policy.to_string()) {
            Ok(p) => config.policy = p,
            Err(e) => return format!("bad policy in steps.json: {e}\n"),
        }
    }
    if let Some(info) = steps.get("hostInfo") {
        match serde_json::from_value(info.clone()) {
            Ok(info) => config.host = info,
            Err(e) => return format!("bad hostInfo in steps.json: {e}\n"),
        }
    }
    if let Some(apis) = steps.get("customApis").and_then(Value::as_object) {
        for (name, group) in apis {
            config.custom_apis.insert(name.clone(), group.as_str().unwrap_or_default().to_string());
        }
    }
    let host = match steps.get("httpFixtures").and_then(Value::as_str) {
        Some(file) => {
            let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
            match RecordingHost::with_http_fixtures(&text) {
                Ok(h) => Arc::new(h),
                Err(e) => return format!("bad {file}: {e}\n"),
            }
        }
        None => Arc::new(RecordingHost::default()),
    };
    if let Some(script) = steps.get("hostScript") {
        if let Err(e) = host.set_script(&script.to_string()) {
            return format!("bad hostScript: {e}\n");
        }
    }
    config.host_services = Some(host.clone());
    let show_ops = steps.get("ops").and_then(Value::as_bool).unwrap_or(false);
    let show_tree = steps.get("tree").and_then(Value::as_bool).unwrap_or(true);
    let show_layout = steps.get("layout").and_then(Value::as_bool).unwrap_or(false);
    let mut out = String::new();
    let app = steps.get("app").and_then(Value::as_str).unwrap_or("app");
    let package = match Package::open_dir(dir.join(app)) {
        Ok(p) => p,
        Err(e) => return format!("open failed: {e}\n"),
    };
    let mut app = match AppInstance::open(package, config) {
        Ok(app) => app,
        Err(e) => return format!("open failed: {e}\n"),
    };
    let page = steps.get("page").and_then(Value::as_str);
    let mut seen = Seen::default();
    let launched = app.launch(page, 1001).and_then(|()| app.settle(SETTLE_MS));
    let shown = Shown { ops: show_ops, tree: show_tree, layout: show_layout };
    let title = format!("launch {}", page.unwrap_or("(entry page)"));
    section(&mut out, &title, &mut app, &host, &mut seen, shown, launched.err());
    for step in steps.get("steps").and_then(Value::as_array).into_iter().flatten() {
        let (title, result) = run_step(&mut app, &host, step);
        // `{"tree": true}` shows the tree at that point even when `"tree": false`
        let forced = step.get("tree").and_then(Value::as_bool) == Some(true);
        let shown = Shown { tree: shown.tree || forced, ..shown };
        section(&mut out, &title, &mut app, &host, &mut seen, shown, result.err());
    }
    out
}

fn run_step(
    app: &mut AppInstance,
    host: &RecordingHost,
    step: &Value,
) -> (String, Result<(), miniapp_core::RuntimeError>) {
    if let Some(granted) = step.get("consent").and_then(Value::as_bool) {
        host.set_consent(granted);
        let verb = if granted { "accept" } else { "refuse" };
        return (format!("the user will {verb} consent prompts"), Ok(()));
    }
    if step.get("tree").is_some() {
        return ("the tree now".into(), Ok(()));
    }
    if let Some(sel) = step.get("tap").and_then(Value::as_str) {
        let r =
            app.select(sel).and_then(|n| app.tap(n)).map(drop).and_then(|()| app.settle(SETTLE_MS));
        return (format!("tap {sel}"), r);
    }
    if let Some(ev) = step.get("event") {
        let sel = ev.get("selector").and_then(Value::as_str).unwrap_or("");
        let ty = ev.get("type").and_then(Value::as_str).unwrap_or("tap");
        let detail = ev.get("detail").cloned().unwrap_or(Value::Object(Default::default()));
        let r = app
            .select(sel)
            .and_then(|n| app.dispatch(n, ty, detail))
            .map(drop)
            .and_then(|()| app.settle(SETTLE_MS));
        return (format!("event {ty} on {sel}"), r);
    }
    if let Some(t) = step.get("type") {
        let sel = t.get("selector").and_then(Value::as_str).unwrap_or("");
        let text = t.get("text").and_then(Value::as_str).unwrap_or("");
        let r = app
            .select(sel)
            .and_then(|n| app.type_text(n, text))
            .map(drop)
            .and_then(|()| app.settle(SETTLE_MS));
        return (format!("type {text:?} into {sel}"), r);
    }
    if let Some(a) = step.get("act") {
        let sel = a.get("selector").and_then(Value::as_str).unwrap_or("");
        let mut action = a.clone();
        if let Some(m) = action.as_object_mut() {
            m.remove("selector");
        }
        let title = format!("user {action} on {sel}");
        let r = miniapp_core::runtime::controls::UserAction::from_json(&action.to_string())
            .map_err(miniapp_core::RuntimeError::Action)
            .and_then(|action| app.select(sel).and_then(|n| app.act(n, &action)))
            .and_then(|()| app.settle(SETTLE_MS));
        return (title, r);
    }
    if let Some(c) = step.get("change") {
        let sel = c.get("selector").and_then(Value::as_str).unwrap_or("");
        let attr = c.get("attr").and_then(Value::as_str).unwrap_or("value");
        let value = c.get("value").cloned().unwrap_or(Value::Null);
        let event = c.get("event").and_then(Value::as_str).unwrap_or("change");
        let detail =
            c.get("detail").cloned().unwrap_or_else(|| serde_json::json!({ "value": value }));
        let r = app
            .select(sel)
            .and_then(|n| app.input_value(n, attr, value.clone(), event, detail))
            .map(drop)
            .and_then(|()| app.settle(SETTLE_MS));
        return (format!("user sets {sel} {attr}={value}"), r);
    }
    if let Some(event) = step.get("host") {
        // Any host event in its JSON form (docs/render-protocol.md).
        return match HostEvent::from_json(&event.to_string()) {
            Ok(e) => match app.apply(&e) {
                Ok(applied) => (
                    format!("host {} -> handled {} {}", event, applied.handled, applied.result),
                    app.settle(SETTLE_MS),
                ),
                Err(err) => (format!("host {event}"), Err(err)),
            },
            Err(err) => (format!("host {event}"), Err(miniapp_core::RuntimeError::Action(err))),
        };
    }
    // The older step spellings, each one host event.
    let num = |k: &str| step.get(k).and_then(Value::as_f64);
    let (title, event) = if let Some(ms) = num("advance") {
        return (format!("advance {ms}ms"), app.apply(&HostEvent::Advance { ms }).map(drop));
    } else if step.get("back").is_some() {
        ("system back".to_string(), HostEvent::Back)
    } else if let Some(index) = num("tabTap") {
        (format!("tab bar tap {index}"), HostEvent::TabTap { index: index as u32 })
    } else if let Some(net) = step.get("network").and_then(Value::as_str) {
        let event = HostEvent::NetworkChange { connected: net != "none", network_type: net.into() };
        (format!("network changes to {net}"), event)
    } else if let Some(scroll) = step.get("scroll") {
        let top = scroll.get("scrollTop").and_then(Value::as_f64).unwrap_or(0.0);
        let height = scroll.get("scrollHeight").and_then(Value::as_f64);
        (
            format!("page scroll to {top}"),
            HostEvent::PageScroll { scroll_top: top, scroll_height: height },
        )
    } else if step.get("pullDown").is_some() {
        ("pull down".to_string(), HostEvent::PullDown)
    } else if let Some([w, h]) = step.get("resize").and_then(Value::as_array).map(|a| a.as_slice())
    {
        let (width, height) = (w.as_f64().unwrap_or(0.0), h.as_f64().unwrap_or(0.0));
        (
            format!("resize to {width}x{height}"),
            HostEvent::Resize { width, height, safe_area: None },
        )
    } else if let Some(from) = step.get("share").and_then(Value::as_str) {
        (format!("share from {from}"), HostEvent::Share { from: from.into() })
    } else if step.get("hide").is_some() {
        ("app hide".to_string(), HostEvent::Hide)
    } else if let Some(scene) = num("show") {
        (format!("app show (scene {scene})"), HostEvent::Show { scene: scene as u32 })
    } else {
        return (format!("unknown step {step}"), Ok(()));
    };
    let applied = match app.apply(&event) {
        Ok(applied) => applied,
        Err(e) => return (title, Err(e)),
    };
    match event {
        HostEvent::Back if !applied.handled => {
            ("system back (already at the first page: the host leaves the app)".into(), Ok(()))
        }
        HostEvent::PullDown if !applied.handled => {
            ("pull down (not enabled on this page)".into(), Ok(()))
        }
        HostEvent::TabTap { index } if !applied.handled => {
            (title, Err(miniapp_core::RuntimeError::NoMatch(format!("tab {index}"))))
        }
        HostEvent::Share { from } => {
            (format!("share from {from} -> {}", applied.result), app.settle(SETTLE_MS))
        }
        _ => (title, app.settle(SETTLE_MS)),
    }
}

/// How much of the logs, errors and host calls earlier sections showed.
#[derive(Default)]
struct Seen {
    logs: usize,
    errors: usize,
    host_calls: usize,
}

/// Which optional parts a transcript shows.
#[derive(Clone, Copy)]
struct Shown {
    ops: bool,
    tree: bool,
    layout: bool,
}

fn section(
    out: &mut String,
    title: &str,
    app: &mut AppInstance,
    host: &RecordingHost,
    seen: &mut Seen,
    shown: Shown,
    err: Option<miniapp_core::RuntimeError>,
) {
    let _ = writeln!(out, "== {title}");
    if let Some(e) = err {
        let _ = writeln!(out, "-- step failed\n{e}");
    }
    let logs = app.logs();
    if logs.len() > seen.logs {
        let _ = writeln!(out, "-- console");
        for l in &logs[seen.logs..] {
            let level = serde_json::to_value(l.level)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = writeln!(out, "[{level}] {}", l.text);
        }
        seen.logs = logs.len();
    }
    let errors = app.errors();
    if errors.len() > seen.errors {
        let _ = writeln!(out, "-- uncaught errors");
        for e in &errors[seen.errors..] {
            let at = e
                .error
                .location
                .as_ref()
                .map(|(f, l, c)| format!(" at {f}:{l}:{c}"))
                .unwrap_or_default();
            let _ = writeln!(out, "during {}: {}: {}{at}", e.during, e.error.name, e.error.message);
        }
        seen.errors = errors.len();
    }
    let calls = host.calls();
    if calls.len() > seen.host_calls {
        let _ = writeln!(out, "-- host calls");
        for c in &calls[seen.host_calls..] {
            // Real file paths differ per run: show that they are there, not where.
            let mut args = c.args.clone();
            for key in ["savePath", "realPath"] {
                if let Some(v) = args.get_mut(key) {
                    *v = Value::String("<real path>".into());
                }
            }
            if let Some(Value::Array(paths)) = args.get_mut("savePaths") {
                paths.iter_mut().for_each(|p| *p = Value::String("<real path>".into()));
            }
            let _ = writeln!(out, "{} {}", c.api, args);
        }
        seen.host_calls = calls.len();
    }
    let mut frames = app.take_frames();
    if !shown.layout {
        for f in &mut frames {
            f.ops.retain(|op| !matches!(op, RenderOp::SetStyle { .. } | RenderOp::SetFrame { .. }));
        }
        frames.retain(|f| !f.ops.is_empty());
    }
    if shown.ops {
        let _ = writeln!(out, "-- frames");
        for f in frames {
            let _ = writeln!(out, "{}", serde_json::to_string(&f).unwrap_or_default());
        }
    }
    let stack: Vec<String> = app.pages().unwrap_or_default().into_iter().map(|p| p.route).collect();
    let _ = writeln!(out, "-- stack: {}", stack.join(" > "));
    if shown.tree {
        let _ = writeln!(out, "-- tree");
        let dump = if shown.layout { app.dump_text() } else { app.dump_structure() };
        let _ = write!(out, "{}", dump.unwrap_or_else(|e| format!("dump failed: {e}\n")));
    }
}
