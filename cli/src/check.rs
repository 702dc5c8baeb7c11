//! `miniapp check`: load and compile everything (every subpackage, every script, used or
//! not), then run what WeChat runs at launch (`app.js`, the modules it requires and the entry
//! page, under a 2 s task limit), and print every diagnostic; `--report` prints the
//! compatibility report instead, and `--pages` opens every page ([`crate::pages`]).

use std::path::PathBuf;
use std::process::ExitCode;

use miniapp_core::engine::Limits;
use miniapp_core::{AppInstance, Code};

use crate::{open_failed, open_package, out, plural, AppArgs};

/// What `check` prints.
pub struct Mode {
    /// The compatibility report instead of the diagnostics.
    pub report: bool,
    /// Open every page instead.
    pub pages: bool,
    /// The report or the pages as JSON.
    pub json: bool,
}

/// Runs it. Exit codes: 0 no errors; 1 errors; 2 the package cannot be opened; 64 an option
/// file (policy, fixtures, host script, key) does not read.
pub fn check(dir: PathBuf, mode: Mode, args: &AppArgs) -> ExitCode {
    let Mode { report, pages, json } = mode;
    let trusted = match args.trusted() {
        Ok(keys) => keys,
        Err(code) => return code,
    };
    // the headless host answers what the app asks at launch, as `run` does
    let mut config = match args.config(false) {
        Ok((config, _host)) => config,
        Err(code) => return code,
    };
    // a module that never returns is reported after 2 s instead of holding `check` for long
    config.limits = Limits { task_time: std::time::Duration::from_secs(2), ..Limits::default() };
    let package = match open_package(&dir, &trusted) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut app = match AppInstance::open(package.clone(), config) {
        Ok(app) => app,
        Err(e) => return open_failed(e),
    };
    if pages {
        return crate::pages::check_pages(package, &app, args, json);
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
    // what the scripts do when they run: a top-level throw, a loop that does not end
    let launched = app.launch(None, 1001);
    let _ = app.settle(2000.0);
    let mut d = d;
    let mut ran = 0;
    for e in app.errors() {
        let diag = e.as_diagnostic();
        if matches!(diag.code, Code::ScriptException | Code::ScriptSyntax)
            && !d.iter().any(|x| x.path == diag.path && x.message == diag.message)
        {
            d.push(diag);
            ran += 1;
        }
    }
    if let (Err(miniapp_core::RuntimeError::Script(err)), 0) = (&launched, ran) {
        let at = err.location.clone().unwrap_or_else(|| ("app.js".into(), 0, 0));
        let diag = miniapp_core::Diagnostic::new(
            miniapp_core::Level::Error,
            Code::ScriptException,
            at.0,
            format!("{}: {} (while launching)", err.name, err.message),
        );
        d.push(if at.1 > 0 { diag.at(at.1, at.2) } else { diag });
    }
    out(&d.to_string());
    let m = app.manifest();
    let pages = m.components.values().filter(|c| c.is_page).count();
    let summary = format!(
        "{}, {}, {}",
        plural(pages, "page"),
        plural(m.components.len() - pages, "component"),
        plural(d.len(), "diagnostic")
    );
    if d.has_errors() {
        out(&format!("failed: {summary}\n"));
        ExitCode::from(1)
    } else {
        out(&format!("ok: {summary}\n"));
        ExitCode::SUCCESS
    }
}
