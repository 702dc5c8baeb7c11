//! `miniapp run`: open a package, launch it headless on a virtual clock, play the command
//! line's actions in order, and print the result (the page tree on stdout; on stderr each
//! step, the app's console output, its host calls and its errors, as they happened).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use miniapp_core::{HostEvent, RuntimeError};

use crate::actions::{self, Action};
use crate::narrate::step;
use crate::{open, out, AppArgs};

#[derive(Clone, Copy, ValueEnum)]
pub enum Dump {
    /// Indented WXML-like tree with frames, `data-*` shown, long values cut.
    Tree,
    /// Every render frame as JSON, one per line.
    Ops,
    /// Tree, page stack, console output and errors as one JSON document.
    Json,
}

/// `miniapp run` arguments.
#[derive(clap::Args)]
pub struct RunArgs {
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
    /// 'tab INDEX', 'scroll TOP [CONTENT_HEIGHT]', 'pull-down', 'resize WxH', 'share',
    /// 'network TYPE|none'.
    #[arg(long = "host", value_name = "ACTION")]
    host: Vec<String>,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Dump::Tree)]
    dump: Dump,
    /// After the steps, draw the page on screen to this PNG file (navigation bar, page, tab
    /// bar) at the viewport's pixel ratio, with the machine's fonts.
    #[arg(long, value_name = "PNG")]
    screenshot: Option<PathBuf>,
    /// Draw every frame with a page on screen, as `DIR/frame-0001.png`, … (the frame's
    /// sequence number), to see a run step by step; the folder is created.
    #[arg(long, value_name = "DIR")]
    screenshot_every: Option<PathBuf>,
    /// Virtual milliseconds to let timers run after launch and after each action.
    #[arg(long, default_value_t = 5000.0)]
    settle: f64,
    /// Screen, policy and headless host answers.
    #[command(flatten)]
    app: AppArgs,
}

impl RunArgs {
    /// The actions of the command line, in the order given (`m`: the `run` matches).
    pub fn actions(&mut self, m: &clap::ArgMatches) -> Result<Vec<Action>, String> {
        actions::ordered(
            m,
            std::mem::take(&mut self.taps),
            std::mem::take(&mut self.events),
            std::mem::take(&mut self.acts),
            std::mem::take(&mut self.host),
        )
    }
}

/// Runs it. Exit codes: 0 ran cleanly; 1 uncaught errors or a selector matched nothing; 2 the
/// package or the entry page cannot be opened.
pub fn run(args: RunArgs, actions: Vec<Action>) -> Result<ExitCode, ExitCode> {
    let RunArgs {
        dir, page, scene, dump, settle, screenshot, screenshot_every, app: app_args, ..
    } = args;
    let (mut config, host) = app_args.config(true)?;
    // `--host 'update …'` steps: this run plays a host that checks for updates
    config.host.checks_updates =
        actions.iter().any(|a| matches!(a, Action::Host(HostEvent::Update { .. })));
    let viewport = config.viewport;
    let trusted = app_args.trusted()?;
    let mut app = open(&dir, &trusted, config)?;
    let fail = |e: RuntimeError| {
        eprintln!("error: {e}");
        ExitCode::from(1)
    };
    let mut frames = Vec::new();
    step(&format!("launch {} (scene {scene})", page.as_deref().unwrap_or("the entry page")));
    app.launch(page.as_deref(), scene).map_err(|e| match e {
        RuntimeError::PageNotFound(_) | RuntimeError::PageFailed(_) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        other => fail(other),
    })?;
    app.settle(settle).map_err(fail)?;
    frames.extend(app.take_frames());
    let mut unmatched = false;
    let mut failed_steps = 0;
    for action in &actions {
        // a step whose JS throws or runs past the task limit is reported and the run goes on
        // with the next step, as the app itself does
        match action.run(&mut app) {
            Ok(matched) => unmatched |= !matched,
            Err(e @ RuntimeError::Script(_)) => {
                eprintln!("error: {e}");
                failed_steps += 1;
            }
            Err(other) => return Err(fail(other)),
        }
        app.settle(settle).map_err(fail)?;
        frames.extend(app.take_frames());
    }
    if screenshot.is_some() || screenshot_every.is_some() {
        let shots = Shots { every: screenshot_every.as_deref(), last: screenshot.as_deref() };
        save_screenshots(&frames, viewport, &dir, shots)?;
    }
    match dump {
        Dump::Tree => out(&app.dump_readable().map_err(fail)?),
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
    let errors = app.errors().len() + failed_steps;
    if errors > 0 {
        eprintln!(
            "error: {errors} error{} in the app or the files its pages use (each printed above \
             as it happened)",
            if errors == 1 { "" } else { "s" }
        );
    }
    Ok(if errors == 0 && !unmatched { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Which pictures to write.
struct Shots<'a> {
    /// A folder for one picture per frame.
    every: Option<&'a std::path::Path>,
    /// The picture after the last frame.
    last: Option<&'a std::path::Path>,
}

/// Draws the frames with the raster host and writes the PNGs.
fn save_screenshots(
    frames: &[miniapp_core::view::Frame],
    viewport: miniapp_core::Viewport,
    package: &std::path::Path,
    shots: Shots<'_>,
) -> Result<(), ExitCode> {
    let fail = |what: &std::path::Path, e: String| {
        eprintln!("error: screenshot {}: {e}", what.display());
        ExitCode::from(1)
    };
    // the package's images, from its folder or its ZIP
    let images: Box<dyn miniapp_raster::ImageSource> =
        match miniapp_core::package::Package::open(package) {
            Ok(p) => Box::new(p),
            Err(_) => Box::new(miniapp_raster::NoImages),
        };
    let mut screen = miniapp_raster::Screen::new(images);
    if screen.font_faces() == 0 {
        eprintln!("warning: no fonts found on this machine: the screenshot has no text (install e.g. fonts-dejavu-core and fonts-wqy-microhei)");
    }
    let (w, h, ratio) =
        (viewport.width as f32, viewport.height as f32, viewport.pixel_ratio as f32);
    let paint_to = |screen: &mut miniapp_raster::Screen<_>, path: &std::path::Path| {
        let picture = screen.paint(w, h, ratio).map_err(|e| fail(path, e))?;
        let png = picture.png().map_err(|e| fail(path, e))?;
        std::fs::write(path, png).map_err(|e| fail(path, format!("cannot write it: {e}")))?;
        Ok::<_, ExitCode>((picture.width(), picture.height()))
    };
    if let Some(dir) = shots.every {
        std::fs::create_dir_all(dir).map_err(|e| fail(dir, format!("cannot create it: {e}")))?;
    }
    let mut written = 0;
    for f in frames {
        let at = shots.every.unwrap_or(package);
        screen.apply(f).map_err(|e| fail(at, e))?;
        if let Some(dir) = shots.every {
            if screen.has_page() {
                paint_to(&mut screen, &dir.join(format!("frame-{:04}.png", f.seq)))?;
                written += 1;
            }
        }
    }
    if let Some(dir) = shots.every {
        step(&format!("screenshots of {written} frames in {}", dir.display()));
    }
    if let Some(path) = shots.last {
        let (pw, ph) = paint_to(&mut screen, path)?;
        step(&format!("screenshot {} ({pw}×{ph} px)", path.display()));
    }
    Ok(())
}
