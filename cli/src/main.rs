//! `miniapp`: run WeChat-style mini programs headless, and check packages.
//!
//! Exit codes: 0 success; 1 the app ran but reported uncaught JS errors (or a `--tap` matched
//! nothing); 2 the package is invalid or cannot be opened; 64 bad command-line usage.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
mod live_http;
mod pages;
mod serve;

use std::sync::Arc;

use miniapp_core::capability::Policy;
use miniapp_core::host::{HostServices, RecordingHost};
use miniapp_core::package::Package;
use miniapp_core::runtime::clock::ClockMode;
use miniapp_core::runtime::controls::UserAction;
use miniapp_core::{AppInstance, InstanceConfig, RuntimeError, Viewport};

#[derive(Parser)]
#[command(name = "miniapp", version, about = "Run WeChat-style mini programs headless")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Dump {
    /// Indented WXML-like tree.
    Tree,
    /// Every render frame as JSON, one per line.
    Ops,
    /// Tree, page stack, console output and errors as one JSON document.
    Json,
}

/// `miniapp run` arguments.
#[derive(clap::Args)]
struct RunArgs {
    /// Project directory (the folder holding app.json), or a ZIP archive of it.
    dir: PathBuf,
    /// Entry page with optional query, e.g. 'pages/detail/detail?id=3'.
    #[arg(long)]
    page: Option<String>,
    /// Scene number passed to App.onLaunch (1001 = recent list).
    #[arg(long, default_value_t = 1001)]
    scene: u32,
    /// Tap the first element matching this selector (tag, .class, #id, [data-x=y],
    /// descendant, >); repeatable, applied in order after the first render.
    #[arg(long = "tap", value_name = "SELECTOR")]
    taps: Vec<String>,
    /// Dispatch an event: 'TYPE SELECTOR [DETAIL_JSON]', e.g. 'input #name {"value":"Ann"}'
    /// or 'longpress .item'; repeatable, applied in command-line order with --tap.
    #[arg(long = "event", value_name = "EVENT")]
    events: Vec<String>,
    /// A user action on a built-in component's native view: 'SELECTOR ACTION_JSON', e.g.
    /// '#name {"action":"type","text":"Ann"}', 'slider {"action":"slide","value":40}',
    /// '#when {"action":"pick","value":"2026-05-01"}', '#list {"action":"scroll","top":800}',
    /// 'swiper {"action":"swipe","current":2}'; repeatable, in order with --tap/--event.
    #[arg(long = "act", value_name = "ACTION")]
    acts: Vec<String>,
    /// A host action, in order with --tap/--event: 'back', 'hide', 'show [SCENE]',
    /// 'tab INDEX', 'scroll TOP [CONTENT_HEIGHT]', 'pull-down', 'resize WxH', 'share', 'network TYPE|none'.
    #[arg(long = "host", value_name = "ACTION")]
    host: Vec<String>,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Dump::Tree)]
    dump: Dump,
    /// Virtual milliseconds to let timers run after launch and after each tap.
    #[arg(long, default_value_t = 5000.0)]
    settle: f64,
    /// Screen, policy and headless host answers.
    #[command(flatten)]
    app: AppArgs,
}

/// How the app is opened: screen, capability policy and the headless host's answers.
#[derive(clap::Args)]
struct AppArgs {
    /// Viewport as WIDTHxHEIGHT in px.
    #[arg(long, default_value = "375x667", value_parser = parse_viewport)]
    viewport: Viewport,
    /// Capability policy (JSON, see the README). Default: storage, ui, file and network to
    /// listed domains and the fixtures' hosts; device capabilities denied.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Answer wx.request from this JSON file of fixtures
    /// (`[{"method":"GET","url":"https://…","status":200,"header":{},"body":…}]`).
    #[arg(long, value_name = "FILE")]
    http_fixtures: Option<PathBuf>,
    /// Script the headless host's answers (JSON: `{"showModal":{"confirm":false,"cancel":true},
    /// "scanCode":[{"result":"A"},{"result":"B"}],"makePhoneCall":{"fail":"busy"}}`).
    #[arg(long, value_name = "FILE")]
    host_script: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Launch a mini program headless, optionally tap elements, and print the result.
    Run(RunArgs),
    /// Serve the miniprogram-automator protocol on 127.0.0.1 (real time) until a client
    /// sends Tool.close: jest suites written for the developer tool drive the app.
    Serve(serve::ServeArgs),
    /// The form miniprogram-automator's launch() spawns:
    /// `auto --project DIR --auto-port PORT`; same as `serve`.
    Auto(serve::AutoArgs),
    /// Load and compile everything, parse every script, and print every diagnostic.
    Check {
        /// Project directory, or a ZIP archive of it.
        dir: PathBuf,
        /// Print the compatibility report instead: the wx APIs, tags, WXSS features and compile
        /// steps the package uses, and how this runtime supports each.
        #[arg(long)]
        report: bool,
        /// Open every page of the app instead, each in a fresh instance as `run --page` does,
        /// and say which open with no uncaught error.
        #[arg(long, conflicts_with = "report")]
        pages: bool,
        /// With --report or --pages: print it as JSON.
        #[arg(long)]
        json: bool,
    },
}

fn parse_viewport(s: &str) -> Result<Viewport, String> {
    let (w, h) = s.split_once(['x', 'X']).ok_or("expected WIDTHxHEIGHT, e.g. 375x667")?;
    let w: f64 = w.trim().parse().map_err(|_| format!("bad width `{w}`"))?;
    let h: f64 = h.trim().parse().map_err(|_| format!("bad height `{h}`"))?;
    if !(w > 0.0 && h > 0.0) {
        return Err("width and height must be positive".into());
    }
    Ok(Viewport { width: w, height: h, pixel_ratio: 2.0 })
}

fn load_policy(path: Option<&PathBuf>) -> Result<Policy, ExitCode> {
    let Some(path) = path else { return Ok(Policy::headless_default()) };
    let text = std::fs::read_to_string(path).map_err(|e| {
        eprintln!("error: cannot read policy {}: {e}", path.display());
        ExitCode::from(64)
    })?;
    Policy::from_json(&text).map_err(|e| {
        eprintln!("error: {}: {e}", path.display());
        ExitCode::from(64)
    })
}

fn read_file(path: &PathBuf) -> Result<String, ExitCode> {
    std::fs::read_to_string(path).map_err(|e| {
        eprintln!("error: cannot read {}: {e}", path.display());
        ExitCode::from(64)
    })
}

impl AppArgs {
    /// The instance configuration (virtual clock) and the headless host it answers with.
    fn config(&self) -> Result<(InstanceConfig, Arc<RecordingHost>), ExitCode> {
        let host = match &self.http_fixtures {
            None => Arc::new(RecordingHost::default()),
            Some(path) => {
                Arc::new(RecordingHost::with_http_fixtures(&read_file(path)?).map_err(|e| {
                    eprintln!("error: {}: {e}", path.display());
                    ExitCode::from(64)
                })?)
            }
        };
        if let Some(path) = &self.host_script {
            host.set_script(&read_file(path)?).map_err(|e| {
                eprintln!("error: {}: {e}", path.display());
                ExitCode::from(64)
            })?;
        }
        let mut policy = load_policy(self.policy.as_ref())?;
        if self.policy.is_none() {
            // The default policy lets requests reach the hosts the fixtures answer for.
            policy.network.request.extend(host.fixture_hosts());
        }
        // Fixtures and defaults first; allowlisted URLs no fixture answers go over the network.
        let services: Arc<dyn HostServices> = Arc::new(live_http::LiveHost::new(host.clone()));
        let config = InstanceConfig {
            viewport: self.viewport,
            clock: ClockMode::Virtual,
            policy,
            host_services: Some(services),
            ..InstanceConfig::default()
        };
        Ok((config, host))
    }
}

/// Opens a project directory or ZIP; exit code 2 when it cannot be read.
fn open_package(dir: &PathBuf) -> Result<Package, ExitCode> {
    Package::open(dir).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })
}

/// Prints why an app could not open; exit code 2.
fn open_failed(e: RuntimeError) -> ExitCode {
    match e {
        RuntimeError::Invalid(d) => eprint!("{d}"),
        other => eprintln!("error: {other}"),
    }
    ExitCode::from(2)
}

fn open(dir: &PathBuf, config: InstanceConfig) -> Result<AppInstance, ExitCode> {
    AppInstance::open(open_package(dir)?, config).map_err(open_failed)
}

fn print_logs(app: &AppInstance, from: usize) -> usize {
    let logs = app.logs();
    for l in &logs[from.min(logs.len())..] {
        eprintln!(
            "[{}] {}",
            serde_json::to_value(l.level)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            l.text
        );
    }
    logs.len()
}

/// One user action from the command line.
enum Action {
    Tap(String),
    Event { kind: String, selector: String, detail: serde_json::Value },
    Act { selector: String, action: UserAction },
    Host(HostAction),
}

/// Something the host app reports (buttons and gestures outside the page).
enum HostAction {
    Back,
    Hide,
    Show(u32),
    Tab(u32),
    Scroll(f64, Option<f64>),
    PullDown,
    Resize(f64, f64),
    Share,
    Network(bool, String),
}

impl HostAction {
    fn parse(s: &str) -> Result<HostAction, String> {
        let words: Vec<&str> = s.split_whitespace().collect();
        let num = |i: usize| -> Result<f64, String> {
            let w = words.get(i).ok_or_else(|| format!("'{s}' needs a number"))?;
            w.parse::<f64>().map_err(|e| format!("'{s}': {e}"))
        };
        Ok(match words.first().copied() {
            Some("back") => HostAction::Back,
            Some("hide") => HostAction::Hide,
            Some("show") => HostAction::Show(if words.len() > 1 { num(1)? as u32 } else { 1001 }),
            Some("tab") => HostAction::Tab(num(1)? as u32),
            Some("scroll") => {
                HostAction::Scroll(num(1)?, if words.len() > 2 { Some(num(2)?) } else { None })
            }
            Some("pull-down") => HostAction::PullDown,
            Some("resize") => {
                let v = parse_viewport(words.get(1).copied().unwrap_or(""))?;
                HostAction::Resize(v.width, v.height)
            }
            Some("share") => HostAction::Share,
            Some("network") => {
                let kind = words.get(1).copied().unwrap_or("wifi").to_string();
                HostAction::Network(kind != "none", kind)
            }
            _ => {
                return Err(
                    "expected back, hide, show, tab, scroll, pull-down, resize or share".into()
                )
            }
        })
    }

    fn run(&self, app: &mut AppInstance) -> Result<(), RuntimeError> {
        let outcome = match self {
            HostAction::Back => app.back()?,
            HostAction::Hide => app.hide()?,
            HostAction::Show(scene) => app.show(*scene)?,
            HostAction::Tab(i) => app.tap_tab(*i)?,
            HostAction::Scroll(top, height) => app.page_scroll(*top, *height)?,
            HostAction::PullDown => app.pull_down_refresh()?,
            HostAction::Resize(w, h) => app.resize(*w, *h)?,
            HostAction::Network(connected, kind) => app.network_status_changed(*connected, kind)?,
            HostAction::Share => {
                let content = app.share_app_message("menu")?;
                let text =
                    content.map_or_else(|| "this page cannot be shared".into(), |c| c.to_string());
                eprintln!("[host] share: {text}");
                true
            }
        };
        if !outcome {
            eprintln!(
                "[host] nothing happened (first page, no such tab, or not enabled on this page)"
            );
        }
        Ok(())
    }
}

impl Action {
    fn parse_event(s: &str) -> Result<Action, String> {
        let s = s.trim();
        let (kind, rest) =
            s.split_once(char::is_whitespace).ok_or("expected 'TYPE SELECTOR [DETAIL_JSON]'")?;
        let (selector, detail) = match rest.find('{') {
            Some(i) => {
                let detail = serde_json::from_str(&rest[i..])
                    .map_err(|e| format!("bad detail JSON: {e}"))?;
                (rest[..i].trim(), detail)
            }
            None => (rest.trim(), serde_json::json!({})),
        };
        if selector.is_empty() {
            return Err("missing selector".into());
        }
        Ok(Action::Event { kind: kind.to_string(), selector: selector.to_string(), detail })
    }

    fn parse_act(s: &str) -> Result<Action, String> {
        let i = s.find('{').ok_or("expected 'SELECTOR ACTION_JSON'")?;
        let selector = s[..i].trim();
        if selector.is_empty() {
            return Err("missing selector".into());
        }
        let action = UserAction::from_json(&s[i..])?;
        Ok(Action::Act { selector: selector.to_string(), action })
    }

    fn selector(&self) -> Option<&str> {
        match self {
            Action::Tap(s)
            | Action::Event { selector: s, .. }
            | Action::Act { selector: s, .. } => Some(s),
            Action::Host(_) => None,
        }
    }
}

/// Taps, events, user actions and host actions in the order they were given.
fn ordered_actions(m: &clap::ArgMatches, args: &mut RunArgs) -> Result<Vec<Action>, String> {
    let taps = std::mem::take(&mut args.taps);
    let events = std::mem::take(&mut args.events);
    let acts = std::mem::take(&mut args.acts);
    let host = std::mem::take(&mut args.host);
    let tap_idx: Vec<usize> = m.indices_of("taps").map(|i| i.collect()).unwrap_or_default();
    let ev_idx: Vec<usize> = m.indices_of("events").map(|i| i.collect()).unwrap_or_default();
    let mut all: Vec<(usize, Action)> =
        tap_idx.into_iter().zip(taps).map(|(i, t)| (i, Action::Tap(t))).collect();
    for (i, e) in ev_idx.into_iter().zip(events) {
        all.push((i, Action::parse_event(&e).map_err(|err| format!("--event '{e}': {err}"))?));
    }
    let act_idx: Vec<usize> = m.indices_of("acts").map(|i| i.collect()).unwrap_or_default();
    for (i, a) in act_idx.into_iter().zip(acts) {
        all.push((i, Action::parse_act(&a).map_err(|err| format!("--act '{a}': {err}"))?));
    }
    let host_idx: Vec<usize> = m.indices_of("host").map(|i| i.collect()).unwrap_or_default();
    for (i, h) in host_idx.into_iter().zip(host) {
        let action = HostAction::parse(&h).map_err(|err| format!("--host '{h}': {err}"))?;
        all.push((i, Action::Host(action)));
    }
    all.sort_by_key(|(i, _)| *i);
    Ok(all.into_iter().map(|(_, a)| a).collect())
}

fn run(args: RunArgs, actions: Vec<Action>) -> Result<ExitCode, ExitCode> {
    let RunArgs { dir, page, scene, dump, settle, app: app_args, .. } = args;
    let (config, host) = app_args.config()?;
    let mut app = open(&dir, config)?;
    let fail = |e: RuntimeError| {
        eprintln!("error: {e}");
        ExitCode::from(1)
    };
    let mut frames = Vec::new();
    app.launch(page.as_deref(), scene).map_err(|e| match e {
        RuntimeError::PageNotFound(_) | RuntimeError::PageFailed(_) => {
            print_logs(&app, 0);
            print_errors(&app);
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        other => fail(other),
    })?;
    app.settle(settle).map_err(fail)?;
    frames.extend(app.take_frames());
    let mut tap_failed = false;
    for action in &actions {
        let Some(sel) = action.selector() else {
            if let Action::Host(h) = action {
                h.run(&mut app).map_err(fail)?;
                app.settle(settle).map_err(fail)?;
                frames.extend(app.take_frames());
            }
            continue;
        };
        match app.select(sel) {
            Ok(node) => {
                match action {
                    Action::Tap(_) => app.tap(node).map_err(fail)?,
                    Action::Event { kind, detail, .. } => {
                        app.dispatch(node, kind, detail.clone()).map_err(fail)?
                    }
                    Action::Act { action, .. } => {
                        app.act(node, action).map_err(fail)?;
                        None
                    }
                    Action::Host(_) => None,
                };
                app.settle(settle).map_err(fail)?;
                frames.extend(app.take_frames());
            }
            Err(e) => {
                eprintln!("error: {sel}: {e}");
                tap_failed = true;
            }
        }
    }
    print_logs(&app, 0);
    for call in host.calls() {
        eprintln!("[host] {} {}", call.api, call.args);
    }
    match dump {
        Dump::Tree => out(&app.dump_text().map_err(fail)?),
        Dump::Ops => {
            for f in &frames {
                out(&format!("{}\n", serde_json::to_string(f).unwrap_or_default()));
            }
        }
        Dump::Json => {
            let doc = serde_json::json!({
                "pages": app.pages().map_err(fail)?,
                "tree": app.dump_json().map_err(fail)?,
                                "logs": app.logs(),
                "errors": app.errors(),
                "hostCalls": host.calls(),
            });
            out(&format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default()));
        }
    }
    let errors = app.errors();
    if !errors.is_empty() {
        print_errors(&app);
        eprintln!("error: {} error(s) in the app or the files its pages use", errors.len());
    }
    Ok(if errors.is_empty() && !tap_failed { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Writes to stdout; a reader that went away (`miniapp check … | head`) is not an error.
fn out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}

/// The app's errors so far (uncaught JS errors, package problems of the pages opened), one
/// diagnostic a line.
fn print_errors(app: &AppInstance) {
    for e in app.errors() {
        eprintln!("{}", e.as_diagnostic());
    }
}

fn check(dir: PathBuf, report: bool, pages: bool, json: bool) -> ExitCode {
    let config = InstanceConfig { policy: Policy::headless_default(), ..InstanceConfig::default() };
    let package = match open_package(&dir) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let app = match AppInstance::open(package.clone(), config) {
        Ok(app) => app,
        Err(e) => return open_failed(e),
    };
    if pages {
        return pages::check_pages(package, &app, json);
    }
    app.check_everything();
    let d = app.diagnostics();
    if report {
        let r = app.compatibility_report();
        if json {
            out(&format!("{}\n", serde_json::to_string_pretty(&r).unwrap_or_default()));
        } else {
            out(&r.to_string());
        }
        return ExitCode::SUCCESS;
    }
    out(&d.to_string());
    let m = app.manifest();
    let pages = m.components.values().filter(|c| c.is_page).count();
    let summary = format!(
        "{pages} pages, {} components, {} diagnostics",
        m.components.len() - pages,
        d.len()
    );
    if d.has_errors() {
        out(&format!("failed: {summary}\n"));
        ExitCode::from(1)
    } else {
        out(&format!("ok: {summary}\n"));
        ExitCode::SUCCESS
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MINIAPP_LOG")
                .unwrap_or_else(|_| "off".into())
                // swc's own debug output (every renamed identifier) is not the runtime's
                .add_directive("swc_ecma_transforms_base=warn".parse().unwrap_or_default()),
        )
        .with_writer(std::io::stderr)
        .init();
    // Bad usage exits 64 as the README says (clap's own code is 2, which means an invalid
    // package here); --help and --version still exit 0.
    let usage = |e: clap::Error| -> ExitCode {
        if matches!(
            e.kind(),
            clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
        ) {
            e.exit()
        }
        let _ = e.print();
        ExitCode::from(64)
    };
    let matches = match Cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => return usage(e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return usage(e),
    };
    match cli.command {
        Command::Run(mut args) => {
            let run_matches = matches.subcommand_matches("run").unwrap_or(&matches);
            match ordered_actions(run_matches, &mut args) {
                Ok(actions) => run(args, actions).unwrap_or_else(|c| c),
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(64)
                }
            }
        }
        Command::Serve(args) => serve::serve(args),
        Command::Auto(args) => serve::auto(args),
        Command::Check { dir, report, pages, json } => check(dir, report, pages, json),
    }
}
