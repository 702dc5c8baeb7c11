//! `miniapp`: run WeChat-style mini programs headless, and check packages.
//!
//! Exit codes: 0 success; 1 the app ran but reported uncaught JS errors (or a `--tap` matched
//! nothing); 2 the package is invalid or cannot be opened; 64 bad command-line usage.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
mod actions;
mod check;
mod live_http;
mod narrate;
mod new;
mod pack;
mod pages;
mod run;
mod serve;

use std::sync::Arc;

use miniapp_core::capability::Policy;
use miniapp_core::host::event::SafeAreaInsets;
use miniapp_core::host::{HostServices, RecordingHost};
use miniapp_core::package::Package;
use miniapp_core::runtime::clock::ClockMode;
use miniapp_core::runtime::state::LogSink;
use miniapp_core::{AppInstance, InstanceConfig, RuntimeError, Viewport};

#[derive(Parser)]
#[command(name = "miniapp", version, about = "Run WeChat-style mini programs headless")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// How the app is opened: screen, capability policy and the headless host's answers.
#[derive(clap::Args)]
struct AppArgs {
    /// Viewport as WIDTHxHEIGHT in px, optionally @RATIO device pixels per px (default 2).
    #[arg(long, default_value = "375x667", value_parser = parse_viewport)]
    viewport: Viewport,
    /// Safe-area insets as TOP,RIGHT,BOTTOM,LEFT in px (a notch and home indicator: 44,0,34,0):
    /// what WXSS `env(safe-area-inset-*)` and `getWindowInfo().safeArea` see. Default: none.
    #[arg(long, value_name = "T,R,B,L", value_parser = parse_safe_area)]
    safe_area: Option<SafeAreaInsets>,
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
    /// Keep the app's storage and user files (`wxfile://usr`) in this folder across runs, as a
    /// host does (`DIR/<app id>/`). Default: storage in memory and files in a temporary folder,
    /// both gone when the command ends.
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// The app id the data is kept under (what a host gives; the package cannot choose it).
    /// Default: derived from the package's location.
    #[arg(long, value_name = "ID", requires = "data_dir")]
    app_id: Option<String>,
    /// How text is measured for layout: `formula` (deterministic, the same on every machine:
    /// what snapshots use) or `real` (the machine's fonts through the raster host's text
    /// stack, so boxes fit the text a screenshot draws).
    #[arg(long, value_enum, default_value_t = FontsMode::Formula)]
    fonts: FontsMode,
    /// Open only packed archives (`miniapp pack`) signed by this key: `miniapp-ed25519:…`, or
    /// a file holding one (`miniapp keygen`'s KEY.pub); repeatable. Default: any package, a
    /// packed one's file hashes still checked.
    #[arg(long = "trust", value_name = "KEY")]
    trust: Vec<String>,
}

/// `--fonts`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FontsMode {
    /// Width from a formula of font size and character class.
    Formula,
    /// The machine's fonts (cosmic-text).
    Real,
}

#[derive(Subcommand)]
enum Command {
    /// Launch a mini program headless, optionally tap elements, and print the result.
    Run(run::RunArgs),
    /// Serve the miniprogram-automator protocol on 127.0.0.1 (real time) until a client
    /// sends Tool.close: jest suites written for the developer tool drive the app.
    Serve(serve::ServeArgs),
    /// The form miniprogram-automator's launch() spawns:
    /// `auto --project DIR --auto-port PORT`; same as `serve`.
    Auto(serve::AutoArgs),
    /// Pack a project into one verified archive for hosts to download (`.mpk`): a manifest with
    /// every file's SHA-256, signed with `--key`; the same project gives the same bytes.
    Pack(pack::PackArgs),
    /// Make a signing key pair: KEY (secret: sign with `pack --key KEY`) and KEY.pub (what
    /// hosts trust: `--trust KEY.pub`).
    Keygen(pack::KeygenArgs),
    /// Check a packed archive: every file's hash, and the signature against `--trust` keys.
    Verify(pack::VerifyArgs),
    /// An app's installed versions, as a host keeps them: install (verified, no downgrade),
    /// launch, rollback, gc; crash-safe at every step.
    Store(pack::StoreArgs),
    /// Create a starter mini program in a new directory (an app, two pages, a component).
    New {
        /// The directory to create (must not exist, or be empty).
        dir: PathBuf,
    },
    /// Load and compile everything, parse every script, and print every diagnostic.
    Check {
        /// Project directory, a ZIP archive of it, or a packed archive.
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
        /// Screen, policy and headless host answers, as for `run` (`--pages` opens each page
        /// with them; `--http-fixtures` answers the requests a page makes).
        #[command(flatten)]
        app: AppArgs,
    },
}

fn parse_viewport(s: &str) -> Result<Viewport, String> {
    let (size, ratio) = match s.split_once('@') {
        Some((size, r)) => {
            (size, r.trim().parse::<f64>().map_err(|_| format!("bad pixel ratio `{r}`"))?)
        }
        None => (s, 2.0),
    };
    let (w, h) = size
        .split_once(['x', 'X'])
        .ok_or("expected WIDTHxHEIGHT[@RATIO], e.g. 375x667 or 375x667@3")?;
    let w: f64 = w.trim().parse().map_err(|_| format!("bad width `{w}`"))?;
    let h: f64 = h.trim().parse().map_err(|_| format!("bad height `{h}`"))?;
    if !(w > 0.0 && h > 0.0) {
        return Err("width and height must be positive".into());
    }
    if !(ratio > 0.0 && ratio <= 4.0) {
        return Err(format!("the pixel ratio must be above 0 and at most 4, not {ratio}"));
    }
    Ok(Viewport { width: w, height: h, pixel_ratio: ratio })
}

fn parse_safe_area(s: &str) -> Result<SafeAreaInsets, String> {
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    let [t, r, b, l] = parts[..] else {
        return Err("expected TOP,RIGHT,BOTTOM,LEFT in px, e.g. 44,0,34,0".into());
    };
    let px = |v: &str| -> Result<f64, String> {
        let n: f64 = v.parse().map_err(|_| format!("bad inset `{v}`"))?;
        if n >= 0.0 && n.is_finite() {
            Ok(n)
        } else {
            Err(format!("inset `{v}` must be 0 or more"))
        }
    };
    Ok(SafeAreaInsets { top: px(t)?, right: px(r)?, bottom: px(b)?, left: px(l)? })
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
    /// The instance configuration (virtual clock) and the headless host it answers with;
    /// `narrate`: console output and host calls go to stderr as they happen.
    fn config(&self, narrate: bool) -> Result<(InstanceConfig, Arc<RecordingHost>), ExitCode> {
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
        let live = live_http::LiveHost::new(host.clone()).with_policy(policy.clone());
        let mut services: Arc<dyn HostServices> = Arc::new(live);
        if narrate {
            services = Arc::new(narrate::NarratedHost::new(services));
        }
        let config = InstanceConfig {
            viewport: self.viewport,
            safe_area: self.safe_area,
            clock: ClockMode::Virtual,
            policy,
            host_services: Some(services),
            log_sink: narrate.then(|| Arc::new(narrate::StderrLog) as Arc<dyn LogSink>),
            data_dir: self.data_dir.clone(),
            app_id: self.app_id.clone(),
            text_measurer: (self.fonts == FontsMode::Real).then(|| {
                Arc::new(miniapp_raster::FontMeasurer::new())
                    as Arc<dyn miniapp_core::layout::text::TextMeasurer>
            }),
            ..InstanceConfig::default()
        };
        Ok((config, host))
    }

    /// The `--trust` keys; exit code 64 for one that does not read.
    fn trusted(&self) -> Result<Vec<miniapp_core::package::signing::PublicKey>, ExitCode> {
        pack::read_keys(&self.trust)
    }
}

/// Opens a project directory, a ZIP or a packed archive (signed by one of `trusted`, when
/// given); exit code 2 when it cannot be read or is refused.
fn open_package(
    dir: &PathBuf,
    trusted: &[miniapp_core::package::signing::PublicKey],
) -> Result<Package, ExitCode> {
    Package::open_trusting(dir, trusted).map_err(|e| {
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

fn open(
    dir: &PathBuf,
    trusted: &[miniapp_core::package::signing::PublicKey],
    config: InstanceConfig,
) -> Result<AppInstance, ExitCode> {
    AppInstance::open(open_package(dir, trusted)?, config).map_err(open_failed)
}

/// Writes to stdout; a reader that went away (`miniapp check … | head`) is not an error.
fn out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}

/// `1 page`, `2 pages`.
fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
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
    // The app runs on a thread with a known, large stack (as a host's logic thread does), so
    // deep but legal pages lay out the same in a debug build as in release.
    let work = move || dispatch(cli, &matches);
    std::thread::Builder::new()
        .name("miniapp-cli".into())
        .stack_size(miniapp_core::LOGIC_STACK_BYTES)
        .spawn(work)
        .map_or(ExitCode::from(70), |h| h.join().unwrap_or(ExitCode::from(70)))
}

fn dispatch(cli: Cli, matches: &clap::ArgMatches) -> ExitCode {
    match cli.command {
        Command::Run(mut args) => {
            let run_matches = matches.subcommand_matches("run").unwrap_or(matches);
            match args.actions(run_matches) {
                Ok(actions) => run::run(args, actions).unwrap_or_else(|c| c),
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(64)
                }
            }
        }
        Command::Serve(args) => serve::serve(args),
        Command::Auto(args) => serve::auto(args),
        Command::Check { dir, report, pages, json, app } => {
            check::check(dir, check::Mode { report, pages, json }, &app)
        }
        Command::New { dir } => new::new(&dir),
        Command::Pack(args) => pack::pack(&args),
        Command::Keygen(args) => pack::keygen(&args),
        Command::Verify(args) => pack::verify(&args),
        Command::Store(args) => pack::store(&args),
    }
}
